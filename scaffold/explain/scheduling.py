"""Reading the scheduler's FailedScheduling message, clause by clause, old and new wordings.

``0/10 nodes are available: 10 node(s) didn't match node selector, 4 Insufficient cpu.``
says, per clause, how many nodes a reason rules out. Each clause is classified, weighed by
its node count, and the one that rules out most nodes gets the fix (with the spec field to
change); the others follow as warnings. The control-plane taint is the expected reason the
control-plane nodes are skipped, and only the fix when it blocks every node (a single-node
cluster).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .model import Diagnosis, PodView, field_path

_CONTROL_PLANE = ("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master")
#: Taints the node lifecycle controller puts on a node in trouble: the node needs fixing, not the pod.
_CONDITION_TAINTS = {
    "node.kubernetes.io/not-ready": "not ready",
    "node.kubernetes.io/unreachable": "unreachable",
    "node.kubernetes.io/memory-pressure": "short of memory",
    "node.kubernetes.io/disk-pressure": "short of disk",
    "node.kubernetes.io/pid-pressure": "short of process IDs",
    "node.kubernetes.io/network-unavailable": "without a working network",
    "node.kubernetes.io/out-of-disk": "out of disk",
}

#: (kind, pattern) in the order they are tried; the wordings of several releases.
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("pvc-missing", re.compile(r'persistentvolumeclaim "?([^"\s]+)"? not found', re.I)),
    ("pvc-unbound", re.compile(r"unbound (immediate )?PersistentVolumeClaims|didn't find available persistent volumes to bind", re.I)),
    ("volume-affinity", re.compile(r"volume node affinity conflict|had no available volume zone|NoVolumeZoneConflict", re.I)),
    ("volume-limit", re.compile(r"exceed max volume count|max volume count", re.I)),
    ("pod-affinity", re.compile(r"didn't match pod (anti-)?affinity|didn't satisfy existing pods anti-affinity|MatchInterPodAffinity|pod affinity/anti-affinity", re.I)),
    ("selector", re.compile(r"didn't match (Pod's )?node (affinity/selector|selector|affinity)|MatchNodeSelector|didn't match the requested node name", re.I)),
    ("spread", re.compile(r"topology spread constraints", re.I)),
    ("cordoned", re.compile(r"were unschedulable|node\(s\) were unschedulable|NodeUnschedulable", re.I)),
    ("taint", re.compile(r"\btaints?\b|PodToleratesNodeTaints", re.I)),
    ("not-ready", re.compile(r"were not ready|not-ready|were out of disk|had (memory|disk|pid) pressure|network (is )?unavailable|unreachable", re.I)),
    ("too-many-pods", re.compile(r"Too many pods|Insufficient pods", re.I)),
    ("insufficient", re.compile(r"Insufficient ([A-Za-z0-9/_.-]*[A-Za-z0-9])", re.I)),
    ("host-port", re.compile(r"free ports|PodFitsHostPorts", re.I)),
]

#: Which kind to fix first when two rule out as many nodes: the pod's own choices first.
_PRIORITY = ["selector", "pod-affinity", "spread", "insufficient", "host-port", "pvc-missing", "pvc-unbound",
             "volume-affinity", "volume-limit", "taint", "too-many-pods", "cordoned", "not-ready", "control-plane", "other"]


class Clause(NamedTuple):
    """One reason of the message and the number of nodes it rules out."""

    nodes: int
    text: str
    kind: str
    #: The resource (insufficient), the taint key (taint kinds), the claim (pvc-missing).
    detail: str | None = None


def parse(message: str) -> tuple[int | None, list[Clause]]:
    """``(number of nodes, clauses)`` of a FailedScheduling message; the preemption part is dropped."""
    text = " ".join(message.split())
    text = re.split(r"\.?\s*preemption:", text, maxsplit=1)[0]
    m = re.match(r"0/(\d+) nodes are available:?\s*(.*)", text, re.S)
    if not m:
        if re.search(r"no nodes available", text, re.I):
            return 0, [Clause(0, text.rstrip(". "), "no-nodes")]
        body, total = text, None
    else:
        total, body = int(m.group(1)), m.group(2)
    body = body.strip().rstrip(".").strip()
    if not body:
        return total, []
    clauses = []
    for part in re.split(r",\s*(?=\d+\s)", body):
        part = part.strip().rstrip(".").strip()
        cm = re.match(r"(\d+)\s+(.*)", part, re.S)
        count, what = (int(cm.group(1)), cm.group(2)) if cm else (total or 0, part)  # no count: every node
        clauses.append(_classify(count, what))
    return total, clauses


def _classify(count: int, text: str) -> Clause:
    for kind, pattern in _KINDS:
        m = pattern.search(text)
        if not m:
            continue
        if kind == "insufficient":
            return Clause(count, text, kind, m.group(1))
        if kind == "pvc-missing":
            return Clause(count, text, kind, m.group(1))
        if kind == "taint":
            km = re.search(r"\{([^:}]+)", text)
            key = km.group(1).strip() if km else None
            if key in _CONTROL_PLANE:
                return Clause(count, text, "control-plane", key)
            if key == "node.kubernetes.io/unschedulable":
                return Clause(count, text, "cordoned", key)
            if key in _CONDITION_TAINTS:
                return Clause(count, text, "not-ready", key)
            return Clause(count, text, kind, key)
        return Clause(count, text, kind)
    return Clause(count, text, "other")


def _nodes(n: int, total: int | None) -> str:
    of = f" of {total}" if total is not None else ""
    return f"{n}{of} node{'s' if n != 1 or total else ''}"


def _requests(pod: PodView, resource: str) -> list[tuple[str, Any]]:
    fields = []
    for cpath, c in pod.all_containers():
        for kind in ("requests", "limits"):  # a limit alone is also the request
            value = c.get("resources", {}).get(kind, {}).get(resource)
            if value is not None:
                fields.append((field_path((*cpath, "resources", kind, resource)), value))
                break
    return fields


def _tolerated(pod: PodView, key: str) -> bool:
    return any(t.get("operator") == "Exists" and not t.get("key") or t.get("key") == key
               for t in pod.spec.get("tolerations", []))


def _fix(pod: PodView, clause: Clause, total: int | None) -> tuple[str, str | None, Any, list[str]]:
    """``(what to do, field, current value, commands)`` for one clause."""
    describe = pod.describe
    nodes = "kubectl get nodes"
    nospec = "" if pod.has_spec else f" ({pod.no_spec})"
    kind, detail = clause.kind, clause.detail
    if kind == "selector":
        selector = pod.spec.get("nodeSelector")
        affinity = pod.spec.get("affinity", {}).get("nodeAffinity")
        if selector or not affinity:
            labels = " ".join(f"-L {k}" for k in (selector or {}))
            label_cmd = (f"kubectl label nodes NODE {' '.join(f'{k}={v}' for k, v in selector.items())}" if selector else None)
            fix = ("no node has the labels spec.nodeSelector asks for" + (f" ({', '.join(f'{k}={v}' for k, v in selector.items())})" if selector else "")
                   + ": correct spec.nodeSelector (or spec.affinity.nodeAffinity), or label a node that should run it")
            cmds = [f"{nodes} {labels}".strip() if labels else f"{nodes} --show-labels"] + ([label_cmd] if label_cmd else []) + [describe]
            return fix + nospec, "spec.nodeSelector", selector, cmds
        return ("no node matches the required terms of spec.affinity.nodeAffinity: correct them, or label a node",
                "spec.affinity.nodeAffinity", affinity, [f"{nodes} --show-labels", describe])
    if kind == "pod-affinity":
        aff = pod.spec.get("affinity", {})
        which = "podAntiAffinity" if "anti" in clause.text.lower() else "podAffinity"
        return (f"the inter-pod (anti-)affinity rules rule these nodes out (a required anti-affinity with more replicas "
                f"than nodes, or no node runs the pods it must join): relax spec.affinity.{which} "
                "(preferredDuringScheduling instead of required) or add nodes" + nospec,
                f"spec.affinity.{which}", aff.get(which), [pod.kubectl("get pods -o wide --show-labels"), describe])
    if kind == "spread":
        return ("the topologySpreadConstraints cannot be met (maxSkew, or nodes without the topologyKey label): relax "
                "spec.topologySpreadConstraints (whenUnsatisfiable: ScheduleAnyway) or label the nodes" + nospec,
                "spec.topologySpreadConstraints", pod.spec.get("topologySpreadConstraints"),
                [f"{nodes} --show-labels", describe])
    if kind == "insufficient" and detail:
        fields = _requests(pod, detail)
        first = fields[0] if fields else (None, None)
        fix = f"no node has enough free {detail} for the pod's requests: lower the {detail} request, or add capacity"
        if fields:
            fix += "; requested: " + ", ".join(f"{f} = {v}" for f, v in fields)
        elif not pod.has_spec:
            fix += f" ({pod.no_spec}; the requests are spec.containers[*].resources.requests.{detail})"
        return fix, first[0] or ("spec.containers[*].resources.requests." + detail if not pod.has_spec else None), first[1], [
            "kubectl describe nodes", describe]
    if kind == "host-port":
        ports = [(field_path((*p, "ports", j, "hostPort")), port.get("hostPort")) for p, c in pod.all_containers()
                 for j, port in enumerate(c.get("ports", [])) if port.get("hostPort")]
        first = ports[0] if ports else ("spec.containers[*].ports[*].hostPort", None)
        return ("the hostPort is already taken on these nodes (another pod, or another replica of this one): remove "
                "hostPort and expose the port with a Service" + nospec, first[0], first[1], [pod.kubectl("get pods -o wide"), describe])
    if kind in ("pvc-unbound", "pvc-missing", "volume-affinity", "volume-limit"):
        claims = [(field_path(("spec", "volumes", i, "persistentVolumeClaim", "claimName")), v["persistentVolumeClaim"].get("claimName"))
                  for i, v in enumerate(pod.spec.get("volumes", [])) if v.get("persistentVolumeClaim")]
        if kind == "pvc-missing":
            claims = [c for c in claims if c[1] == detail] or claims
        first = claims[0] if claims else ("spec.volumes[*].persistentVolumeClaim.claimName", None)
        claim = first[1] or "CLAIM"
        if kind == "pvc-missing":
            fix = f"the PersistentVolumeClaim {detail!r} does not exist: create it, or fix the claimName"
            cmds = [pod.kubectl("get pvc"), describe]
        elif kind == "pvc-unbound":
            fix = ("a PersistentVolumeClaim is not bound: no PersistentVolume matches it and no StorageClass provisions "
                   "one (check its storageClassName, size and access modes)")
            cmds = [pod.kubectl(f"describe pvc {claim}"), "kubectl get storageclass", describe]
        elif kind == "volume-affinity":
            fix = ("the pod's volume lives in a zone or on a node these nodes are not in: run the pod where the volume "
                   "is, or give the StorageClass volumeBindingMode: WaitForFirstConsumer")
            cmds = [pod.kubectl(f"get pvc {claim} -o wide"), "kubectl describe pv PV", describe]
        else:
            fix = "these nodes already have as many volumes attached as they allow: add nodes or use fewer volumes"
            cmds = ["kubectl describe nodes", describe]
        return fix + nospec, first[0], first[1], cmds
    if kind == "control-plane":
        if clause.nodes and total is not None and clause.nodes >= total:
            which = "the only node is a control-plane node" if total == 1 else "every node is a control-plane node"
            fix = (f"{which}, whose taint {detail} keeps workloads off: on a single-node (test) cluster remove the "
                   "taint, otherwise add worker nodes; or add a toleration for it to spec.tolerations")
            return fix, "spec.tolerations", pod.spec.get("tolerations"), [
                f"kubectl taint nodes --all {detail}-", "kubectl describe nodes | grep -i taints", describe]
        return ("the control-plane nodes keep workloads off (expected)", None, None, [describe])
    if kind == "taint":
        key = detail or "KEY"
        if detail and _tolerated(pod, detail):
            fix = f"the nodes have the taint {detail}; spec.tolerations names it, but its value or effect does not match the taint"
        else:
            fix = (f"the nodes have {'the taint ' + detail if detail else 'taints'} the pod does not tolerate: add a "
                   f"toleration to spec.tolerations (e.g. {{key: {key}, operator: Exists, effect: NoSchedule}}) if the "
                   f"pod may run there, or remove the taint: kubectl taint nodes NODE {key}-")
        return fix + nospec, "spec.tolerations", pod.spec.get("tolerations"), [
            "kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints", describe]
    if kind == "cordoned":
        return ("these nodes are cordoned (SchedulingDisabled, e.g. during a drain): uncordon them when the "
                "maintenance is over, or add nodes", None, None, [nodes, "kubectl uncordon NODE", describe])
    if kind == "not-ready":
        what = _CONDITION_TAINTS.get(detail or "", "not ready")
        return (f"these nodes are {what}: fix the nodes (kubelet, runtime, disk, network), not the pod", None, None,
                [nodes, "kubectl describe node NODE", describe])
    if kind == "too-many-pods":
        return ("these nodes already run as many pods as they may (the kubelet's maxPods): add nodes or remove pods",
                None, None, ["kubectl describe nodes", describe])
    if kind == "no-nodes":
        return ("the cluster has no node the scheduler can use: add or repair nodes", None, None, [nodes, describe])
    return ("the scheduler's reason is not one scaffold knows: read the events", None, None, [describe, pod.events, "kubectl describe nodes"])


def findings(pod: PodView, message: str) -> list[Diagnosis]:
    """Findings for ``PodScheduled=False, reason Unschedulable``: the main obstacle first."""
    total, clauses = parse(message)
    said = " ".join(message.split())
    if not clauses:
        return [Diagnosis("error", f"not scheduled: {said or 'no reason given'}", "Unschedulable", None, None, None,
                          [pod.describe, "kubectl describe nodes"])]
    rank = sorted(clauses, key=lambda c: (c.kind == "control-plane", -c.nodes, _PRIORITY.index(c.kind) if c.kind in _PRIORITY else 99))
    if rank[0].kind == "control-plane" and total is not None and rank[0].nodes < total:
        rank = rank[1:] + rank[:1]
    out: list[Diagnosis] = []
    top = rank[0]
    for n, clause in enumerate(rank):
        if clause.kind == "control-plane" and n:
            continue  # control-plane nodes are skipped on purpose; the other nodes are the story
        fix, where, current, commands = _fix(pod, clause, total)
        blocks = _nodes(clause.nodes, total) if total is not None or clause.nodes else "the pod"
        if n == 0:
            msg = f"not scheduled: {clause.text} ({blocks}): {fix}; scheduler: {said}"
            severity = "error"
        else:
            msg = f"also: {clause.text} ({blocks}): {fix}"
            severity = "error" if clause.nodes == top.nodes and clause.kind != "control-plane" else "warning"
        out.append(Diagnosis(severity, msg, "Unschedulable", None, where, current, commands))
    return out
