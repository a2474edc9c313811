"""Reports for people and machines: one :class:`Report`, three formats (text, JSON, SARIF).

Every command that reports issues (``validate``, ``lint``) builds a :class:`Report` and hands
it to :func:`emit`, so the formats cannot drift apart between commands; ``explain`` uses
:func:`scaffold.output.json.dumps` for its JSON. Manifests are not reports: they are emitted by
``scaffold.rendering.emit``.

Layer: above the rule engine (SARIF describes its rules), below the tools (lint, explain,
wizard) and the CLI. This module imports only the base; the formats load on use, so the
render path pays for none of them.
"""

from __future__ import annotations

import os
import re
import sys
from typing import IO, Any, NamedTuple

from ..errors import Issue, ScaffoldError

#: The formats :func:`emit` writes.
FORMATS = ("text", "json", "sarif")


class Report(NamedTuple):
    """What one run of a checking command found, and what it looked at.

    ``kind`` names the command (``"lint"``, ``"validate"``): it picks the text summary line.
    """

    kind: str
    issues: list[Issue]
    #: Exit 0 (True) or 1 (False): the producer decides (lint's --fail-on, validate's errors).
    ok: bool
    #: Top-level JSON fields naming the input (lint: ``{"files": [...]}``).
    inputs: dict[str, Any] = {}
    #: JSON ``summary`` counts besides errors/warnings/notices (``objects``, ``skipped``).
    counts: dict[str, int] = {}
    #: Lines for people after the issues (validate's QoS and startup budget); JSON ``notes``.
    #: None: the command has no notes (no ``notes`` key in JSON).
    notes: list[str] | None = None
    #: Rule ids the command reports itself (not rules of the engine): id -> description.
    own_rules: dict[str, str] = {}
    #: When not ok, the text goes to stderr and stdout stays empty (validate, like render);
    #: False: the report is the product and goes to stdout either way (lint).
    problems_on_stderr: bool = False

    def count(self, severity: str) -> int:
        return sum(1 for i in self.issues if i.severity == severity)


class OutputError(ScaffoldError):
    """Standard output cannot take what a command writes (a full disk, a closed pipe or
    descriptor): exit 1 with a message, never a traceback and never a silent exit 0."""


# C0 and C1 controls, DEL, the line breaks str.splitlines knows, and bidirectional overrides:
# anything that could end a report line early, move the cursor, recolour the terminal or
# reorder what a reader sees.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def escape(text: str) -> str:
    """``text`` with control characters written as Python escapes (``\\n``, ``\\x1b``), so a
    value echoed in a message (a hostPath, a file name) can never forge a report line or send
    a terminal escape sequence."""
    return _CONTROL.sub(_escaped, text)


def _reason(exc: OSError) -> str:
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


def _silence(stream: IO[str]) -> None:
    """Point the stream's descriptor at /dev/null, so the interpreter's last flush of the
    unwritten buffer does not fail again (an 'Exception ignored' message and exit 120)."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def write(text: str, stream: IO[str] | None = None) -> None:
    """Write ``text`` to standard output (or ``stream``) now; failures are :class:`OutputError`."""
    out = sys.stdout if stream is None else stream
    if out is None:  # the process was started with descriptor 1 closed
        raise OutputError("cannot write output: standard output is closed")
    try:
        out.write(text)
        out.flush()
    except OSError as exc:
        _silence(out)
        raise OutputError(f"cannot write output: {_reason(exc)}") from exc
    except ValueError as exc:  # "I/O operation on closed file"
        raise OutputError("cannot write output: standard output is closed") from exc


def emit(report: Report, fmt: str = "text", *, quiet: bool = False) -> int:
    """Write ``report`` in ``fmt`` (one of :data:`FORMATS`) and return the exit code."""
    if fmt == "json":
        from .json import format_report as as_json

        write(as_json(report))
    elif fmt == "sarif":
        from .sarif import format_report as as_sarif

        write(as_sarif(report))
    elif fmt == "text":
        from .text import format_report as as_text, use_color

        stream = sys.stderr if (report.problems_on_stderr and not report.ok) else sys.stdout
        text = as_text(report, color=use_color(stream), quiet=quiet)
        if stream is sys.stderr:
            if stream is not None:
                stream.write(text)
                stream.flush()
        else:
            write(text)
    else:
        raise ValueError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
    return 0 if report.ok else 1


def notify(issues: list[Issue], *, quiet: bool = False) -> None:
    """Warnings and notices beside a command's product (render's manifests): on stderr."""
    if not issues or sys.stderr is None:
        return
    from .text import format_issues, use_color

    sys.stderr.write(format_issues(issues, color=use_color(sys.stderr), quiet=quiet))
    sys.stderr.flush()
