"""The shapes questions are declared in (see questions.py for the questions themselves).

A question is data, as in copier: a key, a prompt, a type, choices, a default, a validator and
a ``when`` condition. Anything that depends on earlier answers or on the preset started from
is a function of the question's :class:`Ctx`; everything else is a plain value. Questions are
grouped in :class:`Section` s (each revisitable from the review menu); :class:`Repeat` asks a
group again and again while its first question says so (ports, init containers, volumes);
:class:`Each` asks a group once per item of a list (the three probes, the two hooks).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, Union

from .checks import Check

#: What an answer is: free text, a whole number (None when optional and left empty), one value
#: of a list, yes/no, some values of a list.
QuestionType = Literal["text", "int", "select", "confirm", "checkbox"]


@dataclass(frozen=True)
class Ctx:
    """Where a question is asked: the preset so far, the answers so far, the enclosing group.

    ``draft`` is the preset being built: the one started from (``--from``), with every section
    finished so far applied; defaults read it. ``answers`` maps full keys to this run's answers.
    """

    draft: dict[str, Any]
    answers: dict[str, Any]
    #: Full key of the enclosing group ("ports.2", "probes.liveness"); "" at the top.
    prefix: str = ""
    #: Full key of the enclosing Repeat or Each, without the item ("ports", "probes").
    group: str = ""
    #: The item's name in its group: the Each item ("liveness") or the Repeat's number ("2").
    name: str = ""
    #: 1-based position in the enclosing Repeat or Each.
    index: int = 0
    #: Each: the item; Repeat: the same item of the preset started from ({} past its end).
    item: Any = None
    #: True when the run started from a preset (--from or a built-in), not from scratch.
    from_preset: bool = False

    def key(self, relative: str) -> str:
        """The full key of a question declared as ``relative`` here (``{name}`` is the item's name)."""
        if "{" in relative:
            relative = relative.format(name=self.name)
        return f"{self.prefix}.{relative}" if self.prefix and relative else relative or self.prefix

    def __getitem__(self, key: str) -> Any:
        """The answer to the question with this full key (None if not asked)."""
        return self.answers.get(key)

    def here(self, relative: str) -> Any:
        """The answer of a question of this group (``ctx.here("number")``)."""
        return self.answers.get(self.key(relative))

    def earlier(self, relative: str) -> list[Any]:
        """The answers to ``relative`` in the earlier items of this Repeat (names taken, ...)."""
        return [self.answers.get(f"{self.group}.{i}.{relative}") for i in range(1, self.index)]

    def enter(self, key: str, name: str, index: int, item: Any) -> Ctx:
        group = ".".join(p for p in (self.prefix, key) if p)
        return replace(self, prefix=f"{group}.{name}" if group else name, group=group, name=name, index=index, item=item)

    def at(self, prefix: str) -> Ctx:
        return replace(self, prefix=prefix, group="", name="", index=0, item=None)

    @property
    def container(self) -> dict[str, Any]:
        """The first app container of the draft (the one the wizard asks about)."""
        containers = self.draft.setdefault("containers", [])
        if not containers or not isinstance(containers[0], dict):
            containers[:1] = [{}]
        return containers[0]


#: A declared attribute: a value, or a function of the question's :class:`Ctx` returning it.
Dyn = Any


def resolve(value: Any, ctx: Ctx) -> Any:
    """A declared attribute's value for this context."""
    return value(ctx) if callable(value) else value


@dataclass(frozen=True)
class Question:
    """One question. ``key`` is relative to its section and group (``name`` in Basics is
    ``basics.name``; ``number`` in the ports Repeat is ``ports.1.number``)."""

    key: str
    prompt: Dyn
    type: QuestionType = "text"
    #: select/checkbox: a sequence of :class:`Option` (or a function returning one).
    choices: Dyn = None
    #: The prefilled answer. A select falls back to its first enabled choice.
    default: Dyn = None
    #: ``check(text, ctx)`` for text and int answers: typed, replayed and defaulted alike.
    validator: Check | None = None
    #: Asked only when this returns True (a question may share its key with another one
    #: whose condition excludes it, e.g. replicas of a Deployment or of bare Pods).
    when: Callable[[Ctx], bool] | None = None
    #: Said before the question when a person is asked it (not when replayed).
    help: Dyn = None
    #: False for the review and file questions: not saved in, nor replayed from, answers files.
    record: bool = True


@dataclass(frozen=True)
class Say:
    """A line (or lines) said at this point, e.g. the startup budget once it is known."""

    text: Dyn
    when: Callable[[Ctx], bool] | None = None


@dataclass(frozen=True)
class Repeat:
    """Ask ``gate``, then ``body``; again, while the gate's answer is not empty/false."""

    key: str
    gate: Question
    body: tuple[Item, ...] = ()
    #: The items of the preset started from: item i is ``ctx.item`` of the i-th round.
    prior: Callable[[Ctx], Sequence[Any]] = lambda ctx: ()
    #: A bound on the rounds (an answers file cannot make the wizard loop for ever).
    most: int = 100


@dataclass(frozen=True)
class Each:
    """Ask ``body`` once for every ``(name, item)`` that ``over`` returns."""

    key: str
    over: Callable[[Ctx], Sequence[tuple[str, Any]]]
    body: tuple[Item, ...] = ()
    when: Callable[[Ctx], bool] | None = None


Item = Union[Question, Say, Repeat, Each]


@dataclass(frozen=True)
class Section:
    """A group of questions the review menu can revisit, and how its answers become preset."""

    key: str
    title: str
    items: tuple[Item, ...]
    #: Puts this section's answers into ``ctx.draft`` (runs after the section was asked).
    build: Callable[[Ctx], None]
    #: One line for the "edit a section" menu, from the draft.
    summary: Callable[[Ctx], str]
    intro: str | None = None
