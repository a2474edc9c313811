"""The coherence rules: selectors, and ports that refer to declared container ports.

These keep the objects of one preset (or one manifest stream) wired to each other; they
are the part of the catalogue that no JSON-schema validator can see.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..k8s.kinds import HAS_SELECTOR, ROUTES_TO_PODS, dig, kind_of
from . import CheckConfig, Finding, Workload, as_dict, as_list, route_selector, routes, rule
from .common import containers, handler_ports, show
from .index import StreamIndex, label_list


def container_ports(container: dict[str, Any]) -> tuple[set[int], set[str]]:
    """(numbers, names) of a container's declared ports."""
    numbers, names = set(), set()
    for port in as_list(container.get("ports")):
        port = as_dict(port)
        if isinstance(port.get("containerPort"), int):
            numbers.add(port["containerPort"])
        if isinstance(port.get("name"), str):
            names.add(port["name"])
    return numbers, names


def port_protocols(containers_: Iterable[dict[str, Any]]) -> dict[int | str, set[str]]:
    """Protocols each declared port (by number and by name) is declared with."""
    out: dict[int | str, set[str]] = {}
    for container in containers_:
        for port in as_list(container.get("ports")):
            port = as_dict(port)
            protocol = port.get("protocol", "TCP")
            if not isinstance(protocol, str):
                continue
            for key in (port.get("containerPort"), port.get("name")):
                if isinstance(key, (int, str)) and not isinstance(key, bool):
                    out.setdefault(key, set()).add(protocol)
    return out


def udp_only(protocols: dict[int | str, set[str]], port: Any) -> bool:
    """The port is declared, and only as UDP: nothing answers a TCP connection there."""
    found = protocols.get(port) if isinstance(port, (int, str)) and not isinstance(port, bool) else None
    return found is not None and found == {"UDP"}


@rule(
    "probe-port-declared",
    severity="error",
    scope="pod",
    mark="RUN",
    summary="A probe's named port must be a declared containerPort name; a TCP probe must not target a port declared "
    "only as UDP; an undeclared numeric port is a notice (it still reaches the process).",
    prevents="CrashLoopBackOff (liveness) or never Ready (readiness)",
    fix="Name the port in the container's ports, or use the number it listens on.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: ["http:80"]
    livenessProbe: {httpGet: {path: /healthz, port: htpp}}
""",
)
def probe_port_declared(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        numbers, names = container_ports(container)
        protocols = port_protocols([container])
        for sub, port in handler_ports(container):
            if sub[0] == "lifecycle":
                continue  # this rule is about probes
            probe = sub[0]
            if isinstance(port, str) and not port.isdigit():
                if port not in names:
                    known = f"; declared names: {', '.join(sorted(names)[:5])}" if names else "; the container declares no named ports"
                    yield Finding(
                        (*path, *sub),
                        f"{probe} uses port name {port!r}, which is not a containerPort name of this container{known}",
                    )
                    continue
            elif isinstance(port, int) and not isinstance(port, bool) and port not in numbers:
                yield Finding(
                    (*path, *sub),
                    f"{probe} probes port {port}, which is not declared in the container's ports; it still reaches the "
                    "process if it listens there, but declare it so readers and Services see it",
                    severity="notice",
                )
                continue
            if udp_only(protocols, port):
                yield Finding(
                    (*path, *sub),
                    f"{probe} ({sub[1]}) connects over TCP, but port {port} is declared only as UDP; probe a TCP port "
                    "(or use an exec probe)",
                )


@rule(
    "deployment-selector",
    severity="error",
    scope="object",
    kinds=HAS_SELECTOR,
    summary="A workload's selector must be non-empty (where the kind requires one) and match its pod template's labels.",
    prevents="the API server rejects the workload",
    fix="Make spec.selector.matchLabels a subset of spec.template.metadata.labels.",
    example="""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: website}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
""",
)
def deployment_selector(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    info = kind_of(obj)
    if info is None or info.selector is None or info.pod_labels is None:
        return
    selector = dig(obj, info.selector)
    if not selector and not info.selector_required:
        return  # a ReplicationController takes its template's labels; a Job gets a generated one
    labels = as_dict(dig(obj, info.pod_labels))
    if info.selector_style == "map":
        where, match, expressions = info.selector, as_dict(selector), None
    else:
        where = (*info.selector, "matchLabels")
        match, expressions = as_dict(as_dict(selector).get("matchLabels")), as_dict(selector).get("matchExpressions")
    if not match and not expressions:
        yield Finding(info.selector, "the selector is empty; set matchLabels to the pod template's labels")
        return
    for key, value in match.items():
        if labels.get(key) != value:
            yield Finding(
                (*where, key),
                f"selector {key}={value} does not match the pod template (labels {labels or '{}'}); "
                f"the {info.name} would manage no pods",
            )


@rule(
    "service-selects-workload",
    severity="warning",
    scope="stream",
    kinds=ROUTES_TO_PODS,
    mark="RUN",
    summary="A Service's selector should match the pod labels of a workload in its namespace (when the input has "
    "workloads there); a Service without a selector (hand-written Endpoints) is fine.",
    prevents="a Service with no endpoints: traffic goes nowhere",
    fix="Make the Service selector equal to the workload's pod labels (e.g. app: NAME).",
    example="""\
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: webapp}
  ports: [{port: 80}]
""",
)
def service_selects_workload(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    index: StreamIndex = config.index
    for position, obj in enumerate(objects):
        if not routes(obj):
            continue
        selector = route_selector(obj)
        if not selector or not isinstance(selector, dict):
            continue  # no selector on purpose: its Endpoints/EndpointSlices are written by hand
        ns = index.namespace_of(obj)
        if not index.sources(ns):
            continue  # the input has no workload in this namespace: they are deployed elsewhere
        if index.select(ns, selector):
            continue
        pairs = ", ".join(f"{k}={str(v)[:30]}" for k, v in list(selector.items())[:4])
        near = index.nearest(ns, selector)
        hint = f"; closest: {label_list(near)}" if near else ""
        yield position, Finding(
            ("spec", "selector"),
            f"selector {pairs} matches no pod of the workloads in namespace {ns} of the input{hint}",
        )


@rule(
    "service-target-resolves",
    severity="error",
    scope="stream",
    kinds=ROUTES_TO_PODS,
    mark="RUN",
    summary="A Service targetPort name must be a containerPort name of the selected pods; a TCP Service must not target "
    "a port the pods declare only as UDP; an undeclared number is a notice (it still reaches the process).",
    prevents="a Service whose traffic silently goes nowhere",
    fix="Use a containerPort name the selected pods declare, or the number they listen on.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: ["http:80"]
service:
  ports: [{name: web, port: 80, targetPort: htp}]
""",
)
def service_target_resolves(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    index: StreamIndex = config.index
    for position, obj in enumerate(objects):
        if not routes(obj):
            continue
        selected = [s.workload for s in index.select(index.namespace_of(obj), route_selector(obj)) if s.workload is not None]
        if not selected:
            continue
        numbers: set[int] = set()
        names: set[str] = set()
        pod_containers = [c for w in selected for _, c in containers(w.spec, ("containers",))]
        for container in pod_containers:
            n, m = container_ports(container)
            numbers |= n
            names |= m
        protocols = port_protocols(pod_containers)
        for i, port in enumerate(as_list(as_dict(obj.get("spec")).get("ports"))):
            port = as_dict(port)
            target = port.get("targetPort", port.get("port"))
            path = ("spec", "ports", i, "targetPort")
            if isinstance(target, str) and not target.isdigit():
                if target not in names:
                    known = f" (declared: {', '.join(sorted(names)[:5])})" if names else " (the pods declare no named ports)"
                    yield position, Finding(path, f"targetPort {target!r} is not a containerPort name of the selected pods{known}")
                    continue
            elif isinstance(target, int) and not isinstance(target, bool) and target not in numbers:
                yield position, Finding(
                    path,
                    f"targetPort {target} is not declared in the selected pods' ports ({label_list(selected)}); "
                    "traffic still reaches the process if it listens there",
                    severity="notice",
                )
                continue
            protocol = port.get("protocol", "TCP")
            if protocol == "TCP" and udp_only(protocols, target):
                yield position, Finding(
                    path,
                    f"the Service port is TCP, but target {target} is declared only as UDP by the selected pods; "
                    "set protocol: UDP on the Service port or target a TCP port",
                )
