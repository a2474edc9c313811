"""Workload fields with fixed vocabularies: restart policies, pull policies, Service types.

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
    PULL_POLICIES,
    RESTART_POLICIES,
    SERVICE_TYPES,
    SESSION_AFFINITIES,
    TRAFFIC_POLICIES,
)
from . import CheckConfig, Finding, Workload, as_dict, as_list, before_render, routes, rule
from .common import containers, enum_message, is_int, pod_spec, show
from .wiring import autoscalers

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


def _pod_enums(prefix: tuple[str | int, ...], spec: dict[str, Any]) -> Iterator[Finding]:
    if "restartPolicy" in spec:
        problem = enum_message(spec["restartPolicy"], RESTART_POLICIES, "restartPolicy")
        if problem:
            yield Finding((*prefix, "restartPolicy"), problem)
    for path, container in containers(spec, CONTAINER_GROUPS):
        if "imagePullPolicy" in container:
            problem = enum_message(container["imagePullPolicy"], PULL_POLICIES, "imagePullPolicy")
            if problem:
                yield Finding((*prefix, *path, "imagePullPolicy"), problem)
        for j, port in enumerate(as_list(container.get("ports"))):
            if isinstance(port, dict) and "protocol" in port:
                problem = enum_message(port["protocol"], PROTOCOLS, "protocol")
                if problem:
                    yield Finding((*prefix, *path, "ports", j, "protocol"), problem)
        for j, mount in enumerate(as_list(container.get("volumeMounts"))):
            if isinstance(mount, dict) and "mountPropagation" in mount:
                problem = enum_message(mount["mountPropagation"], MOUNT_PROPAGATIONS, "mountPropagation")
                if problem:
                    yield Finding((*prefix, *path, "volumeMounts", j, "mountPropagation"), problem)
    for i, volume in enumerate(as_list(spec.get("volumes"))):
        empty = as_dict(volume).get("emptyDir")
        if isinstance(empty, dict) and "medium" in empty:
            problem = enum_message(empty["medium"], EMPTY_DIR_MEDIA, "emptyDir medium")
            if problem:
                yield Finding((*prefix, "volumes", i, "emptyDir", "medium"), problem)


def _service_enums(obj: dict[str, Any]) -> Iterator[Finding]:
    spec = as_dict(obj.get("spec"))
    if "type" in spec:
        problem = enum_message(spec["type"], SERVICE_TYPES, "Service type")
        if problem:
            yield Finding(("spec", "type"), problem)
        elif spec["type"] == "ExternalName" and not spec.get("externalName"):
            yield Finding(("spec", "type"), "type ExternalName needs spec.externalName (a DNS name); use ClusterIP to front pods")
    for field, choices in (("sessionAffinity", SESSION_AFFINITIES), ("externalTrafficPolicy", TRAFFIC_POLICIES), ("internalTrafficPolicy", TRAFFIC_POLICIES)):
        if field in spec:
            problem = enum_message(spec[field], choices, field)
            if problem:
                yield Finding(("spec", field), problem)
    for i, port in enumerate(as_list(spec.get("ports"))):
        if isinstance(port, dict) and "protocol" in port:
            problem = enum_message(port["protocol"], PROTOCOLS, "protocol")
            if problem:
                yield Finding(("spec", "ports", i, "protocol"), problem)


@rule(
    "restart-policy-enum",
    severity="error",
    scope="object",
    kinds=POD_BEARING | ROUTES_TO_PODS,
    summary="restartPolicy, imagePullPolicy, Service type, protocol and similar fields take one of fixed values.",
    prevents="the API server rejects it",
    fix="Use one of the listed values, spelled exactly (they are case-sensitive).",
    example="""\
name: job
kind: Pod
restartPolicy: OnFaliure
containers:
  - {name: job, image: busybox:1.36}
""",
)
def restart_policy_enum(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    if routes(obj):
        yield from _service_enums(obj)
        return
    found = pod_spec(obj)
    if found is not None:
        yield from _pod_enums(*found)


@rule(
    "replicas-range",
    severity="error",
    scope="stream",
    kinds=HAS_REPLICAS,
    summary="replicas is a whole number >= 0; a workload behind a Service with one replica has no redundancy; "
    f"a preset's bare Pods (kind: Pod) number 1 to {MAX_BARE_PODS}.",
    prevents="the API server rejects it (negative); downtime on every restart (one replica)",
    fix="Set replicas to 0 or more; 2 or more for a Deployment that serves traffic.",
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
        elif replicas == 1 and w.services and not any(autoscalers(objects, w)):  # an HPA sets the count
            yield w.index, Finding(
                path,
                "one replica behind a Service: every restart, rollout or node drain takes the service down; use 2 or more",
                severity="warning",
            )


@before_render("replicas-range")
def bare_pod_count(preset: dict[str, Any]) -> Iterator[Finding]:
    """A kind without replicas (a bare Pod) is rendered once per replica: 0 renders nothing,
    and 10^11 must never be rendered at all."""
    info = KINDS.get(preset.get("kind", ""))
    if info is None or info.replicas is not None:
        return  # the object carries the count; the stream rule judges it
    replicas = preset["replicas"]
    if replicas < 1:
        yield Finding(("replicas",), f"replicas {replicas} would emit no Pod; kind: {info.name} needs 1 or more")
    elif replicas > MAX_BARE_PODS:
        yield Finding(("replicas",), f"{replicas} bare Pods is more than {MAX_BARE_PODS}; use kind: Deployment")
