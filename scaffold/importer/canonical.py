"""Semantic equality of Kubernetes objects: what the round trip compares.

Two objects are "the same" when their canonical forms are equal as data. The canonical form
drops what the API server writes itself (:func:`server_fields`) and fields equal to the API's
defaults (:data:`DEFAULTS_DOC` lists them; docs/import.md shows the list), and writes
resource quantities given as numbers as strings (``cpu: 1`` is ``cpu: "1"``). Key order and
quoting never matter: the comparison is on data.

The importer builds presets from canonical objects, so a preset never spells out an API
default, and it keeps as patches only what differs canonically.
"""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

from .kinds import WORKLOADS, get

#: metadata fields the API server sets; never part of what a person wrote.
SERVER_METADATA = ("creationTimestamp", "uid", "resourceVersion", "generation", "managedFields", "selfLink")
#: Annotations written by tools and controllers, not by people.
SERVER_ANNOTATIONS = (
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
)

_PROBE_DEFAULTS = {"initialDelaySeconds": 0, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
_POD_DEFAULTS: dict[str, Any] = {
    "restartPolicy": "Always",
    "dnsPolicy": "ClusterFirst",
    "schedulerName": "default-scheduler",
    "terminationGracePeriodSeconds": 30,
    "securityContext": {},
    "enableServiceLinks": True,
    "hostNetwork": False,
    "hostPID": False,
    "hostIPC": False,
    "serviceAccountName": "default",
    "nodeSelector": {},
}
_CONTAINER_DEFAULTS: dict[str, Any] = {
    "terminationMessagePath": "/dev/termination-log",
    "terminationMessagePolicy": "File",
    "resources": {},
    "securityContext": {},
}
_DEPLOYMENT_DEFAULTS: dict[str, Any] = {
    "replicas": 1,
    "revisionHistoryLimit": 10,
    "progressDeadlineSeconds": 600,
    "minReadySeconds": 0,
    "paused": False,
}
_STATEFULSET_DEFAULTS: dict[str, Any] = {
    "replicas": 1,
    "podManagementPolicy": "OrderedReady",
    "revisionHistoryLimit": 10,
    "minReadySeconds": 0,
    "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Retain"},
}
_DAEMONSET_DEFAULTS: dict[str, Any] = {"revisionHistoryLimit": 10, "minReadySeconds": 0}
_JOB_DEFAULTS: dict[str, Any] = {"parallelism": 1, "backoffLimit": 6, "completionMode": "NonIndexed", "suspend": False}
_CRONJOB_DEFAULTS: dict[str, Any] = {
    "concurrencyPolicy": "Allow",
    "suspend": False,
    "successfulJobsHistoryLimit": 3,
    "failedJobsHistoryLimit": 1,
}
#: kind -> (where its strategy is, the rollingUpdate fields' defaults). A strategy of type
#: RollingUpdate whose rollingUpdate fields all equal these is the default strategy.
_STRATEGIES: dict[str, tuple[str, dict[str, Any]]] = {
    "Deployment": ("strategy", {"maxSurge": "25%", "maxUnavailable": "25%"}),
    "StatefulSet": ("updateStrategy", {"partition": 0}),
    "DaemonSet": ("updateStrategy", {"maxUnavailable": 1, "maxSurge": 0}),
}
#: The labels (and selector) the API server gives a Job's pods when it makes the selector.
JOB_SERVER_LABELS = ("controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name")
_HPA_DEFAULTS: dict[str, Any] = {"minReplicas": 1}
_SERVICE_DEFAULTS: dict[str, Any] = {
    "type": "ClusterIP",
    "sessionAffinity": "None",
    "internalTrafficPolicy": "Cluster",
    "ipFamilyPolicy": "SingleStack",
    "publishNotReadyAddresses": False,
}
_SERVICE_LB_DEFAULTS: dict[str, Any] = {"externalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True}

def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: For the docs: every field the comparison treats as equal to its absence.
DEFAULTS_DOC: list[tuple[str, str]] = [
    ("any object", "`status`; `metadata` " + ", ".join(f"`{f}`" for f in SERVER_METADATA)
     + "; the annotations " + ", ".join(f"`{a}`" for a in SERVER_ANNOTATIONS) + "; empty `labels` and `annotations`; "
     "empty lists anywhere (Kubernetes omits them)"),
    ("Deployment `spec`", ", ".join(f"`{k}: {_show(v)}`" for k, v in _DEPLOYMENT_DEFAULTS.items())
     + "; `strategy` RollingUpdate with maxSurge and maxUnavailable 25%"),
    ("StatefulSet `spec`", ", ".join(f"`{k}: {_show(v)}`" for k, v in _STATEFULSET_DEFAULTS.items())
     + "; `updateStrategy` RollingUpdate with partition 0; in `volumeClaimTemplates` `apiVersion`, `kind`, "
     "`status` and `spec.volumeMode: Filesystem`"),
    ("DaemonSet `spec`", ", ".join(f"`{k}: {_show(v)}`" for k, v in _DAEMONSET_DEFAULTS.items())
     + "; `updateStrategy` RollingUpdate with maxUnavailable 1 and maxSurge 0"),
    ("Job `spec` (also a CronJob's `jobTemplate.spec`)", ", ".join(f"`{k}: {_show(v)}`" for k, v in _JOB_DEFAULTS.items())
     + "; the `selector` and the pod labels " + ", ".join(f"`{k}`" for k in JOB_SERVER_LABELS)
     + " when the API server made them (no `manualSelector: true`)"),
    ("CronJob `spec`", ", ".join(f"`{k}: {_show(v)}`" for k, v in _CRONJOB_DEFAULTS.items())),
    ("pod spec", ", ".join(f"`{k}: {_show(v)}`" for k, v in _POD_DEFAULTS.items())
     + "; `serviceAccount` equal to `serviceAccountName`"),
    ("container", ", ".join(f"`{k}: {_show(v)}`" for k, v in _CONTAINER_DEFAULTS.items())
     + "; `ports[].protocol: TCP`; `volumeMounts[].readOnly: false`; empty `requests` and `limits`; "
     "resource quantities given as numbers equal the same text"),
    ("probe", ", ".join(f"`{k}: {v}`" for k, v in _PROBE_DEFAULTS.items()) + "; `httpGet.scheme: HTTP`"),
    ("volume", "`hostPath.type: \"\"`; `configMap`, `secret`, `projected` `defaultMode: 420` (0644)"),
    ("Service `spec`", "`selector: {}`, " + ", ".join(f"`{k}: {_show(v)}`" for k, v in _SERVICE_DEFAULTS.items())
     + "; `ports[].protocol: TCP`; `ports[].targetPort` equal to `port`; `clusterIP`/`clusterIPs` "
     "holding addresses and `ipFamilies` (assigned by the server); for NodePort and LoadBalancer "
     + ", ".join(f"`{k}: {_show(v)}`" for k, v in _SERVICE_LB_DEFAULTS.items())),
    ("PersistentVolumeClaim `spec`", "`volumeMode: Filesystem`; storage quantities given as numbers equal the same text"),
    ("HorizontalPodAutoscaler `spec`", ", ".join(f"`{k}: {_show(v)}`" for k, v in _HPA_DEFAULTS.items())),
    ("NetworkPolicy `spec`", "`policyTypes` equal to what the API server fills in: `[Ingress]`, or `[Ingress, Egress]` when there are egress rules"),
]


def _drop_equal(mapping: Any, defaults: dict[str, Any]) -> None:
    if not isinstance(mapping, dict):
        return
    for key, value in defaults.items():
        if key in mapping and _same_value(mapping[key], value):
            del mapping[key]


def _same_value(a: Any, b: Any) -> bool:
    """Equal as JSON data: ``True`` is not ``1``, ``1`` is not ``1.0``."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_value(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    return bool(a == b)


same_value = _same_value


def _is_address(value: Any) -> bool:
    try:
        ipaddress.ip_address(value)
    except (ValueError, TypeError):
        return False
    return True


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value is None or value == []


def server_fields(obj: Any) -> list[str]:
    """Which server-written fields ``obj`` carries with a value (for the import report;
    ``creationTimestamp: null`` and ``status: {}`` from ``kubectl create --dry-run`` say nothing)."""
    if not isinstance(obj, dict):
        return []
    found = ["status"] if not _empty(obj.get("status")) else []
    meta = obj.get("metadata")
    if isinstance(meta, dict):
        found += [f"metadata.{f}" for f in SERVER_METADATA if not _empty(meta.get(f))]
        notes = meta.get("annotations")
        if isinstance(notes, dict):
            found += [f"annotation {a}" for a in SERVER_ANNOTATIONS if a in notes]
    spec = obj.get("spec")
    if obj.get("kind") == "Service" and isinstance(spec, dict):
        if _is_address(spec.get("clusterIP")):
            found.append("spec.clusterIP")
        if isinstance(spec.get("clusterIPs"), list) and all(_is_address(a) for a in spec["clusterIPs"]):
            found.append("spec.clusterIPs")
        if "ipFamilies" in spec:
            found.append("spec.ipFamilies")
    if obj.get("kind") == "Job" and _server_selector(spec):
        found.append("spec.selector and the pod labels the Job controller made")
    return found


def _server_selector(spec: Any) -> bool:
    """A Job's selector that the API server made (the Job did not ask for manualSelector)."""
    if not isinstance(spec, dict) or spec.get("manualSelector") is True:
        return False
    labels = get(spec, ("selector", "matchLabels"))
    return isinstance(labels, dict) and bool(labels) and set(labels) <= set(JOB_SERVER_LABELS)


def _clean_meta(meta: Any) -> None:
    if not isinstance(meta, dict):
        return
    for key in SERVER_METADATA:
        meta.pop(key, None)
    notes = meta.get("annotations")
    if isinstance(notes, dict):
        for key in SERVER_ANNOTATIONS:
            notes.pop(key, None)
    for key in ("labels", "annotations"):
        if meta.get(key) == {}:
            del meta[key]


def without_server_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``obj`` without what the API server wrote (for pass-through objects too)."""
    out = copy.deepcopy(obj)
    out.pop("status", None)
    _clean_meta(out.get("metadata"))
    template = get(out, ("spec", "template"))
    if isinstance(template, dict):
        _clean_meta(template.get("metadata"))
        if template.get("metadata") == {}:
            del template["metadata"]
    spec = out.get("spec")
    if out.get("kind") == "Service" and isinstance(spec, dict):
        if _is_address(spec.get("clusterIP")):
            del spec["clusterIP"]
        if isinstance(spec.get("clusterIPs"), list) and all(_is_address(a) for a in spec["clusterIPs"]):
            del spec["clusterIPs"]
        spec.pop("ipFamilies", None)
    if out.get("kind") == "Job" and _server_selector(spec):
        assert isinstance(spec, dict)
        del spec["selector"]
        labels = get(spec, ("template", "metadata", "labels"))
        if isinstance(labels, dict):
            for key in JOB_SERVER_LABELS:
                labels.pop(key, None)
    return out


def _quantities(resources: Any) -> None:
    if not isinstance(resources, dict):
        return
    for kind in ("requests", "limits"):
        if resources.get(kind) == {}:
            del resources[kind]
        values = resources.get(kind)
        if isinstance(values, dict):
            for key, value in values.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    values[key] = str(value)


def _probe(probe: Any) -> None:
    if not isinstance(probe, dict):
        return
    _drop_equal(probe, _PROBE_DEFAULTS)
    _handler(probe)


def _handler(handler: Any) -> None:
    http = handler.get("httpGet") if isinstance(handler, dict) else None
    if isinstance(http, dict) and http.get("scheme") == "HTTP":
        del http["scheme"]


def _container(container: Any) -> None:
    if not isinstance(container, dict):
        return
    _quantities(container.get("resources"))
    _drop_equal(container, _CONTAINER_DEFAULTS)
    for port in container.get("ports") or []:
        if isinstance(port, dict) and port.get("protocol") == "TCP":
            del port["protocol"]
    for mount in container.get("volumeMounts") or []:
        if isinstance(mount, dict) and mount.get("readOnly") is False:
            del mount["readOnly"]
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        _probe(container.get(name))
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in lifecycle.values():
            _handler(hook)


def _pod_spec(spec: Any) -> None:
    if not isinstance(spec, dict):
        return
    if "serviceAccount" in spec and spec["serviceAccount"] == spec.get("serviceAccountName", "default"):
        del spec["serviceAccount"]
    _drop_equal(spec, _POD_DEFAULTS)
    for group in ("initContainers", "containers"):
        for container in spec.get(group) or []:
            _container(container)
    for volume in spec.get("volumes") or []:
        if not isinstance(volume, dict):
            continue
        host = volume.get("hostPath")
        if isinstance(host, dict) and host.get("type") == "":
            del host["type"]
        for source in ("configMap", "secret", "projected"):
            body = volume.get(source)
            if isinstance(body, dict) and body.get("defaultMode") == 420:
                del body["defaultMode"]


def _service(spec: Any) -> None:
    if not isinstance(spec, dict):
        return
    if spec.get("selector") == {}:
        del spec["selector"]
    if spec.get("type") in ("NodePort", "LoadBalancer"):
        _drop_equal(spec, _SERVICE_LB_DEFAULTS)
    _drop_equal(spec, _SERVICE_DEFAULTS)
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        if port.get("protocol") == "TCP":
            del port["protocol"]
        if "targetPort" in port and _same_value(port["targetPort"], port.get("port")):
            del port["targetPort"]


def _drop_empty_lists(node: Any) -> None:
    """An empty list is an absent list: Kubernetes omits empty slices when it writes objects."""
    if isinstance(node, dict):
        for key in [k for k, v in node.items() if isinstance(v, list) and not v]:
            del node[key]
        for value in node.values():
            _drop_empty_lists(value)
    elif isinstance(node, list):
        for item in node:
            _drop_empty_lists(item)


def _strategy(spec: dict[str, Any], key: str, rolling_defaults: dict[str, Any]) -> None:
    """A rollout strategy without what equals the default: type RollingUpdate, and the
    rollingUpdate fields equal to their defaults (an empty strategy is the default one)."""
    strategy = spec.get(key)
    if not isinstance(strategy, dict):
        return
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict):
        _drop_equal(rolling, rolling_defaults)
        if not rolling:
            del strategy["rollingUpdate"]
    if strategy.get("type") == "RollingUpdate":
        del strategy["type"]
    if not strategy:
        del spec[key]


def _claim_spec(spec: Any) -> None:
    """A PersistentVolumeClaim's spec (also a claim template's)."""
    if not isinstance(spec, dict):
        return
    if spec.get("volumeMode") == "Filesystem":
        del spec["volumeMode"]
    _quantities(spec.get("resources"))


def _claim_template(template: Any) -> None:
    if not isinstance(template, dict):
        return
    if template.get("apiVersion") == "v1" and template.get("kind") == "PersistentVolumeClaim":
        del template["apiVersion"], template["kind"]
    template.pop("status", None)
    _clean_meta(template.get("metadata"))
    _claim_spec(template.get("spec"))


def _network_policy(spec: Any) -> None:
    """``policyTypes`` equal to what the API server fills in: Ingress, and Egress when there
    are egress rules."""
    if not isinstance(spec, dict) or not isinstance(spec.get("policyTypes"), list):
        return
    default = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]
    if sorted(map(str, spec["policyTypes"])) == sorted(default) and len(spec["policyTypes"]) == len(default):
        del spec["policyTypes"]


_SPEC_DEFAULTS: dict[str, dict[str, Any]] = {
    "Deployment": _DEPLOYMENT_DEFAULTS,
    "StatefulSet": _STATEFULSET_DEFAULTS,
    "DaemonSet": _DAEMONSET_DEFAULTS,
    "Job": _JOB_DEFAULTS,
    "CronJob": _CRONJOB_DEFAULTS,
    "HorizontalPodAutoscaler": _HPA_DEFAULTS,
}


def canonical(obj: Any) -> Any:
    """``obj`` as the comparison sees it (a new object; ``obj`` is not changed)."""
    if not isinstance(obj, dict):
        return copy.deepcopy(obj)
    out = without_server_fields(obj)
    _drop_empty_lists(out)
    kind = out.get("kind")
    entry = WORKLOADS.get(kind) if isinstance(kind, str) else None
    spec = out.get("spec")
    if not isinstance(spec, dict):
        return out
    if isinstance(kind, str) and kind in _SPEC_DEFAULTS:
        _drop_equal(spec, _SPEC_DEFAULTS[kind])
    if entry is not None:
        _pod_spec(get(out, entry.pod_spec))
        if kind in _STRATEGIES:
            _strategy(spec, *_STRATEGIES[kind])
        if kind == "StatefulSet":
            for template in spec.get("volumeClaimTemplates") or []:
                _claim_template(template)
        if kind == "CronJob":
            _drop_equal(get(spec, ("jobTemplate", "spec")), _JOB_DEFAULTS)
    elif kind == "Service":
        _service(spec)
    elif kind == "PersistentVolumeClaim":
        _claim_spec(spec)
    elif kind == "NetworkPolicy":
        _network_policy(spec)
    return out


def same(a: Any, b: Any) -> bool:
    """The round trip's equality: canonical forms equal as data."""
    return _same_value(canonical(a), canonical(b))
