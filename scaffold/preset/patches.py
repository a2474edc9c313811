"""``patches:``, the escape hatch: change the rendered objects where the format has no field.

A patch names its target objects (``kind``, optionally ``name``) and carries exactly one of
a JSON merge patch (RFC 7386, implemented here: mappings merge, anything else replaces, null
deletes) or a JSON patch (RFC 6902, applied with the ``jsonpatch`` library, one operation at
a time so a failure names its operation). Patches run in order after rendering and before the
checks, so the rules judge the patched objects, and a finding inside a value a patch wrote
points at that patch's line, not at the preset field it would otherwise map to.

Patch values are data: they go into the objects as Python values and the emitter serializes
them, so no value can add YAML structure. Only plain JSON-like data is accepted (string keys,
finite numbers).

Imported lazily by the pipeline, and only for presets that have patches.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import Issue
from ..paths import Path, format_path

#: Turns rule findings on the objects into issues: ``(objects, raws) -> issues``.
ToIssues = Callable[[list[dict[str, Any]], list[Any]], list[Issue]]

_NEEDS_VALUE = ("add", "replace", "test")
_NEEDS_FROM = ("move", "copy")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: ``patch`` over ``target``; the result shares nothing with ``patch``."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def pointer_parts(pointer: str) -> list[str]:
    """``/metadata/annotations/example.com~1team`` -> ``["metadata", "annotations", "example.com/team"]``."""
    if pointer == "":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def pointer(parts: Sequence[str | int]) -> str:
    """The inverse of :func:`pointer_parts`."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _not_plain(value: Any, where: Path) -> tuple[Path, str] | None:
    """Where ``value`` stops being JSON-like data (and why), or None."""
    if value is None or isinstance(value, (str, bool, int)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (where, f"{value!r} is not a JSON number")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return (where, f"key {key!r} is not a string (Kubernetes objects are JSON: keys are strings)")
            found = _not_plain(item, (*where, key))
            if found:
                return found
        return None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _not_plain(item, (*where, index))
            if found:
                return found
        return None
    return (where, f"a {type(value).__name__} is not data a manifest can hold")


def _label(obj: Any) -> str:
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    name = meta.get("name", "?") if isinstance(meta, dict) else "?"
    kind = obj.get("kind", "?") if isinstance(obj, dict) else "?"
    return f"{kind}/{name}"


def _resolve(doc: Any, parts: list[str]) -> tuple[bool, Any, int]:
    """Follow ``parts`` into ``doc``: (found, value or deepest container, parts consumed)."""
    node = doc
    for depth, part in enumerate(parts):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node) and (part == "0" or not part.startswith("0")):
            node = node[int(part)]
        else:
            return False, node, depth
        continue
    return True, node, len(parts)


def _explain_failure(op: dict[str, Any], doc: Any, err: Exception) -> str:
    """A message that says what is there instead, not the library's dump of the object."""
    name = op.get("op")
    path = op.get("path", "")
    parts = pointer_parts(path) if path.startswith("/") or path == "" else None
    if parts is None:
        return f"path {path!r} is not a JSON pointer (it starts with /, e.g. /spec/replicas)"
    if name in _NEEDS_FROM and isinstance(op.get("from"), str):
        src = op["from"]
        if not (src.startswith("/") or src == ""):
            return f"from {src!r} is not a JSON pointer (it starts with /)"
        found, _, _ = _resolve(doc, pointer_parts(src))
        if not found:
            return f"from {src} does not exist"
    if name == "test":
        found, value, _ = _resolve(doc, parts)
        if found:
            return f"test failed: {path} is {value!r}, not {op.get('value')!r}"
    # add creates only the last part; the others (remove, replace, test) need the whole path.
    need = parts[:-1] if name in ("add", "move", "copy") else parts
    found, node, depth = _resolve(doc, need)
    if not found:
        missing = pointer(need[: depth + 1])
        if isinstance(node, dict):
            there = ", ".join(sorted(node)) or "nothing"
            hint = ""
            if name == "add" and depth == len(need) - 1:
                hint = (
                    f"; add the parent first ({{op: add, path: {missing}, value: {{}}}}) "
                    "or use a merge patch, which creates mappings on the way"
                )
            return f"{missing} does not exist (that mapping has: {there}){hint}"
        if isinstance(node, list):
            return f"{missing} does not exist (that list has {len(node)} item{'s' if len(node) != 1 else ''})"
        return f"{missing} does not exist ({pointer(need[:depth]) or 'the object'} is a {type(node).__name__}, not a mapping or list)"
    if name == "add" and parts and isinstance(node, list):
        last = parts[-1]
        if last != "-" and not (last.isdigit() and int(last) <= len(node)):
            return f"index {last!r} is out of range for a list of {len(node)} (use - to append)"
    return str(err) if len(str(err)) <= 160 else str(err)[:157] + "..."


class _Written:
    """Where a patch wrote into an object, to place rule findings on the patch's line."""

    __slots__ = ("index", "preset_path", "kind", "at", "doc")

    def __init__(self, index: int, preset_path: Path, kind: str, at: list[str] | None, doc: Any) -> None:
        self.index = index  # the object
        self.preset_path = preset_path  # patches[i].merge or patches[i].json[j]
        self.kind = kind  # "merge", "value" (add/replace/test) or "op" (move/copy)
        self.at = at  # the object path the json operation wrote (None for merge)
        self.doc = doc  # the merge document

    def place(self, path: Path) -> Path | None:
        """The preset path of a finding at object path ``path``, when this patch wrote it."""
        if self.kind == "merge":
            node = self.doc
            for depth, part in enumerate(path):
                if not isinstance(node, dict) or part not in node:
                    return None
                node = node[part]
                if not isinstance(node, dict):
                    return (*self.preset_path, *path) if node is not None else None
            return None
        assert self.at is not None
        if len(path) < len(self.at) or [str(p) for p in path[: len(self.at)]] != self.at:
            return None
        if self.kind == "value":
            return (*self.preset_path, "value", *path[len(self.at):])
        return self.preset_path


def apply_patches(
    objects: list[dict[str, Any]], patches: list[dict[str, Any]], to_issues: ToIssues
) -> tuple[list[dict[str, Any]], ToIssues, list[Issue]]:
    """Apply ``patches`` in order. Returns the patched objects, an issue builder that places
    findings inside patched values on the patch (and hands the rest to ``to_issues``), and the
    problems (a target that matches nothing, an operation that fails)."""
    out = list(objects)
    problems: list[Issue] = []
    written: list[_Written] = []
    for i, patch in enumerate(patches):
        here: Path = ("patches", i)
        has_merge, has_json = patch.get("merge") is not None, patch.get("json") is not None
        if has_merge == has_json:
            problems.append(
                Issue(format_path(here), "a patch needs exactly one of merge (a mapping) or json (a list of operations)", rule="schema")
            )
            continue
        bad = _not_plain(patch["merge"], (*here, "merge")) if has_merge else None
        for j, op in enumerate(patch.get("json") or []):
            if bad:
                break
            if op.get("op") in _NEEDS_VALUE and "value" not in op:
                bad = ((*here, "json", j), f"{op['op']} needs a value")
            elif op.get("op") in _NEEDS_FROM and "from" not in op:
                bad = ((*here, "json", j), f"{op['op']} needs from (the source pointer)")
            elif "value" in op:
                bad = _not_plain(op["value"], (*here, "json", j, "value"))
        if bad:
            problems.append(Issue(format_path(bad[0]), bad[1], rule="schema"))
            continue
        target = patch["target"]
        kind, name = target["kind"], target.get("name")
        matches = [
            k
            for k, obj in enumerate(out)
            if obj.get("kind") == kind and (name is None or (obj.get("metadata") or {}).get("name") == name)
        ]
        if not matches:
            wanted = f"a {kind} named {name!r}" if name is not None else f"a {kind}"
            present = ", ".join(_label(o) for o in out) or "none"
            problems.append(
                Issue(
                    format_path((*here, "target")),
                    f"no rendered object is {wanted}; the rendered objects are {present}",
                    rule="patch-target",
                )
            )
            continue
        for k in matches:
            if has_merge:
                out[k] = merge_patch(out[k], patch["merge"])
                written.append(_Written(k, (*here, "merge"), "merge", None, patch["merge"]))
            else:
                failed = _apply_json(k, out, patch["json"], here, written)
                if failed:
                    problems.append(failed)
                    break
    return out, _placing(written, to_issues), problems


def _apply_json(
    k: int, out: list[dict[str, Any]], ops: list[dict[str, Any]], here: Path, written: list[_Written]
) -> Issue | None:
    """Apply ``ops`` to ``out[k]`` one by one; the first failure is the problem."""
    import jsonpatch
    import jsonpointer

    doc = out[k]
    for j, op in enumerate(ops):
        where = (*here, "json", j)
        clean = {key: value for key, value in op.items() if key in ("op", "path", "from", "value")}
        try:
            result = jsonpatch.JsonPatch([clean]).apply(doc)
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError, IndexError) as err:
            return Issue(
                format_path(where),
                f"{_label(doc)}: {op['op']} {op['path']}: {_explain_failure(op, doc, err)}",
                rule="patch-failed",
            )
        if not isinstance(result, dict) or not isinstance(result.get("kind"), str):
            return Issue(
                format_path(where),
                f"{_label(doc)}: {op['op']} {op['path']} would leave no Kubernetes object (a mapping with a kind)",
                rule="patch-failed",
            )
        doc = result
        if op["op"] in ("add", "replace", "move", "copy"):
            kind = "value" if op["op"] in ("add", "replace") else "op"
            written.append(_Written(k, where, kind, pointer_parts(op["path"]), None))
    out[k] = doc
    return None


def _placing(written: list[_Written], fallback: ToIssues) -> ToIssues:
    if not written:
        return fallback

    def to_issues(objects: list[dict[str, Any]], raws: list[Any]) -> list[Issue]:
        placed: list[Issue] = []
        rest: list[Any] = []
        seen: set[tuple[str, str, str]] = set()
        for raw in raws:
            spot = next(
                (p for w in reversed(written) if w.index == raw.index and (p := w.place(tuple(raw.path))) is not None),
                None,
            )
            if spot is None:
                rest.append(raw)
                continue
            key = (format_path(spot), raw.rule.id, raw.message)
            if key not in seen:
                seen.add(key)
                placed.append(Issue(key[0], raw.message, raw.severity, raw.rule.id, prevents=raw.rule.prevents))
        return placed + fallback(objects, rest)

    return to_issues
