"""Cross-object rules for the objects that travel with an app: HPA, PDB, Ingress,
NetworkPolicy and ConfigMap (rules.md, last section).

Each object is judged against the workloads and Services of the same input and namespace
(:mod:`.wiring` does the matching), in presets and in ``lint`` alike. A preset always renders
the objects together, so "not in the input" findings only ever speak in ``lint``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..k8s.kinds import Capability, dig
from ..k8s.validators import dns1123_subdomain
from ..paths import Path
from . import CheckConfig, Finding, Workload, as_dict, as_list, before_render, rule
from .common import is_int, show
from .index import StreamIndex
from .wiring import index_of, name_of, scale_target, selected_workloads


def _kind(name: str) -> Capability:
    return Capability(name, lambda k: k is not None and k.name == name)


HPA, PDB, INGRESS, NETWORK_POLICY, CONFIG_MAP, PVC = (
    _kind("HorizontalPodAutoscaler"), _kind("PodDisruptionBudget"), _kind("Ingress"), _kind("NetworkPolicy"), _kind("ConfigMap"),
    _kind("PersistentVolumeClaim"),
)


def _of_kind(objects: list[Any], kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, obj in enumerate(objects):
        if isinstance(obj, dict) and obj.get("kind") == kind:
            yield index, obj


def _where(w: Workload) -> str:
    return f"{w.kind}/{w.name} (namespace {w.namespace})"


# ---------------------------------------------------------------- HorizontalPodAutoscaler


def _has_request(container: dict[str, Any], resource: str) -> bool:
    """A request, or a limit (the API server then copies the limit into the request)."""
    resources = as_dict(container.get("resources"))
    return resource in as_dict(resources.get("requests")) or resource in as_dict(resources.get("limits"))


@rule(
    "hpa-requests",
    severity="error",
    scope="stream",
    kinds=HPA,
    mark="RUN",
    summary="An autoscaler's cpu (memory) utilization target needs a cpu (memory) request on every container of "
    "the pods it scales; 1 <= minReplicas <= maxReplicas; in lint, its scaleTargetRef names a workload of the input.",
    prevents="FailedGetResourceMetric: the HPA never scales (no request to take a percentage of)",
    fix="Set resources.requests for the resource the target names (or size:), and min <= max.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    resources: {requests: {memory: 128Mi}, limits: {memory: 128Mi}}
autoscale: {min: 2, max: 6, cpu: 70}
""",
)
def hpa_requests(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    streams = index_of(config, objects)
    for index, hpa in _of_kind(objects, "HorizontalPodAutoscaler"):
        spec = as_dict(hpa.get("spec"))
        low, high = spec.get("minReplicas", 1), spec.get("maxReplicas")
        if is_int(low) and low < 1:
            yield index, Finding(("spec", "minReplicas"), f"minReplicas {low} must be 1 or more (scaling to zero is an alpha feature)")
        if is_int(low) and is_int(high) and low > high:
            yield index, Finding(("spec", "maxReplicas"), f"maxReplicas {high} is below minReplicas {low}; max must be >= min")
        target = scale_target(streams, hpa)
        if target is None:
            ref = as_dict(spec.get("scaleTargetRef"))
            yield index, Finding(
                ("spec", "scaleTargetRef"),
                f"scaleTargetRef names {ref.get('kind', '?')}/{ref.get('name', '?')}, which is not in the input "
                f"(namespace {streams.namespace_of(hpa)}); it must exist before the autoscaler can act",
                severity="warning",
            )
            continue
        for k, metric in enumerate(as_list(spec.get("metrics"))):
            metric = as_dict(metric)
            resource = as_dict(metric.get("resource"))
            name = resource.get("name")
            if metric.get("type") != "Resource" or name not in ("cpu", "memory"):
                continue
            if as_dict(resource.get("target")).get("type") != "Utilization":
                continue  # an AverageValue target needs no request
            for i, c in enumerate(as_list(target.spec.get("containers"))):
                c = as_dict(c)
                if not _has_request(c, name):
                    yield index, Finding(
                        ("spec", "metrics", k, "resource", "name"),
                        f"scales on {name} utilization, but container {c.get('name', i)!r} of {_where(target)} "
                        f"requests no {name}: the HPA reports FailedGetResourceMetric and never scales; "
                        f"set resources.requests.{name}",
                    )


@before_render("hpa-requests")
def _autoscale_needs_replicas(preset: dict[str, Any]) -> Iterator[Finding]:
    if preset.get("autoscale") is not None and preset.get("kind") not in ("Deployment", "StatefulSet"):
        yield Finding(("autoscale",), f"autoscale needs kind Deployment or StatefulSet, not {preset.get('kind')}")


@rule(
    "hpa-replicas-fight",
    severity="warning",
    scope="stream",
    kinds=HPA,
    mark="PRACTICE",
    summary="A workload scaled by an autoscaler should not set spec.replicas: every apply resets the count the "
    "autoscaler chose.",
    prevents="replicas jump back to the manifest's count on every kubectl apply, then the HPA scales again",
    fix="Leave spec.replicas out of the manifest (presets with autoscale do).",
    example="""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: nginx:1.27, resources: {requests: {cpu: 100m}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
""",
)
def hpa_replicas_fight(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    streams = index_of(config, objects)
    for w in pods:
        if w.info.replicas is None or dig(w.obj, w.info.replicas) is None:
            continue
        hpa = streams.find_scaler(w)
        if hpa is not None:
            yield w.index, Finding(
                w.info.replicas,
                f"HorizontalPodAutoscaler/{name_of(hpa)} scales this {w.kind}; spec.replicas here is reset on every "
                "apply: leave it out",
            )


# ---------------------------------------------------------------- PodDisruptionBudget


def _percent(value: Any) -> int | None:
    if isinstance(value, str) and re.fullmatch(r"[0-9]+%", value):
        return int(value[:-1])
    return None


def _replica_count(w: Workload, streams: StreamIndex) -> int | None:
    """How many pods the workload runs (an autoscaler's minimum when it has one)."""
    if w.info.replicas is None:
        return 1 if w.kind == "Pod" else None
    hpa = streams.find_scaler(w)
    if hpa is not None:
        low = as_dict(hpa.get("spec")).get("minReplicas", 1)
        return low if is_int(low) else None
    count = dig(w.obj, w.info.replicas, 1)
    return count if is_int(count) else None


@rule(
    "pdb-blocks-drain",
    severity="warning",
    scope="stream",
    kinds=PDB,
    mark="RUN",
    summary="A PodDisruptionBudget with minAvailable >= the replica count, or maxUnavailable 0, lets no voluntary "
    "eviction succeed; both fields at once are refused; in lint, its selector matches a workload of the input.",
    prevents="kubectl drain hangs and node upgrades stall (the eviction API answers 429 forever)",
    fix="Use maxUnavailable: 1, or a minAvailable below the replica count.",
    example="""\
name: web
replicas: 2
containers:
  - {name: web, image: nginx:1.27}
disruptionBudget: {minAvailable: 2}
""",
)
def pdb_blocks_drain(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    streams = index_of(config, objects)
    for index, pdb in _of_kind(objects, "PodDisruptionBudget"):
        spec = as_dict(pdb.get("spec"))
        if "minAvailable" in spec and "maxUnavailable" in spec:
            yield index, Finding(("spec", "maxUnavailable"), "minAvailable and maxUnavailable cannot both be set; keep one", "error")
        selected = selected_workloads(streams, pdb, spec.get("selector"))
        if not selected:
            yield index, Finding(
                ("spec", "selector"),
                f"the selector matches no pods of a workload in the input (namespace {streams.namespace_of(pdb)}); the budget protects nothing",
            )
        for field in ("minAvailable", "maxUnavailable"):
            value = spec.get(field)
            if field in spec and not (is_int(value) and value >= 0) and not (_percent(value) is not None and _percent(value) <= 100):  # type: ignore[operator]
                yield index, Finding(("spec", field), f"{field} {show(value)} must be a whole number >= 0 or a percentage 0%-100%", "error")
        unavailable = spec.get("maxUnavailable")
        if unavailable == 0 or _percent(unavailable) == 0:
            yield index, Finding(("spec", "maxUnavailable"), f"maxUnavailable {unavailable} lets no pod be evicted: every node drain hangs")
        available = spec.get("minAvailable")
        if _percent(available) is not None and _percent(available) >= 100:  # type: ignore[operator]
            yield index, Finding(("spec", "minAvailable"), f"minAvailable {available} lets no pod be evicted: every node drain hangs")
        elif is_int(available) and selected:
            counts = [_replica_count(w, streams) for w in selected]
            if all(c is not None for c in counts):
                total = sum(counts)  # type: ignore[arg-type]
                if available >= total:
                    yield index, Finding(
                        ("spec", "minAvailable"),
                        f"minAvailable {available} with {total} replica{'s' if total != 1 else ''} "
                        f"({', '.join(_where(w) for w in selected)}) lets no pod be evicted: every node drain hangs; "
                        "use maxUnavailable: 1",
                    )


# ---------------------------------------------------------------- Ingress


def _host_problem(host: Any) -> str | None:
    if not isinstance(host, str):
        return f"host {show(host)} must be a DNS name"
    name = host[2:] if host.startswith("*.") else host
    if "*" in name:
        return f"host {host!r}: a wildcard is allowed only as the whole left-most label (*.example.com)"
    problem = dns1123_subdomain(name)
    return f"host {host!r}: {problem}" if problem else None


def _backends(spec: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    default = as_dict(spec.get("defaultBackend")).get("service")
    if isinstance(default, dict):
        yield ("spec", "defaultBackend", "service"), default
    for r, item in enumerate(as_list(spec.get("rules"))):
        for p, path in enumerate(as_list(as_dict(as_dict(item).get("http")).get("paths"))):
            service = as_dict(as_dict(path).get("backend")).get("service")
            if isinstance(service, dict):
                yield ("spec", "rules", r, "http", "paths", p, "backend", "service"), service


@rule(
    "ingress-backend",
    severity="error",
    scope="stream",
    kinds=INGRESS,
    mark="RUN",
    summary="An Ingress backend names a Service of the input with that port (name or number); hosts are DNS names "
    "(a wildcard only at the left); paths start with /; every tls entry names its secretName.",
    prevents="503 Service Unavailable from the ingress controller (no endpoints for that port)",
    fix="Point the backend at a port the Service has (ingress.port), and give the Service in the same namespace.",
    example="""\
name: web
containers:
  - {name: web, image: nginx:1.27, ports: ["http:8080"]}
service: true
ingress: {host: web.example.com, port: https}
""",
)
def ingress_backend(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    streams = index_of(config, objects)
    for index, ingress in _of_kind(objects, "Ingress"):
        spec = as_dict(ingress.get("spec"))
        namespace = streams.namespace_of(ingress)
        for path, backend in _backends(spec):
            name, port = backend.get("name"), as_dict(backend.get("port"))
            found = streams.named("Service", namespace, name)
            service = found[0][1] if found else None
            if service is None:
                yield index, Finding(
                    (*path, "name"),
                    f"backend Service {name!r} is not in the input (namespace {namespace}); "
                    "it must exist, or the controller answers 503",
                    "warning",
                )
                continue
            ports = [as_dict(p) for p in as_list(dig(service, ("spec", "ports")))]
            if "name" in port:
                known = [p.get("name") for p in ports if p.get("name")]
                if port["name"] not in known:
                    yield index, Finding(
                        (*path, "port", "name"),
                        f"Service {name!r} has no port named {port['name']!r} (it has {', '.join(map(str, known)) or 'no named ports'}): "
                        "the controller answers 503",
                    )
            elif "number" in port:
                known = [p.get("port") for p in ports]
                if port["number"] not in known:
                    yield index, Finding(
                        (*path, "port", "number"),
                        f"Service {name!r} has no port {port['number']} (it has {', '.join(map(str, known)) or 'none'}): "
                        "the controller answers 503",
                    )
        for r, item in enumerate(as_list(spec.get("rules"))):
            item = as_dict(item)
            if "host" in item:
                problem = _host_problem(item["host"])
                if problem:
                    yield index, Finding(("spec", "rules", r, "host"), problem)
            for p, entry in enumerate(as_list(as_dict(item.get("http")).get("paths"))):
                entry = as_dict(entry)
                value = entry.get("path")
                if entry.get("pathType") in ("Prefix", "Exact") and not (isinstance(value, str) and value.startswith("/")):
                    yield index, Finding(("spec", "rules", r, "http", "paths", p, "path"), f"path {show(value)} must start with /")
        for t, tls in enumerate(as_list(spec.get("tls"))):
            if not as_dict(tls).get("secretName"):
                yield index, Finding(
                    ("spec", "tls", t),
                    "tls entry without secretName: the controller serves its default (usually self-signed) certificate",
                    "warning",
                )


@before_render("ingress-backend")
def _ingress_needs_service(preset: dict[str, Any]) -> Iterator[Finding]:
    if preset.get("ingress") is not None and preset.get("service") is None:
        yield Finding(("ingress",), "an ingress needs a Service to route to; add `service: true` (or a service mapping)")


# ---------------------------------------------------------------- NetworkPolicy


@rule(
    "network-policy-selects",
    severity="warning",
    scope="stream",
    kinds=NETWORK_POLICY,
    mark="RUN",
    summary="A NetworkPolicy's podSelector matches a workload of the input (same namespace); a policy that allows "
    "no ingress makes the Services in front of those pods unreachable (notice).",
    prevents="a policy that selects nothing protects nothing; one that admits nobody cuts the Service off",
    fix="Select the app's labels in podSelector; list the peers that may connect in ingress[].from.",
    example="""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector: {matchLabels: {app: wbe}}
  policyTypes: [Ingress]
""",
)
def network_policy_selects(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    streams = index_of(config, objects)
    for index, policy in _of_kind(objects, "NetworkPolicy"):
        spec = as_dict(policy.get("spec"))
        selector = spec.get("podSelector")
        selected = selected_workloads(streams, policy, selector)
        if not selected and as_dict(selector):  # {} selects every pod of the namespace, also those elsewhere
            yield index, Finding(
                ("spec", "podSelector"),
                f"the podSelector matches no pods of a workload in the input (namespace {streams.namespace_of(policy)}); "
                "the policy protects nothing",
            )
            continue
        types = as_list(spec.get("policyTypes")) or ["Ingress"]
        if "Ingress" in types and not as_list(spec.get("ingress")):
            # the Services whose selector matches these pods (each workload knows its own)
            fronted = {id(service): service for w in selected for service in w.services}
            for service in fronted.values():
                yield index, Finding(
                    ("spec",),
                    f"the policy allows no ingress to these pods: Service {name_of(service)!r} in front of them is unreachable",
                    "notice",
                )


# ---------------------------------------------------------------- ConfigMap

_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")
MAX_CONFIGMAP_BYTES = 1024 * 1024


@rule(
    "configmap-size",
    severity="error",
    scope="object",
    kinds=CONFIG_MAP,
    summary="A ConfigMap's data and binaryData together stay under 1 MiB; keys are [-._a-zA-Z0-9]+ (not . or ..), "
    "at most 253 characters, and not in both data and binaryData.",
    prevents="the API server rejects the object (the pods that mount it never start)",
    fix="Split large files into several ConfigMaps or use a volume; rename the key.",
    example="""\
name: web
containers:
  - {name: web, image: nginx:1.27}
configMaps:
  - {name: web-config, data: {"log level": debug}}
""",
)
def configmap_size(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    total = 0
    data, binary = as_dict(obj.get("data")), as_dict(obj.get("binaryData"))
    for field, values in (("data", data), ("binaryData", binary)):
        for key, value in values.items():
            if not isinstance(key, str) or not _KEY.match(key) or key in (".", "..") or len(key) > 253:
                yield Finding((field, key), f"key {show(key)} is not valid: use letters, digits, '-', '_' and '.' (at most 253)")
            if field == "binaryData" and key in data:
                yield Finding((field, key), f"key {key!r} is in both data and binaryData")
            total += len(key.encode("utf-8")) if isinstance(key, str) else 0
            total += len(value.encode("utf-8")) if isinstance(value, str) else 0
    if total > MAX_CONFIGMAP_BYTES:
        yield Finding(
            ("data",) if data else ("binaryData",),
            f"the data is {total} bytes; a ConfigMap holds at most {MAX_CONFIGMAP_BYTES} bytes (1 MiB)",
        )


# ---------------------------------------------------------------- PersistentVolumeClaim


@rule(
    "pvc-size",
    severity="error",
    scope="object",
    kinds=PVC,
    summary="A PersistentVolumeClaim requests its storage as a quantity (5Gi), and names at least one access mode.",
    prevents="the API server rejects the claim (the pods that mount it stay Pending)",
    fix="Write the size with a binary unit (Ki, Mi, Gi, Ti), e.g. 5Gi; accessModes default to [ReadWriteOnce].",
    example="""\
name: web
containers:
  - {name: web, image: nginx:1.27}
persistentVolumeClaims:
  - {name: uploads, size: 5GB}
""",
)
def pvc_size(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    from ..k8s.quantities import QuantityError, parse_memory

    spec = as_dict(obj.get("spec"))
    path: Path = ("spec", "resources", "requests", "storage")
    size = dig(obj, path)
    if size is None:
        if not as_dict(spec.get("dataSource")) and not as_dict(spec.get("dataSourceRef")):
            yield Finding(path, "no storage request: write the size, e.g. 5Gi")
    else:
        try:
            parse_memory(size, resource="storage")
        except QuantityError as err:
            yield Finding(path, str(err))
    if "accessModes" in spec and not as_list(spec.get("accessModes")):
        yield Finding(("spec", "accessModes"), "accessModes is empty: name at least one (ReadWriteOnce)")
