"""``scaffold lint``: the rule engine over existing manifests (the library is scaffold.lint)."""

from __future__ import annotations

import click

from ._options import quiet_option


@click.command("lint")
@click.argument("files", nargs=-1, required=True, metavar="FILE... | -")
@click.option("--pss", type=click.Choice(["baseline", "restricted"]), default=None,
              help="Also check a Pod Security Standards level; each violation names its control.")
@click.option("-o", "--output", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text: one line per finding; json: records; sarif: SARIF 2.1.0 for code scanning.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@quiet_option("Hide notices (such as skipped kinds).")
@click.pass_context
def lint_command(ctx: click.Context, files: tuple[str, ...], pss: str | None, fmt: str, fail_on: str, quiet: bool) -> None:
    """Check existing manifests (kubectl/helm output, hand-written YAML; - for stdin).

    Workloads (Pods, Deployments, StatefulSets, Jobs, ...) and Services from all FILEs are
    checked together, so a Service is matched against the workloads of every file. Exit 0 when clean, 1 on findings at or
    above --fail-on (or unreadable input).
    """
    from ..lint import lint_report
    from ..output import emit

    ctx.exit(emit(lint_report(files, pss=pss).to_report(fail_on=fail_on), fmt, quiet=quiet))
