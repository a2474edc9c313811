"""``scaffold presets`` and ``scaffold presets show``."""

from __future__ import annotations

import click

from ._options import complete_presets


@click.group("presets", invoke_without_command=True)
@click.pass_context
def presets(ctx: click.Context) -> None:
    """List the built-in presets, one line each (show one with `presets show NAME`)."""
    if ctx.invoked_subcommand is None:
        from ..output import write
        from ..output.text import format_presets
        from ..preset.builtins import builtin_presets

        write(format_presets([(p.name, p.summary) for p in builtin_presets()]))


@presets.command("show")
@click.argument("preset", metavar="PRESET", shell_complete=complete_presets)
def show(preset: str) -> None:
    """Print a preset as written: a built-in name, a file, or - for stdin.

    A good start for your own: `scaffold presets show web-app > my-app.yaml`.
    """
    from ..output import write
    from ..pipeline import preset_text

    write(preset_text(preset))
