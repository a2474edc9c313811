"""Test-only prompters for the wizard: scripted answers and questionary on a pipe, both by
question key (``basics.name``, ``ports.2.number``), never by position."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scaffold.wizard import Prompt, QuestionaryPrompter


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT"


#: In a script: accept the question's default (like pressing Enter).
DEFAULT: Any = _Default()


class Then:
    """Answers given one after the other to the same question: a retyped answer after a
    refusal, or the answer of a second visit (a section edited at the review)."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)

    def __repr__(self) -> str:
        return f"Then{tuple(self.answers)!r}"


class ScriptError(AssertionError):
    """A script that does not fit the questions asked (a test bug, not a user error)."""


class _Script:
    """Answers by key; a plain value answers every time, a :class:`Then` one at a time."""

    def __init__(self, script: Mapping[str, Any], otherwise: Any) -> None:
        self._script = dict(script)
        self._otherwise = otherwise
        self.used: set[str] = set()

    def take(self, key: str) -> tuple[Any, bool]:
        """The next answer for ``key`` and whether another one could follow it."""
        if key not in self._script:
            if self._otherwise is None:
                raise ScriptError(f"the script has no answer for {key!r}")
            return self._otherwise, False
        self.used.add(key)
        found = self._script[key]
        if isinstance(found, Then):
            if not found.answers:
                raise ScriptError(f"the script has no answer left for {key!r}")
            return found.answers.pop(0), bool(found.answers)
        return found, False

    def unused(self) -> list[str]:
        """Keys scripted but never asked, and answers of a Then never reached."""
        left = [k for k in self._script if k not in self.used]
        left += [f"{k} {x!r}" for k, x in self._script.items() if isinstance(x, Then) and x.answers]
        return left


class ScriptedPrompter:
    """Answers questions from a mapping of question key to answer, as a person would type them.

    Keys not in the script take their default (``otherwise=None``: they are an error). A text
    answer that fails its check is recorded in ``rejected`` and the next answer of its
    :class:`Then` is taken, as a person would retype; ``asked``, ``messages`` and ``said`` keep
    the conversation.
    """

    interactive = True

    def __init__(self, script: Mapping[str, Any], *, otherwise: Any = DEFAULT) -> None:
        self._script = _Script(script, otherwise)
        self.asked: list[str] = []
        self.messages: list[str] = []
        self.rejected: list[tuple[str, str, str]] = []
        self.said: list[str] = []

    def unused(self) -> list[str]:
        return self._script.unused()

    def ask(self, prompt: Prompt) -> Any:
        self.asked.append(prompt.key)
        self.messages.append(prompt.message)
        while True:
            answer, more = self._script.take(prompt.key)
            value = prompt.default if answer is DEFAULT else answer
            if prompt.kind == "text":
                value = str(value)
                problem = prompt.validate(value) if prompt.validate else None
                if problem is None:
                    return value
                self.rejected.append((prompt.key, value, problem))
                if not more:
                    raise ScriptError(f"{prompt.key}: {value!r} was refused ({problem}) and no other answer follows")
                continue
            if prompt.kind == "select":
                allowed = [o.value for o in prompt.choices if not o.disabled]
                if value not in allowed:
                    raise ScriptError(f"{value!r} is not a choice of {prompt.key!r}: {allowed}")
                return value
            if prompt.kind == "confirm":
                if not isinstance(value, bool):
                    raise ScriptError(f"{prompt.key!r} wants True or False, not {value!r}")
                return value
            values = list(value)
            unknown = [x for x in values if x not in [o.value for o in prompt.choices]]
            if unknown:
                raise ScriptError(f"{unknown} are not choices of {prompt.key!r}")
            return values

    def say(self, text: str = "") -> None:
        self.said.append(text)


UP, DOWN, ENTER, CLEAR = "\x1b[A", "\x1b[B", "\r", "\x15"


class PipeKeys(QuestionaryPrompter):
    """The real questionary prompts on a prompt_toolkit pipe: before each question, the keys a
    person would press for it, looked up by question key (Enter when not scripted)."""

    def __init__(self, pipe: Any, keys: Mapping[str, Any], *, otherwise: str = ENTER) -> None:
        from prompt_toolkit.output import DummyOutput

        self.said: list[str] = []
        self.asked: list[str] = []
        super().__init__(input=pipe, output=DummyOutput(), echo=self.said.append)
        self._pipe = pipe
        self._keys = _Script(keys, otherwise)

    def unused(self) -> list[str]:
        return self._keys.unused()

    def ask(self, prompt: Prompt) -> Any:
        self.asked.append(prompt.key)
        self._pipe.send_text(self._keys.take(prompt.key)[0])
        return super().ask(prompt)
