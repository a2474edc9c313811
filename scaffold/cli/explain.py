"""``scaffold explain``: option parsing and one call into :mod:`scaffold.explain` per mode."""

from __future__ import annotations

import click


@click.command("explain")
@click.argument("reason", required=False)
@click.option("--list", "show_list", is_flag=True, help="List every state and reason the knowledge base explains.")
@click.option("-f", "--file", "file", metavar="FILE|-", help="Diagnose `kubectl get pod NAME -o json|yaml` output (a Pod or a List).")
@click.option("-o", "--output", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Format of the -f report.")
@click.option("--markdown", is_flag=True, hidden=True, help="Print docs/troubleshooting.md.")
def explain_command(reason: str | None, show_list: bool, file: str | None, fmt: str, markdown: bool) -> None:
    """Explain a pod state or reason (e.g. CrashLoopBackOff), or diagnose a pod with -f.

    Works offline: the knowledge comes with scaffold, and -f reads saved kubectl output.
    With -f the exit status is 0 when no error is found and 1 when one is, so scripts can
    test a pod: kubectl get pod NAME -o json | scaffold explain -f - >/dev/null
    """
    from .. import explain
    from . import boundary

    if sum(bool(x) for x in (reason, show_list, file, markdown)) != 1:
        raise click.UsageError("give one of REASON, --list or -f FILE")
    exit_code = 0
    with boundary():
        if show_list:
            click.echo(explain.format_list(), nl=False)
        elif markdown:
            click.echo(explain.render_markdown(), nl=False)
        elif reason:
            click.echo(explain.format_topic(explain.find_topic(reason)), nl=False)
        else:
            outcome = explain.diagnose_source(str(file), fmt=fmt)
            click.echo(outcome.text, nl=False)
            for note in outcome.notes:
                click.echo(f"note: {note}", err=True)
            exit_code = outcome.exit_code
    if exit_code:
        raise SystemExit(exit_code)
