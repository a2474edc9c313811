"""``scaffold validate``: the render pipeline's findings without the manifests."""

from __future__ import annotations

import click

from ._options import OrderedLayers, kube_version_option, layers_in_order, with_kube_version, preset_argument, quiet_option, set_option, strict_option, values_option


@click.command("validate", cls=OrderedLayers)
@preset_argument
@set_option
@values_option
@click.option("-o", "--output", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text: one line per finding and a summary; json: records; sarif: SARIF 2.1.0 for code scanning.")
@strict_option
@kube_version_option
@quiet_option()
@click.pass_context
def validate(ctx: click.Context, preset: str, sets: tuple[object, ...], files: tuple[str, ...], fmt: str, strict: bool, quiet: bool, kube_version: str | None) -> None:
    """Check PRESET without rendering it; exit 1 if there is an error.

    Text: the findings and, for a good preset, its QoS class, startup budget and the objects
    that must exist before apply, then `ok: N objects`. A bad preset's problems go to stderr.
    """
    from ..output import emit
    from ..pipeline import check

    ctx.exit(emit(check(preset, values=with_kube_version(layers_in_order(ctx, sets, files), kube_version), strict=strict), fmt, quiet=quiet))
