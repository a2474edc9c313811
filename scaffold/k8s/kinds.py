"""The Kubernetes kinds scaffold knows: one record per kind, the one place that says where a
kind keeps its pod template, its labels, replicas and selector, which template renders it and
how a path in a rendered object maps back to the preset.

The rule engine, ``lint``, the renderer and the docs all ask this module; none of them keeps
its own list of kinds. Rules say which kinds they judge by *capability* (``POD_BEARING``,
``HAS_SELECTOR``, ...), so a kind added here is judged by every rule that applies to it.

Records are NamedTuples, not dataclasses: every render imports this module, and a dataclass
costs about a millisecond to create at import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from ..paths import Path

_META: Path = ("metadata",)
_TEMPLATE: Path = ("spec", "template")
_JOB_TEMPLATE: Path = ("spec", "jobTemplate", "spec", "template")


class Kind(NamedTuple):
    """What scaffold knows about one kind of object."""

    name: str
    api_version: str
    #: Where the pod spec lives (``spec`` of a Pod, ``spec.template.spec`` of a Deployment);
    #: None for kinds that carry no pod.
    pod_spec: Path | None = None
    #: Where the metadata of the pod (template) lives: its labels and annotations.
    pod_metadata: Path | None = None
    #: Where the replica count lives; None when the kind has none.
    replicas: Path | None = None
    #: Where the label selector lives; None when the kind has none.
    selector: Path | None = None
    #: ``labelSelector`` (matchLabels/matchExpressions) or ``map`` (plain key: value pairs).
    selector_style: str = "labelSelector"
    #: The API server rejects the object without a selector.
    selector_required: bool = False
    #: Where the name of the governing Service lives (StatefulSet).
    service_name: Path | None = None
    #: Where the Service ports live (Service).
    ports: Path | None = None
    #: The pod restartPolicy values the API server accepts for this kind.
    restart_policies: tuple[str, ...] = ("Always", "OnFailure", "Never")
    #: ``subdomain`` (DNS-1123 subdomain) or ``dns1035`` (DNS-1035 label) for metadata.name.
    name_format: str = "subdomain"
    #: Longest metadata.name the API server accepts.
    name_max: int = 253
    #: Template that renders it from a preset (templates/); None when presets never render it.
    template: str | None = None
    #: ``(path in the object, path in the preset)`` prefixes, first match wins.
    preset_paths: tuple[tuple[Path, Path], ...] = ()
    #: Preset path of every other field of a rendered object.
    preset_fallback: Path = ()
    #: The kind-specific preset fields this kind takes (a preset of another kind that sets
    #: one is refused, naming the kinds that take it).
    fields: tuple[str, ...] = ()
    #: A preset renders one object per replica (bare Pods: name1..nameN).
    per_replica: bool = False
    #: Where the volumeClaimTemplates live (StatefulSet): mountable by name like volumes.
    claim_templates: Path | None = None
    #: Where the rollout strategy lives (``strategy`` or ``updateStrategy``).
    strategy: Path | None = None
    #: Where the cron schedule and its time zone live (CronJob).
    schedule: Path | None = None

    @property
    def pod_bearing(self) -> bool:
        return self.pod_spec is not None

    @property
    def pod_labels(self) -> Path | None:
        """Where the labels that selectors match live (the pod's, or its template's)."""
        return None if self.pod_metadata is None else (*self.pod_metadata, "labels")

    def preset_path(self, path: Path) -> Path:
        """Where a field of an object of this kind, rendered from a preset, comes from."""
        for prefix, preset in self.preset_paths:
            if path[: len(prefix)] == prefix:
                return (*preset, *path[len(prefix):])
        return self.preset_fallback


def _workload_paths(
    pod_spec: Path, pod_labels: Path, spec: Path = ("spec",), fields: tuple[str, ...] = ()
) -> tuple[tuple[Path, Path], ...]:
    return (
        (pod_spec, ()),
        *(((*spec, f), (f,)) for f in fields),
        (("spec", "replicas"), ("replicas",)),
        (("metadata", "name"), ("name",)),
        (("metadata", "namespace"), ("namespace",)),
        (("metadata", "labels"), ("labels",)),
        (("metadata", "annotations"), ("annotations",)),
        (pod_labels, ("labels",)),
    )


_RUNNING = ("Always",)
_JOB_FIELDS = ("completions", "parallelism", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "completionMode")
_CRON_FIELDS = (
    "schedule", "timeZone", "concurrencyPolicy", "startingDeadlineSeconds", "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit", "suspend",
)
_DEPLOYMENT_FIELDS = ("replicas", "service", "strategy", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds")
_STATEFULSET_FIELDS = (
    "replicas", "service", "serviceName", "podManagementPolicy", "updateStrategy", "volumeClaimTemplates",
    "minReadySeconds", "revisionHistoryLimit",
)
_DAEMONSET_FIELDS = ("service", "updateStrategy", "minReadySeconds", "revisionHistoryLimit")
_TO_COMPLETION = ("OnFailure", "Never")

#: Every kind scaffold knows, by name. The order is the order of docs and messages.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "Deployment",
            "apps/v1",
            pod_spec=(*_TEMPLATE, "spec"),
            pod_metadata=(*_TEMPLATE, "metadata"),
            replicas=("spec", "replicas"),
            selector=("spec", "selector"),
            selector_required=True,
            restart_policies=_RUNNING,
            template="deployment.yaml.j2",
            preset_paths=_workload_paths((*_TEMPLATE, "spec"), (*_TEMPLATE, "metadata", "labels"), fields=_DEPLOYMENT_FIELDS[2:]),
            fields=_DEPLOYMENT_FIELDS,
            strategy=("spec", "strategy"),
        ),
        Kind(
            "Pod",
            "v1",
            pod_spec=("spec",),
            pod_metadata=_META,
            template="pod.yaml.j2",
            preset_paths=_workload_paths(("spec",), ("metadata", "labels")),
            fields=("replicas", "service"),
            per_replica=True,
        ),
        Kind(
            "StatefulSet",
            "apps/v1",
            pod_spec=(*_TEMPLATE, "spec"),
            pod_metadata=(*_TEMPLATE, "metadata"),
            replicas=("spec", "replicas"),
            selector=("spec", "selector"),
            selector_required=True,
            service_name=("spec", "serviceName"),
            restart_policies=_RUNNING,
            template="statefulset.yaml.j2",
            preset_paths=_workload_paths((*_TEMPLATE, "spec"), (*_TEMPLATE, "metadata", "labels"), fields=_STATEFULSET_FIELDS[2:]),
            fields=_STATEFULSET_FIELDS,
            claim_templates=("spec", "volumeClaimTemplates"),
            strategy=("spec", "updateStrategy"),
        ),
        Kind(
            "DaemonSet",
            "apps/v1",
            pod_spec=(*_TEMPLATE, "spec"),
            pod_metadata=(*_TEMPLATE, "metadata"),
            selector=("spec", "selector"),
            selector_required=True,
            restart_policies=_RUNNING,
            template="daemonset.yaml.j2",
            preset_paths=_workload_paths((*_TEMPLATE, "spec"), (*_TEMPLATE, "metadata", "labels"), fields=_DAEMONSET_FIELDS[1:]),
            fields=_DAEMONSET_FIELDS,
            strategy=("spec", "updateStrategy"),
        ),
        Kind(
            "ReplicaSet",
            "apps/v1",
            pod_spec=(*_TEMPLATE, "spec"),
            pod_metadata=(*_TEMPLATE, "metadata"),
            replicas=("spec", "replicas"),
            selector=("spec", "selector"),
            selector_required=True,
            restart_policies=_RUNNING,
        ),
        Kind(
            "ReplicationController",
            "v1",
            pod_spec=(*_TEMPLATE, "spec"),
            pod_metadata=(*_TEMPLATE, "metadata"),
            replicas=("spec", "replicas"),
            selector=("spec", "selector"),
            selector_style="map",
            restart_policies=_RUNNING,
        ),
        Kind(
            "Job",
            "batch/v1",
            pod_spec=(*_TEMPLATE, "spec"),
            pod_metadata=(*_TEMPLATE, "metadata"),
            selector=("spec", "selector"),
            restart_policies=_TO_COMPLETION,
            template="job.yaml.j2",
            preset_paths=_workload_paths((*_TEMPLATE, "spec"), (*_TEMPLATE, "metadata", "labels"), fields=_JOB_FIELDS),
            fields=_JOB_FIELDS,
        ),
        Kind(
            "CronJob",
            "batch/v1",
            pod_spec=(*_JOB_TEMPLATE, "spec"),
            pod_metadata=(*_JOB_TEMPLATE, "metadata"),
            restart_policies=_TO_COMPLETION,
            # The Jobs it creates append an 11-character suffix to a 63-character label.
            name_max=52,
            template="cronjob.yaml.j2",
            preset_paths=(
                *_workload_paths(
                    (*_JOB_TEMPLATE, "spec"), (*_JOB_TEMPLATE, "metadata", "labels"),
                    spec=("spec", "jobTemplate", "spec"), fields=_JOB_FIELDS,
                ),
                *((("spec", f), (f,)) for f in _CRON_FIELDS),
            ),
            fields=(*_JOB_FIELDS, *_CRON_FIELDS),
            schedule=("spec",),
        ),
        Kind(
            "Service",
            "v1",
            selector=("spec", "selector"),
            selector_style="map",
            ports=("spec", "ports"),
            name_format="dns1035",
            name_max=63,
            template="service.yaml.j2",
            preset_paths=(
                (("spec", "ports"), ("service", "ports")),
                (("spec", "type"), ("service", "type")),
                (("metadata", "name"), ("service", "name")),
                (("metadata", "annotations"), ("service", "annotations")),
                (("metadata", "labels"), ("labels",)),
            ),
            preset_fallback=("service",),
        ),
        # ----- Objects that travel with the app (preset-format.md); no pods of their own.
        Kind(
            "ServiceAccount",
            "v1",
            template="serviceaccount.yaml.j2",
            preset_paths=((("automountServiceAccountToken",), ("serviceAccount", "automountToken")),),
            preset_fallback=("serviceAccount",),
        ),
        Kind("ConfigMap", "v1", template="configmap.yaml.j2", preset_fallback=("configMaps",)),
        Kind(
            "PersistentVolumeClaim",
            "v1",
            template="persistentvolumeclaim.yaml.j2",
            preset_fallback=("persistentVolumeClaims",),
        ),
        Kind(
            "Ingress",
            "networking.k8s.io/v1",
            template="ingress.yaml.j2",
            preset_paths=(
                (("spec", "tls"), ("ingress", "tls")),
                (("spec", "ingressClassName"), ("ingress", "className")),
                (("metadata", "annotations"), ("ingress", "annotations")),
            ),
            preset_fallback=("ingress",),
        ),
        Kind(
            "HorizontalPodAutoscaler",
            "autoscaling/v2",
            template="horizontalpodautoscaler.yaml.j2",
            preset_paths=(
                (("spec", "minReplicas"), ("autoscale", "min")),
                (("spec", "maxReplicas"), ("autoscale", "max")),
            ),
            preset_fallback=("autoscale",),
        ),
        Kind(
            "PodDisruptionBudget",
            "policy/v1",
            selector=("spec", "selector"),
            template="poddisruptionbudget.yaml.j2",
            preset_paths=(
                (("spec", "minAvailable"), ("disruptionBudget", "minAvailable")),
                (("spec", "maxUnavailable"), ("disruptionBudget", "maxUnavailable")),
            ),
            preset_fallback=("disruptionBudget",),
        ),
        Kind(
            "NetworkPolicy",
            "networking.k8s.io/v1",
            selector=("spec", "podSelector"),
            template="networkpolicy.yaml.j2",
            preset_paths=((("spec", "ingress"), ("networkPolicy", "from")),),
            preset_fallback=("networkPolicy",),
        ),
    )
}


def kind_of(obj: Any) -> Kind | None:
    """The record of an object's kind; None for non-objects and kinds scaffold does not know."""
    if not isinstance(obj, dict):
        return None
    name = obj.get("kind")
    return KINDS.get(name) if isinstance(name, str) else None


def dig(obj: Any, path: Path, default: Any = None) -> Any:
    """The value at ``path``, or ``default`` where it is missing or the object is malformed on
    the way (lint sees any YAML)."""
    for part in path:
        if not isinstance(obj, dict) or part not in obj:
            return default
        obj = obj[part]
    return obj


# ---------------------------------------------------------------- capabilities


class Capability(NamedTuple):
    """A property of kinds that decides whether a rule judges an object (``POD_BEARING``)."""

    label: str
    test: Callable[[Kind | None], bool]

    def __or__(self, other: Capability) -> Capability:  # type: ignore[override]
        return Capability(f"{self.label} or {other.label}", lambda k: self.test(k) or other.test(k))

    def judges(self, obj: Any) -> bool:
        """True when a rule with this capability looks at ``obj``."""
        return self.test(kind_of(obj))

    def kinds(self) -> tuple[str, ...]:
        """The known kinds that have the capability (for the docs)."""
        return tuple(k.name for k in KINDS.values() if self.test(k))


#: Every object, of any kind (also kinds scaffold does not know).
ANY = Capability("every kind", lambda k: True)
#: Every kind in the registry.
KNOWN = Capability("every kind scaffold knows", lambda k: k is not None)
POD_BEARING = Capability("pod-bearing", lambda k: k is not None and k.pod_bearing)
#: Workloads that manage their pods through a selector over their own pod template.
HAS_SELECTOR = Capability("has a pod selector", lambda k: k is not None and k.pod_bearing and k.selector is not None)
HAS_REPLICAS = Capability("has replicas", lambda k: k is not None and k.replicas is not None)
#: Workloads whose pods must run forever (restartPolicy Always only).
KEEPS_PODS_RUNNING = Capability("keeps its pods running", lambda k: k is not None and k.restart_policies == _RUNNING)
#: Workloads whose pods run to completion (restartPolicy OnFailure or Never).
RUNS_TO_COMPLETION = Capability("runs pods to completion", lambda k: k is not None and k.restart_policies == _TO_COMPLETION)
#: Workloads with a rollout strategy (Deployment ``strategy``, StatefulSet/DaemonSet ``updateStrategy``).
HAS_STRATEGY = Capability("has a rollout strategy", lambda k: k is not None and k.strategy is not None)
#: Workloads that run on a cron schedule (CronJob).
SCHEDULED = Capability("runs on a schedule", lambda k: k is not None and k.schedule is not None)
#: Workloads with a governing Service (StatefulSet).
HAS_SERVICE_NAME = Capability("has a governing Service", lambda k: k is not None and k.service_name is not None)
#: Workloads that run one pod per node and take no replica count (DaemonSet).
ONE_PER_NODE = Capability(
    "runs one pod per node",
    lambda k: k is not None and k.pod_bearing and k.replicas is None and k.selector_required,
)
#: Objects that route traffic to the pods their selector matches (Services).
ROUTES_TO_PODS = Capability("routes to pods", lambda k: k is not None and k.ports is not None)


#: Every kind-specific preset field, with the kinds that take it (in registry order).
KIND_FIELDS: dict[str, tuple[str, ...]] = {}
for _kind in KINDS.values():
    for _field in _kind.fields:
        KIND_FIELDS[_field] = (*KIND_FIELDS.get(_field, ()), _kind.name)

#: The workload kinds a preset can ask for, the default first.
PRESET_KINDS: tuple[str, ...] = tuple(k.name for k in KINDS.values() if k.template is not None and k.pod_bearing)
