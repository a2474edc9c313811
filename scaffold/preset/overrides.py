"""``--set PATH=VALUE`` and ``-f values.yaml``: layers applied to a preset before validation.

Mappings merge, lists replace, and a null value removes the key (as with Helm values).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Union

from ..errors import Issue, Located, PresetError
from ..paths import Path, format_path, parse_path


class Override(NamedTuple):
    """One ``PATH=VALUE`` assignment; VALUE is already parsed."""

    path: Path
    value: Any

    @classmethod
    def parse(cls, text: str) -> Override:
        """``containers[0].image=nginx:1.27``; VALUE is read as YAML (``5`` is a number)."""
        if "=" not in text:
            raise PresetError([Issue("", f"--set {_short(text)}: expected PATH=VALUE", rule="override")])
        from ..loader import MAX_DEPTH, load_yaml

        raw_path, raw_value = text.split("=", 1)
        try:
            path = parse_path(raw_path.strip())
        except ValueError as err:
            raise PresetError([Issue("", f"--set {_short(text)}: {err}", rule="override")]) from err
        if len(path) > MAX_DEPTH:  # nothing in a preset is that deep; set_path would recurse that far
            raise PresetError([Issue("", f"--set: the path has {len(path)} parts; the limit is {MAX_DEPTH}", rule="override")])

        value = load_yaml(raw_value, source="--set", string_keys=True).data if raw_value.strip() else None
        return cls(path, value)


Layer = Union[Override, Mapping[str, Any], str, "os.PathLike[str]"]


def _short(text: str) -> str:
    """``text`` quoted for a message, cut to a readable length."""
    return repr(text) if len(text) <= 120 else repr(text[:117]) + "..."


def deep_merge(base: Any, top: Any) -> Any:
    """``top`` over ``base``: mappings merge key by key, anything else replaces; null deletes."""
    if isinstance(base, dict) and isinstance(top, Mapping):
        out = dict(base)
        for key, value in top.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = deep_merge(out.get(key), value)
        return out
    return copy.deepcopy(top)


def set_path(data: Any, path: Path, value: Any) -> Any:
    """``data`` with ``value`` at ``path``, creating mappings on the way; null deletes."""
    if not path:
        return copy.deepcopy(value)
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        if not isinstance(data, list):
            raise ValueError(f"{head} is a list index, but there is no list here")
        items = list(data)
        index = head if head >= 0 else len(items) + head
        if index == len(items) and value is not None:
            items.append(set_path(None, rest, value))
        elif 0 <= index < len(items):
            if not rest and value is None:
                del items[index]
            else:
                items[index] = set_path(items[index], rest, value)
        else:
            raise ValueError(f"index {head} is out of range (the list has {len(items)} items)")
        return items
    mapping = dict(data) if isinstance(data, dict) else {}
    if data is not None and not isinstance(data, dict):
        raise ValueError(f"{head!r} is a field name, but there is a {type(data).__name__} here")
    if not rest and value is None:
        mapping.pop(head, None)
    else:
        mapping[head] = set_path(mapping.get(head), rest, value)
    return mapping


class Origin(NamedTuple):
    """Where the value at ``path`` (and below) came from, when a layer set it."""

    path: Path
    #: The values file with its line/column marks, or None for --set and mappings.
    located: Located | None
    label: str


def _leaf_paths(values: Any, prefix: Path = ()) -> list[Path]:
    """Paths a deep merge of ``values`` replaces: its leaves (lists replace whole)."""
    if isinstance(values, Mapping) and values:
        return [p for key, value in values.items() for p in _leaf_paths(value, (*prefix, key))]
    return [prefix]


def apply_layers(data: Any, layers: Iterable[Layer]) -> Any:
    """Apply values files, mappings and overrides in the order given."""
    return apply_layers_traced(data, layers)[0]


def apply_layers_traced(data: Any, layers: Iterable[Layer]) -> tuple[Any, list[Origin]]:
    """:func:`apply_layers`, also saying which paths each layer set (later layers last),
    so a problem in an overridden value points at the override, not at the preset file."""
    from ..loader import load_yaml, read_source

    origins: list[Origin] = []
    for layer in layers:
        if isinstance(layer, Override):
            try:
                data = set_path(data, layer.path, layer.value)
            except ValueError as err:
                raise PresetError([Issue(format_path(layer.path), str(err), rule="override", file="--set")]) from err
            origins.append(Origin(layer.path, None, "--set"))
        elif isinstance(layer, Mapping):
            data = deep_merge(data, layer)
            origins.extend(Origin(p, None, "values") for p in _leaf_paths(layer))
        else:
            raw, name = read_source(os.fspath(layer))
            located = load_yaml(raw, source=name, string_keys=True)
            values = located.data
            if values is None:
                continue
            if not isinstance(values, dict):
                raise PresetError([Issue("", "a values file must be a mapping of preset fields", rule="override", file=name, line=1, column=1)])
            data = deep_merge(data, values)
            origins.extend(Origin(p, located, name) for p in _leaf_paths(values))
    return data, origins
