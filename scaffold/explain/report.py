"""The report ``explain -f`` prints, and the one call the command makes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import NamedTuple

from .diagnosis import diagnose
from .model import PodReport, printable, show
from .reading import pods_from_text


def format_report(report: PodReport) -> str:
    """The text of one pod's report; every string from the document is made terminal-safe."""
    ns = f"{report.namespace}/" if report.namespace else ""
    head = f"Pod {printable(ns + report.name)}: "
    phase = printable(report.phase or "?")
    status = printable(report.status) if report.status else None
    head += f"{status} (phase {phase})" if status and status != report.phase else f"phase {phase}"
    if report.restarts:
        head += f", {report.restarts} restart{'s' if report.restarts != 1 else ''}"
    if report.owner:
        head += f" (owned by {printable(report.owner)})"
    lines = [head]
    if report.ok:
        lines.append("  ok: running and ready, nothing to diagnose")
    for d in report.diagnoses:
        tag = f" [{d.topic}]" if d.topic else ""
        lines.append(f"  {d.severity}{tag}: {printable(d.message)}")
        if d.field:
            now = f" (now: {printable(show(d.current))})" if d.current is not None else ""
            lines.append(f"    change: {printable(d.field)}{now}")
            if report.owner and d.field.startswith("spec."):
                lines.append(f"      in the pod template of {printable(report.owner)}: spec.template.{printable(d.field)}")
        for c in d.commands:
            lines.append(f"    run: {printable(c)}")
        if d.topic:
            lines.append(f"    more: scaffold explain {d.topic}")
    return "\n".join(lines) + "\n"


class Outcome(NamedTuple):
    """What ``explain -f`` prints and how it exits: 0 when no error finding, else 1."""

    text: str
    notes: list[str]
    exit_code: int


def diagnose_source(path: str, *, fmt: str = "text", now: datetime | None = None) -> Outcome:
    """Read ``path`` (``-`` for stdin), diagnose every pod in it, format the reports.

    Raises :class:`~scaffold.errors.ScaffoldError` for unreadable input, no pod, or a pod
    with malformed fields (each named with its line and column).
    """
    from ..errors import PresetError, ScaffoldError
    from ..loader import read_source

    try:
        raw, name = read_source(path)
    except PresetError as exc:  # the loader's report, without render's "nothing was rendered"
        raise ScaffoldError("; ".join(str(i) for i in exc.issues)) from None
    pods, notes = pods_from_text(raw, source=name)
    if not pods:
        raise ScaffoldError(f"{name}: no Pod found; save one with `kubectl get pod NAME -o yaml > pod.yaml`"
                            + (f" ({'; '.join(notes)})" if notes else ""))
    reports = [diagnose(p, now=now) for p in pods]
    if fmt == "json":
        text = json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False, default=str) + "\n"
    else:
        text = "\n".join(format_report(r) for r in reports)
    return Outcome(text, [printable(n) for n in notes], 1 if any(r.failed for r in reports) else 0)
