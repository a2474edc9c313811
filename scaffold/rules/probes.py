"""Probes and lifecycle hooks: one handler each, sane numbers, and budgets that let apps start.

The API server checks the handler count and the thresholds; the practice rules here catch
the probes that are legal but restart a healthy slow starter (CrashLoopBackOff).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..k8s.vocab import HOOK_HANDLERS, HOOKS, HTTP_SCHEMES, PROBE_HANDLERS, PROBES
from . import Finding, Workload, as_dict, as_list, rule
from .common import (
    containers,
    did_you_mean,
    grace_period,
    hooks,
    is_int,
    is_sidecar,
    probes,
    show,
)

PROBE_DEFAULTS = {
    "initialDelaySeconds": 0,
    "periodSeconds": 10,
    "timeoutSeconds": 1,
    "successThreshold": 1,
    "failureThreshold": 3,
}
MIN_LIVENESS_BUDGET = 10
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_SLEEP = re.compile(r"\bsleep\s+([0-9]{1,9})\b")


def probe_value(probe: dict[str, Any], field: str) -> int:
    """A timing of a probe, with Kubernetes' default when unset (or 0, which also means default)."""
    value = probe.get(field)
    if not is_int(value) or (value == 0 and field != "initialDelaySeconds"):
        return PROBE_DEFAULTS[field]
    return int(value)


def startup_budget(probe: dict[str, Any]) -> tuple[int, int, int]:
    """(failureThreshold, periodSeconds, seconds): how long a startup probe lets the app start."""
    failures = probe_value(probe, "failureThreshold")
    period = probe_value(probe, "periodSeconds")
    return failures, period, failures * period


def _app_containers(w: Workload) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Containers that run beside the app: regular ones and sidecars."""
    for path, container in containers(w.spec):
        if path[0] == "containers" or is_sidecar(path, container):
            yield path, container


@rule(
    "handler-exactly-one",
    severity="error",
    scope="pod",
    summary="A probe has exactly one of exec | httpGet | tcpSocket | grpc; a lifecycle hook one of exec | httpGet | sleep.",
    prevents="the API server rejects it (tcpSocket hooks: PreStartHookError at run time)",
    fix="Keep one handler; for hooks replace tcpSocket with exec, httpGet or sleep.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80]
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
      tcpSocket: {port: 80}
""",
)
def handler_exactly_one(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        for name in PROBES:
            probe = container.get(name)
            if probe is None:
                continue
            if not isinstance(probe, dict):
                yield Finding((*path, name), f"{name} must be a mapping with one handler, not {show(probe)}")
                continue
            found = [h for h in PROBE_HANDLERS if probe.get(h) is not None]
            if not found:
                yield Finding((*path, name), f"{name} has no handler; add one of {', '.join(PROBE_HANDLERS)}")
            elif len(found) > 1:
                yield Finding((*path, name), f"{name} has {len(found)} handlers ({', '.join(found)}); keep exactly one")
        lifecycle = container.get("lifecycle")
        if lifecycle is not None and not isinstance(lifecycle, dict):
            yield Finding((*path, "lifecycle"), f"lifecycle must be a mapping with postStart and/or preStop, not {show(lifecycle)}")
            continue
        for hook in HOOKS:
            handler = as_dict(lifecycle).get(hook)
            if handler is None:
                continue
            where = (*path, "lifecycle", hook)
            if not isinstance(handler, dict):
                yield Finding(where, f"{hook} must be a mapping with one handler, not {show(handler)}")
                continue
            if handler.get("tcpSocket") is not None:
                yield Finding((*where, "tcpSocket"), f"tcpSocket {hook} hooks are deprecated and fail at run time; use exec, httpGet or sleep")
            found = [h for h in HOOK_HANDLERS if handler.get(h) is not None]
            if not found and handler.get("tcpSocket") is None:
                yield Finding(where, f"{hook} has no handler; add one of {', '.join(HOOK_HANDLERS)}")
            elif len(found) > 1:
                yield Finding(where, f"{hook} has {len(found)} handlers ({', '.join(found)}); keep exactly one")


def _http_handlers(container: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for name, probe in probes(container):
        if isinstance(probe.get("httpGet"), dict):
            yield (name, "httpGet"), probe["httpGet"]
    for name, hook in hooks(container):
        if isinstance(hook.get("httpGet"), dict):
            yield ("lifecycle", name, "httpGet"), hook["httpGet"]


@rule(
    "http-path",
    severity="error",
    scope="pod",
    summary="httpGet has a path (the kubelet requests / when it is left out), scheme HTTP or HTTPS, valid header names.",
    prevents="the API server rejects it (scheme, headers); a probe of the wrong page (no path)",
    fix="Write the path explicitly (path: /healthz) and the scheme in capitals.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80]
    readinessProbe:
      httpGet: {path: /ready, port: 80, scheme: http}
""",
)
def http_path(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        for sub, get in _http_handlers(container):
            where = (*path, *sub)
            value = get.get("path")
            if value is None:
                yield Finding(where, "httpGet has no path, so the kubelet requests /; write path: / if that is meant, or the health endpoint", severity="warning")
            elif not isinstance(value, str):
                yield Finding((*where, "path"), f"path must be a string such as /healthz, not {show(value)}")
            elif not value.startswith("/"):
                yield Finding((*where, "path"), f"path {value!r} should start with '/'; write '/{value}'", severity="warning")
            if "scheme" in get and get["scheme"] not in HTTP_SCHEMES:
                yield Finding((*where, "scheme"), f"scheme {show(get['scheme'])} is not {' or '.join(HTTP_SCHEMES)}{did_you_mean(get['scheme'], HTTP_SCHEMES)}")
            for k, header in enumerate(as_list(get.get("httpHeaders"))):
                hname = as_dict(header).get("name")
                if not isinstance(hname, str) or not _HEADER_NAME.fullmatch(hname):
                    yield Finding((*where, "httpHeaders", k, "name"), f"{show(hname)} is not a valid HTTP header name (letters, digits, '-', no spaces)")


@rule(
    "probe-thresholds",
    severity="error",
    scope="pod",
    summary="Liveness and startup successThreshold must be 1; timings are >= 0; periodSeconds and failureThreshold >= 1.",
    prevents="the API server rejects it (or a silently different default)",
    fix="Use successThreshold 1 for liveness and startup probes, and whole numbers >= 1 for periods and thresholds.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80]
    livenessProbe:
      tcpSocket: {port: 80}
      successThreshold: 3
""",
)
def probe_thresholds(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        for name, probe in probes(container):
            for field in (*PROBE_DEFAULTS, "terminationGracePeriodSeconds"):
                if field not in probe:
                    continue
                value = probe[field]
                where = (*path, name, field)
                if not is_int(value):
                    yield Finding(where, f"{field} must be a whole number of seconds or counts, not {show(value)}")
                elif value < 0:
                    yield Finding(where, f"{field} {value} is negative; use 0 or more")
                elif value == 0 and field in ("periodSeconds", "failureThreshold"):
                    yield Finding(where, f"{field} 0 silently becomes the default {PROBE_DEFAULTS[field]}; write 1 or more")
                elif field == "successThreshold" and name != "readinessProbe" and value not in (0, 1):
                    yield Finding(where, f"{name} successThreshold must be 1 (only readiness probes may need several successes)")


@rule(
    "readiness-grace",
    severity="error",
    scope="pod",
    summary="A readinessProbe may not set terminationGracePeriodSeconds (it never kills the container).",
    prevents="the API server rejects it",
    fix="Remove terminationGracePeriodSeconds from the readiness probe (set it on the liveness or startup probe).",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80]
    readinessProbe:
      tcpSocket: {port: 80}
      terminationGracePeriodSeconds: 10
""",
)
def readiness_grace(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        probe = as_dict(container.get("readinessProbe"))
        if "terminationGracePeriodSeconds" in probe:
            yield Finding(
                (*path, "readinessProbe", "terminationGracePeriodSeconds"),
                "a readiness probe never kills the container, so it may not set terminationGracePeriodSeconds; remove it",
            )


@rule(
    "init-container-probes",
    severity="error",
    scope="pod",
    summary="Init containers have no probes or lifecycle unless restartPolicy: Always (a sidecar), the only value allowed there.",
    prevents="the API server rejects it",
    fix="Remove the probes from the init container, or make it a sidecar with restartPolicy: Always.",
    example="""\
name: web
initContainers:
  - name: migrate
    image: busybox:1.36
    readinessProbe: {exec: {command: [cat, /tmp/ready]}}
containers:
  - {name: web, image: nginx:1.27}
""",
)
def init_container_probes(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        policy = container.get("restartPolicy")
        if path[0] == "containers":
            if policy is not None:
                yield Finding((*path, "restartPolicy"), "only init containers take a restartPolicy (Always makes a sidecar); set restartPolicy on the pod instead")
            continue
        if policy is not None and policy != "Always":
            yield Finding((*path, "restartPolicy"), f"an init container's restartPolicy can only be Always (a sidecar), not {show(policy)}{did_you_mean(policy, ('Always',))}")
            continue
        if policy == "Always":
            continue
        for field in (*PROBES, "lifecycle"):
            if container.get(field) is not None:
                yield Finding(
                    (*path, field),
                    f"an init container runs to completion, so it may not have {field}; remove it or add restartPolicy: Always to make it a sidecar",
                )


@rule(
    "startup-budget",
    severity="warning",
    scope="pod",
    mark="PRACTICE",
    summary="A liveness probe without a startup probe should allow at least 10 s (initialDelaySeconds + failureThreshold x periodSeconds).",
    prevents="CrashLoopBackOff (a slow starter killed before it is up)",
    fix="Add a startupProbe on the same endpoint (e.g. failureThreshold 30 x periodSeconds 10 = 300 s).",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80]
    livenessProbe:
      tcpSocket: {port: 80}
      periodSeconds: 1
      failureThreshold: 2
""",
)
def startup_budget_rule(w: Workload) -> Iterator[Finding]:
    for path, container in _app_containers(w):
        live = container.get("livenessProbe")
        if not isinstance(live, dict) or container.get("startupProbe") is not None:
            continue
        delay = probe_value(live, "initialDelaySeconds")
        failures = probe_value(live, "failureThreshold")
        period = probe_value(live, "periodSeconds")
        budget = delay + failures * period
        if budget < MIN_LIVENESS_BUDGET:
            yield Finding(
                (*path, "livenessProbe"),
                f"the liveness probe kills the container if it is not up within {budget} s "
                f"({delay} + {failures} x {period} s); add a startupProbe (e.g. failureThreshold 30, periodSeconds 10)",
            )


@rule(
    "probe-timeout",
    severity="warning",
    scope="pod",
    mark="PRACTICE",
    summary="A probe's timeoutSeconds at or above its periodSeconds lets probes overlap.",
    prevents="slow probes piling up; late restarts or NotReady",
    fix="Make timeoutSeconds smaller than periodSeconds.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80]
    readinessProbe:
      tcpSocket: {port: 80}
      periodSeconds: 5
      timeoutSeconds: 10
""",
)
def probe_timeout(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        for name, probe in probes(container):
            timeout = probe_value(probe, "timeoutSeconds")
            period = probe_value(probe, "periodSeconds")
            if timeout >= period:
                yield Finding(
                    (*path, name, "timeoutSeconds" if "timeoutSeconds" in probe else "periodSeconds"),
                    f"timeoutSeconds {timeout} is not below periodSeconds {period}; a hanging check delays the next one",
                )


@rule(
    "liveness-equals-readiness",
    severity="warning",
    scope="pod",
    mark="PRACTICE",
    summary="Identical liveness and readiness probes restart a container that is only busy.",
    prevents="CrashLoopBackOff under load (the container is killed instead of taken out of rotation)",
    fix="Give liveness a cheaper check or a higher failureThreshold than readiness.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: [80]
    livenessProbe: {httpGet: {path: /healthz, port: 80}}
    readinessProbe: {httpGet: {path: /healthz, port: 80}}
""",
)
def liveness_equals_readiness(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec):
        live, ready = container.get("livenessProbe"), container.get("readinessProbe")
        if isinstance(live, dict) and live and live == ready:
            yield Finding(
                (*path, "livenessProbe"),
                "the liveness probe is identical to the readiness probe, so a busy container is restarted "
                "rather than taken out of the Service; make liveness more tolerant (higher failureThreshold)",
            )


@rule(
    "probes-present",
    severity="warning",
    scope="pod",
    mark="PRACTICE",
    summary="A container behind a Service needs a readiness probe; a long-running container without a liveness probe gets a notice.",
    prevents="traffic to pods that are not ready; hung processes never restarted",
    fix="Add a readinessProbe (and a livenessProbe) on the app's health endpoint.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    ports: ["http:80"]
service: true
""",
)
def probes_present(w: Workload) -> Iterator[Finding]:
    long_running = w.spec.get("restartPolicy", "Always") == "Always"
    for path, container in containers(w.spec, ("containers",)):
        if w.services and container.get("readinessProbe") is None:
            yield Finding(
                path,
                "no readinessProbe: the Service sends traffic as soon as the container starts, ready or not",
            )
        if long_running and container.get("livenessProbe") is None:
            yield Finding(path, "no livenessProbe: a hung process is never restarted", severity="notice")


@rule(
    "prestop-within-grace",
    severity="error",
    scope="pod",
    summary="A preStop sleep must end before terminationGracePeriodSeconds (default 30), or the container is killed mid-hook.",
    prevents="the API server rejects it (sleep); SIGKILL during shutdown (exec/httpGet)",
    fix="Shorten the preStop sleep or raise terminationGracePeriodSeconds.",
    example="""\
name: web
terminationGracePeriodSeconds: 10
containers:
  - name: web
    image: nginx:1.27
    lifecycle:
      preStop: {sleep: {seconds: 20}}
""",
)
def prestop_within_grace(w: Workload) -> Iterator[Finding]:
    grace = grace_period(w.spec)
    if not is_int(grace):
        return
    for path, container in containers(w.spec):
        hook = as_dict(as_dict(container.get("lifecycle")).get("preStop"))
        where = (*path, "lifecycle", "preStop")
        sleep = hook.get("sleep")
        if isinstance(sleep, dict):
            seconds = sleep.get("seconds")
            if not is_int(seconds):
                yield Finding((*where, "sleep", "seconds"), f"sleep seconds must be a whole number, not {show(seconds)}")
            elif seconds < 0:
                yield Finding((*where, "sleep", "seconds"), f"sleep seconds {seconds} is negative")
            elif seconds > grace:
                yield Finding((*where, "sleep", "seconds"), f"preStop sleeps {seconds} s but terminationGracePeriodSeconds is {grace}; sleep less or raise the grace period")
            elif seconds == grace:
                yield Finding((*where, "sleep", "seconds"), f"preStop sleeps the whole grace period ({grace} s), leaving the app no time to stop before SIGKILL", severity="warning")
            continue
        command = as_dict(hook.get("exec")).get("command")
        if isinstance(command, list):
            text = " ".join(str(part) for part in command)
            m = _SLEEP.search(text)
            if m and int(m.group(1)) >= grace:
                yield Finding(
                    (*where, "exec", "command"),
                    f"preStop sleeps {m.group(1)} s but terminationGracePeriodSeconds is {grace}; the container is killed mid-hook",
                    severity="warning",
                )
