"""A whole ``scaffold new``: pick who answers, run the wizard, choose where the files go,
write them as one set, and report. ``scaffold.cli.new`` is a thin wrapper around :func:`new`.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .answers import AnswersFile, answers_path_for, answers_text, load_answers
from .document import preset_text
from .errors import WizardError
from .flow import Wizard, WizardResult
from .prompters import DefaultsPrompter, Prompter, QuestionaryPrompter
from .questions import OTHER_FILE, OVERWRITE
from .write import Output, refuse_non_regular, write_all


@dataclass
class Targets:
    """Where a run writes: the preset, its answers beside it, and the manifests if asked for."""

    preset: Path
    render: Path | None = None

    @property
    def answers(self) -> Path:
        return answers_path_for(self.preset)


def default_targets(result: WizardResult, *, output: str | None, render_to: str | None,
                    replay: AnswersFile | None) -> Targets:
    """The command line wins; else what the replayed run chose; else ``NAME.preset.yaml``.

    ``--output`` also drops the replayed run's manifests file (another preset, another run).
    """
    recorded = replay.output if replay is not None and output is None else {}
    preset = Path(output) if output else recorded.get("preset") or Path(f"{result.preset['name']}.preset.yaml")
    render = Path(render_to) if render_to else recorded.get("render")
    return Targets(preset, render)


def choose_targets(wizard: Wizard, targets: Targets, *, force: bool,
                   replayed_from: Path | None = None) -> tuple[Targets, set[Path]] | None:
    """The files to write and the ones that may be replaced, after asking about each one that
    exists; None: back to the review menu.

    Without a person to ask, an existing file is an error unless ``force``: a script must never
    destroy a file by accident. Only regular files are ever replaced.
    """
    approved: set[Path] = set()
    while True:
        clash = None
        for role, path in (("preset", targets.preset), ("manifests", targets.render), ("answers", targets.answers)):
            if path is None:
                continue
            refuse_non_regular(path, "--render" if role == "manifests" else "--output")
            if force or not os.path.lexists(path) or path.resolve() in approved:
                continue
            if role == "answers" and (targets.preset.resolve() in approved or (
                    replayed_from is not None and path.resolve() == replayed_from.resolve())):
                approved.add(path.resolve())  # it belongs to the preset being replaced, or is the file replayed
                continue
            clash = (role, path)
            break
        if clash is None:
            return targets, approved
        role, path = clash
        if not wizard.p.interactive:
            flag = "--render" if role == "manifests" else "--output"
            raise WizardError(f"{path} already exists; nothing was written. Use --force to overwrite it, or {flag} another file")
        ctx = replace(wizard.ctx(), name=role, item=path)
        if wizard.ask(OVERWRITE, ctx):
            approved.add(path.resolve())
            continue
        other = wizard.ask(OTHER_FILE, ctx)
        if not other:
            return None
        if role == "manifests":
            targets.render = Path(other)
        else:
            targets.preset = Path(other)


def outputs_of(result: WizardResult, targets: Targets, *, force: bool, approved: set[Path]) -> list[Output]:
    """The files of a run: the preset, the answers (recording where the run wrote), the manifests."""
    def may_replace(path: Path) -> bool:
        return force or path.resolve() in approved

    recorded = {"preset": targets.preset, "render": targets.render}
    files = [
        Output(targets.preset, preset_text(result.preset, targets.preset, targets.answers), may_replace(targets.preset)),
        Output(targets.answers, answers_text(result.answers, output=recorded, at=targets.answers),
               may_replace(targets.answers)),
    ]
    if targets.render is not None:
        files.append(Output(targets.render, result.rendered.yaml(), may_replace(targets.render), option="--render"))
    return files


def new(*, start: str | None = None, defaults: bool = False, answers_file: str | None = None,
        output: str | None = None, render_to: str | None = None, force: bool = False,
        prompter: Prompter | None = None, echo: Callable[..., None] | None = None) -> int:
    """Run ``scaffold new``; the exit status. Errors of scaffold (a bad answers file, a file in
    the way, an invalid preset) propagate as :class:`~scaffold.errors.ScaffoldError`."""
    import gc

    import click

    gc.enable()  # paused for start-up by scaffold._entry; an interactive session runs long
    from ..output.text import format_issues, use_color

    out = echo or click.echo

    def err(text: str) -> None:
        out(text, err=True, nl=False)

    tty = sys.stdin.isatty()
    if prompter is None and not tty and not defaults and not answers_file:
        err("error: scaffold new asks questions, but stdin is not a terminal; use --defaults (accept every "
            "default, e.g. with --from PRESET) or --answers FILE (replay a saved run)\n")
        return 2
    try:
        replay = load_answers(answers_file) if answers_file else None
        if prompter is None:
            prompter = QuestionaryPrompter() if tty and not defaults else DefaultsPrompter()
        wizard = Wizard(prompter, start=start, replay=replay)
        result = wizard.run()
        chosen = None
        while result is not None:
            proposed = default_targets(result, output=output, render_to=render_to, replay=replay)
            replayed_from = Path(answers_file) if answers_file and answers_file != "-" else None
            chosen = choose_targets(wizard, proposed, force=force, replayed_from=replayed_from)
            if chosen is not None:
                break
            result = wizard.review()
        if result is None or chosen is None:
            err("cancelled: nothing was written\n")
            return 1
        targets, approved = chosen
        files = outputs_of(result, targets, force=force, approved=approved)
        write_all(files)
    except KeyboardInterrupt:
        err("cancelled (Ctrl-C): nothing was written\n")
        return 130
    except EOFError:
        err("cancelled (end of input, Ctrl-D): nothing was written\n")
        return 1
    if not prompter.interactive:
        err(format_issues(result.rendered.issues, color=use_color(sys.stderr)))
    unused = wizard.unused()
    if unused:
        err(f"note: {answers_file}: answers not used by this run: {', '.join(unused)}\n")
    for f in files:
        out(f"wrote {f.path}")
    if prompter.interactive:
        out(f"next: scaffold render {shlex.quote(str(targets.preset))} | kubectl apply -f -")
    return 0
