"""``scaffold lint``: the rule engine over existing manifests (the library is scaffold.lint)."""

from __future__ import annotations

import click

from ._options import KubeVersionType, quiet_option


@click.command("lint")
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR... | -")
@click.option("--pss", type=click.Choice(["baseline", "restricted"]), default=None,
              help="Also check a Pod Security Standards level; each violation names its control.")
@click.option("-o", "--output", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text: one line per finding; json: records; sarif: SARIF 2.1.0 for code scanning.")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), default="error", show_default=True,
              help="Exit 1 when a finding at or above this severity exists.")
@click.option("--ignore", "ignore", multiple=True, metavar="RULE",
              help="Skip a rule (repeatable); per object: annotation scaffold.dev/ignore: rule-a,rule-b.")
@click.option("--kube-version", type=KubeVersionType(), default=None,
              help="Target Kubernetes version for removed APIs and the schema (default: the newest scaffold knows).")
@click.option("-n", "--namespace", default=None, help="Namespace of objects that name none (default: default).")
@click.option("--schema/--no-schema", default=None,
              help="Check unknown fields against the strict OpenAPI schema (default: when the schema extra is installed).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Config file (default: .scaffold.yaml in the working directory or a parent).")
@click.option("--no-config", is_flag=True, help="Do not read .scaffold.yaml.")
@quiet_option("Hide notices (such as skipped kinds).")
@click.pass_context
def lint_command(
    ctx: click.Context,
    files: tuple[str, ...],
    pss: str | None,
    fmt: str,
    fail_on: str,
    ignore: tuple[str, ...],
    kube_version: str | None,
    namespace: str | None,
    schema: bool | None,
    config_path: str | None,
    no_config: bool,
    quiet: bool,
) -> None:
    """Check existing manifests (kubectl/helm output, hand-written YAML; a directory is read
    recursively; - for stdin).

    Objects of all FILEs are checked together, so a Service is matched against the workloads
    of its namespace in every file. Exit 0 when clean, 1 on findings at or above --fail-on (or
    unreadable input), 2 on bad usage.
    """
    from ..lint import LintOptions, find_config, lint_report, load_config
    from ..output import emit
    from ..rules import REGISTRY, _load_rule_modules

    _load_rule_modules()
    from ..lint import INPUT_RULES

    for r in ignore:
        if r not in REGISTRY and r not in INPUT_RULES:
            raise click.BadParameter(f"unknown rule {r!r}", param_hint="--ignore")
    if schema:
        from ..k8s.openapi import INSTALL_HINT, available

        if not available():
            click.echo(f"Error: --schema needs the strict Kubernetes schemas: {INSTALL_HINT}", err=True)
            ctx.exit(2)
    path = None if no_config else (config_path or find_config())
    base = load_config(path) if path else LintOptions()
    options = base.merged(pss=pss, ignore=ignore, kube_version=kube_version, namespace=namespace, schema=schema)
    ctx.exit(emit(lint_report(files, options=options).to_report(fail_on=fail_on), fmt, quiet=quiet))
