"""The difference between two objects as patches: what a preset cannot say, kept.

:func:`diff` writes RFC 6902 operations that turn one object into another, aligning lists of
named items (containers, env, ports, volumes) by name so that one extra field of one
container is one operation, not a copy of the whole list. :func:`as_patches` then writes the
operations that touch only mappings as one merge patch (easier to read) and the rest (list
items) as a JSON patch.
"""

from __future__ import annotations

import copy
from typing import Any

from ..preset.patches import pointer
from .canonical import same_value

Op = dict[str, Any]
Parts = tuple[str | int, ...]


def _named(items: list[Any]) -> list[str] | None:
    """The names of a list of uniquely named mappings, or None."""
    names = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            return None
        names.append(item["name"])
    return names if len(set(names)) == len(names) else None


def diff(old: Any, new: Any, at: Parts = ()) -> list[tuple[str, Parts, Any, Parts | None]]:
    """Operations ``(op, path, value, from)`` that turn ``old`` into ``new``, in order."""
    if isinstance(old, dict) and isinstance(new, dict):
        ops: list[tuple[str, Parts, Any, Parts | None]] = []
        for key in old:
            if key not in new:
                ops.append(("remove", (*at, key), None, None))
        for key, value in new.items():
            if key not in old:
                ops.append(("add", (*at, key), copy.deepcopy(value), None))
            else:
                ops.extend(diff(old[key], value, (*at, key)))
        return ops
    if isinstance(old, list) and isinstance(new, list):
        old_names, new_names = _named(old), _named(new)
        if old_names is not None and new_names is not None and (old_names != new_names or len(old) != len(new)):
            return _diff_named(old, new, old_names, new_names, at)
        if len(old) == len(new):
            ops = []
            for index, (a, b) in enumerate(zip(old, new)):
                ops.extend(diff(a, b, (*at, index)))
            return ops
        return [("replace", at, copy.deepcopy(new), None)]
    if same_value(old, new):
        return []
    return [("replace", at, copy.deepcopy(new), None)]


def _diff_named(
    old: list[Any], new: list[Any], old_names: list[str], new_names: list[str], at: Parts
) -> list[tuple[str, Parts, Any, Parts | None]]:
    """Remove, move and add items so the names come in ``new``'s order, then diff each item.

    The operations apply one after the other, so each index is computed on the list as the
    operations before it left it (``current`` simulates that list).
    """
    ops: list[tuple[str, Parts, Any, Parts | None]] = []
    by_name = dict(zip(old_names, old))
    current = list(old_names)
    for index in range(len(current) - 1, -1, -1):
        if current[index] not in new_names:
            ops.append(("remove", (*at, index), None, None))
            del current[index]
    for index, (name, item) in enumerate(zip(new_names, new)):
        if name in by_name:
            where = current.index(name)
            if where != index:
                ops.append(("move", (*at, index), None, (*at, where)))
                current.insert(index, current.pop(where))
            ops.extend(diff(by_name[name], item, (*at, index)))
        else:
            ops.append(("add", (*at, index), copy.deepcopy(item), None))
            current.insert(index, name)
    return ops


def _has_none(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_none(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_none(v) for v in value)
    return False


def _mergeable(op: str, path: Parts, value: Any) -> bool:
    """A merge patch can say it: only mapping keys on the way, and no null inside a value
    (a merge patch reads null as "delete")."""
    if not path or any(isinstance(p, int) for p in path):
        return False
    if op == "remove":
        return True
    return op in ("add", "replace") and not _has_none(value) and not (isinstance(value, dict) and not value)


def as_patches(target: dict[str, Any], ops: list[tuple[str, Parts, Any, Parts | None]]) -> list[dict[str, Any]]:
    """The operations as at most two patches on ``target``: a merge patch, then a JSON patch.

    The two never touch the same field: a merge operation's path has no list index, and a
    JSON operation's path has one, or is a whole value the merge patch cannot express. A
    merge patch that renames the object comes second, since the target names the object
    as it was rendered.
    """
    merge: dict[str, Any] = {}
    json_ops: list[Op] = []
    for op, path, value, source in ops:
        if _mergeable(op, path, value):
            node = merge
            for part in path[:-1]:
                node = node.setdefault(str(part), {})
            node[str(path[-1])] = None if op == "remove" else value
        else:
            entry: Op = {"op": op, "path": pointer(path)}
            if source is not None:
                entry["from"] = pointer(source)
            if op in ("add", "replace"):
                entry["value"] = value
            json_ops.append(entry)
    patches: list[dict[str, Any]] = []
    if merge:
        patches.append({"target": dict(target), "merge": merge})
    if json_ops:
        patches.append({"target": dict(target), "json": json_ops})
    if len(patches) == 2 and isinstance(merge.get("metadata"), dict) and "name" in merge["metadata"]:
        patches.reverse()  # the target is found by its rendered name: rename last
    return patches
