"""Clean, deterministic YAML and JSON for manifest objects.

A small emitter of our own instead of ``yaml.dump``: PyYAML's C emitter cannot indent
sequences under their key (yamllint's default style), and its Python emitter costs more than
the rest of a render. Plain data only (dict, list, str, int, float, bool, None). Strings are
written plain when every YAML 1.1 and 1.2 reader reads them back as the same string,
single-quoted when printable, as a literal block when they are multi-line scripts, and
double-quoted with escapes otherwise.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .templates import _quote, non_string_scalar

# A plain scalar made of unremarkable characters. Anything else is quoted.
_PLAIN = re.compile(r"(?:[A-Za-z0-9_./]|-[A-Za-z0-9])[A-Za-z0-9_./:@+=,~()$%^-]*(?<!:)\Z")
# Strings some YAML reader (1.1 or 1.2, PyYAML or go-yaml) reads as another type.
_SPECIAL = re.compile(
    r"""(?x) (?:
    [-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?   # numbers, 0755, 1e6, 1_000
    | [-+]?0[xXoObB][0-9a-fA-F_]+                                # 0x1F, 0o17, 0b101
    | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
    | [0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?                     # sexagesimal 1:30
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?                    # dates and timestamps
    | (?i:y|n|yes|no|on|off|true|false|null|~)
    | << | = | [?:,\[\]{}#&*!|>'"%@`].*
    ) \Z""",
)


def scalar(value: Any) -> str:
    """A value that fits on one line (used for keys and for simple values)."""
    if isinstance(value, str):
        if _PLAIN.match(value) and not _SPECIAL.match(value):
            return value
        if value.isprintable():
            return "'" + value.replace("'", "''") + "'"
        return _quote(value)
    text = non_string_scalar(value)
    if text is not None:
        return text
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    raise TypeError(f"cannot emit a {type(value).__name__}")


def _literal_lines(text: str) -> list[str] | None:
    """The lines of a multi-line string that reads back exactly as a ``|`` block, or None."""
    if "\n" not in text.rstrip("\n") or text.endswith("\n\n"):
        return None
    body = text[:-1] if text.endswith("\n") else text
    lines = body.split("\n")
    if lines[0].startswith(" ") or not lines[0]:
        return None
    for line in lines:
        if line != line.rstrip(" ") or not all(ch.isprintable() for ch in line):
            return None
    return lines


def _value_lines(head: str, value: Any, indent: int, out: list[str]) -> None:
    """``head`` is ``key:`` or ``-`` at its indentation; write ``value`` after it."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        out.append(head)
        _mapping(value, indent + 2, out)
    elif isinstance(value, list) and value:
        out.append(head)
        _sequence(value, indent + 2, out)
    elif isinstance(value, str) and (lines := _literal_lines(value)) is not None:
        out.append(f"{head} |" + ("" if value.endswith("\n") else "-"))
        out.extend(f"{pad}  {line}" if line else "" for line in lines)
    else:
        out.append(f"{head} {scalar(value)}")


def _mapping(mapping: dict[Any, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        _value_lines(f"{pad}{scalar(key)}:", value, indent, out)


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, (dict, list)) and item:
            start = len(out)
            if isinstance(item, dict):
                _mapping(item, indent + 2, out)
            else:
                _sequence(item, indent + 2, out)
            out[start] = f"{pad}- {out[start][indent + 2:]}"
        else:
            _value_lines(f"{pad}-", item, indent, out)


def to_yaml_stream(objects: list[dict[str, Any]]) -> str:
    """A multi-document stream: ``---`` before each object, two-space block style."""
    out: list[str] = []
    for obj in objects:
        out.append("---")
        _mapping(obj, 0, out)
    return "\n".join(out) + "\n" if out else ""


def to_json_list(objects: list[dict[str, Any]]) -> str:
    """A ``v1`` List, as ``kubectl get -o json`` prints several objects."""
    return json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}, indent=2, ensure_ascii=False) + "\n"
