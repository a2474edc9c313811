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
    #: Where the other top-level preset fields come from (``spec.replicas`` -> ``replicas``;
    #: a CronJob's ``spec`` and its Job's ``spec.jobTemplate.spec``), outermost first.
    fields: tuple[Path, ...]
    #: The bare-Pod rule of the format: N objects ``name1`` .. ``nameN`` for ``replicas: N``.
    numbered: bool = False
    #: Where the name of its governing Service is (a StatefulSet's ``spec.serviceName``): a
    #: preset renders that headless Service right before the workload.
    service_name: Path | None = None


def _workload(name: str, *, numbered: bool = False) -> WorkloadKind:
    """The importer's view of a kind of the shared registry (:mod:`scaffold.k8s.kinds`)."""
    from ..k8s.kinds import KINDS

    kind = KINDS[name]
    assert kind.pod_spec is not None and kind.pod_labels is not None, name
    # Every ``spec`` on the way to the pod spec holds preset fields (the pod spec itself is
    # read separately): a Deployment's ``spec``; a CronJob's ``spec`` and its Job's spec.
    fields = tuple(kind.pod_spec[: i + 1] for i, part in enumerate(kind.pod_spec[:-1]) if part == "spec")
    return WorkloadKind(name, kind.pod_spec, kind.pod_labels, fields, numbered, kind.service_name)


#: The workload kinds a preset renders. Adding one the format learns is one entry here.
WORKLOADS: dict[str, WorkloadKind] = {
    "Deployment": _workload("Deployment"),
    "Pod": _workload("Pod", numbered=True),  # the format's bare-Pod rule: name1 .. nameN
    "StatefulSet": _workload("StatefulSet"),
    "DaemonSet": _workload("DaemonSet"),
    "Job": _workload("Job"),
    "CronJob": _workload("CronJob"),
}

class Companion(NamedTuple):
    """A kind that travels with a workload and the preset field it becomes."""

    kind: str
    #: The preset field.
    field: str
    #: A preset has a list of them (``configMaps``), not one.
    many: bool = False
    #: Rendered before the workload (ServiceAccount, ConfigMaps, claims), else after it.
    before: bool = False


#: Kinds that travel with a workload, in the order a preset renders them (the workload sits
#: between the ``before`` ones and the rest). Which object belongs to which app, and how it
#: becomes its field, is in :mod:`scaffold.importer.companions`.
COMPANIONS: dict[str, Companion] = {
    c.kind: c
    for c in (
        Companion("ServiceAccount", "serviceAccount", before=True),
        Companion("ConfigMap", "configMaps", many=True, before=True),
        Companion("PersistentVolumeClaim", "persistentVolumeClaims", many=True, before=True),
        Companion("Service", "service"),
        Companion("Ingress", "ingress"),
        Companion("HorizontalPodAutoscaler", "autoscale"),
        Companion("PodDisruptionBudget", "disruptionBudget"),
        Companion("NetworkPolicy", "networkPolicy"),
    )
}

#: The object fields of a workload that are spec fields of the object, not preset fields
#: (``volumeClaimTemplates`` is a preset field in a shorter form: :mod:`.manifests` writes it).
NOT_PRESET_FIELDS = frozenset({"template", "selector", "jobTemplate", "volumeClaimTemplates"})


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
