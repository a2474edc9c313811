"""Diagnosis of one pod: its phase, the pod-level reason, its conditions, its containers.

A pod is "ok" only when it is Running, every container reports ready and nothing else is
wrong; every other state gets at least one finding, so ``explain -f`` never calls a failed,
evicted, lost or terminating pod fine.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from . import scheduling
from .containers import container_findings
from .knowledge import topic_name
from .model import Diagnosis, PodReport, PodView, duration, field_path, parse_time
from .reading import normalize


def kubectl_status(pod: PodView) -> str:
    """The STATUS column of ``kubectl get pods`` (kubectl's printPod, simplified)."""
    status = pod.status
    reason = status.get("reason") or pod.phase or "Unknown"
    if any(c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated" for c in status.get("conditions", [])):
        reason = "SchedulingGated"
    initializing = False
    inits = status.get("initContainerStatuses", [])
    for i, st in enumerate(inits):
        state = st.get("state", {})
        term, waiting = state.get("terminated"), state.get("waiting")
        if term is not None and term.get("exitCode") == 0:
            continue
        if term is not None:
            reason = "Init:" + (term.get("reason") or (f"Signal:{term['signal']}" if term.get("signal") else f"ExitCode:{term.get('exitCode')}"))
        elif waiting is not None and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(pod.spec.get('initContainers', [])) or len(inits)}"
        initializing = True
        break
    initialized = pod.condition("Initialized") or {}
    if not initializing or initialized.get("status") == "True":
        running = False
        for st in reversed(status.get("containerStatuses", [])):
            state = st.get("state", {})
            waiting, term = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                reason = f"Signal:{term['signal']}" if term.get("signal") else f"ExitCode:{term.get('exitCode')}"
            elif st.get("ready") and "running" in state:
                running = True
        if reason == "Completed" and running:
            ready = pod.condition("Ready")
            reason = "Running" if ready and ready.get("status") == "True" else "NotReady"
    if pod.meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif pod.meta.get("deletionTimestamp") and pod.phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return reason


def _warn_force(pod: PodView) -> str:
    if any(o.startswith("StatefulSet/") for o in pod.owners):
        return ("never force-delete a StatefulSet pod unless its node is really down: two pods with one identity "
                "mean split brain and data loss")
    return "force-delete only when sure the pod has stopped (e.g. its machine is off)"


def _force(pod: PodView) -> str:
    return pod.kubectl(f"delete pods {pod.name} --grace-period=0 --force")


def _node_lost(pod: PodView) -> bool:
    return pod.phase == "Unknown" or pod.status.get("reason") == "NodeLost"


def _deletion(pod: PodView, now: datetime) -> Diagnosis | None:
    """A pod with a deletionTimestamp: shutting down normally, or stuck (and why)."""
    stamp = pod.meta.get("deletionTimestamp")
    if not stamp:
        return None
    at = parse_time(stamp)
    grace = pod.meta.get("deletionGracePeriodSeconds", pod.spec.get("terminationGracePeriodSeconds"))
    grace_text = f" of {grace}s" if grace is not None else ""
    watch = pod.kubectl(f"get pod {pod.name} -o wide")
    if at is not None and now < at:
        msg = (f"shutting down: deletion was requested and its grace period{grace_text} ends at {stamp} (in "
               f"{duration((at - now).total_seconds())}); the containers got SIGTERM and get SIGKILL then: wait, "
               "the pod goes away by itself")
        lost = _node_lost(pod)
        if lost:
            msg += ("; but its node does not report, so the deletion may not finish: if the pod is still here after "
                    "that, force-delete it once the machine is known to be down")
        return Diagnosis("warning" if lost else "notice", msg, "Terminating", None, None, None,
                         [watch, "kubectl get nodes" if lost else pod.events])
    since = f"its grace period ended at {stamp} ({duration((now - at).total_seconds())} ago)" if at else f"deletion requested (deletionTimestamp {stamp})"
    finalizers = pod.meta.get("finalizers", [])
    commands = [watch, "kubectl get nodes"]
    if _node_lost(pod):
        why = ("its node lost contact, so the kubelet cannot confirm that the containers stopped and the deletion "
               "cannot finish: delete the Node when the machine is gone for good, or force-delete")
        commands += [f"kubectl delete node {pod.node or 'NODE'}   # when the machine is gone for good"]
    elif finalizers:
        why = (f"the finalizers {', '.join(finalizers)} keep it until their controllers remove them; remove one by hand "
               "only when its controller is gone")
        commands += [pod.kubectl(f"patch pod {pod.name} --type merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'")]
    else:
        why = (f"the kubelet on {pod.node or 'its node'} has not confirmed that the containers stopped: the node may be "
               "unhealthy, or a preStop hook still runs")
        commands += [pod.describe_node]
    msg = f"stuck terminating: {since}; {why}; {_warn_force(pod)}"
    return Diagnosis("error", msg, "Terminating", None, None, None, [*commands, _force(pod)])


_LOW_ON = re.compile(r"low on resource: ([a-z][a-z-]*)")
_POD_STORAGE = re.compile(r"exceeds the total limit of containers ?(\S+)?")
_CONTAINER_STORAGE = re.compile(r"Container (\S+) exceeded its local ephemeral storage limit \"?([^\".]*)\"?")
_EMPTYDIR = re.compile(r"Usage of EmptyDir volume \"?([^\"]+)\"? exceeds the limit \"?([^\".]*)\"?")


def _eviction(pod: PodView, message: str, severity: str) -> Diagnosis:
    """Evicted by the kubelet: which resource, and which field keeps it from happening again."""
    commands = [pod.describe, pod.describe_node, pod.kubectl("get pods --field-selector=status.phase=Failed")]
    said = message.rstrip(". ") or "the node ran short of a resource"
    msg = f"evicted: {said}"
    fields: list[tuple[str, Any]] = []
    m = _POD_STORAGE.search(message)
    cm = _CONTAINER_STORAGE.search(message)
    em = _EMPTYDIR.search(message)
    if em:
        vols = [(field_path(("spec", "volumes", i, "emptyDir", "sizeLimit")), v.get("emptyDir", {}).get("sizeLimit"))
                for i, v in enumerate(pod.spec.get("volumes", [])) if v.get("name") == em.group(1)]
        fields = vols or [("spec.volumes[*].emptyDir.sizeLimit", None)]
        msg += (f"; the emptyDir volume {em.group(1)!r} grew past its sizeLimit {em.group(2)}: raise the sizeLimit or "
                "write less there")
    elif m or cm:
        for cpath, c in pod.all_containers():
            if cm and c.get("name") != cm.group(1):
                continue
            fields.append((field_path((*cpath, "resources", "limits", "ephemeral-storage")),
                           c.get("resources", {}).get("limits", {}).get("ephemeral-storage")))
        if not fields:
            fields = [("spec.containers[*].resources.limits.ephemeral-storage", None)]
        what = (f"container {cm.group(1)!r} wrote more to local disk (writable layer, logs, emptyDir) than its "
                "ephemeral-storage limit" if cm else "the containers together wrote more to local disk (writable "
                "layer, logs, emptyDir) than the sum of their ephemeral-storage limits")
        msg += f"; {what}: raise resources.limits.ephemeral-storage or write less (e.g. to a volume)"
        commands.insert(1, pod.kubectl(f"get pod {pod.name} -o jsonpath='{{.spec.containers[*].resources}}'"))
    else:
        lm = _LOW_ON.search(message)
        resource = lm.group(1) if lm else None
        if resource in ("memory", "ephemeral-storage"):
            named = set(re.findall(r"Container (\S+) was using", message))
            for cpath, c in pod.all_containers():
                if not named or c.get("name") in named:
                    fields.append((field_path((*cpath, "resources", "requests", resource)),
                                   c.get("resources", {}).get("requests", {}).get(resource)))
            if fields:
                msg += (f"; set {resource} requests to what the containers really use (and a limit) so they are not "
                        "the first to go")
            elif not pod.has_spec:
                msg += f"; {pod.no_spec}: set spec.containers[*].resources.requests.{resource} to what they really use"
                fields = [(f"spec.containers[*].resources.requests.{resource}", None)]
        elif resource == "pids":
            msg += "; the node ran out of process IDs: find the pod that forks without bound"
    first = fields[0] if fields else (None, None)
    return Diagnosis(severity, msg, "Evicted", None, first[0], first[1], commands)


def _requests_for(pod: PodView, resource: str) -> list[tuple[str, Any]]:
    out = []
    for cpath, c in pod.all_containers():
        for kind in ("requests", "limits"):
            value = c.get("resources", {}).get(kind, {}).get(resource)
            if value is not None:
                out.append((field_path((*cpath, "resources", kind, resource)), value))
                break
    return out


def _pod_reason(pod: PodView, reason: str, message: str, severity: str) -> Diagnosis:
    """A pod-level ``status.reason`` (phase Failed, mostly): what it means and what to change."""
    said = f": {message.rstrip('. ')}" if message else ""
    describe, node = pod.describe, pod.describe_node
    replaced = (f" ({pod.owner} creates a replacement)" if pod.owner and not pod.owner.startswith(("Pod/", "Node/"))
                else "; nothing recreates a bare pod: create it again")
    if reason == "Evicted":
        return _eviction(pod, message, severity)
    if reason == "DeadlineExceeded":
        deadline = pod.spec.get("activeDeadlineSeconds")
        now = f" ({deadline}s)" if deadline is not None else (f" ({pod.no_spec})" if not pod.has_spec else "")
        msg = (f"DeadlineExceeded{said}: the pod ran longer than spec.activeDeadlineSeconds{now} allows and was "
               "stopped; raise spec.activeDeadlineSeconds if the work needs longer, or make the work faster")
        if pod.owner and pod.owner.startswith("Job/"):
            msg += " (the Job's own spec.activeDeadlineSeconds bounds the whole Job; this is the pod's)"
        return Diagnosis(severity, msg, "DeadlineExceeded", None, "spec.activeDeadlineSeconds", deadline,
                         [pod.jsonpath(".spec.activeDeadlineSeconds"), describe])
    if reason.startswith("OutOf"):
        resource = reason[5:]
        fields = _requests_for(pod, resource)
        first = fields[0] if fields else (f"spec.containers[*].resources.requests.{resource}", None)
        msg = (f"{reason}{said}: the kubelet on {pod.node or 'the node'} refused the pod at admission because its "
               f"{resource} requests do not fit what the node has left (allocatable minus the other pods); this "
               "happens when spec.nodeName is set by hand or the node shrank after scheduling: lower the request, or "
               f"let the scheduler choose the node{replaced}")
        if not pod.has_spec:
            msg += f" ({pod.no_spec})"
        return Diagnosis(severity, msg, topic_name(reason) or "OutOfcpu", None, first[0], first[1], [node, describe])
    if reason == "UnexpectedAdmissionError":
        devices = [(field_path((*path, "resources", kind, res)), value, str(res)) for path, c in pod.all_containers()
                   for kind in ("limits", "requests")
                   for res, value in c.get("resources", {}).get(kind, {}).items() if "/" in str(res)]
        dm = re.search(r"for ([a-z0-9.-]+/[A-Za-z0-9._-]*[A-Za-z0-9])", message)
        device = dm.group(1) if dm else (devices[0][2] if devices else "the device")
        named = [d for d in devices if d[2] == device] or devices
        device_field, device_value = (named[0][0], named[0][1]) if named else (None, None)
        msg = (f"UnexpectedAdmissionError{said}: the kubelet could not allocate {device} to the pod: the node's device "
               "plugin lost the device (a GPU gone or the plugin restarted) between scheduling and start; check the node "
               f"and its device plugin, then delete the pod so it is scheduled again{replaced}")
        return Diagnosis(severity, msg, "UnexpectedAdmissionError", None, device_field, device_value,
                         [node, "kubectl get pods -n kube-system -o wide", pod.kubectl(f"delete pod {pod.name}")])
    if reason in ("Terminated", "NodeShutdown", "Shutdown"):
        what = ("the node shut down and stopped the pod (graceful node shutdown)" if reason != "NodeShutdown"
                else "the node was shutting down and refused the pod")
        msg = f"{reason}{said}: {what}; not a problem of the pod's spec{replaced}"
        return Diagnosis(severity, msg, "NodeShutdown", None, None, None,
                         [pod.kubectl(f"delete pod {pod.name}") + "   # the Failed pod stays until deleted", node, "kubectl get nodes"])
    if reason == "NodeLost":
        msg = (f"NodeLost{said}: the node stopped reporting, so the pod's real state is unknown; "
               + ("its StatefulSet makes no replacement until the pod is gone: confirm the machine is down, then delete "
                  "the Node (or force-delete the pod); " if any(o.startswith("StatefulSet/") for o in pod.owners) else "")
               + _warn_force(pod))
        return Diagnosis("error", msg, "NodeLost", None, None, None, [
            "kubectl get nodes", node, f"kubectl delete node {pod.node or 'NODE'}   # when the machine is gone for good", _force(pod)])
    if reason == "NodeAffinity":
        msg = (f"NodeAffinity{said}: the kubelet refused the pod because the node's labels no longer match its "
               "nodeSelector/affinity (the labels changed, or spec.nodeName was set by hand)")
        return Diagnosis(severity, msg, None, None, "spec.nodeSelector", pod.spec.get("nodeSelector"),
                         [f"kubectl get node {pod.node or 'NODE'} --show-labels", describe])
    return Diagnosis(severity, f"pod status {reason}{said}", topic_name(reason), None, None, None, [describe, pod.events])


#: DisruptionTarget reasons (the Kubernetes "Pod disruption conditions"): what happened, what to look at.
_DISRUPTIONS = {
    "PreemptionByScheduler": ("the scheduler preempts it to make room for a pod of higher priority",
                              "spec.priorityClassName", "kubectl get priorityclass"),
    "DeletionByTaintManager": ("its node got a NoExecute taint it does not tolerate (the node became not ready or "
                               "unreachable, or someone tainted it)", "spec.tolerations", "kubectl describe node NODE"),
    "EvictionByEvictionAPI": ("it was evicted through the API (kubectl drain, the cluster autoscaler), within what "
                              "its PodDisruptionBudget allows", None, "kubectl get pdb -A"),
    "DeletionByPodGC": ("its node no longer exists, so the pod garbage collector deletes it", None, "kubectl get nodes"),
    "TerminationByKubelet": ("the kubelet stopped it (node-pressure eviction, graceful node shutdown, or room for a "
                             "critical pod)", None, "kubectl describe node NODE"),
}


def _disruption(pod: PodView, cond: dict[str, Any], severity: str) -> Diagnosis:
    reason, message = cond.get("reason") or "", " ".join(str(cond.get("message") or "").split())
    if _LOW_ON.search(message) or "ephemeral" in message or "EmptyDir" in message:
        d = _eviction(pod, message, severity)
        d.message += f" (told by the DisruptionTarget condition, reason {reason or '?'})"
        return d
    what, where, command = _DISRUPTIONS.get(reason, ("it is being disrupted", None, pod.events))
    done = "was disrupted" if pod.phase in ("Failed", "Succeeded") else "is about to be stopped"
    msg = f"the pod {done} (DisruptionTarget, reason {reason or '?'}): {what}" + (f"; message: {message}" if message else "")
    current = pod.spec.get(where.split(".", 1)[1]) if where else None
    return Diagnosis(severity, msg, "DisruptionTarget", None, where, current,
                     [command.replace("NODE", pod.node or "NODE"), pod.events, pod.describe])


def _pod_level(pod: PodView, now: datetime) -> tuple[list[Diagnosis], bool]:
    """Findings from phase, reason and disruption; True when they explain why the containers stopped."""
    out: list[Diagnosis] = []
    status = pod.status
    failed = pod.phase == "Failed"
    severity = "error" if failed else "warning"
    deletion = _deletion(pod, now)
    if deletion:
        out.append(deletion)
    reason = status.get("reason")
    message = " ".join(str(status.get("message") or "").split())
    disruption = pod.condition("DisruptionTarget")
    disrupted = disruption is not None and disruption.get("status") == "True"
    explained = False
    if reason and not (reason == "NodeLost" and deletion):
        out.append(_pod_reason(pod, reason, message, severity))
        explained = True
    elif disrupted and not deletion:
        out.append(_disruption(pod, disruption, severity))  # type: ignore[arg-type]
        explained = failed
    if pod.phase == "Unknown" and not deletion and reason != "NodeLost":
        out.append(Diagnosis("error", f"phase Unknown: the node's kubelet does not report this pod; {_warn_force(pod)}",
                             "Unknown", None, None, None, ["kubectl get nodes", pod.describe_node, pod.describe, _force(pod)]))
    return out, explained


def _conditions(pod: PodView) -> list[Diagnosis]:
    out: list[Diagnosis] = []
    scheduled = pod.condition("PodScheduled")
    if scheduled and scheduled.get("status") == "False":
        if scheduled.get("reason") == "SchedulingGated":
            gates = [g.get("name") for g in pod.spec.get("schedulingGates", [])]
            out.append(Diagnosis("warning", "not scheduled yet: scheduling gates hold it (spec.schedulingGates"
                                 + (f": {', '.join(map(str, gates))}" if gates else "") + "); the controller that added "
                                 "them removes them when the pod may be scheduled", "SchedulingGated", None,
                                 "spec.schedulingGates", pod.spec.get("schedulingGates"), [pod.describe]))
        else:
            out.extend(scheduling.findings(pod, str(scheduled.get("message") or "")))
    return out


def _readiness(pod: PodView, statuses: list[dict[str, Any]]) -> Diagnosis | None:
    """Every container ready but the pod's Ready condition is not: gates, or a node gone quiet."""
    ready = pod.condition("Ready")
    if not (ready and ready.get("status") != "True" and statuses and all(s.get("ready") is True for s in statuses)):
        return None
    gates = pod.spec.get("readinessGates", [])
    said = f" (reason {ready['reason']})" if ready.get("reason") else ""
    if gates:
        names = ", ".join(str(g.get("conditionType")) for g in gates)
        msg = (f"every container is ready but the pod's Ready condition is {ready.get('status')}{said}: its readiness "
               f"gates ({names}) are not met; the controller that owns them sets those conditions")
        return Diagnosis("warning", msg, "Ready", None, "spec.readinessGates", gates, [pod.describe])
    msg = (f"every container reports ready but the pod's Ready condition is {ready.get('status')}{said}: the node has "
           "probably stopped reporting, so the container statuses are stale")
    return Diagnosis("warning", msg, "Ready", None, None, None, ["kubectl get nodes", pod.describe_node, pod.describe])


def _fallback(pod: PodView, out: list[Diagnosis], statuses: list[dict[str, Any]]) -> None:
    """Say something about every pod that is not running and ready, even when nothing else did."""
    phase = pod.phase
    if phase == "Failed" and not any(d.severity == "error" for d in out):
        policy = pod.spec.get("restartPolicy")
        why = (f"its containers ended and restartPolicy is {policy}, so it will not run again" if policy
               else "it will not run again")
        message = " ".join(str(pod.status.get("message") or "").split())
        out.append(Diagnosis("error", f"phase Failed: {why}" + (f"; message: {message}" if message else "")
                             + ("; the findings above say why" if out else ""), "Failed", None, None, None,
                             [pod.describe, pod.events]))
    if out:
        return
    if phase == "Succeeded":
        out.append(Diagnosis("notice", "completed: every container ran to the end with exit code 0, as a Job's pod does "
                             "when its work is done; nothing to fix", "Succeeded", None, None, None,
                             [pod.kubectl(f"logs {pod.name} --all-containers")]))
    elif phase == "Pending":
        out.append(Diagnosis("notice", "Pending with no reason reported yet: the pod was just created or is being scheduled",
                             "Pending", None, None, None, [pod.describe]))
    elif phase == "Running":
        if not statuses:
            out.append(Diagnosis("warning", "phase Running but no container status is reported, so readiness is unknown",
                                 "Ready", None, None, None, [pod.describe]))
        elif not all(s.get("ready") is True for s in statuses):
            names = ", ".join(repr(s.get("name", "?")) for s in statuses if s.get("ready") is not True)
            out.append(Diagnosis("warning", f"running, but not every container reports ready: {names}",
                                 "ContainersNotReady", None, None, None, [pod.describe]))
    elif phase is None:
        out.append(Diagnosis("warning", "no phase reported: status.phase is missing", None, None, None, None, [pod.describe]))
    elif phase not in ("Unknown", "Failed"):
        out.append(Diagnosis("warning", f"phase {phase!r} is not one Kubernetes uses (Pending, Running, Succeeded, "
                             "Failed, Unknown)", None, None, None, None, [pod.describe]))


def diagnose(pod: dict[str, Any], *, now: datetime | None = None) -> PodReport:
    """Findings for one pod as ``kubectl get pod -o json|yaml`` prints it.

    ``now`` is the time to judge a grace period against (the current time by default).
    Raises :class:`~scaffold.explain.reading.PodInputError` for a pod whose fields have the
    wrong types.
    """
    p = PodView(normalize(pod))
    status = p.status
    statuses = status.get("containerStatuses", [])
    restarts = sum(s.get("restartCount", 0) for s in (*status.get("initContainerStatuses", []), *statuses))
    report = PodReport(p.name, p.namespace, p.phase, None, p.owner, restarts)
    out = report.diagnoses
    if not status:
        out.append(Diagnosis("error", "no status: this is a manifest, not the output of `kubectl get pod NAME -o yaml`; "
                             "check manifests with `scaffold lint`"))
        return report
    report.status = kubectl_status(p)
    pod_level, explained = _pod_level(p, now or datetime.now(timezone.utc))
    out.extend(pod_level)
    out.extend(_conditions(p))
    out.extend(container_findings(p, explained_end=explained))
    readiness = _readiness(p, statuses)
    if readiness and not out:
        out.append(readiness)
    _fallback(p, out, statuses)
    report.ok = (not out and p.phase == "Running" and bool(statuses) and all(s.get("ready") is True for s in statuses))
    return report

