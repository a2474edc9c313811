"""Lint: the rule engine applied to manifests that already exist.

People already have YAML: the output of ``kubectl create --dry-run=client -o yaml``, of
``helm template``, hand-edited files. Lint reads any such stream with the same safe loader
as presets, keeps the kinds the rules understand (every kind of the kinds registry,
``scaffold.k8s.kinds``: the pod-bearing workloads and Services), runs the one rule engine over
all of them together (so a Service in one file is checked against the Deployment in another)
and places every finding on the line and column of the field.

Input problems (unreadable file, YAML error, a document that is not an object) are findings
too, so one bad file does not hide the report on the others; they are errors, so the exit
code is 1.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import Issue, Located, PresetError, sort_issues
from .k8s.kinds import KINDS
from .paths import Path

if TYPE_CHECKING:  # pragma: no cover
    from .output import Report

#: The kinds the rule engine checks (the kinds registry); anything else is skipped with a notice.
LINTED_KINDS = tuple(KINDS)

#: Rule ids lint reports itself (not rules of the engine): what they mean, for SARIF and docs.
INPUT_RULES = {
    "input": "The file cannot be read as text (missing, binary, not UTF-8, too large).",
    "yaml": "The file is not valid YAML (syntax error, alias bomb, duplicate key, unsupported tag).",
    "manifest": "A document is not a Kubernetes object: not a mapping, or no kind.",
    "skipped": f"A kind lint does not check (it checks {', '.join(LINTED_KINDS)}); skipped.",
}


@dataclass
class _Entry:
    """One object of the stream and where it sits in its file."""

    obj: dict[str, Any]
    located: Located
    #: Path of the object inside its document (``("items", 2)`` for a List item).
    prefix: Path = ()

    def mark(self, path: Path) -> tuple[int | None, int | None]:
        return self.located.mark(self.prefix + tuple(path))


@dataclass
class LintReport:
    """What lint found, and what it looked at (for the summary line)."""

    issues: list[Issue] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    checked: int = 0
    skipped: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for i in self.issues if i.severity == severity)

    def fails(self, threshold: str) -> bool:
        """True when some finding is at or above ``threshold`` ("error" or "warning")."""
        levels = ("error",) if threshold == "error" else ("error", "warning")
        return any(i.severity in levels for i in self.issues)

    def to_report(self, *, fail_on: str = "error") -> Report:
        """The report every output format takes (``scaffold.output``)."""
        from .output import Report

        return Report(
            "lint",
            self.issues,
            ok=not self.fails(fail_on),
            inputs={"files": self.files},
            counts={"objects": self.checked, "skipped": self.skipped},
            own_rules=INPUT_RULES,
        )


# ---------------------------------------------------------------- collecting objects


def _expand(obj: Any, located: Located, prefix: Path, out: list[_Entry], issues: list[Issue], depth: int = 0) -> None:
    """Objects of one document; a ``kind: List`` (or ``PodList`` ...) contributes its items."""
    line, column = located.mark(prefix)

    def problem(message: str) -> None:
        issues.append(Issue("", message, rule="manifest", file=located.source, line=line, column=column))

    if not isinstance(obj, dict):
        shown = "a list" if isinstance(obj, list) else f"the value {obj!r}"[:60]
        problem(f"expected a Kubernetes object (a mapping with kind), found {shown}")
        return
    kind = obj.get("kind")
    if not isinstance(kind, str) or not kind:
        what = "has no kind" if kind is None else f"has kind {kind!r}, which is not a name"
        problem(f"this document {what}; every Kubernetes object needs apiVersion and kind")
        return
    items = obj.get("items")
    if kind.endswith("List") and isinstance(items, list) and depth < 3:
        for i, item in enumerate(items):
            _expand(item, located, (*prefix, "items", i), out, issues, depth + 1)
        return
    out.append(_Entry(obj, located, prefix))


def collect(located_docs: Iterable[Located]) -> tuple[list[_Entry], list[Issue]]:
    """Every object of the documents, plus an issue for each document that is no object."""
    entries: list[_Entry] = []
    issues: list[Issue] = []
    for doc in located_docs:
        _expand(doc.data, doc, (), entries, issues)
    return entries, issues


def _load(text: str | bytes, source: str) -> tuple[list[_Entry], list[Issue]]:
    from .loader import load_yaml_all

    try:
        docs = load_yaml_all(text, source=source)
    except PresetError as exc:
        return [], exc.issues
    return collect(docs)


def _read(path: str | os.PathLike[str]) -> tuple[list[_Entry], list[Issue], str]:
    from .loader import read_source

    shown = "<stdin>" if os.fspath(path) == "-" else os.fspath(path)
    if os.path.isdir(shown):
        return [], [Issue("", f"{shown!r} is a directory; pass the files (e.g. {shown}/*.yaml)", rule="input", file=shown)], shown
    try:
        raw, name = read_source(os.fspath(path))
    except PresetError as exc:
        return [], exc.issues, shown
    entries, issues = _load(raw, name)
    return entries, issues, name


# ---------------------------------------------------------------- checking


def check(entries: list[_Entry], *, pss: str | None = None) -> tuple[list[Issue], int, int]:
    """Rule findings for the objects lint understands, notices for the ones it skips.

    Returns ``(issues, checked, skipped)``.
    """
    from .rules import CheckConfig, as_dict, manifest_issues, object_label, run

    if pss not in (None, "baseline", "restricted"):
        raise ValueError(f"pss must be None, 'baseline' or 'restricted', not {pss!r}")
    issues: list[Issue] = []
    kept: list[_Entry] = []
    skipped = 0
    for e in entries:
        if e.obj.get("kind") in LINTED_KINDS:
            kept.append(e)
            continue
        skipped += 1
        line, column = e.mark(("kind",))
        issues.append(
            Issue(
                "",
                f"skipped: lint checks {', '.join(LINTED_KINDS)}, not {e.obj.get('kind')}",
                severity="notice",
                rule="skipped",
                file=e.located.source,
                line=line,
                column=column,
                obj=object_label(e.obj),
            )
        )
    objects = [e.obj for e in kept]
    present = frozenset(
        (e.obj["kind"], name)
        for e in entries
        if isinstance(e.obj.get("kind"), str) and isinstance(name := as_dict(e.obj.get("metadata")).get("name"), str)
    )
    raws = run(objects, CheckConfig(pss=pss, present=present))
    for raw, issue in zip(raws, manifest_issues(objects, raws)):
        entry = kept[raw.index]
        line, column = entry.mark(raw.path)
        issues.append(issue.with_location(file=entry.located.source, line=line, column=column))
    return issues, len(kept), skipped


def lint_text(text: str | bytes, *, source: str = "<string>", pss: str | None = None) -> list[Issue]:
    """Findings for one YAML stream given as text (the objects are checked together)."""
    entries, issues = _load(text, source)
    found, _, _ = check(entries, pss=pss)
    return sort_issues(issues + found)


def lint_report(sources: Iterable[str | os.PathLike[str]], *, pss: str | None = None) -> LintReport:
    """Read every source (``-`` is stdin) and check all their objects as one stream."""
    report = LintReport()
    entries: list[_Entry] = []
    for source in sources:
        found, issues, name = _read(source)
        entries.extend(found)
        report.issues.extend(issues)
        report.files.append(name)
    found_issues, report.checked, report.skipped = check(entries, pss=pss)
    report.issues = sort_issues(report.issues + found_issues)
    return report


def lint(sources: Iterable[str | os.PathLike[str]], *, pss: str | None = None) -> list[Issue]:
    """Findings for the files (``-`` is stdin), errors first; input problems are errors too."""
    return lint_report(sources, pss=pss).issues


# ---------------------------------------------------------------- output formats
# The formats live in scaffold/output/ (shared with ``validate``); these keep lint's API.


def to_json(report: LintReport) -> str:
    """A stable JSON document: files, summary counts and one record per finding."""
    from .output.json import format_report

    return format_report(report.to_report())


def to_sarif(report: LintReport) -> str:
    """SARIF 2.1.0, so code-scanning UIs (GitHub, GitLab, Azure DevOps) show the findings."""
    from .output.sarif import format_report

    return format_report(report.to_report())


def to_text(report: LintReport, *, color: bool = False, quiet: bool = False) -> str:
    """One line per finding (with what it prevents), then ``N objects checked: ...``."""
    from .output.text import format_report

    return format_report(report.to_report(), color=color, quiet=quiet)
