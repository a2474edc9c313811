"""``scaffold render``: a preset to manifests on stdout, findings on stderr."""

from __future__ import annotations

import click

from ._options import OrderedLayers, kube_version_option, layers_in_order, with_kube_version, preset_argument, quiet_option, set_option, strict_option, values_option


@click.command("render", cls=OrderedLayers)
@preset_argument
@set_option
@values_option
@click.option("-o", "--output", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Output format (json: a v1 List).")
@strict_option
@kube_version_option
@quiet_option()
@click.pass_context
def render(ctx: click.Context, preset: str, sets: tuple[object, ...], files: tuple[str, ...], fmt: str, strict: bool, quiet: bool, kube_version: str | None) -> None:
    """Render PRESET (a built-in name, a file, or - for stdin) to manifests on stdout.

    Warnings and notices go to stderr; nothing reaches stdout when there is an error.
    """
    from ..output import notify, write
    from ..pipeline import build

    result = build(preset, values=with_kube_version(layers_in_order(ctx, sets, files), kube_version), strict=strict)
    notify(result.issues, quiet=quiet)
    write(result.json() if fmt == "json" else result.yaml())
