"""The graph of a manifest stream: objects, containers and the wiring between them.

Nodes are the objects of the input (one node each, in input order), the containers inside
each pod template, and *external* nodes for objects that something refers to but that are not
in the input. Edges carry a label saying how the two ends are wired (``80 -> http:8080``,
``env DB_PASSWORD``, ``scales 2-10``).

Broken wiring is not judged here: the rule engine (the same one as ``render`` and ``lint``)
runs over the objects, and each finding of a wiring rule (:data:`WIRING_RULES`) is placed on
the edge that comes from the field it names, or else on the container or object node.
The writers (:mod:`.mermaid`, :mod:`.dot`) only decide how each state looks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from ..paths import Path
from ..rules import as_dict, as_list, selector_matches
from ..rules.index import label_selector_matches

#: Rules whose findings are wiring and are drawn, with the short caption drawn next to them.
#: The last group are rules of the catalogue's plan (rules.md) that do not exist yet; their
#: findings are drawn as soon as they do.
WIRING_RULES: dict[str, str] = {
    "service-selects-workload": "selects no pods",
    "service-target-resolves": "targetPort resolves to no container port",
    "probe-port-declared": "probe port resolves to no container port",
    "deployment-selector": "selector does not match its pod template",
    # planned (docs/graph.md lists them):
    "statefulset-service": "governing Service missing or not headless",
    "hpa-requests": "cannot scale: requests or replica bounds",
    "pdb-blocks-drain": "selects no pods or blocks drains",
    "ingress-backend": "backend Service or port missing",
    "network-policy-selects": "selects no pods",
}

#: How the rule engine starts the finding of a rule that crashed on a malformed object.
_ENGINE_FAILED = "could not check"

#: Edge kinds: a wire between objects (or to a container), and the start order of containers.
WIRE, ORDER = "wire", "order"

_PLAIN_KIND = re.compile(r"[A-Z][A-Za-z0-9]{0,62}\Z")
_PLAIN_NAME = re.compile(r"[a-z0-9-]{1,63}\Z")

Key = tuple[str, str, str]


@dataclass
class Mark:
    """A rule finding drawn on a node or an edge."""

    rule: str
    severity: str
    message: str

    @property
    def caption(self) -> str:
        if self.message.startswith(_ENGINE_FAILED):  # the rule could not read the object
            return f"{self.message.split(';')[0]} [{self.rule}]"
        return f"{WIRING_RULES.get(self.rule, self.rule)} [{self.rule}]"


@dataclass
class Node:
    id: str
    #: "object", "workload" (an object with a pod template), "container" or "external".
    role: str
    #: The first label line: ``Kind/name`` or ``container web``.
    title: str
    details: list[str] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    #: Id of the pod-template cluster the node is drawn in.
    cluster: str | None = None
    #: Position of the object in the input (objects and workloads only).
    index: int | None = None

    @property
    def state(self) -> str:
        return _state(self.marks)


@dataclass
class Edge:
    src: str
    dst: str
    kind: str = WIRE
    labels: list[str] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    #: ``(object index, path)`` of the fields the edge is drawn from (a finding there marks it).
    origins: list[tuple[int, Path]] = field(default_factory=list)
    #: True when ``dst`` is an external node.
    external: bool = False

    @property
    def state(self) -> str:
        return _state(self.marks)


@dataclass
class Cluster:
    """The pod template of a workload: the workload node and its containers."""

    id: str
    title: str
    members: list[str] = field(default_factory=list)


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    clusters: dict[str, Cluster] = field(default_factory=dict)

    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def states(self) -> set[str]:
        """Every look the graph needs in its legend: roles, edge kinds and states."""
        used = {n.role for n in self.nodes} | {n.state for n in self.nodes}
        used |= {f"edge:{e.kind}" for e in self.edges} | {f"edge:{e.state}" for e in self.edges}
        used |= {"edge:external" for e in self.edges if e.external}
        return used


def _state(marks: list[Mark]) -> str:
    severities = {m.severity for m in marks}
    return "broken" if "error" in severities else "warning" if "warning" in severities else "ok"


# ---------------------------------------------------------------- the rule engine, in one place


class PodTemplate:
    """A pod-bearing object as the rule engine sees it: where its pod spec is, its pod labels."""

    __slots__ = ("index", "prefix", "spec", "labels")

    def __init__(self, index: int, prefix: Path, spec: dict[str, Any], labels: dict[str, Any]) -> None:
        self.index = index
        self.prefix = prefix
        self.spec = spec
        self.labels = labels


class Finding:
    __slots__ = ("index", "path", "rule", "severity", "message")

    def __init__(self, index: int, path: Path, rule: str, severity: str, message: str) -> None:
        self.index = index
        self.path = path
        self.rule = rule
        self.severity = severity
        self.message = message


def engine(objects: list[dict[str, Any]]) -> tuple[list[PodTemplate], list[Finding]]:
    """The pod templates and the wiring findings of the stream.

    The one place graph uses the rule engine's workload table and runner, so that moving to
    the kinds registry (``scaffold.k8s.kinds``) changes this function only.
    """
    from ..rules import CheckConfig, run, workloads

    present = frozenset(
        (o["kind"], name)
        for o in objects
        if isinstance(o.get("kind"), str) and isinstance(name := as_dict(o.get("metadata")).get("name"), str)
    )
    config = CheckConfig(present=present)
    pods = [PodTemplate(w.index, w.prefix, w.spec, w.labels) for w in workloads(objects, config)]
    found = [
        Finding(r.index, r.path, r.rule.id, r.severity, r.message)
        for r in run(objects, config)
        if r.rule.id in WIRING_RULES and r.severity in ("error", "warning")
    ]
    return pods, found


# ---------------------------------------------------------------- ids


def object_key(obj: dict[str, Any]) -> Key:
    """(kind, namespace, name); the default namespace is ''."""
    meta = as_dict(obj.get("metadata"))
    return (_text(obj.get("kind")), namespace_of(obj), _text(meta.get("name")))


def namespace_of(obj: dict[str, Any]) -> str:
    ns = as_dict(obj.get("metadata")).get("namespace")
    text = _text(ns)
    return "" if text == "default" else text


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)


def _plain(part: str) -> str:
    return part.replace("-", "_")


def base_id(key: Key) -> str:
    """A safe identifier ([A-Za-z0-9_], starting with a capital) for an object, stable per key.

    Kubernetes-shaped keys read as ``Deployment_web_app`` (``Deployment_prod_N_web_app`` in a
    namespace); anything else is ``Kind_H`` plus a hash of the exact key. Distinct keys give
    distinct ids: names are lower case, so the capital letters are unambiguous separators.
    """
    kind, ns, name = key
    if _PLAIN_KIND.match(kind) and _PLAIN_NAME.match(name) and (not ns or _PLAIN_NAME.match(ns)):
        return f"{kind}_{_plain(ns)}_N_{_plain(name)}" if ns else f"{kind}_{_plain(name)}"
    digest = hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{kind if _PLAIN_KIND.match(kind) else 'Obj'}_H{digest}"


def _label(key: Key) -> str:
    kind, _, name = key
    return f"{kind or '?'}/{name or '?'}"


# ---------------------------------------------------------------- building


class _Builder:
    def __init__(self, objects: list[dict[str, Any]]) -> None:
        self.objects = objects
        self.graph = Graph()
        self.ids: set[str] = set()
        self.by_key: dict[Key, str] = {}
        self.by_index: dict[int, str] = {}
        self.external: dict[Key, str] = {}
        self.edge_index: dict[tuple[str, str, str], Edge] = {}
        #: object index -> (group, position) -> container node id
        self.containers: dict[int, dict[tuple[str, int], str]] = {}
        self.pods: dict[int, PodTemplate] = {}

    def new_id(self, base: str) -> str:
        node_id, n = base, 1
        while node_id in self.ids:
            n += 1
            node_id = f"{base}_D{n}"
        self.ids.add(node_id)
        return node_id

    def add_node(self, node: Node) -> Node:
        self.graph.nodes.append(node)
        if node.cluster is not None:
            self.graph.clusters[node.cluster].members.append(node.id)
        return node

    def target(self, kind: str, ns: str, name: str) -> tuple[str, bool]:
        """The node of ``kind/name`` in ``ns``: an object of the input, else an external node."""
        key = (kind, ns, name)
        if key in self.by_key:
            return self.by_key[key], False
        if key not in self.external:
            node_id = self.new_id(base_id(key))
            details = ([f"namespace {ns}"] if ns else []) + ["not in the input"]
            self.external[key] = node_id
            self.add_node(Node(node_id, "external", _label(key), details))
        return self.external[key], True

    def edge(self, src: str, dst: str, label: str | None, origin: tuple[int, Path] | None, *, kind: str = WIRE, external: bool = False) -> None:
        key = (src, dst, kind)
        edge = self.edge_index.get(key)
        if edge is None:
            edge = self.edge_index[key] = Edge(src, dst, kind, external=external)
            self.graph.edges.append(edge)
        if label and label not in edge.labels:
            edge.labels.append(label)
        if origin is not None and origin not in edge.origins:
            edge.origins.append(origin)

    # -- nodes

    def object_nodes(self, pods: list[PodTemplate]) -> None:
        self.pods = {p.index: p for p in pods}
        for index, obj in enumerate(self.objects):
            key = object_key(obj)
            node_id = self.new_id(base_id(key))
            self.by_key.setdefault(key, node_id)
            self.by_index[index] = node_id
            details = [f"namespace {key[1]}"] if key[1] else []
            details += _object_details(obj)
            pod = self.pods.get(index)
            if pod is None:
                self.add_node(Node(node_id, "object", _label(key), details, index=index))
                continue
            cluster = f"{node_id}_P"
            self.graph.clusters[cluster] = Cluster(cluster, "pod" if pod.prefix == ("spec",) else "pod template")
            self.add_node(Node(node_id, "workload", _label(key), details, cluster=cluster, index=index))
            self.container_nodes(index, node_id, cluster, pod)

    def container_nodes(self, index: int, owner: str, cluster: str, pod: PodTemplate) -> None:
        from ..rules.common import containers, is_sidecar

        ids = self.containers.setdefault(index, {})
        inits: list[str] = []
        apps: list[str] = []
        for path, container in containers(pod.spec):
            group, position = str(path[0]), int(path[1])
            node_id = self.new_id(f"{owner}_C{'i' if group == 'initContainers' else 'c'}{position}")
            ids[(group, position)] = node_id
            what = "container" if group == "containers" else "sidecar" if is_sidecar(path, container) else "init container"
            title = f"{what} {_text(container.get('name')) or '?'}"
            self.add_node(Node(node_id, "container", title, _container_details(container), cluster=cluster))
            (apps if group == "containers" else inits).append(node_id)
        for before, after in zip(inits, inits[1:]):
            self.edge(before, after, "then", None, kind=ORDER)
        if inits:
            for app in apps:
                self.edge(inits[-1], app, "then", None, kind=ORDER)

    # -- edges

    def wiring(self) -> None:
        for index, obj in enumerate(self.objects):
            kind = obj.get("kind")
            handler = _EDGES.get(kind) if isinstance(kind, str) else None
            if handler is not None:
                handler(self, index, obj)
            if index in self.pods:
                self.pod_references(index, self.pods[index])

    def workloads_selected(self, index: int, match: Any) -> list[PodTemplate]:
        """The pod templates in the object's namespace whose pod labels ``match`` accepts."""
        ns = namespace_of(self.objects[index])
        return [
            p for i, p in sorted(self.pods.items())
            if namespace_of(self.objects[i]) == ns and match(as_dict(p.labels))
        ]

    def service(self, index: int, obj: dict[str, Any]) -> None:
        src = self.by_index[index]
        spec = as_dict(obj.get("spec"))
        selector = spec.get("selector")
        if not selector:
            return
        selected = self.workloads_selected(index, lambda labels: selector_matches(selector, labels))
        ports = [(i, as_dict(p)) for i, p in enumerate(as_list(spec.get("ports")))]
        for pod in selected:
            if not ports:
                self.edge(src, self.by_index[pod.index], "selects", (index, ("spec", "selector")))
            for i, port in ports:
                target = port.get("targetPort", port.get("port"))
                dst, shown = self.resolve_port(pod, target)
                label = f"{_port_text(port.get('port'), port.get('protocol'))} -> {shown}"
                self.edge(src, dst, label, (index, ("spec", "ports", i)))

    def resolve_port(self, pod: PodTemplate, target: Any) -> tuple[str, str]:
        """(node, text) of the container port a Service targetPort reaches; the workload node
        and the bare target when it reaches none (the rule engine says whether that is wrong)."""
        from ..rules.common import containers

        by_name = isinstance(target, str) and not target.isdigit()
        number = int(target) if isinstance(target, str) and target.isdigit() else target
        for path, container in containers(pod.spec, ("containers",)):
            for port in as_list(container.get("ports")):
                port = as_dict(port)
                hit = port.get("name") == target if by_name else (port.get("containerPort") == number and not isinstance(number, bool))
                if hit:
                    name = port.get("name")
                    text = f"{name}:{port.get('containerPort')}" if isinstance(name, str) else f"{port.get('containerPort')}"
                    proto = port.get("protocol")
                    text += f"/{proto}" if isinstance(proto, str) and proto != "TCP" else ""
                    return self.containers[pod.index][(str(path[0]), int(path[1]))], text
        return self.by_index[pod.index], _text(target)

    def ingress(self, index: int, obj: dict[str, Any]) -> None:
        src = self.by_index[index]
        ns = namespace_of(obj)
        spec = as_dict(obj.get("spec"))
        backends: list[tuple[str, Path, Any]] = []
        for key in ("defaultBackend", "backend"):
            if key in spec:
                backends.append(("default", ("spec", key), spec[key]))
        for r, rule in enumerate(as_list(spec.get("rules"))):
            rule = as_dict(rule)
            host = _text(rule.get("host")) or "*"
            for p, item in enumerate(as_list(as_dict(rule.get("http")).get("paths"))):
                item = as_dict(item)
                where = f"{host}{_text(item.get('path')) or '/'}"
                backends.append((where, ("spec", "rules", r, "http", "paths", p, "backend"), item.get("backend")))
        for where, path, backend in backends:
            backend = as_dict(backend)
            service = as_dict(backend.get("service"))
            name = service.get("name", backend.get("serviceName"))
            if not isinstance(name, str):
                continue
            port = as_dict(service.get("port"))
            shown = port.get("number", port.get("name", backend.get("servicePort")))
            dst, external = self.target("Service", ns, name)
            self.edge(src, dst, f"{where} -> {_text(shown) or '?'}", (index, path), external=external)
        for t, tls in enumerate(as_list(spec.get("tls"))):
            secret = as_dict(tls).get("secretName")
            if isinstance(secret, str) and secret:
                hosts = ", ".join(_text(h) for h in as_list(as_dict(tls).get("hosts")))
                dst, external = self.target("Secret", ns, secret)
                self.edge(src, dst, f"tls {hosts}".strip(), (index, ("spec", "tls", t)), external=external)

    def autoscaler(self, index: int, obj: dict[str, Any]) -> None:
        spec = as_dict(obj.get("spec"))
        ref = as_dict(spec.get("scaleTargetRef"))
        kind, name = ref.get("kind"), ref.get("name")
        if not isinstance(kind, str) or not isinstance(name, str):
            return
        low, high = spec.get("minReplicas", 1), spec.get("maxReplicas")
        label = f"scales {_text(low)}-{_text(high)}"
        metrics = []
        if "targetCPUUtilizationPercentage" in spec:
            metrics.append(f"cpu {_text(spec['targetCPUUtilizationPercentage'])}%")
        for metric in as_list(spec.get("metrics")):
            resource = as_dict(as_dict(metric).get("resource"))
            target = as_dict(resource.get("target"))
            if "averageUtilization" in target:
                metrics.append(f"{_text(resource.get('name'))} {_text(target['averageUtilization'])}%")
            elif "averageValue" in target:
                metrics.append(f"{_text(resource.get('name'))} {_text(target['averageValue'])}")
        if metrics:
            label += " on " + ", ".join(metrics)
        dst, external = self.target(kind, namespace_of(obj), name)
        self.edge(self.by_index[index], dst, label, (index, ("spec", "scaleTargetRef")), external=external)

    def budget(self, index: int, obj: dict[str, Any]) -> None:
        spec = as_dict(obj.get("spec"))
        if "selector" not in spec:
            return
        label = "; ".join(f"{k} {_text(spec[k])}" for k in ("minAvailable", "maxUnavailable") if k in spec) or "budget"
        selector = spec["selector"]
        for pod in self.workloads_selected(index, lambda labels: selector is not None and label_selector_matches(selector, labels)):
            self.edge(self.by_index[index], self.by_index[pod.index], label, (index, ("spec", "selector")))

    def network_policy(self, index: int, obj: dict[str, Any]) -> None:
        spec = as_dict(obj.get("spec"))
        types = [_text(t) for t in as_list(spec.get("policyTypes"))]
        if not types:
            types = ["Ingress"] + (["Egress"] if "egress" in spec else [])
        label = "policy " + ", ".join(types)
        selector = spec.get("podSelector", {})
        for pod in self.workloads_selected(index, lambda labels: label_selector_matches(selector, labels)):
            self.edge(self.by_index[index], self.by_index[pod.index], label, (index, ("spec", "podSelector")))

    def stateful_set(self, index: int, obj: dict[str, Any]) -> None:
        name = as_dict(obj.get("spec")).get("serviceName")
        if isinstance(name, str) and name:
            dst, external = self.target("Service", namespace_of(obj), name)
            self.edge(self.by_index[index], dst, "governing Service", (index, ("spec", "serviceName")), external=external)

    def pod_references(self, index: int, pod: PodTemplate) -> None:
        """Edges to the ConfigMaps, Secrets, PVCs and ServiceAccount the pod needs (the rule
        engine's list of references): from the container for env and envFrom, else from the pod."""
        from ..rules.env import references

        ns = namespace_of(self.objects[index])
        for path, kind, name in references(pod.spec):
            kind = kind.split()[-1]  # "pull Secret" -> Secret
            src = self.by_index[index]
            if len(path) > 1 and isinstance(path[1], int):
                src = self.containers.get(index, {}).get((str(path[0]), path[1]), src)
            dst, external = self.target(kind, ns, name)
            self.edge(src, dst, _reference_label(pod.spec, path), (index, pod.prefix + path), external=external)

    # -- marks

    def place(self, findings: list[Finding]) -> None:
        for f in findings:
            mark = Mark(f.rule, f.severity, f.message)
            on_edge = False
            for edge in self.graph.edges:
                if any(i == f.index and f.path[: len(p)] == p for i, p in edge.origins):
                    _add(edge.marks, mark)
                    on_edge = True
            if on_edge:
                continue
            node_id = self.by_index.get(f.index)
            pod = self.pods.get(f.index)
            if pod is not None and f.path[: len(pod.prefix)] == pod.prefix and len(f.path) > len(pod.prefix) + 1:
                group, position = f.path[len(pod.prefix)], f.path[len(pod.prefix) + 1]
                if isinstance(position, int):
                    node_id = self.containers.get(f.index, {}).get((str(group), position), node_id)
            if node_id is not None:
                _add(self.graph.node(node_id).marks, mark)


def _add(marks: list[Mark], mark: Mark) -> None:
    if not any(m.rule == mark.rule and m.severity == mark.severity for m in marks):
        marks.append(mark)


_EDGES = {
    "Service": _Builder.service,
    "Ingress": _Builder.ingress,
    "HorizontalPodAutoscaler": _Builder.autoscaler,
    "PodDisruptionBudget": _Builder.budget,
    "NetworkPolicy": _Builder.network_policy,
    "StatefulSet": _Builder.stateful_set,
}


def _port_text(port: Any, protocol: Any) -> str:
    text = _text(port) or "?"
    return text + (f"/{protocol}" if isinstance(protocol, str) and protocol != "TCP" else "")


def _object_details(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("kind")
    spec = as_dict(obj.get("spec"))
    out: list[str] = []
    if kind == "Service":
        kind_text = _text(spec.get("type")) or "ClusterIP"
        if spec.get("clusterIP") == "None":
            kind_text += ", headless"
        if "externalName" in spec:
            kind_text += f" {_text(spec['externalName'])}"
        out.append(kind_text)
    elif kind == "Ingress" and "ingressClassName" in spec:
        out.append(f"class {_text(spec['ingressClassName'])}")
    elif "replicas" in spec and kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"):
        out.append(f"replicas {_text(spec['replicas'])}")
    return out


def _container_details(container: dict[str, Any]) -> list[str]:
    out = [_text(container.get("image"))] if container.get("image") is not None else []
    for port in as_list(container.get("ports")):
        port = as_dict(port)
        name = port.get("name")
        text = "port " + (f"{_text(name)} " if name is not None else "") + _text(port.get("containerPort"))
        proto = port.get("protocol")
        out.append(text + (f"/{_text(proto)}" if proto is not None and proto != "TCP" else ""))
    return out


def _at(data: Any, *path: str | int) -> Any:
    """The value at ``path`` inside lists and mappings, None where there is none."""
    for part in path:
        if isinstance(part, int):
            items = as_list(data)
            data = items[part] if 0 <= part < len(items) else None
        else:
            data = as_dict(data).get(part)
    return data


def _reference_label(spec: dict[str, Any], path: Path) -> str:
    """How the pod refers to the object, from the path of the reference in the pod spec."""
    head = path[0]
    if head in ("serviceAccountName", "serviceAccount"):
        return "serviceAccount"
    if head == "imagePullSecrets":
        return "imagePullSecrets"
    if head == "volumes":
        return f"volume {_text(_at(spec, *path[:2], 'name'))}"
    if len(path) > 3 and path[2] == "env":
        return f"env {_text(_at(spec, *path[:4], 'name'))}"
    if len(path) > 2 and path[2] == "envFrom":
        return "envFrom"
    return "reference"


def build_graph(objects: list[dict[str, Any]]) -> Graph:
    """The graph of the objects: nodes, wiring edges, and the rule findings placed on them."""
    objects = [o if isinstance(o, dict) else {} for o in objects]
    pods, findings = engine(objects)
    builder = _Builder(objects)
    builder.object_nodes(pods)
    builder.wiring()
    builder.place(findings)
    return builder.graph
