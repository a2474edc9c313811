"""Reports as SARIF 2.1.0, so code-scanning UIs (GitHub, GitLab, Azure DevOps) show them.

``runs[0].tool.driver.rules`` describes every rule of the engine and the ids the command
reports itself; each result has its rule, level, message and location. Message texts are
escaped like text output (no raw control characters reach a viewer).
"""

from __future__ import annotations

import os
from typing import Any

from . import Report, escape
from .json import dumps

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

LEVELS = {"error": "error", "warning": "warning", "notice": "note"}

#: Ids the stages before the rule engine report (loader, schema, overrides), described when used.
STAGE_RULES = {
    "input": "The file cannot be read as text (missing, binary, not UTF-8, too large).",
    "yaml": "The file is not valid YAML (syntax error, alias bomb, duplicate key, unsupported tag).",
    "schema": "A preset field has the wrong type or value (the preset format).",
    "unknown-field": "A preset field the format does not know (often a typo).",
    "override": "A --set or values-file layer cannot be applied to the preset.",
}


def uri(name: str | None) -> str:
    """A relative URI reference for a file name (SARIF wants URIs, not OS paths)."""
    from urllib.parse import quote

    if not name or name == "<stdin>":
        return "stdin"
    return quote(name.replace(os.sep, "/"))


def _engine_rules() -> list[dict[str, Any]]:
    from .. import rules

    rules._load_rule_modules()
    out = []
    for r in sorted(rules.REGISTRY.values(), key=lambda r: r.id):
        help_text = r.summary + (f" Fix: {r.fix}" if r.fix else "") + (f" Prevents: {r.prevents}." if r.prevents else "")
        out.append(
            {
                "id": r.id,
                "name": r.id,
                "shortDescription": {"text": r.summary},
                "help": {"text": help_text},
                "defaultConfiguration": {"level": LEVELS[r.severity]},
                "properties": {"tags": [r.mark.lower()]},
            }
        )
    return out


def _own_rule(rid: str, text: str) -> dict[str, Any]:
    return {
        "id": rid,
        "name": rid,
        "shortDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": "note" if rid == "skipped" else "error"},
        "properties": {"tags": ["input"]},
    }


def report_data(report: Report) -> dict[str, Any]:
    from .._version import __version__

    rules = _engine_rules()
    known = {r["id"] for r in rules}
    used = {i.rule for i in report.issues}
    stage = {rid: text for rid, text in STAGE_RULES.items() if rid in used}
    for rid, text in {**stage, **report.own_rules}.items():
        if rid not in known:
            rules.append(_own_rule(rid, text))
            known.add(rid)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for issue in report.issues:
        if issue.rule not in index:  # a rule id nobody described: describe it minimally
            index[issue.rule] = len(rules)
            rules.append({"id": issue.rule, "name": issue.rule, "shortDescription": {"text": issue.rule}, "help": {"text": issue.rule}})
        text = f"{issue.obj} " if issue.obj else ""
        text += f"{issue.path}: " if issue.path else ""
        text += issue.message + (f" (prevents: {issue.prevents})" if issue.prevents else "")
        location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri(issue.file)}}}
        if issue.line is not None:
            region: dict[str, int] = {"startLine": issue.line}
            if issue.column is not None:
                region["startColumn"] = issue.column
            location["physicalLocation"]["region"] = region
        if issue.obj or issue.path:
            name = " ".join(x for x in (issue.obj, issue.path) if x)
            location["logicalLocations"] = [{"fullyQualifiedName": name, "kind": "object"}]
        results.append(
            {
                "ruleId": issue.rule,
                "ruleIndex": index[issue.rule],
                "level": LEVELS.get(issue.severity, "warning"),
                "message": {"text": escape(text)},
                "locations": [location],
            }
        )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "scaffold",
                        "version": __version__,
                        "informationUri": "https://kubernetes.io/docs/concepts/workloads/pods/",
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


def format_report(report: Report) -> str:
    return dumps(report_data(report))
