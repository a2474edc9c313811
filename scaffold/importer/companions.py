"""The objects that travel with an app: which app an object belongs to, and the preset field
it becomes.

A preset renders a ServiceAccount, ConfigMaps, PersistentVolumeClaims, a Service, an Ingress,
a HorizontalPodAutoscaler, a PodDisruptionBudget and a NetworkPolicy from short fields
(docs/preset-format.md). Importing goes the other way: an object belongs to the app whose
workload refers to it (ServiceAccount, ConfigMap, claim), whose Service it routes to
(Ingress), which it scales (HPA) or whose pods it selects (PDB, NetworkPolicy), always in the
same namespace. :func:`field` writes the object as that field, in the short forms where they
say the same; what the field cannot say is found by rendering and kept as patches by
:mod:`.manifests`, so the fields here need not be complete, only never wrong in what they
do say.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .kinds import WorkloadKind, get


class NotFitting(Exception):
    """The object belongs to the app, but the preset field cannot describe it; why."""


# ---------------------------------------------------------------- belonging


def _names(value: Any) -> set[str]:
    return {value} if isinstance(value, str) and value else set()


def references(pod: Any) -> dict[str, set[str]]:
    """What a pod spec refers to by name: ``{kind: {names}}`` for ServiceAccount, ConfigMap
    (volumes, projected volumes, ``envFrom``, ``env[].valueFrom``) and PersistentVolumeClaim."""
    out: dict[str, set[str]] = {"ServiceAccount": set(), "ConfigMap": set(), "PersistentVolumeClaim": set()}
    if not isinstance(pod, dict):
        return out
    out["ServiceAccount"] |= _names(pod.get("serviceAccountName") or pod.get("serviceAccount"))
    for volume in pod.get("volumes") or []:
        if not isinstance(volume, dict):
            continue
        out["ConfigMap"] |= _names(get(volume, ("configMap", "name")))
        out["PersistentVolumeClaim"] |= _names(get(volume, ("persistentVolumeClaim", "claimName")))
        for source in get(volume, ("projected", "sources")) or []:
            out["ConfigMap"] |= _names(get(source, ("configMap", "name")))
    for group in ("initContainers", "containers"):
        for container in pod.get(group) or []:
            if not isinstance(container, dict):
                continue
            for item in container.get("envFrom") or []:
                out["ConfigMap"] |= _names(get(item, ("configMapRef", "name")))
            for var in container.get("env") or []:
                out["ConfigMap"] |= _names(get(var, ("valueFrom", "configMapKeyRef", "name")))
    return out


def selects(selector: Any, labels: Any) -> bool:
    """A LabelSelector that is not empty matches ``labels`` (an empty one selects every pod of
    the namespace, so it names no app in particular)."""
    from ..rules.index import label_selector_matches

    if not isinstance(selector, dict) or not isinstance(labels, dict):
        return False
    match, expressions = selector.get("matchLabels") or {}, selector.get("matchExpressions") or []
    if not isinstance(match, dict) or not isinstance(expressions, list) or not (match or expressions):
        return False
    if not all(isinstance(e, dict) for e in expressions):
        return False
    return label_selector_matches(selector, labels)


def ingress_services(ingress: Any) -> set[str]:
    """Every Service an Ingress routes to (rules and defaultBackend)."""
    spec = ingress.get("spec") if isinstance(ingress, dict) else None
    if not isinstance(spec, dict):
        return set()
    found = _names(get(spec, ("defaultBackend", "service", "name")))
    for rule in spec.get("rules") or []:
        for path in get(rule, ("http", "paths")) or []:
            found |= _names(get(path, ("backend", "service", "name")))
            if isinstance(get(path, ("backend", "resource")), dict):
                found.add("")  # a resource backend: not a Service of any app
    return found


def belongs(obj: dict[str, Any], workload: dict[str, Any], entry: WorkloadKind, service_name: str | None) -> bool:
    """``obj`` (a companion, same namespace as the workload) travels with this app."""
    from ..k8s.kinds import KINDS

    kind = obj.get("kind")
    name = get(obj, ("metadata", "name"))
    if kind in ("ServiceAccount", "ConfigMap", "PersistentVolumeClaim"):
        return name in references(get(workload, entry.pod_spec))[kind]
    if kind == "Ingress":
        return service_name is not None and ingress_services(obj) == {service_name}
    if kind == "HorizontalPodAutoscaler":
        ref = get(obj, ("spec", "scaleTargetRef"))
        return (
            isinstance(ref, dict)
            and ref.get("kind") == entry.kind
            and KINDS[entry.kind].replicas is not None  # what an HPA can scale
            and ref.get("name") == get(workload, ("metadata", "name"))
            and ref.get("apiVersion", KINDS[entry.kind].api_version) == KINDS[entry.kind].api_version
        )
    if kind == "PodDisruptionBudget":
        return selects(get(obj, ("spec", "selector")), get(workload, entry.pod_labels))
    if kind == "NetworkPolicy":
        return selects(get(obj, ("spec", "podSelector")), get(workload, entry.pod_labels))
    return False


# ---------------------------------------------------------------- the preset fields


def _strmap(value: Any) -> dict[str, str]:
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(value, dict) else {}


def _quantity(value: Any) -> str | None:
    if isinstance(value, str) and value:
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def claim(name: Any, spec: Any) -> dict[str, Any]:
    """A claim (PersistentVolumeClaim or claim template) as ``{name, size, accessModes,
    storageClassName}``; accessModes left out when they are the default ``[ReadWriteOnce]``."""
    size = _quantity(get(spec, ("resources", "requests", "storage")))
    if not isinstance(name, str) or not name:
        raise NotFitting("it has no name")
    if size is None:
        raise NotFitting("it requests no storage (spec.resources.requests.storage), which the preset's claims need")
    out: dict[str, Any] = {"name": name, "size": size}
    modes = spec.get("accessModes")
    if isinstance(modes, list) and modes != ["ReadWriteOnce"] and all(isinstance(m, str) for m in modes):
        out["accessModes"] = modes
    if isinstance(spec.get("storageClassName"), str):
        out["storageClassName"] = spec["storageClassName"]
    return out


@lru_cache(maxsize=1)
def _dns_egress() -> Any:
    """The egress rules ``networkPolicy: {egress: dns}`` renders (asked of the renderer, so
    the two never disagree)."""
    from .result import render_unchecked

    objects = render_unchecked(
        {"name": "x", "containers": [{"name": "x", "image": "x", "resources": {}}], "networkPolicy": {"egress": "dns"}}
    )
    return next(o for o in objects if o["kind"] == "NetworkPolicy")["spec"]["egress"]


def _peer(peer: Any) -> dict[str, Any] | None:
    """A NetworkPolicy peer as ``{podLabels, namespaceLabels}``, or None when it says more."""
    if not isinstance(peer, dict) or set(peer) - {"podSelector", "namespaceSelector"}:
        return None
    out: dict[str, Any] = {}
    for key, field in (("namespaceSelector", "namespaceLabels"), ("podSelector", "podLabels")):
        if key not in peer:
            continue
        selector = peer[key]
        if not isinstance(selector, dict) or set(selector) - {"matchLabels"}:
            return None
        labels = selector.get("matchLabels") or {}
        if _strmap(labels) != labels:
            return None
        if labels:
            out[field] = labels
        elif key == "namespaceSelector":
            return None  # every namespace: the short form cannot say it
    return out


def _network_policy(spec: dict[str, Any]) -> Any:
    types = spec.get("policyTypes")
    if not isinstance(types, list):  # the API server's default
        types = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]
    out: dict[str, Any] = {}
    egress = spec.get("egress")
    if "Egress" in types:
        out["egress"] = "dns" if egress == _dns_egress() else "none"
    rules = spec.get("ingress") or []
    if not rules:
        out["from"] = []
    elif isinstance(rules[0], dict):
        peers = [_peer(p) for p in rules[0].get("from") or []]
        if peers and all(p is not None for p in peers) and peers != [{}]:
            out["from"] = peers
    return out or True


def _autoscale(spec: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(spec.get("maxReplicas"), int):
        raise NotFitting("it has no maxReplicas")
    out: dict[str, Any] = {}
    if isinstance(spec.get("minReplicas"), int):
        out["min"] = spec["minReplicas"]
    else:
        out["min"] = 1  # the API's default (left out again below when it is the preset's too)
    out["max"] = spec["maxReplicas"]
    for metric in spec.get("metrics") or []:
        resource = get(metric, ("resource",))
        if get(metric, ("type",)) != "Resource" or not isinstance(resource, dict):
            continue
        name, target = resource.get("name"), resource.get("target")
        utilization = get(target, ("averageUtilization",))
        if name in ("cpu", "memory") and name not in out and get(target, ("type",)) == "Utilization" and isinstance(utilization, int):
            out[name] = utilization
    return out


def _ingress(obj: dict[str, Any], preset: dict[str, Any]) -> dict[str, Any]:
    spec = obj.get("spec") or {}
    rules = spec.get("rules") or []
    rule = rules[0] if rules and isinstance(rules[0], dict) else {}
    host = rule.get("host")
    paths = get(rule, ("http", "paths")) or []
    if not isinstance(host, str) or not host or not paths or not isinstance(paths[0], dict):
        raise NotFitting("its first rule has no host and path, which the preset's ingress needs")
    path = paths[0]
    out: dict[str, Any] = {"host": host}
    if isinstance(path.get("path"), str):
        out["path"] = path["path"]
    if isinstance(path.get("pathType"), str):
        out["pathType"] = path["pathType"]
    port = get(path, ("backend", "service", "port"))
    if isinstance(port, dict) and isinstance(port.get("number"), int):
        out["port"] = port["number"]
    elif isinstance(port, dict) and isinstance(port.get("name"), str):
        out["port"] = port["name"]
    if isinstance(spec.get("ingressClassName"), str):
        out["className"] = spec["ingressClassName"]
    tls = spec.get("tls") or []
    if tls and isinstance(tls[0], dict):
        secret = tls[0].get("secretName")
        out["tls"] = True if secret in (None, f"{preset['name']}-tls") else {"secretName": secret}
    annotations = _strmap(get(obj, ("metadata", "annotations")))
    if annotations:
        out["annotations"] = annotations
    return out


def field(obj: dict[str, Any], preset: dict[str, Any]) -> Any:
    """The preset field value of a companion object (canonical form), in its short form where
    there is one. ``preset`` is the preset being built: a ServiceAccount takes the place of its
    ``serviceAccountName`` when the two say the same.

    Raises :class:`NotFitting` when the field cannot hold the object at all.
    """
    kind = obj.get("kind")
    spec: dict[str, Any] = obj["spec"] if isinstance(obj.get("spec"), dict) else {}
    name = get(obj, ("metadata", "name"))
    if kind == "ServiceAccount":
        account: dict[str, Any] = {}
        if isinstance(obj.get("automountServiceAccountToken"), bool):
            account["automountToken"] = obj["automountServiceAccountToken"]
        if preset.get("serviceAccountName") == preset["name"]:
            del preset["serviceAccountName"]  # the ServiceAccount's default name, and the pod's
        return account or True
    if kind == "ConfigMap":
        config: dict[str, Any] = {"name": name}
        data = _strmap(obj.get("data"))
        if data:
            config["data"] = data
        if isinstance(obj.get("immutable"), bool):
            config["immutable"] = obj["immutable"]
        return config
    if kind == "PersistentVolumeClaim":
        return claim(name, spec)
    if kind == "Ingress":
        return _ingress(obj, preset)
    if kind == "HorizontalPodAutoscaler":
        if obj.get("apiVersion") != "autoscaling/v2":
            raise NotFitting(f"it is {obj.get('apiVersion')}; the preset renders autoscaling/v2 (kubectl get hpa.v2.autoscaling -o yaml prints it so)")
        return _autoscale(spec)
    if kind == "PodDisruptionBudget":
        budget = {k: spec[k] for k in ("maxUnavailable", "minAvailable") if isinstance(spec.get(k), (int, str)) and not isinstance(spec.get(k), bool)}
        return True if budget == {"maxUnavailable": 1} else budget
    if kind == "NetworkPolicy":
        return _network_policy(spec)
    raise NotFitting(f"the preset has no field for a {kind}")


#: Fields a companion writes that may equal what the preset would fill in anyway; the
#: importer leaves each out when the render stays the same without it.
DEFAULTED: tuple[tuple[str, ...], ...] = (
    ("ingress", "path"),
    ("ingress", "pathType"),
    ("ingress", "port"),
    ("autoscale", "min"),
)
