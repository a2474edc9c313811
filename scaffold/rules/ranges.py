"""Integer fields within the bounds the API server enforces (for manifests; presets meet the
same bounds earlier, in the schema's ``min``/``max``).

Only what no other rule judges: upper bounds of the int32/int64 fields, and the lower bounds
of UIDs, GIDs, grace periods and file modes. Negative replicas, probe timings and ports have
their own rules (replicas-range, probe-thresholds, port-range).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..k8s.kinds import POD_BEARING, dig, kind_of
from . import CheckConfig, Finding, as_dict, as_list, rule
from .common import containers, hooks, is_int, pod_spec, probes

INT32_MAX, INT64_MAX = 2**31 - 1, 2**63 - 1
_BOUND_NAMES = {INT32_MAX: f"{INT32_MAX} (2^31-1)", INT64_MAX: f"{INT64_MAX} (2^63-1)", 0o777: "511 (0777)"}
_PROBE_INT32 = ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold")
_MODE_SOURCES = ("configMap", "secret", "downwardAPI", "projected")


def _show(value: int) -> str:
    """The number, or its length when printing it would be unreadable (or refused by Python)."""
    return str(value) if value.bit_length() <= 256 else f"a {int(value.bit_length() * 0.30103) + 1}-digit number"


def _check(path: tuple[Any, ...], value: Any, low: int | None, high: int) -> Iterator[Finding]:
    if not is_int(value):
        return
    if low is not None and value < low:
        yield Finding(path, f"{_show(value)} is below {low}, the smallest value the API server accepts")
    elif value > high:
        yield Finding(path, f"{_show(value)} is above {_BOUND_NAMES.get(high, high)}, the largest value the API server accepts")


def _security_context(path: tuple[Any, ...], sc: Any) -> Iterator[Finding]:
    sc = as_dict(sc)
    for field in ("runAsUser", "runAsGroup", "fsGroup"):
        if field in sc:
            yield from _check((*path, field), sc[field], 0, INT32_MAX)
    for i, gid in enumerate(as_list(sc.get("supplementalGroups"))):
        yield from _check((*path, "supplementalGroups", i), gid, 0, INT32_MAX)


@rule(
    "int-range",
    severity="error",
    scope="object",
    kinds=POD_BEARING,
    summary="Integer fields fit the API's types: replicas and probe timings int32, grace periods and sleeps int64; "
    "UIDs/GIDs 0-2147483647; terminationGracePeriodSeconds >= 0; file modes 0-0777.",
    prevents="the API server rejects it",
    fix="Use a value within the bound the message names.",
    example="""\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {runAsUser: -1}
  containers:
    - {name: web, image: nginx:1.27}
""",
)
def int_range(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    info = kind_of(obj)
    if info is not None and info.replicas is not None:
        replicas = dig(obj, info.replicas)
        if is_int(replicas) and replicas >= 0:  # negatives: replicas-range
            yield from _check(info.replicas, replicas, None, INT32_MAX)
    found = pod_spec(obj)
    if found is None:
        return
    prefix, spec = found
    if "terminationGracePeriodSeconds" in spec:
        yield from _check((*prefix, "terminationGracePeriodSeconds"), spec["terminationGracePeriodSeconds"], 0, INT64_MAX)
    yield from _security_context((*prefix, "securityContext"), spec.get("securityContext"))
    for path, container in containers(spec, ("initContainers", "containers", "ephemeralContainers")):
        where = (*prefix, *path)
        yield from _security_context((*where, "securityContext"), container.get("securityContext"))
        for name, probe in probes(container):
            for field in _PROBE_INT32:  # negatives: probe-thresholds
                if is_int(probe.get(field)) and probe[field] >= 0:
                    yield from _check((*where, name, field), probe[field], None, INT32_MAX)
            grace = probe.get("terminationGracePeriodSeconds")
            if is_int(grace) and grace >= 0:
                yield from _check((*where, name, "terminationGracePeriodSeconds"), grace, None, INT64_MAX)
        for name, hook in hooks(container):
            seconds = as_dict(hook.get("sleep")).get("seconds")
            if is_int(seconds) and seconds >= 0:  # negatives: prestop-within-grace
                yield from _check((*where, "lifecycle", name, "sleep", "seconds"), seconds, None, INT64_MAX)
    for i, volume in enumerate(as_list(spec.get("volumes"))):
        for source in _MODE_SOURCES:
            src = as_dict(as_dict(volume).get(source))
            base = (*prefix, "volumes", i, source)
            if "defaultMode" in src:
                yield from _check((*base, "defaultMode"), src["defaultMode"], 0, 0o777)
            for j, item in enumerate(as_list(src.get("items"))):
                if "mode" in as_dict(item):
                    yield from _check((*base, "items", j, "mode"), item["mode"], 0, 0o777)
