"""``scaffold import``: manifests or a docker-compose file -> presets (one per app).

The presets go to stdout as one stream, or with ``-o DIR`` to ``DIR/<name>.yaml`` (and the
objects passed through to ``DIR/_passthrough.yaml``). The report goes to stderr: what became
which preset, what was kept as patches, passed through or skipped, and what
``scaffold validate`` says about each imported preset.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

import click

from ..errors import Issue, PresetError, ScaffoldError
from ._options import quiet_option


def _check(preset: dict[str, Any], *, label: str, path: str | None) -> list[Issue]:
    """What ``scaffold validate`` says about an imported preset (its file when written)."""
    from ..pipeline import build

    try:
        issues = build(path if path is not None else preset).issues
    except PresetError as err:
        issues = err.issues + err.warnings
    if path is None:
        issues = [i._replace(obj=label) for i in issues]
    return issues


def _write_all(directory: str, files: dict[str, str], force: bool) -> list[str]:
    """Write every file, each atomically; refuse to overwrite anything unless ``force``."""
    os.makedirs(directory, exist_ok=True)
    paths = {name: os.path.join(directory, name) for name in files}
    existing = [p for p in paths.values() if os.path.exists(p)]
    if existing and not force:
        shown = ", ".join(existing[:5]) + (" ..." if len(existing) > 5 else "")
        raise ScaffoldError(f"would overwrite {shown}; pass --force to replace, or choose another -o directory")
    for name, text in files.items():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, paths[name])
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    return [paths[name] for name in files]


@click.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="FILE|DIR|-...")
@click.option(
    "--from",
    "source_format",
    type=click.Choice(["manifests", "compose"]),
    default="manifests",
    show_default=True,
    help="What the input is: Kubernetes manifests (YAML or JSON, List too), or a docker-compose file.",
)
@click.option("-o", "--output-dir", "outdir", metavar="DIR", help="Write DIR/<name>.yaml per app (and DIR/_passthrough.yaml) instead of one stream on stdout.")
@click.option("--force", is_flag=True, help="With -o: overwrite existing files.")
@quiet_option("Hide notices in the report.")
def import_command(sources: tuple[str, ...], source_format: str, outdir: str | None, force: bool, quiet: bool) -> None:
    """Turn existing YAML into presets: Kubernetes manifests (FILE, DIR or - for stdin), or
    with --from compose a docker-compose file. Rendering an imported preset gives back the
    input objects; what the format cannot say is kept as patches, and objects of kinds it
    cannot render yet are passed through. The report (stderr) lists every such choice."""
    from ..output import escape, write
    from ..output.text import format_issues, use_color

    if source_format == "compose":
        from ..importer.compose import import_compose_files

        result = import_compose_files(list(sources))
    else:
        from ..importer import import_manifests

        result = import_manifests(list(sources))
    if not result.presets and not result.passthrough:
        what = "the input has no objects" if source_format == "manifests" else "the compose file has no services"
        raise ScaffoldError(f"nothing to import: {what}")
    checks: list[Issue] = []
    if outdir is not None:
        written = _write_all(outdir, result.files(), force)
        for preset, path in zip(result.presets, written):
            checks += _check(preset.preset, label=f"preset {preset.name}", path=path)
        for path in written:
            click.echo(escape(f"wrote {path}"), err=True)
    else:
        for preset in result.presets:
            checks += _check(preset.preset, label=f"preset {preset.name}", path=None)
        write(result.stream())
    color = use_color(sys.stderr)
    report = format_issues(result.report, color=color, quiet=quiet)
    shown = format_issues(checks, color=color, quiet=quiet)
    if shown:
        report += "scaffold validate on the imported presets:\n" + shown
    click.echo(report + escape(_summary(result, checks, outdir)), err=True)


def _summary(result: Any, checks: list[Issue], outdir: str | None) -> str:
    """The last line: what was imported, passed through, skipped, and found wrong."""

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'s' if n != 1 else ''}"

    text = f"imported {plural(len(result.presets), 'preset')}"
    patched = sum(1 for p in result.presets if p.preset.get("patches"))
    if patched:
        text += f" ({patched} with patches)"
    if result.passthrough:
        where = os.path.join(outdir, "_passthrough.yaml") if outdir is not None else "the end of the stream"
        text += f"; passed through {plural(len(result.passthrough), 'object')} ({where})"
    skipped = sum(1 for i in result.report if i.rule == "import-skipped")
    if skipped:
        text += f"; skipped {skipped}"
    errors = sum(1 for i in checks if i.severity == "error")
    if errors:
        text += f"; {plural(errors, 'error')} in the imported presets (scaffold validate shows them)"
    return text
