"""``scaffold validate``: the render pipeline's findings without the manifests."""

from __future__ import annotations

import click

from ._options import (
    OrderedLayers,
    kube_version_option,
    layers_in_order,
    presets_argument,
    quiet_option,
    set_option,
    strict_option,
    values_option,
    with_kube_version,
)


@click.command("validate", cls=OrderedLayers)
@presets_argument
@set_option
@values_option
@click.option("-o", "--output", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="text: one line per finding and a summary; json: records; sarif: SARIF 2.1.0 for code scanning.")
@strict_option
@kube_version_option
@quiet_option()
@click.pass_context
def validate(ctx: click.Context, presets: tuple[str, ...], sets: tuple[object, ...], files: tuple[str, ...], fmt: str, strict: bool,
             kube_version: str | None, quiet: bool) -> None:
    """Check each PRESET without rendering it; exit 1 if any has an error.

    Several presets (or directories of presets) are all checked and reported together, each
    finding naming its file: one call for the files a pre-commit hook passes.

    Text: the findings and, for a good preset, its QoS class, startup budget and the objects
    that must exist before apply, then `ok: N objects`. A bad preset's problems go to stderr.
    """
    from ..output import emit
    from ..pipeline import check_many

    layers = with_kube_version(layers_in_order(ctx, sets, files), kube_version)
    ctx.exit(emit(check_many(presets, values=layers, strict=strict), fmt, quiet=quiet))
