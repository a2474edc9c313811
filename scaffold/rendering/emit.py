"""Clean, deterministic YAML and JSON for manifest objects.

A small emitter of our own instead of ``yaml.dump``: PyYAML's C emitter cannot indent
sequences under their key (yamllint's default style), and its Python emitter costs more than
the rest of a render. Plain data only (dict, list, str, int, float, bool, None). Strings are
written plain only when every YAML 1.1 and 1.2 reader reads them back as the same string
(:func:`plain_ok`, derived from the readers' resolvers), single-quoted when printable, as a
literal block when they are multi-line scripts, and double-quoted with escapes otherwise.
Keys get the same treatment; a key too long for the ``key: value`` form is written ``? key``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from yaml.resolver import Resolver

from .templates import MAX_IMPLICIT_KEY, _quote, non_string_scalar

# A plain scalar made of unremarkable characters. Anything else is quoted.
_PLAIN = re.compile(r"(?:[A-Za-z0-9_./]|-[A-Za-z0-9])[A-Za-z0-9_./:@+=,~()$%^-]*(?<!:)\Z")

# Plain text some reader would *not* read back as that string:
# 1. YAML 1.1 as PyYAML reads it: its own implicit resolvers, used as PyYAML uses them (by
#    first character): int incl. signed base 60 and underscores, float, bool, null,
#    timestamp, merge, value. Already compiled, so this costs nothing at import.
_YAML11 = Resolver.yaml_implicit_resolvers
# 2. YAML 1.2 core schema (null, true/false, int dec/0o/0x, float incl. .inf/.nan), widened
#    to what ruamel.yaml's 1.2 resolver also takes (underscores, 0b, 0-prefixed octal).
# 3. go-yaml v2 (kubectl, sigs.k8s.io/yaml): YAML 1.1's y/n booleans, any case of the
#    keywords, 0X/0O/0B prefixes and dates (read as timestamps, printed back differently).
_OTHERS = re.compile(
    r"""(?x) (?:
      ~ | null | Null | NULL | true | True | TRUE | false | False | FALSE
    | [-+][0-9_]+ | [0-9][0-9_]* | [-+]? (?: 0b[01_]+ | 0o[0-7_]+ | 0x[0-9a-fA-F_]+ )
    | [-+]? (?: [0-9][0-9_]* (?:\.[0-9_]*)? (?:[eE][-+]?[0-9]+)? | \.[0-9_]+ (?:[eE][-+]?[0-9]+)? )
    | [-+]? \.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
    | (?i: y | n | yes | no | on | off | true | false | null )
    | [-+]? 0[xXoObB][0-9a-fA-F_]+
    | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2} (?:[Tt\ ].*)?
    ) \Z"""
)
# Text starting with anything else is never resolved to another type by these readers.
_RESOLVED_FIRST = frozenset(_YAML11) | frozenset("-+.0123456789~yYnNtTfFoO")
# go-yaml v2 drops every ``_`` before reading a number (``1_0.5_`` is 10.5).
_NUMBER_START = frozenset("-+.0123456789")


def _resolved(text: str) -> bool:
    """Some reader resolves plain ``text`` to a non-string (``text`` is not empty)."""
    for _tag, regex in _YAML11.get(text[0], ()):
        if regex.match(text):
            return True
    return _OTHERS.match(text) is not None


def plain_ok(text: str) -> bool:
    """True when ``text`` can be written unquoted: every YAML 1.1 and 1.2 reader (PyYAML,
    ruamel.yaml, go-yaml) reads it back as this same string."""
    if not _PLAIN.match(text):
        return False
    if text[0] not in _RESOLVED_FIRST:  # the common case: a name, a path, an image
        return True
    if _resolved(text):
        return False
    if "_" in text and text[0] in _NUMBER_START:
        bare = text.replace("_", "")
        return not bare or not _resolved(bare)
    return True


def scalar(value: Any) -> str:
    """A value that fits on one line (used for keys and for simple values)."""
    if isinstance(value, str):
        if plain_ok(value):
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
        text = scalar(key)
        if len(text) > MAX_IMPLICIT_KEY:  # explicit form: ``? key`` then ``: value``
            out.append(f"{pad}? {text}")
            _value_lines(f"{pad}:", value, indent, out)
        else:
            _value_lines(f"{pad}{text}:", value, indent, out)


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
