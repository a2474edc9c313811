"""How issues look on a terminal: one line each, errors first, colour only where wanted."""

from __future__ import annotations

import os
from typing import IO

from ..errors import Issue, sort_issues

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "notice": "\033[36m"}
_RESET = "\033[0m"


def use_color(stream: IO[str]) -> bool:
    """Colour on a TTY only, and never when NO_COLOR is set (https://no-color.org)."""
    if "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def format_issue(issue: Issue, *, color: bool = False, show_prevents: bool = False) -> str:
    text = issue.format(show_prevents=show_prevents)
    if color and issue.severity in _COLORS:
        return f"{_COLORS[issue.severity]}{text}{_RESET}"
    return text


def format_issues(
    issues: list[Issue], *, color: bool = False, quiet: bool = False, show_prevents: bool = False
) -> str:
    """Every issue on its own line, errors then warnings then notices (``quiet`` drops notices)."""
    shown = [i for i in sort_issues(issues) if not (quiet and i.severity == "notice")]
    return "".join(format_issue(i, color=color, show_prevents=show_prevents) + "\n" for i in shown)
