"""Resources: quantities spelled right, requests within limits, hugepages, and sizes that fit.

Quantities are compared exactly (``scaffold.k8s.quantities`` works in Fractions), so ``500m``
vs ``1`` and ``512Mi`` vs ``1G`` are decided the way the API server decides them.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..k8s.quantities import (
    Quantity,
    QuantityError,
    describe_memory,
    is_decimal_memory,
    parse_cpu,
    parse_memory,
    parse_quantity,
)
from ..k8s.vocab import RESOURCE_NAMES
from . import Finding, Workload, as_dict, as_list, rule
from .common import containers, did_you_mean, is_sidecar, show
_BYTES = ("memory", "ephemeral-storage")
_HUGEPAGES = "hugepages-"


def kind_of(name: Any) -> str:
    """``cpu``, ``bytes``, ``hugepages``, ``extended`` (domain/name) or ``unknown``."""
    if not isinstance(name, str):
        return "unknown"
    if name == "cpu":
        return "cpu"
    if name in _BYTES:
        return "bytes"
    if name.startswith(_HUGEPAGES):
        return "hugepages"
    if "/" in name and not name.startswith(("kubernetes.io/", "requests.")):
        return "extended"
    return "unknown"


def parse(name: str, value: Any) -> Quantity:
    """The quantity of resource ``name``; raises QuantityError (with a suggestion) if wrong."""
    kind = kind_of(name)
    if kind == "cpu":
        return parse_cpu(value)
    if kind in ("bytes", "hugepages"):
        return parse_memory(value, resource=name)
    q = parse_quantity(value)
    if q.value < 0 or q.value.denominator != 1:
        raise QuantityError(f"{show(value)} is not a whole number; {name} is counted in whole units")
    return q


@lru_cache(maxsize=1024, typed=True)
def _parse_cached(name: str, value: Any) -> tuple[Quantity | None, str | None]:
    try:
        return parse(name, value), None
    except QuantityError as err:
        return None, str(err)


def checked(name: str, value: Any) -> tuple[Quantity | None, str | None]:
    """(quantity, None) or (None, message); cached, since every render sees the same few values."""
    try:
        return _parse_cached(name, value)
    except TypeError:  # unhashable (a list or mapping where a quantity belongs)
        try:
            return parse(name, value), None
        except QuantityError as err:
            return None, str(err)


def quantity_or_none(name: str, value: Any) -> Quantity | None:
    return checked(name, value)[0]


def resource_maps(container: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(requests, limits) as mappings, empty when missing or malformed."""
    resources = as_dict(container.get("resources"))
    return as_dict(resources.get("requests")), as_dict(resources.get("limits"))


def effective_requests(container: dict[str, Any]) -> dict[str, Quantity]:
    """Valid requests after Kubernetes' defaulting: a missing request takes the limit."""
    requests, limits = resource_maps(container)
    out: dict[str, Quantity] = {}
    for name, value in {**limits, **requests}.items():
        if isinstance(name, str):
            q = quantity_or_none(name, value)
            if q is not None:
                out[name] = q
    return out


def _hugepage_size(name: str) -> Quantity | None:
    try:
        return parse_memory(name[len(_HUGEPAGES):], resource=name)
    except QuantityError:
        return None


@rule(
    "quantity-format",
    severity="error",
    scope="pod",
    summary="CPU is 0.5 or 250m (no finer than 1m); memory uses Ki..Ei, k..E or bytes. "
    "128mi, 1GB, 1 Gi and memory 128m (milli-bytes) are errors; decimal 128M is a warning.",
    prevents="the API server rejects it (or a limit a thousand times off)",
    fix="Write CPU as 500m or 0.5 and memory with binary suffixes: 128Mi, 1Gi.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {cpu: 250m, memory: 128mi}
      limits: {cpu: "1", memory: 1Gi}
""",
)
def quantity_format(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        resources = container.get("resources")
        if resources is None:
            continue
        if not isinstance(resources, dict):
            yield Finding((*path, "resources"), f"resources must be a mapping with requests and limits, not {show(resources)}")
            continue
        for kind in ("requests", "limits"):
            values = resources.get(kind)
            if values is None:
                continue
            where = (*path, "resources", kind)
            if not isinstance(values, dict):
                yield Finding(where, f"{kind} must be a mapping such as {{cpu: 250m, memory: 128Mi}}, not {show(values)}")
                continue
            for name, value in values.items():
                yield from _check_quantity((*where, str(name)), name, value)
    for i, volume in enumerate(as_list(w.spec.get("volumes"))):
        empty = as_dict(volume).get("emptyDir")
        if isinstance(empty, dict) and empty.get("sizeLimit") is not None:
            yield from _check_quantity(("volumes", i, "emptyDir", "sizeLimit"), "sizeLimit", empty["sizeLimit"], bytes_only=True)


def _check_quantity(where: tuple[str | int, ...], name: Any, value: Any, *, bytes_only: bool = False) -> Iterator[Finding]:
    kind = "bytes" if bytes_only else kind_of(name)
    if kind == "unknown":
        yield Finding(where, f"{show(name)} is not a container resource (cpu, memory, ephemeral-storage, hugepages-<size>, or domain/name){did_you_mean(name, RESOURCE_NAMES)}")
        return
    if kind == "hugepages" and _hugepage_size(name) is None:
        yield Finding(where, f"{name!r} names no page size; use hugepages-2Mi or hugepages-1Gi")
        return
    q, problem = checked("memory" if bytes_only else name, value)
    if q is None:
        yield Finding(where, (problem or "").replace("a memory quantity", f"a {name} quantity") if bytes_only else problem or "")
        return
    if kind in ("bytes", "hugepages") and is_decimal_memory(q):
        number, suffix = q.text[:-1], q.text[-1]
        binary = f"{number}{'K' if suffix == 'k' else suffix}i"
        yield Finding(
            where,
            f"{q.text!r} is a decimal amount, only {describe_memory(q)}; write {binary} if you meant binary units",
            severity="warning",
        )


@rule(
    "requests-within-limits",
    severity="error",
    scope="pod",
    summary="Each request is at most its limit (compared exactly across units); extended resources need request == limit.",
    prevents="the API server rejects it",
    fix="Lower the request or raise the limit.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {cpu: 1500m, memory: 128Mi}
      limits: {cpu: "1", memory: 1Gi}
""",
)
def requests_within_limits(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        requests, limits = resource_maps(container)
        for name, value in requests.items():
            if not isinstance(name, str):
                continue
            kind = kind_of(name)
            if kind in ("unknown", "hugepages"):
                continue  # quantity-format / hugepages
            req = quantity_or_none(name, value)
            if req is None:
                continue
            where = (*path, "resources", "requests", name)
            if name not in limits:
                if kind == "extended":
                    yield Finding(where, f"{name} is not overcommittable: set limits.{name} equal to the request ({req.text})")
                continue
            lim = quantity_or_none(name, limits[name])
            if lim is None:
                continue
            if kind == "extended" and req != lim:
                yield Finding(where, f"requests.{name} {req.text} must equal limits.{name} {lim.text} (not overcommittable)")
            elif req > lim:
                yield Finding(where, f"requests.{name} {req.text} is more than limits.{name} {lim.text}; lower the request or raise the limit")


@rule(
    "hugepages",
    severity="error",
    scope="pod",
    summary="Hugepages requests equal their limits, and a container with hugepages also requests cpu or memory.",
    prevents="the API server rejects it",
    fix="Set hugepages-2Mi (or -1Gi) in limits equal to requests, and add a cpu or memory request.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {cpu: 250m, memory: 128Mi, hugepages-2Mi: 4Mi}
      limits: {memory: 1Gi, hugepages-2Mi: 8Mi}
""",
)
def hugepages(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        requests, limits = resource_maps(container)
        pages = [n for n in (*requests, *limits) if isinstance(n, str) and n.startswith(_HUGEPAGES)]
        if not pages:
            continue
        if not any(n in ("cpu", "memory") for n in (*requests, *limits)):
            yield Finding((*path, "resources"), "hugepages need a cpu or memory request or limit in the same container")
        for name in dict.fromkeys(pages):
            size = _hugepage_size(name)
            if size is None:
                continue
            req = quantity_or_none(name, requests.get(name)) if name in requests else None
            lim = quantity_or_none(name, limits.get(name)) if name in limits else None
            if name in requests and name not in limits:
                yield Finding((*path, "resources", "limits"), f"{name} is requested but has no limit; set limits.{name} equal to the request")
            elif req is not None and lim is not None and req != lim:
                yield Finding((*path, "resources", "requests", name), f"requests.{name} {req.text} must equal limits.{name} {lim.text}")
            for q, kind in ((req, "requests"), (lim, "limits")):
                if q is not None and size.value and q.value % size.value:
                    yield Finding(
                        (*path, "resources", kind, name),
                        f"{kind}.{name} {q.text} is not a whole number of {size.text} pages",
                        severity="warning",
                    )


@rule(
    "resources-set",
    severity="warning",
    scope="pod",
    mark="PRACTICE",
    summary="Every container (init containers too) has cpu and memory requests and a memory limit.",
    prevents="Evicted first (BestEffort) or a node starved by one pod",
    fix="Set requests.cpu, requests.memory and limits.memory (in a preset: size: small, or real values).",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    resources: {}
""",
)
def resources_set(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        requests, limits = resource_maps(container)
        if not requests and not limits:
            yield Finding(
                (*path, "resources"),
                "no resources: no requests and no limits, so the pod is BestEffort (evicted first, can starve its node); "
                + ("set resources.requests.cpu, resources.requests.memory and resources.limits.memory" if w.config.manifest
                   else "set cpu and memory requests and a memory limit (in a preset: size: small, or real values)"),
            )
            continue
        missing = []
        if "cpu" not in requests and "cpu" not in limits:
            missing.append("requests.cpu")
        if "memory" not in requests and "memory" not in limits:
            missing.append("requests.memory")
        if "memory" not in limits:
            missing.append("limits.memory (without it one leak can exhaust the node)")
        if missing:
            where = "requests" if missing[0].startswith("requests") else "limits"
            yield Finding((*path, "resources", where), f"missing {', '.join(missing)}")


@lru_cache(maxsize=8)
def _node(cpu: str, memory: str) -> tuple[Quantity | None, Quantity | None]:
    return quantity_or_none("cpu", cpu), quantity_or_none("memory", memory)


@rule(
    "node-fit",
    severity="warning",
    scope="pod",
    mark="RUN",
    summary="A request larger than a typical node (default 64 CPU / 256Gi) can never be scheduled.",
    prevents="Pending (no node has that much)",
    fix="Lower the request, or set the node size the checks assume if your nodes are bigger.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    resources:
      requests: {cpu: "100", memory: 128Mi}
      limits: {memory: 1Gi}
""",
)
def node_fit(w: Workload) -> Iterator[Finding]:
    node_cpu, node_memory = _node(w.config.node_cpu, w.config.node_memory)
    totals: dict[str, Fraction] = {"cpu": Fraction(0), "memory": Fraction(0)}
    init_max: dict[str, Fraction] = {"cpu": Fraction(0), "memory": Fraction(0)}
    reported = set()
    for path, container in containers(w.spec):
        effective = effective_requests(container)
        requests, _ = resource_maps(container)
        for name, node in (("cpu", node_cpu), ("memory", node_memory)):
            q = effective.get(name)
            if q is None or node is None:
                continue
            if path[0] == "initContainers" and not is_sidecar(path, container):
                init_max[name] = max(init_max[name], q.value)
            else:
                totals[name] += q.value
            if q > node:
                reported.add(name)
                kind = "requests" if name in requests else "limits"
                yield Finding(
                    (*path, "resources", kind, name),
                    f"{name} {q.text} is more than a whole node ({node.text}); no node can schedule it (Pending)",
                )
    for name, node in (("cpu", node_cpu), ("memory", node_memory)):
        if node is None or name in reported:
            continue
        total = max(totals[name], init_max[name])
        if total > node.value:
            yield Finding(("containers",), f"the containers together request more {name} than a whole node ({node.text}); no node can schedule the pod (Pending)")
