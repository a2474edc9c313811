"""What the importer knows about kinds: the one place to extend when the format grows.

A preset describes one workload (:data:`WORKLOADS`) and the objects that travel with it
(:data:`COMPANIONS`). Adding a kind the format learns to render is one entry here: the
importer fits the object's fields to the preset schema by name, renders the result and keeps
whatever differs as patches, so a field the schema already knows needs no code.

Where a kind keeps its pod spec and labels comes from the shared registry
(:mod:`scaffold.k8s.kinds`); which kinds a preset renders from the preset schema
(:func:`renderable_kinds`). What is the importer's own (which object fields are preset fields,
the bare-Pod numbering) is in the tables below.
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


def _workload(name: str, *, numbered: bool = False) -> WorkloadKind:
    """The importer's view of a kind of the shared registry (:mod:`scaffold.k8s.kinds`)."""
    from ..k8s.kinds import KINDS

    kind = KINDS[name]
    assert kind.pod_spec is not None and kind.pod_labels is not None, name
    fields = None if kind.pod_spec == ("spec",) else ("spec",)
    return WorkloadKind(name, kind.pod_spec, kind.pod_labels, fields, numbered)


#: The workload kinds a preset renders. Adding one the format learns is one entry here.
WORKLOADS: dict[str, WorkloadKind] = {
    "Deployment": _workload("Deployment"),
    "Pod": _workload("Pod", numbered=True),  # the format's bare-Pod rule: name1 .. nameN
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
