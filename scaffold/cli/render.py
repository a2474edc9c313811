"""``scaffold render``: presets to manifests on stdout (or one file each), findings on stderr."""

from __future__ import annotations

import os

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


@click.command("render", cls=OrderedLayers)
@presets_argument
@set_option
@values_option
@click.option("-o", "--output", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Output format (json: a v1 List).")
@click.option("--out-dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Write one file per preset (NAME.yaml) and a kustomization.yaml listing them into DIR, "
                   "all or nothing, instead of stdout.")
@strict_option
@kube_version_option
@quiet_option()
@click.pass_context
def render(ctx: click.Context, presets: tuple[str, ...], sets: tuple[object, ...], files: tuple[str, ...], fmt: str,
           out_dir: str | None, strict: bool, kube_version: str | None, quiet: bool) -> None:
    """Render each PRESET (a built-in name, a file, a directory of presets, or - for stdin) to
    manifests on stdout, one stream in argument order.

    A directory stands for every preset file under it (*.yaml, recursively). All presets are
    checked before anything is written: if any has an error, every problem of every preset is
    reported and nothing is written. --set and -f apply to each preset. Warnings and notices
    go to stderr.
    """
    from ..output import notify, write
    from ..pipeline import build, render_many

    layers = with_kube_version(layers_in_order(ctx, sets, files), kube_version)
    if len(presets) == 1 and out_dir is None and not os.path.isdir(presets[0]):
        result = build(presets[0], values=layers, strict=strict)
        notify(result.issues, quiet=quiet)
        write(result.json() if fmt == "json" else result.yaml())
        return
    results = render_many(presets, values=layers, strict=strict)
    notify([i for r in results for i in r.issues], quiet=quiet)
    if out_dir is not None:
        from ._outdir import write_out_dir

        write_out_dir(out_dir, results, fmt)
        return
    from ..rendering.emit import to_json_list, to_yaml_stream

    objects = [obj for r in results for obj in r.objects]
    write(to_json_list(objects) if fmt == "json" else to_yaml_stream(objects))
