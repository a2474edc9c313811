"""Reports as JSON: stable records a script can read (``-o json``), and :func:`dumps` for any
other JSON a command prints (``explain -o json``).

Values stay data (a message is the message), but the text never carries a raw control
character a terminal would act on: JSON escapes C0 controls itself, :func:`dumps` also
escapes DEL, the C1 controls, the Unicode line separators and bidirectional overrides.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import Issue
from . import Report

# Everything scaffold.output.escape escapes that json.dumps(ensure_ascii=False) leaves raw.
# These characters can only occur inside JSON strings, so \\uXXXX is always valid there.
_RAW = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def dumps(data: Any) -> str:
    """``data`` as indented UTF-8 JSON with a final newline, safe to print on a terminal."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def issue_record(issue: Issue) -> dict[str, Any]:
    """One finding: where, what, which rule, and what it prevents."""
    return {
        "file": issue.file,
        "line": issue.line,
        "column": issue.column,
        "object": issue.obj,
        "path": issue.path,
        "severity": issue.severity,
        "rule": issue.rule,
        "message": issue.message,
        "prevents": issue.prevents,
    }


def report_data(report: Report) -> dict[str, Any]:
    """The inputs, ``summary`` (the command's counts and errors/warnings/notices), ``notes``
    when the command has them, and ``issues``."""
    doc: dict[str, Any] = dict(report.inputs)
    doc["summary"] = {
        **report.counts,
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "notices": report.count("notice"),
    }
    if report.notes is not None:
        doc["notes"] = list(report.notes)
    doc["issues"] = [issue_record(i) for i in report.issues]
    return doc


def format_report(report: Report) -> str:
    return dumps(report_data(report))
