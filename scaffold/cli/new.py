"""``scaffold new``: options in, one library call (:func:`scaffold.wizard.new`), exit status out."""

from __future__ import annotations

import sys

import click

from ._options import complete_presets


@click.command("new")
@click.option("--from", "start", metavar="PRESET", shell_complete=complete_presets,
              help="Start from a built-in preset (or a preset file): its values become the defaults.")
@click.option("--defaults", is_flag=True, help="Accept every default without asking (scripts, tests).")
@click.option("--answers", "answers_file", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Replay a saved answers file (NAME.answers.yaml): its answers, and the files its run wrote; "
                   "questions it lacks are asked, or take their defaults.")
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False),
              help="Preset file to write (default: the replayed run's, else NAME.preset.yaml).")
@click.option("--render", "render_to", metavar="FILE", type=click.Path(dir_okay=False),
              help="Also write the rendered manifests to FILE.")
@click.option("--force", is_flag=True, help="Overwrite existing regular files without asking.")
def new_command(start: str | None, defaults: bool, answers_file: str | None, output: str | None,
                render_to: str | None, force: bool) -> None:
    """Build a preset by answering questions, preview its manifests, then write it."""
    from ..wizard import new
    status = new(start=start, defaults=defaults, answers_file=answers_file, output=output,
                 render_to=render_to, force=force)
    sys.exit(status)
