"""Workload fields with fixed vocabularies: restart policies, pull policies, Service types.

Each vocabulary has its own rule id, so a message names the field it is about and
``checks.ignore`` skips one check, not all of them.

The OpenAPI schemas list none of these enums, so ``restartPolicy: always`` passes every
schema validator and fails at apply; here it gets "did you mean 'Always'?".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..k8s.kinds import HAS_REPLICAS, KEEPS_PODS_RUNNING, KINDS, POD_BEARING, ROUTES_TO_PODS, RUNS_TO_COMPLETION, dig
from ..k8s.vocab import (
    CONTAINER_GROUPS,
    EMPTY_DIR_MEDIA,
    MOUNT_PROPAGATIONS,
    PROTOCOLS,
    POD_SERVICE_TYPES,
    PULL_POLICIES,
    RESTART_POLICIES,
    SERVICE_TYPES,
    SESSION_AFFINITIES,
    TRAFFIC_POLICIES,
)
from ..k8s.vocab import choices as vocab_choices
from . import CheckConfig, Finding, Workload, as_dict, as_list, before_render, routes, rule
from .common import containers, enum_message, is_int, pod_spec, show

#: Most bare Pods a preset may ask for (``kind: Pod`` with ``replicas: N``).
MAX_BARE_PODS = 100


@rule(
    "deployment-restart-policy",
    severity="error",
    scope="object",
    kinds=KEEPS_PODS_RUNNING,
    summary="A workload that keeps its pods running (a Deployment, StatefulSet, ...) must have restartPolicy Always.",
    prevents="the API server rejects it",
    fix="Remove restartPolicy or set Always; for run-to-completion work use kind: Pod (or a Job).",
    example="""\
name: web
kind: Deployment
restartPolicy: Never
containers:
  - {name: web, image: nginx:1.27}
""",
)
def deployment_restart_policy(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    found = pod_spec(obj)
    if found is None:
        return
    prefix, spec = found
    policy = spec.get("restartPolicy")
    if policy is not None and policy != "Always":
        yield Finding(
            (*prefix, "restartPolicy"),
            f"a {obj.get('kind')} keeps its pods running, so restartPolicy must be Always, not {show(policy)}; "
            "use kind: Pod (or a Job) for run-to-completion work",
        )


@rule(
    "job-restart-policy",
    severity="error",
    scope="object",
    kinds=RUNS_TO_COMPLETION,
    summary="A Job's (or CronJob's) pod template must set restartPolicy OnFailure or Never; Always, the pod default, is rejected.",
    prevents="the API server rejects the Job",
    fix="Set restartPolicy: Never (a failed pod is replaced) or OnFailure (the container restarts in place).",
    example="""\
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Always
      containers: [{name: migrate, image: busybox:1.36}]
""",
)
def job_restart_policy(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    found = pod_spec(obj)
    if found is None:
        return
    prefix, spec = found
    policy = spec.get("restartPolicy")
    allowed = " or ".join(KINDS[str(obj.get("kind"))].restart_policies)
    if policy is None:
        yield Finding(
            (*prefix, "restartPolicy"),
            f"a {obj.get('kind')} runs its pods to completion, so restartPolicy must be set to {allowed} "
            "(left out, it is Always, which is rejected)",
        )
    elif policy == "Always":
        yield Finding(
            (*prefix, "restartPolicy"),
            f"a {obj.get('kind')} runs its pods to completion, so restartPolicy must be {allowed}, not Always; "
            "use a Deployment for pods that keep running",
        )


def _enum(at: tuple[str | int, ...], value: Any, choices: tuple[str, ...], what: str) -> Iterator[Finding]:
    problem = enum_message(value, choices, what)
    if problem:
        yield Finding(at, problem)


def _pod_containers(obj: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """(path from the object's root, container) of every container of a pod-bearing object."""
    found = pod_spec(obj)
    if found is None:
        return
    prefix, spec = found
    for path, container in containers(spec, CONTAINER_GROUPS):
        yield (*prefix, *path), container


_ENUM_FIX = "Use one of the listed values, spelled exactly (they are case-sensitive)."


@rule(
    "restart-policy-enum",
    severity="error",
    scope="object",
    kinds=POD_BEARING,
    summary=f"A pod's restartPolicy is one of {' | '.join(RESTART_POLICIES)}.",
    prevents="the API server rejects it",
    fix=_ENUM_FIX,
    example="""\
name: job
kind: Pod
restartPolicy: OnFaliure
containers:
  - {name: job, image: busybox:1.36}
""",
)
def restart_policy_enum(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    found = pod_spec(obj)
    if found is not None and "restartPolicy" in found[1]:
        yield from _enum((*found[0], "restartPolicy"), found[1]["restartPolicy"], RESTART_POLICIES, "restartPolicy")


@rule(
    "image-pull-policy-enum",
    severity="error",
    scope="object",
    kinds=POD_BEARING,
    summary=f"A container's imagePullPolicy is one of {' | '.join(PULL_POLICIES)}.",
    prevents="the API server rejects it",
    fix=_ENUM_FIX,
    example="""\
name: web
containers:
  - {name: web, image: nginx:1.27, imagePullPolicy: ifNotPresent}
""",
)
def image_pull_policy_enum(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    for path, container in _pod_containers(obj):
        if "imagePullPolicy" in container:
            yield from _enum((*path, "imagePullPolicy"), container["imagePullPolicy"], PULL_POLICIES, "imagePullPolicy")


@rule(
    "protocol-enum",
    severity="error",
    scope="object",
    kinds=POD_BEARING | ROUTES_TO_PODS,
    summary=f"The protocol of a containerPort or a Service port is one of {' | '.join(PROTOCOLS)}.",
    prevents="the API server rejects it",
    fix=_ENUM_FIX,
    example="""\
name: dns
containers:
  - name: dns
    image: coredns/coredns:1.11.1
    ports: [{containerPort: 53, protocol: DNS}]
""",
)
def protocol_enum(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    if routes(obj):
        for i, port in enumerate(as_list(as_dict(obj.get("spec")).get("ports"))):
            if isinstance(port, dict) and "protocol" in port:
                yield from _enum(("spec", "ports", i, "protocol"), port["protocol"], PROTOCOLS, "protocol")
        return
    for path, container in _pod_containers(obj):
        for j, port in enumerate(as_list(container.get("ports"))):
            if isinstance(port, dict) and "protocol" in port:
                yield from _enum((*path, "ports", j, "protocol"), port["protocol"], PROTOCOLS, "protocol")


@rule(
    "volume-enum",
    severity="error",
    scope="object",
    kinds=POD_BEARING,
    summary=f"A volumeMount's mountPropagation is one of {' | '.join(MOUNT_PROPAGATIONS)}; "
    f"an emptyDir's medium is one of {vocab_choices(EMPTY_DIR_MEDIA)}.",
    prevents="the API server rejects it",
    fix=_ENUM_FIX,
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    volumeMounts: [{name: cache, mountPath: /cache}]
volumes:
  - {name: cache, emptyDir: {medium: memory}}
""",
)
def volume_enum(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    for path, container in _pod_containers(obj):
        for j, mount in enumerate(as_list(container.get("volumeMounts"))):
            if isinstance(mount, dict) and "mountPropagation" in mount:
                yield from _enum((*path, "volumeMounts", j, "mountPropagation"), mount["mountPropagation"], MOUNT_PROPAGATIONS, "mountPropagation")
    found = pod_spec(obj)
    if found is None:
        return
    prefix, spec = found
    for i, volume in enumerate(as_list(spec.get("volumes"))):
        empty = as_dict(volume).get("emptyDir")
        if isinstance(empty, dict) and "medium" in empty:
            yield from _enum((*prefix, "volumes", i, "emptyDir", "medium"), empty["medium"], EMPTY_DIR_MEDIA, "emptyDir medium")


@rule(
    "service-type-enum",
    severity="error",
    scope="object",
    kinds=ROUTES_TO_PODS,
    summary=f"A Service's type is one of {' | '.join(SERVICE_TYPES)} (ExternalName needs spec.externalName); "
    f"a preset's Service fronts its pods, so there only {' | '.join(POD_SERVICE_TYPES)}. "
    f"sessionAffinity is {' | '.join(SESSION_AFFINITIES)}, the traffic policies {' | '.join(TRAFFIC_POLICIES)}.",
    prevents="the API server rejects it",
    fix=_ENUM_FIX,
    example="""\
name: web
containers:
  - {name: web, image: nginx:1.27, ports: [80]}
service: {type: Nodeport}
""",
)
def service_type_enum(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    spec = as_dict(obj.get("spec"))
    if "type" in spec:
        problem = enum_message(spec["type"], SERVICE_TYPES, "Service type")
        if problem:
            yield Finding(("spec", "type"), problem)
        elif spec["type"] == "ExternalName" and not spec.get("externalName"):
            yield Finding(("spec", "type"), "type ExternalName needs spec.externalName (a DNS name); use ClusterIP to front pods")
    for field, choices in (("sessionAffinity", SESSION_AFFINITIES), ("externalTrafficPolicy", TRAFFIC_POLICIES), ("internalTrafficPolicy", TRAFFIC_POLICIES)):
        if field in spec:
            yield from _enum(("spec", field), spec[field], choices, field)


@before_render("service-type-enum")
def preset_service_type(preset: dict[str, Any]) -> Iterator[Finding]:
    """A preset's Service fronts the preset's pods: ExternalName (a DNS alias) is no choice."""
    service = preset.get("service")
    if isinstance(service, dict) and "type" in service:
        problem = enum_message(service["type"], POD_SERVICE_TYPES, "Service type")
        if problem:
            if service["type"] == "ExternalName":
                problem += " (a preset's Service fronts its pods; ExternalName is a DNS alias that selects none)"
            yield Finding(("service", "type"), problem)


@rule(
    "replicas-range",
    severity="error",
    scope="stream",
    kinds=HAS_REPLICAS,
    summary="replicas is a whole number >= 0; a workload behind a Service with one replica has no redundancy; "
    f"a preset's bare Pods (kind: Pod) number 1 to {MAX_BARE_PODS}.",
    prevents="the API server rejects it (negative); downtime on every restart (one replica)",
    fix="Set replicas to 0 or more; 2 or more for a Deployment that serves traffic (not for a single-instance one: strategy Recreate or a ReadWriteOnce claim); with an HPA, its minReplicas decides.",
    example="""\
name: web
replicas: -1
containers:
  - {name: web, image: nginx:1.27}
""",
)
def replicas_range(objects: list[Any], pods: list[Workload], config: CheckConfig) -> Iterator[tuple[int, Finding]]:
    for w in pods:
        if w.info.replicas is None:
            continue
        path = w.info.replicas
        replicas = dig(w.obj, path, 1)  # left out, it is 1
        if not is_int(replicas):
            yield w.index, Finding(path, f"replicas must be a whole number, not {show(replicas)}")
        elif replicas < 0:
            yield w.index, Finding(path, f"replicas {replicas} is negative; use 0 or more")
        elif replicas <= 1 and w.services:
            finding = _single_replica(w, replicas, config)
            if finding is not None:
                yield w.index, finding


def _single_instance(w: Workload, config: CheckConfig) -> str | None:
    """Why the workload is meant to run one pod at a time (a database), or None."""
    if dig(w.obj, ("spec", "strategy", "type")) == "Recreate":
        return "strategy Recreate"
    templates = as_list(dig(w.obj, ("spec", "volumeClaimTemplates")))
    for t in templates:
        modes = as_list(dig(t, ("spec", "accessModes")))
        if modes and all(m in ("ReadWriteOnce", "ReadWriteOncePod") for m in modes):
            return "a ReadWriteOnce volumeClaimTemplate"
    index = config.index
    for volume in as_list(w.spec.get("volumes")):
        claim = as_dict(as_dict(volume).get("persistentVolumeClaim")).get("claimName")
        if not isinstance(claim, str) or index is None:
            continue
        pvc = index.find("PersistentVolumeClaim", w.namespace, claim)
        modes = as_list(dig(pvc, ("spec", "accessModes"))) if pvc is not None else []
        if modes and all(m in ("ReadWriteOnce", "ReadWriteOncePod") for m in modes):
            return f"the ReadWriteOnce claim {claim}"
    return None


def _single_replica(w: Workload, replicas: int, config: CheckConfig) -> Finding | None:
    """The one-replica warning, calibrated: an HPA's minReplicas decides for a scaled workload,
    and a single-instance workload (Recreate, a ReadWriteOnce claim) cannot have two."""
    index = config.index
    hpa = index.find_scaler(w) if index is not None else None
    if hpa is not None:
        low = dig(hpa, ("spec", "minReplicas"), 1)
        if not is_int(low) or low >= 2:
            return None
        name = as_dict(hpa.get("metadata")).get("name")
        return Finding(
            w.info.replicas or ("spec",),
            f"HorizontalPodAutoscaler/{name} may scale this {w.kind} behind a Service down to {low} replica "
            "(downtime on every restart or drain); set the HPA's minReplicas: 2",
            severity="warning",
        )
    if replicas == 0:
        return None
    why = _single_instance(w, config)
    if why is not None:
        return None  # a single-instance workload: a second replica would not start (or must not)
    fix = "set spec.replicas: 2 or more" if config.manifest else "use 2 or more"
    return Finding(
        w.info.replicas or ("spec",),
        f"one replica behind a Service: every restart, rollout or node drain takes the service down; {fix}",
        severity="warning",
    )


@before_render("replicas-range")
def bare_pod_count(preset: dict[str, Any]) -> Iterator[Finding]:
    """A kind without replicas (a bare Pod) is rendered once per replica: 0 renders nothing,
    and 10^11 must never be rendered at all."""
    info = KINDS.get(preset.get("kind", ""))
    if info is None or not info.per_replica:
        return  # the object carries the count (or has none); the stream rule judges it
    replicas = preset["replicas"]
    if replicas < 1:
        yield Finding(("replicas",), f"replicas {replicas} would emit no Pod; kind: {info.name} needs 1 or more")
    elif replicas > MAX_BARE_PODS:
        yield Finding(("replicas",), f"{replicas} bare Pods is more than {MAX_BARE_PODS}; use kind: Deployment")
