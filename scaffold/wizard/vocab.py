"""What the preset format allows, read from its one source of truth: the schema.

The wizard never keeps its own copy of a vocabulary (kinds, sizes, probe handlers, volume
sources, pull policies, ...). Every list of choices and every field order comes through the
few functions here, so a value added to the format shows up in the wizard by itself.

A path is dotted field names; list levels are transparent (``containers.imagePullPolicy`` is
the field of every container, ``volumes.hostPath.type`` that of every hostPath volume).
"""

from __future__ import annotations

from typing import Any

from ..k8s import vocab as k8s

#: Fields whose values the schema leaves to the rule engine (``scaffold lint`` judges the same
#: fields in manifests that never were presets): the Kubernetes vocabulary the rules use.
#: ExternalName is not offered: a preset's Service is in front of its pods.
_JUDGED_BY_RULES: dict[str, tuple[str, ...]] = {
    "containers.imagePullPolicy": k8s.PULL_POLICIES,
    "service.type": k8s.POD_SERVICE_TYPES,
    "volumes.hostPath.type": k8s.HOST_PATH_TYPES,
    "volumes.emptyDir.medium": k8s.EMPTY_DIR_MEDIA,
    "concurrencyPolicy": k8s.CONCURRENCY_POLICIES,
}


def field(path: str) -> dict[str, Any]:
    """The schema rules of the field at ``path`` ("" is the preset itself)."""
    from ..preset.schema import SCHEMA

    node: dict[str, Any] = {"type": "dict", "schema": SCHEMA}
    for part in path.split(".") if path else ():
        while node.get("type") == "list" and isinstance(node.get("schema"), dict) and "type" in node["schema"]:
            node = node["schema"]  # into the list's items
        sub = node.get("schema")
        if not isinstance(sub, dict) or part not in sub:
            raise KeyError(f"the preset format has no field {path!r}")
        node = sub[part]
    return node


def fields(path: str = "") -> tuple[str, ...]:
    """The field names under ``path``, in the schema's order (the order presets are written in)."""
    node = field(path)
    while node.get("type") == "list":
        node = node["schema"]
    return tuple(node.get("schema") or ())


def sub_objects(path: str) -> tuple[str, ...]:
    """The fields under ``path`` that are objects: a probe's handlers, a volume's sources."""
    node = field(path)
    while node.get("type") == "list":
        node = node["schema"]
    return tuple(k for k, rules in (node.get("schema") or {}).items() if rules.get("type") == "dict")


def allowed(path: str) -> tuple[str, ...]:
    """The values the format allows at ``path``: the schema's ``allowed`` list, or the rule's."""
    rules = field(path)
    if "allowed" in rules:
        return tuple(rules["allowed"])
    if path in _JUDGED_BY_RULES:
        return _JUDGED_BY_RULES[path]
    raise KeyError(f"the preset format lists no values for {path!r}")


def default(path: str) -> Any:
    """The schema's default for the field at ``path`` (None when it has none)."""
    return field(path).get("default")
