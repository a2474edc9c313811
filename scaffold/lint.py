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

What a linter is expected to have: a directory is read recursively (``*.yaml``, ``*.yml``,
``*.json``), rules are turned off with ``ignore`` (options) or per object with the annotation
``scaffold.dev/ignore: rule-a,rule-b``, and ``.scaffold.yaml`` (found upward from the working
directory) sets ignores, severities, ``pss``, ``kubeVersion``, ``namespace`` and ``schema``.
Objects of kinds lint does not check (HPAs, claims, custom resources) are still read: the
cross-object rules look them up, and the every-kind rules (required fields, removed APIs,
unknown fields) judge them.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import Issue, Located, PresetError, ScaffoldError, sort_issues
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

#: The annotation that turns rules off for one object: ``scaffold.dev/ignore: rule-a,rule-b``.
IGNORE_ANNOTATION = "scaffold.dev/ignore"
#: The config file, looked for in the working directory and its parents.
CONFIG_NAME = ".scaffold.yaml"
#: File names a directory argument contributes.
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
#: Longest message lint prints (a message that names objects names a few, never all).
MAX_MESSAGE = 300


@dataclass
class LintOptions:
    """Everything that tunes a lint run (command-line options merged over .scaffold.yaml)."""

    pss: str | None = None
    ignore: frozenset[str] = frozenset()
    #: Rule id -> severity it is reported at ("error", "warning", "notice").
    severities: dict[str, str] = field(default_factory=dict)
    kube_version: str | None = None
    namespace: str = "default"
    #: Check fields against the strict schema: None = when the schema extra is installed.
    schema: bool | None = None

    def merged(self, **cli: Any) -> LintOptions:
        """These options with the command line's (the values that are not None) on top."""
        out = LintOptions(self.pss, self.ignore, dict(self.severities), self.kube_version, self.namespace, self.schema)
        for key, value in cli.items():
            if key == "ignore":
                out.ignore = out.ignore | frozenset(value or ())
            elif value is not None:
                setattr(out, key, value)
        return out


def find_config(start: str | os.PathLike[str] | None = None) -> str | None:
    """The nearest ``.scaffold.yaml`` in ``start`` (the working directory) or a parent."""
    here = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(here, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


_CONFIG_KEYS = ("ignore", "severity", "pss", "kubeVersion", "namespace", "schema")


def load_config(path: str) -> LintOptions:
    """Read a ``.scaffold.yaml``; a wrong key or value is a ScaffoldError naming file and key."""
    from .k8s.versions import normalize_version
    from .loader import load_yaml_all, read_source
    from .rules import REGISTRY, SEVERITIES, _load_rule_modules

    raw, name = read_source(path)
    docs = load_yaml_all(raw, source=name)
    data = docs[0].data if docs else {}
    data = {} if data is None else data

    def bad(message: str) -> ScaffoldError:
        return ScaffoldError(f"{name}: {message}")

    if not isinstance(data, dict):
        raise bad("expected a mapping with keys " + ", ".join(_CONFIG_KEYS))
    data = data.get("lint", data) if isinstance(data.get("lint"), dict) else data
    unknown = sorted(set(map(str, data)) - set(_CONFIG_KEYS))
    if unknown:
        raise bad(f"unknown key {unknown[0]!r}; known keys: {', '.join(_CONFIG_KEYS)}")
    _load_rule_modules()
    known_rules = set(REGISTRY) | set(INPUT_RULES)
    opts = LintOptions()
    ignore = data.get("ignore", [])
    if isinstance(ignore, str):
        ignore = [p.strip() for p in ignore.split(",") if p.strip()]
    if not isinstance(ignore, list) or not all(isinstance(r, str) for r in ignore):
        raise bad("ignore must be a list of rule ids")
    for r in ignore:
        if r not in known_rules:
            raise bad(f"ignore: unknown rule {r!r}")
    opts.ignore = frozenset(ignore)
    severity = data.get("severity", {})
    if not isinstance(severity, dict):
        raise bad("severity must map rule ids to error, warning or notice")
    for r, level in severity.items():
        if r not in known_rules:
            raise bad(f"severity: unknown rule {r!r}")
        if level not in SEVERITIES:
            raise bad(f"severity.{r}: {level!r} is not one of {', '.join(SEVERITIES)}")
    opts.severities = dict(severity)
    if data.get("pss") not in (None, "baseline", "restricted"):
        raise bad(f"pss must be baseline or restricted, not {data['pss']!r}")
    opts.pss = data.get("pss")
    if data.get("kubeVersion") is not None:
        try:
            opts.kube_version = normalize_version(str(data["kubeVersion"]))
        except ValueError as err:
            raise bad(f"kubeVersion: {err}") from err
    if data.get("namespace") is not None:
        if not isinstance(data["namespace"], str) or not data["namespace"]:
            raise bad("namespace must be a namespace name")
        opts.namespace = data["namespace"]
    if data.get("schema") is not None:
        if not isinstance(data["schema"], bool):
            raise bad("schema must be true or false")
        opts.schema = data["schema"]
    return opts


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
    try:
        raw, name = read_source(os.fspath(path))
    except PresetError as exc:
        return [], exc.issues, shown
    entries, issues = _load(raw, name)
    return entries, issues, name


def expand_sources(sources: Iterable[str | os.PathLike[str]]) -> tuple[list[str], list[Issue]]:
    """Files to read: a directory contributes its ``*.yaml``, ``*.yml`` and ``*.json`` files,
    recursively, in sorted order (hidden directories such as .git are skipped)."""
    files: list[str] = []
    issues: list[Issue] = []
    for source in sources:
        path = os.fspath(source)
        if path == "-" or not os.path.isdir(path):
            files.append(path)
            continue
        found: list[str] = []
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(os.path.join(root, n) for n in names if n.endswith(MANIFEST_SUFFIXES) and not n.startswith("."))
        if not found:
            issues.append(Issue("", f"{path!r} holds no *.yaml, *.yml or *.json file", rule="input", file=path))
        files.extend(sorted(found))
    return files, issues


# ---------------------------------------------------------------- checking


def _one_line(message: str) -> str:
    """Messages are one line and short (a message that lists objects names a few)."""
    text = " ".join(message.split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _ignored_by_annotation(obj: dict[str, Any]) -> frozenset[str]:
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    text = annotations.get(IGNORE_ANNOTATION) if isinstance(annotations, dict) else None
    if not isinstance(text, str):
        return frozenset()
    return frozenset(p.strip() for p in text.split(",") if p.strip())


def check(entries: list[_Entry], *, pss: str | None = None, options: LintOptions | None = None) -> tuple[list[Issue], int, int]:
    """Rule findings for the objects lint understands, notices for the ones it skips.

    Returns ``(issues, checked, skipped)``.
    """
    from .rules import CheckConfig, as_dict, manifest_issues, object_label, run
    from .rules.manifest import EVERY_KIND_RULES

    options = options or LintOptions(pss=pss)
    pss = options.pss if options.pss is not None else pss
    if pss not in (None, "baseline", "restricted"):
        raise ValueError(f"pss must be None, 'baseline' or 'restricted', not {pss!r}")
    schema = options.schema
    if schema is None:
        from .k8s.openapi import available

        schema = available()
    issues: list[Issue] = []
    kept: list[_Entry] = []
    others: list[_Entry] = []
    for e in entries:
        if e.obj.get("kind") in LINTED_KINDS:
            kept.append(e)
            continue
        others.append(e)
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
    config = CheckConfig(
        pss=pss,
        present=present,
        ignore=options.ignore,
        namespace=options.namespace,
        context=tuple(e.obj for e in others),
        manifest=True,
        kube_version=options.kube_version,
        schema=schema,
    )
    found: list[tuple[_Entry, Path, Issue]] = []
    raws = run(objects, config)
    found.extend((kept[r.index], r.path, i) for r, i in zip(raws, manifest_issues(objects, raws)))
    if others:
        other_objects = [e.obj for e in others]
        raws = run(other_objects, config._replace(context=()), only=EVERY_KIND_RULES)
        found.extend((others[r.index], r.path, i) for r, i in zip(raws, manifest_issues(other_objects, raws)))
    suppressed: dict[int, frozenset[str]] = {}
    for entry, path, issue in found:
        key = id(entry)
        if key not in suppressed:
            suppressed[key] = _ignored_by_annotation(entry.obj)
        if issue.rule in suppressed[key]:
            continue
        line, column = entry.mark(path)
        severity: Any = options.severities.get(issue.rule or "", issue.severity)
        issues.append(
            issue._replace(message=_one_line(issue.message), severity=severity).with_location(
                file=entry.located.source, line=line, column=column
            )
        )
    issues = [i for i in issues if i.rule not in options.ignore]
    return issues, len(kept), len(others)


def lint_text(text: str | bytes, *, source: str = "<string>", pss: str | None = None, options: LintOptions | None = None) -> list[Issue]:
    """Findings for one YAML stream given as text (the objects are checked together)."""
    entries, issues = _load(text, source)
    found, _, _ = check(entries, pss=pss, options=options)
    return sort_issues(issues + found)


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while lint builds and checks the objects.

    Lint keeps every object of the input alive until the end, and each collection walks all
    of them again: on a thousand files that was a sixth of the run, for no garbage, since loaded
    manifests are trees (plain dicts, lists and scalars) that reference counting frees. The
    collector is switched back on afterwards (if it was on), and collects whatever cycles
    appeared meanwhile.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def lint_report(sources: Iterable[str | os.PathLike[str]], *, pss: str | None = None, options: LintOptions | None = None) -> LintReport:
    """Read every source (``-`` is stdin; a directory, recursively) and check all their objects
    as one stream."""
    with _cyclic_gc_paused():
        return _lint_report(sources, pss=pss, options=options)


def _lint_report(sources: Iterable[str | os.PathLike[str]], *, pss: str | None, options: LintOptions | None) -> LintReport:
    report = LintReport()
    entries: list[_Entry] = []
    files, report.issues = expand_sources(sources)
    for source in files:
        found, issues, name = _read(source)
        entries.extend(found)
        report.issues.extend(issues)
        report.files.append(name)
    found_issues, report.checked, report.skipped = check(entries, pss=pss, options=options)
    report.issues = sort_issues(report.issues + found_issues)
    return report


def lint(sources: Iterable[str | os.PathLike[str]], *, pss: str | None = None, options: LintOptions | None = None) -> list[Issue]:
    """Findings for the files (``-`` is stdin), errors first; input problems are errors too."""
    return lint_report(sources, pss=pss, options=options).issues


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
