"""How issues look on a terminal: one line each, errors first, colour only where wanted.

Every line is escaped (:func:`scaffold.output.escape`): one issue is one line, whatever its
values contain.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO

from ..errors import Issue, sort_issues
from . import Report, escape

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "notice": "\033[36m"}
_RESET = "\033[0m"


def use_color(stream: IO[str] | None) -> bool:
    """Colour on a TTY only, and never when NO_COLOR is set (https://no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def format_issue(issue: Issue, *, color: bool = False, show_prevents: bool = False) -> str:
    text = escape(issue.format(show_prevents=show_prevents))
    if color and issue.severity in _COLORS:
        return f"{_COLORS[issue.severity]}{text}{_RESET}"
    return text


def format_issues(
    issues: list[Issue], *, color: bool = False, quiet: bool = False, show_prevents: bool = False
) -> str:
    """Every issue on its own line, errors then warnings then notices (``quiet`` drops notices)."""
    shown = [i for i in sort_issues(issues) if not (quiet and i.severity == "notice")]
    return "".join(format_issue(i, color=color, show_prevents=show_prevents) + "\n" for i in shown)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def failure_summary(problems: int) -> str:
    """The last line when a preset cannot be rendered (render, validate, and the CLI boundary)."""
    return f"{_plural(problems, 'problem')} found; nothing was rendered\n"


def format_failure(issues: list[Issue], warnings: list[Issue], *, color: bool = False, quiet: bool = False) -> str:
    """The report of a preset that cannot be rendered: every problem, then the other findings,
    then the count of problems (the issues that stop the render)."""
    return format_issues(issues + warnings, color=color, quiet=quiet) + failure_summary(len(issues))


def _lint_footer(report: Report) -> list[str]:
    objects = report.counts.get("objects", 0)
    skipped = report.counts.get("skipped", 0)
    text = f"{_plural(objects, 'object')} checked"
    if skipped:
        text += f", {skipped} skipped"
    return [f"{text}: {_plural(report.count('error'), 'error')}, {_plural(report.count('warning'), 'warning')}"]


def _validate_footer(report: Report) -> list[str]:
    if not report.ok:
        return [failure_summary(report.counts.get("problems", report.count("error"))).rstrip("\n")]
    warnings = report.count("warning")
    line = f"ok: {_plural(report.counts.get('objects', 0), 'object')}, no errors"
    if warnings:
        line += f", {_plural(warnings, 'warning')}"
    return [*(report.notes or []), line]


#: The summary lines after the issues, per command (``Report.kind``).
FOOTERS: dict[str, Callable[[Report], list[str]]] = {
    "lint": _lint_footer,
    "validate": _validate_footer,
}

#: Commands whose text lines end with what each finding prevents.
_SHOW_PREVENTS = {"lint"}


def format_report(report: Report, *, color: bool = False, quiet: bool = False) -> str:
    """The issues, one per line, then the command's summary lines."""
    text = format_issues(report.issues, color=color, quiet=quiet, show_prevents=report.kind in _SHOW_PREVENTS)
    footer = FOOTERS[report.kind](report) if report.kind in FOOTERS else []
    return text + "".join(escape(line) + "\n" for line in footer)


def format_presets(items: list[tuple[str, str]]) -> str:
    """``NAME  summary`` lines, names aligned (``scaffold presets``)."""
    width = max((len(name) for name, _ in items), default=0)
    return "".join(escape(f"{name:<{width}}  {summary}") + "\n" for name, summary in items)
