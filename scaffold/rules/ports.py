"""Ports and Services: ranges, IANA names, Service port lists, and hostPort.

The API server rejects out-of-range numbers and bad names; the JSON schemas only say
"integer or string", so these are the checks that make a named port safe to refer to.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..k8s.kinds import POD_BEARING, ROUTES_TO_PODS
from ..k8s.validators import dns1123_label, port_name, port_number
from ..k8s.vocab import NODE_PORT_RANGE
from ..paths import format_path
from . import CheckConfig, Finding, Workload, as_dict, as_list, before_render, routes, rule
from .common import containers, handler_ports, is_int, pod_spec, show


def _container_port_findings(prefix: tuple[str | int, ...], spec: dict[str, Any]) -> Iterator[Finding]:
    host_ports: dict[tuple[Any, ...], tuple[str | int, ...]] = {}
    for path, container in containers(spec):
        for j, port in enumerate(as_list(container.get("ports"))):
            if not isinstance(port, dict):
                yield Finding((*prefix, *path, "ports", j), f"a port must be a mapping with containerPort, not {show(port)}")
                continue
            where = (*prefix, *path, "ports", j)
            if "containerPort" not in port:
                yield Finding(where, "the port has no containerPort; set the number the container listens on")
            else:
                problem = port_number(port["containerPort"])
                if problem:
                    yield Finding((*where, "containerPort"), f"containerPort: {problem}")
            host = port.get("hostPort")
            if host is not None and host != 0:
                problem = port_number(host)
                if problem:
                    yield Finding((*where, "hostPort"), f"hostPort: {problem}")
                else:
                    key = (host, port.get("protocol") or "TCP", port.get("hostIP") or "")
                    if not all(isinstance(k, (str, int)) for k in key):
                        continue
                    if key in host_ports:
                        yield Finding((*where, "hostPort"), f"hostPort {host}/{key[1]} is already taken by {format_path(host_ports[key][len(prefix):])}; each pod can bind it once")
                    else:
                        host_ports[key] = (*where, "hostPort")
        for sub, port in handler_ports(container):
            if is_int(port) or isinstance(port, float):
                problem = port_number(port)
                if problem:
                    yield Finding((*prefix, *path, *sub), problem)


def _service_port_findings(obj: dict[str, Any]) -> Iterator[Finding]:
    spec = as_dict(obj.get("spec"))
    kind = spec.get("type", "ClusterIP")
    low, high = NODE_PORT_RANGE
    for i, port in enumerate(as_list(spec.get("ports"))):
        where = ("spec", "ports", i)
        if not isinstance(port, dict):
            yield Finding(where, f"a Service port must be a mapping with port, not {show(port)}")
            continue
        if "port" not in port:
            yield Finding(where, "the Service port has no port number; set port")
        else:
            problem = port_number(port["port"])
            if problem:
                yield Finding((*where, "port"), problem)
        target = port.get("targetPort")
        if is_int(target) and target != 0:
            problem = port_number(target)
            if problem:
                yield Finding((*where, "targetPort"), f"targetPort: {problem}")
        node = port.get("nodePort")
        if node is None or node == 0:
            continue
        if kind not in ("NodePort", "LoadBalancer"):
            yield Finding((*where, "nodePort"), f"nodePort may only be set when the Service type is NodePort or LoadBalancer (type is {kind}); remove it or change the type")
        elif not is_int(node) or not low <= node <= high:
            yield Finding((*where, "nodePort"), f"nodePort {show(node)} is outside {low}-{high}, the default node port range; leave it out to get a free one")


@rule(
    "port-range",
    severity="error",
    scope="object",
    kinds=POD_BEARING | ROUTES_TO_PODS,
    summary="containerPort, hostPort and Service port are 1-65535; nodePort 30000-32767, only for NodePort/LoadBalancer.",
    prevents="the API server rejects it",
    fix="Use a port from 1 to 65535; for nodePort, 30000-32767 with type NodePort (or leave it out).",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80800]
""",
)
def port_range(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    if routes(obj):
        yield from _service_port_findings(obj)
        return
    found = pod_spec(obj)
    if found is not None:
        yield from _container_port_findings(*found)


def _named(value: Any) -> bool:
    """A port given as a string, i.e. meant as a name (digits-only strings are mistakes)."""
    return isinstance(value, str)


@rule(
    "port-name",
    severity="error",
    scope="object",
    kinds=POD_BEARING | ROUTES_TO_PODS,
    summary="Port names are IANA service names (<= 15 of [a-z0-9-], a letter, no '--' or edge '-'), unique within a container.",
    prevents="the API server rejects it",
    fix="Use a short lowercase name such as http, metrics or liveness-port.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: ["HTTP_Main:80"]
""",
)
def port_name_rule(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    if routes(obj):
        for i, port in enumerate(as_list(as_dict(obj.get("spec")).get("ports"))):
            target = as_dict(port).get("targetPort")
            if _named(target):
                problem = port_name(target)
                if problem:
                    yield Finding(("spec", "ports", i, "targetPort"), f"targetPort: {problem}")
        return
    found = pod_spec(obj)
    if found is None:
        return
    prefix, spec = found
    for path, container in containers(spec):
        names: dict[str, int] = {}
        for j, port in enumerate(as_list(container.get("ports"))):
            if not isinstance(port, dict) or "name" not in port:
                continue
            name = port["name"]
            where = (*prefix, *path, "ports", j, "name")
            problem = port_name(name)
            if problem:
                yield Finding(where, problem)
            elif name in names:
                yield Finding(where, f"port name {name!r} is already used by ports[{names[name]}] of this container; names must be unique")
            else:
                names[name] = j
        for sub, port in handler_ports(container):
            if _named(port):
                problem = port_name(port)
                if problem:
                    yield Finding((*prefix, *path, *sub), problem)


@rule(
    "service-port-names",
    severity="error",
    scope="object",
    kinds=ROUTES_TO_PODS,
    summary="With several Service ports each needs a unique DNS-1123 name; (protocol, port) pairs are unique.",
    prevents="the API server rejects it",
    fix="Name every port (http, metrics, ...) and give each protocol/port pair once.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80, 443]
service:
  ports: [80, 443]
""",
)
def service_port_names(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    ports = as_list(as_dict(obj.get("spec")).get("ports"))
    several = len(ports) > 1
    names: dict[Any, int] = {}
    pairs: dict[tuple[Any, Any], int] = {}
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        where = ("spec", "ports", i)
        name = port.get("name")
        if name is None or name == "":
            if several:
                number = port.get("port")
                example = "http" if number == 80 else f"port-{number}" if is_int(number) else "http"
                yield Finding(where, f"the Service has {len(ports)} ports, so each needs a name (e.g. {example})")
        else:
            problem = dns1123_label(name)
            if problem:
                yield Finding((*where, "name"), f"Service port {problem}")
            elif name in names:
                yield Finding((*where, "name"), f"port name {name!r} is already used by ports[{names[name]}]")
            else:
                names[name] = i
        pair = (port.get("protocol") or "TCP", port.get("port"))
        if pair[1] is None:
            continue  # no port number: service-ports and port-range say so
        try:
            hash(pair)
        except TypeError:
            continue
        if pair in pairs:
            yield Finding((*where, "port"), f"port {pair[1]}/{pair[0]} is already listed as ports[{pairs[pair]}]; each protocol and port once")
        else:
            pairs[pair] = i


@rule(
    "service-ports",
    severity="error",
    scope="object",
    kinds=ROUTES_TO_PODS,
    summary="A Service lists at least one port, unless it is headless (clusterIP: None) or an ExternalName.",
    prevents="the API server rejects it",
    fix="Declare ports on the first container (a preset's Service takes them) or list the Service's ports.",
    example="""\
name: web
containers:
  - {name: web, image: nginx:1.27}
service: true
""",
)
def service_ports(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    spec = as_dict(obj.get("spec"))
    if spec.get("type") == "ExternalName" or spec.get("clusterIP") == "None":
        return
    if spec.get("ports") in (None, [], ""):
        yield Finding(("spec", "ports"), "the Service has no ports; list the ports it serves (only a headless or ExternalName Service may have none)")


@before_render("service-ports")
def preset_service_ports(preset: dict[str, Any]) -> Iterator[Finding]:
    """A preset's Service takes its ports from the first container when it lists none."""
    service = preset.get("service")
    if service is not None and not service.get("ports"):
        yield Finding(("service",), "the Service has no ports: declare ports on the first container or list service.ports")


@rule(
    "host-port",
    severity="warning",
    scope="pod",
    mark="PRACTICE",
    summary="hostPort ties the pod to nodes where that port is free.",
    prevents="Pending (no node with the port free)",
    fix="Expose the port with a Service instead of hostPort.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [{containerPort: 80, hostPort: 80}]
""",
)
def host_port(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        for j, port in enumerate(as_list(container.get("ports"))):
            host = as_dict(port).get("hostPort")
            if is_int(host) and host != 0:
                yield Finding(
                    (*path, "ports", j, "hostPort"),
                    f"hostPort {host} schedules the pod only on nodes where port {host} is free (one such pod per node, "
                    "else Pending); expose it with a Service instead",
                )
