"""The one loop that walks the declared questions: ask, replay an answers file, or default;
check; record. Then the review: preview, write / edit a section / cancel.

The wizard only produces a preset dict; :func:`scaffold.pipeline.build` renders and checks it,
exactly as ``scaffold render`` would, so what the preview shows is what the file renders to.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import PresetError
from .answers import AnswersFile, start_is_file
from .document import tidy
from .errors import WizardError
from .model import Ctx, Each, Item, Question, Repeat, Say, Section, resolve
from .prompters import Prompt, Prompter
from .questions import REVIEW_ACTION, REVIEW_SECTION, SECTIONS, START


@dataclass
class WizardResult:
    """What a finished run produced: the preset, its render, and the answers that led there."""

    preset: dict[str, Any]
    rendered: Any
    answers: dict[str, Any] = field(default_factory=dict)


class Wizard:
    """One run: the draft preset, the answers given, and the answers still to replay."""

    def __init__(self, prompter: Prompter, *, start: str | None = None,
                 replay: AnswersFile | Mapping[str, Any] | None = None) -> None:
        self.p = prompter
        self.start = start
        self.replay = AnswersFile.of(replay)
        self._pending: dict[str, Any] = dict(self.replay.values)
        self._answers: dict[str, Any] = {}
        self.draft: dict[str, Any] = {}
        self.from_preset = False

    # -- the loop --------------------------------------------------------------------------

    def ctx(self, prefix: str = "") -> Ctx:
        return Ctx(self.draft, self._answers, prefix=prefix, from_preset=self.from_preset)

    def walk(self, items: Sequence[Item], ctx: Ctx) -> None:
        """Ask every item in order: questions, lines to say, and the groups that repeat."""
        for item in items:
            if isinstance(item, Question):
                self.ask(item, ctx)
            elif isinstance(item, Say):
                if item.when is None or item.when(ctx):
                    self.say(resolve(item.text, ctx))
            elif isinstance(item, Each):
                if item.when is None or item.when(ctx):
                    for index, (name, obj) in enumerate(item.over(ctx), 1):
                        self.walk(item.body, ctx.enter(item.key, name, index, obj))
            elif isinstance(item, Repeat):
                prior = list(item.prior(ctx))
                for index in range(1, item.most + 1):
                    here = ctx.enter(item.key, str(index), index, prior[index - 1] if index <= len(prior) else {})
                    if not self.ask(item.gate, here):
                        break
                    self.walk(item.body, here)
                else:
                    raise WizardError(f"{ctx.key(item.key) or 'a list'}: more than {item.most} items; stop the list sooner")
            else:  # pragma: no cover - a declaration bug
                raise TypeError(f"not a question item: {item!r}")

    def ask(self, q: Question, ctx: Ctx) -> Any:
        """Ask one question (or take its replayed answer); check it; record it. None if skipped."""
        if q.when is not None and not q.when(ctx):
            return None
        key = ctx.key(q.key)
        message = str(resolve(q.prompt, ctx))
        choices = tuple(resolve(q.choices, ctx) or ())
        default = resolve(q.default, ctx)
        validator = q.validator
        check = (lambda text: validator(text, ctx)) if validator is not None else None
        if q.type == "select":
            enabled = [o.value for o in choices if not o.disabled]
            if default not in enabled:
                default = enabled[0] if enabled else None
        if q.record and key in self._pending:
            value = self._replayed(q, key, self._pending.pop(key), choices, check)
        else:
            if self.p.interactive:
                help_text = resolve(q.help, ctx)
                if help_text:
                    for line in str(help_text).splitlines():
                        self.say(line)
            value = self._asked(q, key, message, default, choices, check)
        if q.record:
            self._answers[key] = value
        return value

    def _asked(self, q: Question, key: str, message: str, default: Any, choices: tuple[Any, ...], check: Any) -> Any:
        if q.type in ("text", "int"):
            shown = "" if default is None else str(default)
            text = self.p.ask(Prompt(key, "text", message, shown, choices, check)).strip()
            return _as_int(text) if q.type == "int" else text
        if q.type == "confirm":
            return bool(self.p.ask(Prompt(key, "confirm", message, bool(default))))
        if q.type == "checkbox":
            return list(self.p.ask(Prompt(key, "checkbox", message, list(default or ()), choices)))
        return self.p.ask(Prompt(key, "select", message, default, choices))

    def _replayed(self, q: Question, key: str, value: Any, choices: tuple[Any, ...], check: Any) -> Any:
        """An answer from the answers file, held to the same checks as a typed one."""
        if q.type in ("text", "int"):
            if isinstance(value, (list, dict)) or (q.type == "int" and isinstance(value, (bool, float))):
                raise self._bad(key, f"{value!r} is not {'a whole number' if q.type == 'int' else 'text'}")
            text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            problem = check(text) if check is not None else None
            if problem is None and q.type == "int" and text.strip() and not text.strip().isdigit():
                problem = f"{text!r} is not a whole number"
            if problem:
                raise self._bad(key, problem)
            return _as_int(text.strip()) if q.type == "int" else text.strip()
        if q.type == "confirm":
            if not isinstance(value, bool):
                raise self._bad(key, f"answer true or false, not {value!r}")
            return value
        known = [o.value for o in choices if not o.disabled]
        if q.type == "checkbox":
            if not isinstance(value, list) or any(x not in known for x in value):
                raise self._bad(key, f"{value!r} must be a list of some of {', '.join(known)}")
            return list(value)
        if value not in known:
            raise self._bad(key, f"{value!r} is not one of {', '.join(map(str, known))}")
        return value

    def _bad(self, key: str, problem: str) -> WizardError:
        return WizardError(f"{self.replay.where(key)}: {key}: {problem}")

    def say(self, text: str = "") -> None:
        self.p.say(text)

    # -- the run ---------------------------------------------------------------------------

    @property
    def answers(self) -> dict[str, Any]:
        """The answers given, in the order of the sections (a section asked again moves back)."""
        rank = {s.key: i for i, s in enumerate(SECTIONS, 1)}
        keys = sorted(self._answers, key=lambda k: rank.get(k.split(".", 1)[0], 0))
        return {k: self._answers[k] for k in keys}

    def unused(self) -> list[str]:
        """Keys of the answers file that this run never asked."""
        return sorted(self._pending)

    def preset(self) -> dict[str, Any]:
        """The draft in the order people write presets, empty optional fields left out."""
        return tidy(self.draft)

    def run(self) -> WizardResult | None:
        """Ask everything, then review; None when the person cancels."""
        self._start()
        for section in SECTIONS:
            self.section(section.key)
        return self.review()

    def section(self, key: str) -> None:
        """(Re)ask one section; its earlier answers are dropped so the saved answers stay true."""
        section: Section = next(s for s in SECTIONS if s.key == key)
        for k in [k for k in self._answers if k.startswith(key + ".")]:
            del self._answers[k]
        self.say(f"\n== {section.title} ==")
        if section.intro:
            for line in section.intro.splitlines():
                self.say(line)
        ctx = self.ctx(key)
        self.walk(section.items, ctx)
        section.build(ctx)

    def _start(self) -> None:
        if self.start is None and start_is_file(self._pending.get("start")):
            self.start = self._answers["start"] = self._pending.pop("start")  # a run started from a file
        if self.start is None:
            self.start = self.ask(START, self.ctx())
        else:
            self._pending.pop("start", None)  # --from on the command line wins over the file
            self._answers["start"] = self.start
        if self.start == "scratch":
            self.draft, self.from_preset = {}, False
            return
        self.draft, self.from_preset = load_start(self.start), True

    def review(self) -> WizardResult | None:
        """Preview, then write / edit a section / cancel. Loops until one of the first or last."""
        from ..output.text import format_issues
        from ..pipeline import build

        while True:
            preset = self.preset()
            errors: list[Any] = []
            try:
                rendered: Any = build(preset)
                issues = rendered.issues
            except PresetError as exc:
                rendered, errors, issues = None, exc.issues, exc.issues + exc.warnings
            if not self.p.interactive:
                if rendered is None:
                    raise PresetError(errors, warnings=[i for i in issues if i not in errors])
                return WizardResult(preset, rendered, self.answers)
            self.say("\n== Preview: the manifests this preset renders to ==")
            if rendered is not None:
                self.say(rendered.yaml().rstrip("\n"))
            if issues:
                self.say(format_issues(issues).rstrip("\n"))
            if errors:
                self.say(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} to fix before writing: edit the section named above.")
            state = Ctx(self.draft, self._answers, item=errors)
            action = self.ask(REVIEW_ACTION, state)
            if action == "write":
                return WizardResult(preset, rendered, self.answers)
            if action == "cancel":
                return None
            self.section(self.ask(REVIEW_SECTION, state))


def load_start(name: str) -> dict[str, Any]:
    """The preset to start from (a built-in, a file, or ``-``), as written, read once; refused
    with the located report when it is not a preset of the right shape (its values could not
    be defaults). Rule problems are fine: the person may fix them in the wizard."""
    from ..paths import parse_path
    from ..pipeline import resolve
    from ..preset.schema import validate_shape

    data, located = resolve(name)
    shaped, problems = validate_shape(data)
    if shaped is None:
        def locate(issue: Any) -> Any:
            if located is None:
                return issue
            try:
                path = parse_path(issue.path) if issue.path else ()
            except ValueError:
                path = ()
            line, column = located.mark(path)
            return issue.with_location(file=located.source, line=line, column=column)

        raise PresetError([locate(i) for i in problems])
    start = copy.deepcopy(data)
    start.pop("apiVersion", None)
    return start


def _as_int(text: str) -> int | None:
    return int(text) if text else None


def run_wizard(prompter: Prompter, *, start: str | None = None,
               replay: AnswersFile | Mapping[str, Any] | None = None) -> WizardResult | None:
    """The library entry point: ask (or replay) everything; the result, or None if cancelled."""
    return Wizard(prompter, start=start, replay=replay).run()
