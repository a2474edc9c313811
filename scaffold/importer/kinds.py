"""What the importer knows about kinds: the one place to extend when the format grows.

A preset describes one workload (:data:`WORKLOADS`) and the objects that travel with it
(:data:`COMPANIONS`). Adding a kind the format learns to render is one entry here: the
importer fits the object's fields to the preset schema by name, renders the result and keeps
whatever differs as patches, so a field the schema already knows needs no code.

Kind facts (where the pod spec sits, which kinds the format renders) stay in this module, so
that moving to a shared kinds registry later touches only :func:`renderable_kinds` and the
tables below.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..paths import Path


class WorkloadKind(NamedTuple):
    """A kind a preset can render as its workload."""

    kind: str
    #: Where the pod spec sits in the object.
    pod_spec: Path
    #: Where the pod labels sit (the ones Services select).
    pod_labels: Path
    #: Where the other top-level preset fields come from (``spec.replicas`` -> ``replicas``),
    #: or None when the kind has no such fields.
    fields: Path | None
    #: The bare-Pod rule of the format: N objects ``name1`` .. ``nameN`` for ``replicas: N``.
    numbered: bool = False


#: The workload kinds, in the order of the format's ``kind`` field.
WORKLOADS: dict[str, WorkloadKind] = {
    "Deployment": WorkloadKind("Deployment", ("spec", "template", "spec"), ("spec", "template", "metadata", "labels"), ("spec",)),
    "Pod": WorkloadKind("Pod", ("spec",), ("metadata", "labels"), None, numbered=True),
}

#: Kinds that travel with a workload: kind -> the preset field they become. The selection
#: rule (which object belongs to which app) is in :mod:`scaffold.importer.manifests`.
COMPANIONS: dict[str, str] = {
    "Service": "service",
}

#: The object fields of a workload that are spec fields of the object, not preset fields.
NOT_PRESET_FIELDS = frozenset({"template", "selector"})


def renderable_kinds() -> tuple[str, ...]:
    """The workload kinds the preset format renders today (the schema's ``kind`` values)."""
    from ..preset.schema import SCHEMA

    allowed = SCHEMA["kind"].get("allowed", ())
    return tuple(k for k in allowed if k in WORKLOADS)


def get(obj: Any, path: Path) -> Any:
    """The value at ``path``, or None when any step is missing or of the wrong type."""
    node = obj
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def pod_spec_path(kind: str) -> Path | None:
    entry = WORKLOADS.get(kind)
    return entry.pod_spec if entry else None
