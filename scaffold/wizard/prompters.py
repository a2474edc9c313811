"""Who answers the questions: a person at a terminal (questionary), or the defaults.

The flow never touches a terminal. It hands a :class:`Prompt` (the question resolved for this
moment: message, default, choices, check) to a :class:`Prompter` and gets the answer back.
questionary is imported here only, and only when a :class:`QuestionaryPrompter` is made, so
nothing else in scaffold pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from .errors import WizardError

#: How a question is asked: free text, one of a list, yes/no, some of a list.
Kind = Literal["text", "select", "confirm", "checkbox"]


@dataclass(frozen=True)
class Option:
    """One entry of a select or checkbox list: the value answered and the title shown."""

    value: str
    title: str
    disabled: str | None = None


@dataclass(frozen=True)
class Prompt:
    """One question as it is put to a person right now."""

    key: str
    kind: Kind
    message: str
    #: text: the prefilled text; select: a value of an enabled option; confirm: a bool;
    #: checkbox: the values checked at first.
    default: Any
    choices: tuple[Option, ...] = ()
    #: text only: None when the typed text is fine, else the message to show under it.
    validate: Callable[[str], str | None] | None = None


class Prompter(Protocol):
    """Asks one question at a time; the wizard never touches a terminal itself."""

    #: False when nobody answers (``--defaults``): the wizard then never loops on a menu.
    interactive: bool

    def ask(self, prompt: Prompt) -> Any: ...

    def say(self, text: str = "") -> None: ...


class QuestionaryPrompter:
    """The real prompts. ``input``/``output`` are prompt_toolkit objects (tests pass a pipe).

    Ctrl-C raises KeyboardInterrupt; Ctrl-D in an empty text field or a yes/no question, and
    the end of the input, raise EOFError (prompt_toolkit's behaviour, kept on purpose).
    """

    interactive = True

    def __init__(self, *, input: Any = None, output: Any = None, echo: Callable[[str], None] | None = None) -> None:
        import questionary

        self._q = questionary
        self._kw: dict[str, Any] = {k: x for k, x in (("input", input), ("output", output)) if x is not None}
        if echo is None:
            import click

            echo = click.echo
        self._echo = echo

    def _choices(self, options: Sequence[Option], checked: Sequence[str] = ()) -> list[Any]:
        return [self._q.Choice(o.title, value=o.value, disabled=o.disabled, checked=o.value in checked) for o in options]

    def ask(self, prompt: Prompt) -> Any:
        # unsafe_ask: Ctrl-C must raise (ask() would print its own line and return None).
        if prompt.kind == "text":
            check = prompt.validate
            validate = (lambda text: check(text) or True) if check else None  # questionary wants True or the message
            question = self._q.text(prompt.message, default=prompt.default, validate=validate, **self._kw)
        elif prompt.kind == "select":
            question = self._q.select(prompt.message, choices=self._choices(prompt.choices), default=prompt.default, **self._kw)
        elif prompt.kind == "confirm":
            question = self._q.confirm(prompt.message, default=prompt.default, **self._kw)
        else:
            question = self._q.checkbox(prompt.message, choices=self._choices(prompt.choices, prompt.default), **self._kw)
        return question.unsafe_ask()

    def say(self, text: str = "") -> None:
        self._echo(text)


class DefaultsPrompter:
    """``--defaults``: every question takes its default; a question without one is an error."""

    interactive = False

    def ask(self, prompt: Prompt) -> Any:
        if prompt.kind == "text" and prompt.validate is not None:
            problem = prompt.validate(prompt.default)
            if problem:
                raise WizardError(f"{prompt.key} ({prompt.message!r}) has no usable default ({problem}); answer it "
                                  "in --answers FILE or start from a preset with --from PRESET")
        return list(prompt.default) if prompt.kind == "checkbox" else prompt.default

    def say(self, text: str = "") -> None:
        pass
