"""Checks of the workload controllers' own fields: StatefulSet, DaemonSet, Job, CronJob and
Deployment rollout settings (issue 10).

The OpenAPI schemas only say these fields are strings and integers; the API server's
validation (and the controllers) are stricter: a cron field out of range, an unknown time
zone, a StatefulSet whose governing Service is missing or not headless.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ..k8s.kinds import HAS_REPLICAS, HAS_SERVICE_NAME, HAS_STRATEGY, KINDS, ONE_PER_NODE, POD_BEARING, SCHEDULED, dig, kind_of
from ..k8s.vocab import (
    ACCESS_MODES,
    COMPLETION_MODES,
    CONCURRENCY_POLICIES,
    CRON_MACROS,
    DEPLOYMENT_STRATEGIES,
    POD_MANAGEMENT_POLICIES,
    UPDATE_STRATEGIES,
)
from ..paths import Path
from . import CheckConfig, Finding, Workload, as_dict, as_list, rule
from .common import containers, did_you_mean, enum_message, is_int, show
from .wiring import index_of

# ---------------------------------------------------------------- cron

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
#: (name, low, high, names for low.. in order)
CRON_FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)
_ITEM = re.compile(r"(?:(\*|\?)|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:/([0-9]+))?\Z")


def _cron_value(text: str, low: int, names: tuple[str, ...]) -> int | None:
    if text.isdigit():
        return int(text)
    upper = text.upper()
    if names and upper in names:
        return names.index(upper) + low
    return None


def cron_problem(schedule: Any) -> str | None:
    """None for a schedule the CronJob controller accepts; else what is wrong, naming the field."""
    if not isinstance(schedule, str):
        return f"schedule must be a string such as '0 3 * * *', not {show(schedule)}"
    text = schedule.strip()
    if re.match(r"(CRON_)?TZ=", text):
        return "a time zone inside the schedule (TZ=...) is refused by the API server; set timeZone instead"
    if text.startswith("@"):
        if text in CRON_MACROS:
            return None
        return f"schedule {schedule!r} is not one of {', '.join(CRON_MACROS)}{did_you_mean(text, CRON_MACROS)}"
    parts = text.split()
    if len(parts) != 5:
        return (
            f"schedule {schedule!r} has {len(parts)} field{'s' if len(parts) != 1 else ''}; a cron schedule has five: "
            "minute hour day-of-month month day-of-week (e.g. '30 2 * * *'), or a macro such as @daily"
        )
    for part, (field, low, high, names) in zip(parts, CRON_FIELDS):
        for item in part.split(","):
            m = _ITEM.match(item)
            if not m:
                return f"schedule {schedule!r}: the {field} field {part!r} is not a number, *, a list, a range or a step"
            star, start, end, step = m.groups()
            if star == "?" and field not in ("day of month", "day of week"):
                return f"schedule {schedule!r}: ? is only allowed in the day fields, not in the {field} field"
            if step is not None and int(step) < 1:
                return f"schedule {schedule!r}: the {field} step /{step} must be 1 or more"
            for value_text in (start, end):
                if value_text is None:
                    continue
                value = _cron_value(value_text, low, names)
                allowed = f"{low}-{high}" + (f" or {names[0]}-{names[-1]}" if names else "")
                if value is None:
                    return f"schedule {schedule!r}: {value_text!r} is not a valid {field} ({allowed})"
                if not low <= value <= high:
                    return f"schedule {schedule!r}: {field} {value} is out of range ({allowed})"
            if start is not None and end is not None:
                if _cron_value(start, low, names) > _cron_value(end, low, names):  # type: ignore[operator]
                    return f"schedule {schedule!r}: the {field} range {start}-{end} runs backwards"
    return None


@lru_cache(maxsize=256)
def time_zone_problem(zone: str) -> str | None:
    """None for an IANA time zone name; the check imports zoneinfo only when a CronJob has one."""
    import zoneinfo

    if zone in ("", "Local") or zone.startswith("/") or ".." in zone:
        return f"timeZone {zone!r} is not an IANA time zone name such as Europe/Berlin"
    try:
        zoneinfo.ZoneInfo(zone)
        return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        import difflib

        close = difflib.get_close_matches(zone, sorted(zoneinfo.available_timezones()), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"timeZone {zone!r} is not an IANA time zone name such as Europe/Berlin{hint}"


@rule(
    "cron-schedule",
    severity="error",
    scope="object",
    kinds=SCHEDULED,
    summary="A CronJob's schedule has five cron fields in range (or a macro such as @daily); timeZone is an IANA name; "
    "concurrencyPolicy and the history limits take fixed values.",
    prevents="the API server rejects the CronJob",
    fix="Write minute hour day-of-month month day-of-week ('30 2 * * *'); put the zone in timeZone, not TZ= in the schedule.",
    example="""\
name: nightly
kind: CronJob
schedule: "0 25 * * *"
containers:
  - {name: job, image: busybox:1.36}
""",
)
def cron_schedule(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    info = kind_of(obj)
    if info is None or info.schedule is None:
        return
    spec = as_dict(dig(obj, info.schedule))
    where = info.schedule
    if "schedule" not in spec:
        yield Finding((*where, "schedule"), "a CronJob needs a schedule such as '0 3 * * *'")
    else:
        problem = cron_problem(spec["schedule"])
        if problem:
            yield Finding((*where, "schedule"), problem)
    zone = spec.get("timeZone")
    if zone is not None:
        problem = time_zone_problem(zone) if isinstance(zone, str) else f"timeZone must be a string, not {show(zone)}"
        if problem:
            yield Finding((*where, "timeZone"), problem)
    if "concurrencyPolicy" in spec:
        problem = enum_message(spec["concurrencyPolicy"], CONCURRENCY_POLICIES, "concurrencyPolicy")
        if problem:
            yield Finding((*where, "concurrencyPolicy"), problem)
    for field in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if field in spec and not (is_int(spec[field]) and spec[field] >= 0):
            yield Finding((*where, field), f"{field} must be a whole number >= 0, not {show(spec[field])}")


# ---------------------------------------------------------------- Jobs


def _job_specs(obj: dict[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    info = kind_of(obj)
    if info is None or info.pod_spec is None:
        return
    # The Job spec holds the pod template: two levels above the pod spec.
    where = info.pod_spec[:-2]
    yield where, as_dict(dig(obj, where))


@rule(
    "job-fields",
    severity="error",
    scope="object",
    kinds=POD_BEARING,
    summary="A Job's completions, parallelism, backoffLimit, activeDeadlineSeconds and ttlSecondsAfterFinished are "
    "in range; completionMode is NonIndexed or Indexed.",
    prevents="the API server rejects the Job",
    fix="Use whole numbers (activeDeadlineSeconds 1 or more, the others 0 or more).",
    example="""\
name: migrate
kind: Job
backoffLimit: -1
containers:
  - {name: migrate, image: busybox:1.36}
""",
)
def job_fields(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    info = kind_of(obj)
    if info is None or info.restart_policies != KINDS["Job"].restart_policies:
        return
    for where, spec in _job_specs(obj):
        for field, low in (("completions", 0), ("parallelism", 0), ("backoffLimit", 0), ("ttlSecondsAfterFinished", 0), ("activeDeadlineSeconds", 1)):
            if field in spec and not (is_int(spec[field]) and spec[field] >= low):
                yield Finding((*where, field), f"{field} must be a whole number >= {low}, not {show(spec[field])}")
        if "completionMode" in spec:
            problem = enum_message(spec["completionMode"], COMPLETION_MODES, "completionMode")
            if problem:
                yield Finding((*where, "completionMode"), problem)
            elif spec["completionMode"] == "Indexed" and spec.get("completions") is None:
                yield Finding((*where, "completions"), "an Indexed Job needs completions (the number of indexes)")


# ---------------------------------------------------------------- StatefulSet


@rule(
    "statefulset-service",
    severity="error",
    scope="stream",
    kinds=HAS_SERVICE_NAME,
    mark="RUN",
    summary="A StatefulSet's serviceName names a headless Service (clusterIP None) that selects its pods "
    "(in lint: a warning when no such Service is in the input); podManagementPolicy and updateStrategy take fixed values.",
    prevents="pods without stable DNS names (the governing Service is missing or not headless)",
    fix="Add a Service with clusterIP: None, the StatefulSet's pod labels as selector, named as serviceName.",
    example="""\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db-headless
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres:16}]
""",
)
def statefulset_service(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    streams = index_of(config, objects)
    for w in pods:
        if w.info.service_name is None:
            continue
        spec = as_dict(w.obj.get("spec"))
        if "podManagementPolicy" in spec:
            problem = enum_message(spec["podManagementPolicy"], POD_MANAGEMENT_POLICIES, "podManagementPolicy")
            if problem:
                yield w.index, Finding(("spec", "podManagementPolicy"), problem)
        name = dig(w.obj, w.info.service_name)
        if name is None:
            continue
        if not isinstance(name, str) or not name:
            yield w.index, Finding(w.info.service_name, f"serviceName must be a Service name, not {show(name)}")
            continue
        same = streams.named("Service", w.namespace, name)
        if not same:
            yield w.index, Finding(
                w.info.service_name,
                f"no Service {name!r} in the input: the headless Service that gives the pods their DNS names must exist before apply",
                severity="warning",
            )
            continue
        index, service = same[0]
        service_spec = as_dict(service.get("spec"))
        if service_spec.get("clusterIP") != "None":
            yield index, Finding(
                ("spec", "clusterIP"),
                f"Service {name!r} governs StatefulSet {w.name!r} but is not headless; set clusterIP: None",
            )
        selector = as_dict(service_spec.get("selector"))
        if not selector or any(w.labels.get(k) != v for k, v in selector.items()):
            yield index, Finding(
                ("spec", "selector"),
                f"Service {name!r} governs StatefulSet {w.name!r} but its selector {selector or '{}'} does not select its pods ({w.labels})",
            )


@rule(
    "claim-template-mounted",
    severity="warning",
    scope="object",
    kinds=HAS_SERVICE_NAME,
    summary="A StatefulSet's volumeClaimTemplates each have a name, valid access modes and a storage size "
    "(a quantity), and a container mounts them.",
    prevents="the API server rejects the StatefulSet; a claim created for every pod that nobody uses",
    fix="Mount the template by name in volumeMounts, or remove it; write the size as a quantity such as 10Gi.",
    example="""\
name: db
kind: StatefulSet
containers:
  - {name: db, image: postgres:16}
volumeClaimTemplates:
  - {name: data, size: 10Gi}
""",
)
def claim_template_mounted(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    info = kind_of(obj)
    if info is None or info.claim_templates is None or info.pod_spec is None:
        return
    from .resources import checked

    mounted = {
        m.get("name")
        for _, c in containers(as_dict(dig(obj, info.pod_spec)))
        for m in as_list(c.get("volumeMounts"))
        if isinstance(m, dict)
    }
    for i, template in enumerate(as_list(dig(obj, info.claim_templates))):
        where = (*info.claim_templates, i)
        name = dig(template, ("metadata", "name"))
        if not isinstance(name, str) or not name:
            yield Finding((*where, "metadata", "name"), "a volumeClaimTemplate needs a name", severity="error")
            continue
        spec = as_dict(as_dict(template).get("spec"))
        for j, mode in enumerate(as_list(spec.get("accessModes"))):
            problem = enum_message(mode, ACCESS_MODES, "access mode")
            if problem:
                yield Finding((*where, "spec", "accessModes", j), problem, severity="error")
        size = dig(spec, ("resources", "requests", "storage"))
        if size is None:
            yield Finding((*where, "spec", "resources"), f"volumeClaimTemplate {name!r} requests no storage size", severity="error")
        else:
            _, problem = checked("ephemeral-storage", size)
            if problem:
                yield Finding((*where, "spec", "resources", "requests", "storage"), f"storage size: {problem}", severity="error")
        if name not in mounted:
            yield Finding(where, f"volumeClaimTemplate {name!r} is mounted by no container: every pod gets a claim nobody uses")


# ---------------------------------------------------------------- DaemonSet and rollouts


@rule(
    "daemonset-replicas",
    severity="error",
    scope="object",
    kinds=ONE_PER_NODE,
    summary="A DaemonSet runs one pod on every node it may schedule to: it has no replicas.",
    prevents="the API server rejects the DaemonSet (unknown field spec.replicas)",
    fix="Remove replicas; choose the nodes with nodeSelector, affinity and tolerations.",
    example="""\
name: agent
kind: DaemonSet
replicas: 3
containers:
  - {name: agent, image: fluent/fluent-bit:3.0}
""",
)
def daemonset_replicas(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    if "replicas" in as_dict(obj.get("spec")):
        yield Finding(("spec", "replicas"), f"a {obj.get('kind')} runs one pod per node and takes no replicas; remove it")


_PERCENT = re.compile(r"([0-9]+)%\Z")


def _pace(value: Any, field: str) -> tuple[int | None, str | None]:
    """(0 when the value is zero, else None; problem)."""
    if is_int(value):
        return (0 if value == 0 else None), (f"{field} must be >= 0, not {value}" if value < 0 else None)
    if isinstance(value, str):
        m = _PERCENT.match(value)
        if not m:
            return None, f"{field} {value!r} is neither a whole number nor a percentage such as 25%"
        pct = int(m.group(1))
        if pct > 100:
            return None, f"{field} {value} is more than 100%"
        return (0 if pct == 0 else None), None
    return None, f"{field} must be a whole number or a percentage, not {show(value)}"


@rule(
    "strategy",
    severity="error",
    scope="object",
    kinds=HAS_STRATEGY,
    summary="A rollout strategy has a known type; Recreate (OnDelete) takes no rollingUpdate; maxSurge and "
    "maxUnavailable are not both 0; percentages are 0-100%.",
    prevents="the API server rejects the workload",
    fix="Give maxSurge or maxUnavailable a value above 0, or use Recreate without rollingUpdate.",
    example="""\
name: web
strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}
containers:
  - {name: web, image: nginx:1.27}
""",
)
def strategy(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    info = kind_of(obj)
    if info is None or info.strategy is None:
        return
    spec = as_dict(obj.get("spec"))
    for field in ("minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"):
        if field in spec and not (is_int(spec[field]) and spec[field] >= 0):
            yield Finding(("spec", field), f"{field} must be a whole number >= 0, not {show(spec[field])}")
    where = info.strategy
    value = dig(obj, where)
    if value is None:
        return
    if not isinstance(value, dict):
        yield Finding(where, f"{where[-1]} must be a mapping with a type, not {show(value)}")
        return
    types = DEPLOYMENT_STRATEGIES if where[-1] == "strategy" else UPDATE_STRATEGIES
    kind = value.get("type", "RollingUpdate")
    problem = enum_message(kind, types, f"{where[-1]} type")
    if problem:
        yield Finding((*where, "type"), problem)
        return
    rolling = value.get("rollingUpdate")
    if rolling is None:
        return
    if kind != "RollingUpdate":
        yield Finding((*where, "rollingUpdate"), f"a {kind} {where[-1]} takes no rollingUpdate; remove it or use RollingUpdate")
        return
    rolling = as_dict(rolling)
    known = {"Deployment": ("maxSurge", "maxUnavailable"), "DaemonSet": ("maxSurge", "maxUnavailable"), "StatefulSet": ("maxUnavailable", "partition")}
    fields = known.get(info.name, ("maxSurge", "maxUnavailable", "partition"))
    for field in rolling:
        if field not in fields:
            yield Finding((*where, "rollingUpdate", field), f"a {info.name}'s rollingUpdate takes {' and '.join(fields)}, not {field}{did_you_mean(field, fields)}")
    zero = []
    for field in ("maxSurge", "maxUnavailable"):
        if field in rolling and field in fields:
            is_zero, problem = _pace(rolling[field], field)
            if problem:
                yield Finding((*where, "rollingUpdate", field), problem)
            elif is_zero == 0:
                zero.append(field)
    surge_default_zero = info.name != "Deployment"  # DaemonSet maxSurge defaults to 0
    if "maxUnavailable" in zero and ("maxSurge" in zero or (surge_default_zero and "maxSurge" not in rolling)):
        yield Finding(
            (*where, "rollingUpdate"),
            "maxSurge and maxUnavailable are both 0: a rollout could never replace a pod; give one of them a value above 0",
        )
    if "partition" in rolling and "partition" in fields and not (is_int(rolling["partition"]) and rolling["partition"] >= 0):
        yield Finding((*where, "rollingUpdate", "partition"), f"partition must be a whole number >= 0, not {show(rolling['partition'])}")


# ---------------------------------------------------------------- spread


@rule(
    "spread-single-replica",
    severity="notice",
    scope="object",
    kinds=HAS_REPLICAS,
    mark="PRACTICE",
    summary="Spreading the pods of a workload with one replica does nothing.",
    prevents="a false sense of zone or node redundancy",
    fix="Raise replicas to 2 or more, or drop spread.",
    example="""\
name: web
replicas: 1
spread: zone
containers:
  - {name: web, image: nginx:1.27}
""",
)
def spread_single_replica(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    info = kind_of(obj)
    if info is None or info.replicas is None or info.pod_spec is None:
        return
    constraints = dig(obj, (*info.pod_spec, "topologySpreadConstraints"))
    if constraints and dig(obj, info.replicas, 1) == 1:
        yield Finding(
            (*info.pod_spec, "topologySpreadConstraints"),
            "one replica: spreading its pods over nodes or zones does nothing; raise replicas to 2 or more",
        )
