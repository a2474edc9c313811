"""``scaffold explain``: option parsing and one call into :mod:`scaffold.explain` per mode."""

from __future__ import annotations

import click

from ._options import complete_reasons

@click.command("explain")
@click.argument("reason", required=False, shell_complete=complete_reasons)
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
    from ..output import write

    if sum(bool(x) for x in (reason, show_list, file, markdown)) != 1:
        raise click.UsageError("give one of REASON, --list or -f FILE")
    if show_list:
        write(explain.format_list())
    elif markdown:
        write(explain.render_markdown())
    elif reason:
        write(explain.format_topic(explain.find_topic(reason)))
    else:
        outcome = explain.diagnose_source(str(file), fmt=fmt)
        write(outcome.text)
        for note in outcome.notes:
            click.echo(f"note: {note}", err=True)
        click.get_current_context().exit(outcome.exit_code)
