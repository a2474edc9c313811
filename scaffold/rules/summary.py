"""What ``scaffold validate`` reports besides issues: per workload, its QoS class, the startup
budget of each startup probe, and the objects that must exist in the namespace before apply.

These are facts, not problems: a BestEffort pod may be intended, and a ConfigMap may well
exist already; but people should see them before ``kubectl apply``, not after.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from . import CheckConfig, as_dict, workloads
from .common import containers, probes
from .env import REFERENCE_KINDS, references
from .index import StreamIndex
from .probes import startup_budget
from .resources import quantity_or_none, resource_maps

_QOS_RESOURCES = ("cpu", "memory")


def qos_class(spec: dict[str, Any]) -> str:
    """Guaranteed, Burstable or BestEffort, as the kubelet computes it (``GetPodQOS``).

    Init containers count; only cpu and memory matter; zero amounts are ignored; a request
    left out defaults to its limit; Guaranteed needs cpu and memory limits on every container
    and the pod's summed requests equal to its summed limits.
    """
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for _, container in containers(spec):
        req_map, lim_map = resource_maps(container)
        req_map = {**{k: v for k, v in lim_map.items() if k in _QOS_RESOURCES}, **req_map}  # API defaulting
        for name in _QOS_RESOURCES:
            q = quantity_or_none(name, req_map[name]) if name in req_map else None
            if q is not None and q.value > 0:
                requests[name] = requests.get(name, Fraction(0)) + q.value
        found = set()
        for name in _QOS_RESOURCES:
            q = quantity_or_none(name, lim_map[name]) if name in lim_map else None
            if q is not None and q.value > 0:
                found.add(name)
                limits[name] = limits.get(name, Fraction(0)) + q.value
        if found != set(_QOS_RESOURCES):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and all(limits.get(name) == value for name, value in requests.items()) and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _details(spec: dict[str, Any], present: frozenset[tuple[str, str]] = frozenset()) -> list[str]:
    lines = [f"QoS {qos_class(spec)}"]
    for _, container in containers(spec):
        for name, probe in probes(container):
            if name == "startupProbe":
                failures, period, total = startup_budget(probe)
                lines.append(f"startup budget of {container.get('name', '?')}: {failures} x {period} s = {total} s")
    needed: dict[str, list[str]] = {}
    for _, kind, name in references(spec):
        if (kind.split()[-1], name) in present:  # defined beside the pod: applied with it
            continue
        if name not in needed.setdefault(kind, []):
            needed[kind].append(name)
    if needed:
        parts = [f"{kind} {', '.join(needed[kind])}" for kind in REFERENCE_KINDS if kind in needed]
        lines.append("must exist in the namespace before apply: " + "; ".join(parts))
    else:
        lines.append("must exist in the namespace before apply: nothing")
    return lines


def summarize(objects: list[dict[str, Any]]) -> list[str]:
    """One header line per workload (identical Pods share one) and indented detail lines."""
    groups: list[tuple[list[str], list[str]]] = []
    config = CheckConfig()
    config = config._replace(index=StreamIndex(objects, config.namespace))
    namespace_of = config.index.namespace_of
    defined = {
        (str(o.get("kind")), str(as_dict(o.get("metadata")).get("name")), namespace_of(o)) for o in objects if isinstance(o, dict)
    }
    for w in workloads(objects, config):
        label = f"{w.kind}/{w.name}"
        namespace = as_dict(w.obj.get("metadata")).get("namespace")
        if isinstance(namespace, str):
            label += f" (namespace {namespace})"
        here = w.namespace
        details = _details(w.spec, frozenset((k, n) for k, n, ns in defined if ns == here))
        if groups and groups[-1][1] == details:
            groups[-1][0].append(label)
        else:
            groups.append(([label], details))
    out: list[str] = []
    for labels, details in groups:
        out.append(f"{', '.join(labels)}: {details[0]}")
        out.extend(f"  {line}" for line in details[1:])
    return out
