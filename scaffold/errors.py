"""The one exception root and the Issue record that every stage reports with.

Every problem found anywhere (loading, schema, rules) is an :class:`Issue`, so the CLI
prints them one way and a script can inspect them one way.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "notice"]

#: Sort order of severities: errors first, then warnings, then notices.
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "notice": 2}


class Issue(NamedTuple):
    """One problem, tied to a field path (``containers[0].resources.limits.cpu``).

    A NamedTuple rather than a dataclass: immutable, comparable, and cheap to define at
    import time (every command imports this module).
    """

    path: str
    message: str
    severity: Severity = "error"
    rule: str = "schema"
    line: int | None = None
    column: int | None = None
    file: str | None = None
    #: The pod state from the source article that this problem leads to, when known.
    prevents: str | None = None
    #: ``Kind/name`` of the object the issue is about (lint), when known.
    obj: str | None = None

    def with_location(
        self, *, file: str | None = None, line: int | None = None, column: int | None = None
    ) -> Issue:
        return self._replace(file=file, line=line, column=column)

    def format(self, *, show_prevents: bool = False) -> str:
        """``FILE:LINE:COL: path: message [rule]``, leaving out what is unknown."""
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        label = f"{self.severity}: " if self.severity != "error" else ""
        target = f"{self.obj} " if self.obj else ""
        path = f"{self.path}: " if self.path else ""
        text = f"{where}{target}{path}{label}{self.message} [{self.rule}]"
        if show_prevents and self.prevents:
            text += f" -> prevents: {self.prevents}"
        return text

    def __str__(self) -> str:
        return self.format()


def sort_issues(issues: list[Issue]) -> list[Issue]:
    """Errors, then warnings, then notices; within each, in file order."""
    return sorted(
        issues,
        key=lambda i: (
            SEVERITY_ORDER.get(i.severity, 3),
            i.file or "",
            i.line if i.line is not None else 1 << 30,
            i.column or 0,
            i.path,
        ),
    )


class ScaffoldError(Exception):
    """Root of every error scaffold raises on purpose."""


class PresetError(ScaffoldError):
    """The input cannot be turned into manifests; ``.issues`` lists every problem at once."""

    def __init__(self, issues: list[Issue], *, warnings: list[Issue] | None = None) -> None:
        self.issues: list[Issue] = sort_issues(list(issues))
        #: Warnings and notices found alongside the errors (for a complete report).
        self.warnings: list[Issue] = sort_issues(list(warnings or []))
        errors = [i for i in self.issues if i.severity == "error"]
        first = errors[0] if errors else (self.issues[0] if self.issues else None)
        summary = str(first) if first else "invalid preset"
        more = len(errors) - 1
        if more > 0:
            summary += f" (and {more} more error{'s' if more > 1 else ''})"
        super().__init__(summary)


class PresetNotFoundError(ScaffoldError):
    """A preset name that is neither a built-in nor an existing file."""


class Located:
    """Loaded YAML data plus the line/column of every field, keyed by path tuple."""

    __slots__ = ("data", "marks", "source")

    def __init__(
        self,
        data: object,
        marks: dict[tuple[str | int, ...], tuple[int, int]] | None = None,
        source: str | None = None,
    ) -> None:
        self.data = data
        self.marks: dict[tuple[str | int, ...], tuple[int, int]] = marks if marks is not None else {}
        self.source = source

    def __repr__(self) -> str:
        return f"Located(data={self.data!r}, source={self.source!r}, marks={len(self.marks)})"

    def mark(self, path: tuple[str | int, ...]) -> tuple[int | None, int | None]:
        """Line/column of ``path`` or of its nearest ancestor present in the file."""
        p = tuple(path)
        while True:
            if p in self.marks:
                return self.marks[p]
            if not p:
                return (None, None)
            p = p[:-1]


class ArgumentTypeError(ScaffoldError, TypeError):
    """A library function was called with an argument of the wrong type (``overrides="a=1"``
    instead of ``["a=1"]``). Also a ``TypeError``, so ``except TypeError`` still works."""


class InternalError(ScaffoldError):
    """A bug in scaffold surfaced while handling the input; the original error is ``__cause__``."""
