"""Findings about containers: why one waits, why its last run ended, why it is not ready.

Exit codes are read in context: the reason next to them (``ContainerStatusUnknown`` is the
runtime's, not the application's), whether there was a previous run to read logs from, and
whether the document carries the spec the advice is about.
"""

from __future__ import annotations

import re
from typing import Any

from .knowledge import topic_name
from .model import Diagnosis, Path, PodView, escaped, field_path, show, unseen_characters


class Container:
    """One container status with the spec it belongs to."""

    def __init__(self, pod: PodView, st: dict[str, Any], *, init: bool, index: int) -> None:
        self.status = st
        self.name: str = st.get("name") or f"#{index}"
        self.init = init
        self.path, self.spec, self.known = pod.container(self.name, init=init)
        self.restarts: int = st.get("restartCount", 0)
        self.ready: bool | None = st.get("ready")
        self.image: str | None = self.spec.get("image") or st.get("image")
        self.who = f"init container {self.name!r}" if init else f"container {self.name!r}"

    def at(self, *rest: str | int) -> str:
        return field_path((*self.path, *rest))


def _said(message: Any, limit: int = 300) -> str:
    text = " ".join(str(message or "").split())
    return f": {text[:limit]}" if text else ""


def _note(term: dict[str, Any]) -> str:
    text = " ".join(str(term.get("message") or "").split())
    return f" (message: {text[:200]})" if text else ""


#: ``exec: "gunicorn": executable file not found in $PATH`` (containerd), with ``\"`` in Docker's wording.
_EXEC = re.compile(r'exec: \\?"([^"\\]*)\\?": (?:stat [^:]*: )?(executable file not found in \$PATH|no such file or directory|permission denied)')


def _inspect(image: str | None) -> str:
    return f"docker image inspect {image or 'IMAGE'} --format '{{{{.Config.Entrypoint}}}} {{{{.Config.Cmd}}}}'"


def start_failure(pod: PodView, c: Container, message: str, reason: str, topic: str | None) -> Diagnosis:
    """The runtime could not start the process: the command, the entrypoint or a mount."""
    text = " ".join(message.split())
    m = _EXEC.search(text)
    if not m and re.search(r"\bmount(ing)?\b", text):
        where = c.at("volumeMounts")
        msg = (f"{c.who} could not be started ({reason}): a volume mount cannot be set up (a subPath that does "
               f"not exist, or a file mounted onto a directory){_said(text)}; fix {where}")
        return Diagnosis("error", msg, topic, c.name, where, c.spec.get("volumeMounts"), [pod.describe, pod.events])
    where = c.at("command")
    if m:
        exe, why = m.group(1), m.group(2)
        what = {"permission denied": "is not executable", "no such file or directory": "does not exist in the image"}.get(
            why, "is not found in the image's PATH")
        cause = f"the executable {exe!r} {what}"
    else:
        cause = "the command or the image's entrypoint cannot be run"
    if c.spec.get("command"):
        fix = f"fix {where} (or {c.at('args')})"
    elif c.known:
        fix = f"no command is set, so the image's ENTRYPOINT/CMD runs: set {where} to a program the image has, or fix the image"
    else:
        fix = f"{pod.no_spec}: check {where} and the image's ENTRYPOINT/CMD"
    msg = f"{c.who} could not be started ({reason}): {cause}; {fix}{_said(text, 300)}"
    return Diagnosis("error", msg, topic, c.name, where, c.spec.get("command"), [pod.describe, _inspect(c.image)])


def exit_finding(pod: PodView, c: Container, term: dict[str, Any], *, topic: str | None, previous: bool) -> Diagnosis:
    """Why a run of the container ended (``state.terminated`` or, with ``previous``, ``lastState``)."""
    code, reason, signal = term.get("exitCode"), term.get("reason"), term.get("signal")
    logs = pod.logs(c.name, previous=previous and c.restarts > 0)
    commands = [logs, pod.describe]
    extra = _note(term)
    code_text = f"exit code {code}" if code is not None else (f"signal {signal}" if signal is not None else "no exit code")
    if reason in ("Unknown", "ContainerStatusUnknown"):
        msg = (f"its end was not seen by the kubelet ({code_text}, reason {reason}): the node or its container runtime "
               "restarted, or the container was removed, while it ran; the code is the runtime's, not the application's: "
               "look at the node, not at the application")
        return Diagnosis("warning", msg + extra, "ContainerStatusUnknown", c.name, None, None,
                         [pod.describe_node, pod.events, logs])
    if reason in ("StartError", "ContainerCannotRun"):
        d = start_failure(pod, c, str(term.get("message") or ""), reason, "StartError")
        d.message = d.message.replace(f"{c.who} could not be started ({reason})", f"could not be started ({reason}, {code_text})", 1)
        return d
    if reason == "OOMKilled":
        where = c.at("resources", "limits", "memory")
        limit = c.spec.get("resources", {}).get("limits", {}).get("memory")
        if not c.known:
            msg = (f"OOMKilled ({code_text}): the kernel killed it for using more memory than it may; {pod.no_spec}, "
                   f"so its memory limit is unknown: look at {where}: raise it if it is set (or find the leak), "
                   "set it and a memory request if not")
            commands = [pod.jsonpath(f'.spec.containers[?(@.name=="{c.name}")].resources'), logs, pod.kubectl(f"top pod {pod.name}")]
        elif limit is not None:
            msg = (f"OOMKilled ({code_text}): it used more than its memory limit {limit}; the limit is too "
                   f"low for the application (or it leaks): raise {where}")
            commands = [*commands, pod.kubectl(f"top pod {pod.name}")]
        else:
            msg = (f"OOMKilled ({code_text}) with no memory limit of its own: the node ran out of memory; "
                   f"set {where} (and a memory request) to what the application needs")
            commands = [*commands, pod.kubectl(f"top pod {pod.name}")]
        return Diagnosis("error", msg + extra, "OOMKilled" if topic == "Error" else topic, c.name, where, limit, commands)
    if code in (137, 143) or (code is None and signal in (9, 15)):
        sig = "SIGKILL" if code == 137 or signal == 9 else "SIGTERM"
        probe = c.spec.get("livenessProbe")
        where = c.at("livenessProbe") if probe or not c.known else c.at()
        msg = (f"killed by {sig} ({code_text}, reason {reason}): usually a failing liveness probe (look for "
               "'Liveness probe failed' in the events) or a stop that took longer than the grace period")
        if not c.known:
            msg += f"; {pod.no_spec}: look at its livenessProbe and terminationGracePeriodSeconds"
        return Diagnosis("error", msg + extra, topic, c.name, where, probe, [pod.events, *commands])
    if code == 0:
        if c.init:
            return Diagnosis("notice", f"completed ({code_text}){extra}", "Completed", c.name)
        where = c.at("command")
        if not pod.has_spec:
            msg = (f"exited successfully ({code_text}); if its restartPolicy is Always (the default; {pod.no_spec}) it "
                   "is restarted: the main process must keep running (run the server in the foreground)")
            return Diagnosis("warning", msg + extra, topic, c.name, where, None, commands)
        policy = pod.spec.get("restartPolicy", "Always")
        msg = (f"exited successfully ({code_text}) but restartPolicy is {policy}, so it is restarted: the main "
               "process must keep running (run the server in the foreground)")
        return Diagnosis("error" if policy == "Always" else "warning", msg + extra, topic, c.name, where,
                         c.spec.get("command"), commands)
    if code in (126, 127):
        where = c.at("command")
        what = "not executable" if code == 126 else "not found"
        msg = f"{code_text}: the command is {what} in the image; fix the command/args or the image"
        if not c.known:
            msg += f" ({pod.no_spec})"
        return Diagnosis("error", msg + extra, topic, c.name, where, c.spec.get("command"), [*commands, _inspect(c.image)])
    msg = (f"application error: exited with {code_text}" + (f" ({reason})" if reason and reason != "Error" else "")
           + f"; read `{logs}` and fix the application or its command, args, env or image")
    return Diagnosis("error", msg + extra, topic, c.name, c.at(), None, commands)


_IMAGE_REASONS = {"ImagePullBackOff", "ErrImagePull", "InvalidImageName", "RegistryUnavailable", "ImageInspectError"}
_MISSING = re.compile(r"""(configmap|secret)s? "?([a-z0-9][-a-z0-9.]*)"? not found""", re.I)
_NO_KEY = re.compile(r"""couldn't find key (\S+) in (ConfigMap|Secret) (?:([^/\s]+)/)?([-a-z0-9.]+)""", re.I)


def _references(pod: PodView, kind: str, ref: str, key: str | None = None) -> list[tuple[str, Any]]:
    """Spec fields that refer to the ConfigMap or Secret ``ref`` (to its ``key``), with their values."""
    key_ref = "configMapKeyRef" if kind == "configmap" else "secretKeyRef"
    env_ref = "configMapRef" if kind == "configmap" else "secretRef"
    found: list[tuple[str, Any]] = []
    for cpath, c in pod.all_containers():
        for i, env in enumerate(c.get("env", [])):
            sel = env.get("valueFrom", {}).get(key_ref, {})
            if sel.get("name") == ref and (key is None or sel.get("key") == key):
                leaf = "key" if key is not None else "name"
                found.append((field_path((*cpath, "env", i, "valueFrom", key_ref, leaf)), sel.get(leaf)))
        if key is None:
            for i, src in enumerate(c.get("envFrom", [])):
                if src.get(env_ref, {}).get("name") == ref:
                    found.append((field_path((*cpath, "envFrom", i, env_ref, "name")), ref))
    if key is None:
        for i, vol in enumerate(pod.spec.get("volumes", [])):
            if kind == "configmap" and vol.get("configMap", {}).get("name") == ref:
                found.append((field_path(("spec", "volumes", i, "configMap", "name")), ref))
            if kind == "secret" and vol.get("secret", {}).get("secretName") == ref:
                found.append((field_path(("spec", "volumes", i, "secret", "secretName")), ref))
    return found


def _config_error(pod: PodView, c: Container, message: str, reason: str) -> Diagnosis:
    said = _said(message)
    ns = pod.namespace or "default"
    if "runAsNonRoot" in message:
        where = c.at("securityContext", "runAsUser")
        hint = "the image runs as root: set a non-zero runAsUser or use a non-root image"
        return Diagnosis("error", f"{c.who}: {message}; {hint}", reason, c.name, where, None, [pod.describe])
    m = _NO_KEY.search(message)
    if m:
        key, kind_name, ref = m.group(1), m.group(2), m.group(4)
        kind = kind_name.lower()
        kind_name = "ConfigMap" if kind == "configmap" else "Secret"
        refs = _references(pod, kind, ref, key)
        data = "data" if kind == "configmap" else "stringData"
        patch = pod.kubectl(f"patch {kind} {ref} --type merge -p '{{\"{data}\":{{\"{key}\":\"VALUE\"}}}}'")
        found = refs[0][0] if refs else None
        ref_kind = "configMapKeyRef" if kind == "configmap" else "secretKeyRef"
        place = found or (f"{c.at('env')}[*].valueFrom.{ref_kind}.key" if c.known or not pod.has_spec else None)
        msg = (f"{c.who}: {kind_name} {ref!r} exists in namespace {ns} but has no key {key!r}, which "
               f"{place or 'an env valueFrom reference'} asks for: fix the key name there (a typo?), or add the key "
               f"to the {kind_name}")
        if not pod.has_spec:
            msg += f" ({pod.no_spec})"
        commands = [pod.kubectl(f"describe {kind} {ref}"), patch, pod.describe]
        commands += [f"# also referenced at {r}" for r, _ in refs[1:]]
        return Diagnosis("error", msg, reason, c.name, place, key, commands)
    m = _MISSING.search(message)
    if m:
        kind, ref = m.group(1).lower(), m.group(2)
        kind_name = "ConfigMap" if kind == "configmap" else "Secret"
        refs = _references(pod, kind, ref)
        create = (pod.kubectl(f"create configmap {ref} --from-literal=KEY=VALUE") if kind == "configmap"
                  else pod.kubectl(f"create secret generic {ref} --from-literal=KEY=VALUE"))
        hint = (f"{kind_name} {ref!r} must exist in namespace {ns} before the pod starts: create it, fix the "
                "reference, or mark the reference optional: true")
        return Diagnosis("error", f"{c.who}: {message}; {hint}", reason, c.name, refs[0][0] if refs else None, ref,
                         [pod.kubectl(f"get {kind} {ref}"), create, pod.describe] + [f"# also referenced at {r}" for r, _ in refs[1:]])
    return Diagnosis("error", f"{c.who}: CreateContainerConfigError{said}", reason, c.name, c.at(), None, [pod.describe])


def _image_finding(pod: PodView, c: Container, reason: str, message: str) -> Diagnosis:
    image = c.image or ""
    where = c.at("image")
    unseen = unseen_characters(image)
    said = _said(message)
    if unseen:
        msg = (f"{c.who}: the image name \"{escaped(image)}\" contains characters that do not show: "
               f"{'; '.join(unseen)} ({reason}); retype {where} in plain ASCII")
        return Diagnosis("error", msg, reason, c.name, where, image, [pod.jsonpath(".spec.containers[*].image") + " | od -c", pod.describe])
    lowered = message.lower()
    current: Any = image or None
    if reason == "InvalidImageName":
        hint = "the image reference cannot be parsed: lower-case repository, no spaces, a non-empty tag"
    elif "does not exist" in lowered or "not found" in lowered or "manifest unknown" in lowered:
        hint = "the repository or tag does not exist: check the image name (or, for a private image, the pull secret)"
    elif any(w in lowered for w in ("unauthorized", "authentication", "denied", "authorization")):
        where, current = "spec.imagePullSecrets", pod.spec.get("imagePullSecrets")
        hint = "the registry refused the credentials: check the imagePullSecrets"
    else:
        hint = "check the image name and tag (and the pull secret for a private registry)"
    msg = f"{c.who} cannot get its image \"{escaped(image)}\" ({reason}){said}; {hint}"
    return Diagnosis("error", msg, reason, c.name, where, current, [pod.describe])


def waiting_finding(pod: PodView, c: Container) -> Diagnosis | None:
    """Why a container waits (``state.waiting``)."""
    waiting = c.status.get("state", {}).get("waiting", {})
    reason, message = waiting.get("reason"), " ".join(str(waiting.get("message") or "").split())
    said = _said(message)
    if reason == "CrashLoopBackOff":
        last = c.status.get("lastState", {}).get("terminated")
        if last:
            d = exit_finding(pod, c, last, topic="CrashLoopBackOff", previous=True)
            d.message = f"{c.who} is in CrashLoopBackOff ({c.restarts} restarts); last run: {d.message}"
            d.severity = "error"
            return d
        return Diagnosis("error", f"{c.who} is in CrashLoopBackOff ({c.restarts} restarts){said}", "CrashLoopBackOff",
                         c.name, c.at(), None, [pod.logs(c.name, previous=c.restarts > 0), pod.describe])
    if reason in _IMAGE_REASONS:
        return _image_finding(pod, c, reason, message)
    if reason == "ErrImageNeverPull":
        where = c.at("imagePullPolicy")
        return Diagnosis("error", f"{c.who}: imagePullPolicy Never and image \"{escaped(c.image or '')}\" is not on the node{said}",
                         reason, c.name, where, c.spec.get("imagePullPolicy"), [pod.describe])
    if reason == "CreateContainerConfigError":
        return _config_error(pod, c, message, reason)
    if reason in ("CreateContainerError", "RunContainerError", "StartError", "ContainerCannotRun"):
        if _EXEC.search(message) or reason in ("StartError", "ContainerCannotRun"):
            return start_failure(pod, c, message, reason, topic_name(reason))
        return Diagnosis("error", f"{c.who} cannot be started ({reason}){said}", reason, c.name, c.at(), None,
                         [pod.describe, pod.events])
    if reason in ("PostStartHookError", "PreStartHookError"):
        where = c.at("lifecycle", "postStart") if reason == "PostStartHookError" else c.at("resources")
        return Diagnosis("error", f"{c.who}: {reason}{said}", reason, c.name, where, None, [pod.describe, pod.events])
    if reason in ("ContainerCreating", "PodInitializing"):
        msg = f"{c.who} is still being created ({reason}); normal for a few seconds, if it lasts look at the events"
        return Diagnosis("notice", msg + said, reason, c.name, None, None, [pod.events, pod.describe])
    if reason:
        return Diagnosis("warning", f"{c.who} is waiting: {reason}{said}", topic_name(reason), c.name, c.at(), None, [pod.describe])
    return Diagnosis("notice", f"{c.who} is waiting with no reason given{said}", None, c.name, None, None, [pod.describe])


def not_ready_finding(pod: PodView, c: Container) -> Diagnosis:
    """A running container that is not ready: the startup or readiness probe, most often."""
    commands = [pod.describe, pod.kubectl("get endpoints"), pod.logs(c.name, previous=False)]
    if c.status.get("started") is False and (c.spec.get("startupProbe") or not c.known):
        where = c.at("startupProbe")
        msg = (f"{c.who} is running but its startup probe has not succeeded yet; if the app needs longer, "
               "raise failureThreshold x periodSeconds")
        return Diagnosis("warning", msg, "ContainersNotReady", c.name, where, c.spec.get("startupProbe"), commands)
    probe = c.spec.get("readinessProbe")
    if probe:
        where = c.at("readinessProbe")
        handler = probe.get("httpGet") or probe.get("tcpSocket") or probe.get("exec") or probe.get("grpc")
        msg = (f"{c.who} is running but not ready: its readiness probe fails ({show(handler)}), "
               "so the pod is not an endpoint of its Services; check that the path and port answer")
        return Diagnosis("warning", msg, "ContainersNotReady", c.name, where, probe, commands)
    if not c.known:
        return Diagnosis("warning", f"{c.who} is running but not ready: its readiness probe fails ({pod.no_spec})",
                         "ContainersNotReady", c.name, c.at("readinessProbe"), None, commands)
    return Diagnosis("warning", f"{c.who} is running but not ready", "ContainersNotReady", c.name, c.at(), None, commands)


def container_findings(pod: PodView, *, explained_end: bool) -> list[Diagnosis]:
    """Findings for every init and app container; ``explained_end``: a pod-level finding
    (eviction, deadline, node shutdown ...) already says why the containers stopped."""
    out: list[Diagnosis] = []
    init_failing = False
    terminal = pod.phase in ("Succeeded", "Failed")
    groups = [(True, pod.status.get("initContainerStatuses", [])), (False, pod.status.get("containerStatuses", []))]
    for init, statuses in groups:
        for index, st in enumerate(statuses):
            c = Container(pod, st, init=init, index=index)
            state = st.get("state", {})
            d: Diagnosis | None = None
            if "waiting" in state:
                d = waiting_finding(pod, c)
            elif "terminated" in state:
                term = state["terminated"]
                code = term.get("exitCode")
                restarted = not init and (pod.spec.get("restartPolicy", "Always") == "Always" if pod.has_spec else not terminal)
                if explained_end or (code == 0 and (init or not restarted)):
                    continue
                d = exit_finding(pod, c, term, topic="Error", previous=False)
                d.message = f"{c.who} terminated: {d.message}"
            elif "running" in state:
                last = st.get("lastState", {}).get("terminated")
                if last and c.restarts > 0:
                    d = exit_finding(pod, c, last, topic="CrashLoopBackOff", previous=True)
                    d.severity = "warning"
                    times = f"{c.restarts} time{'s' if c.restarts != 1 else ''}"
                    d.message = f"{c.who} is running but has restarted {times}; last run: {d.message}"
                    out.append(d)
                    d = None
                if not init and c.ready is not True and pod.phase == "Running":
                    d = not_ready_finding(pod, c)
            elif not explained_end:
                d = Diagnosis("warning", f"{c.who} reports no state (its state is empty)"
                              + ("" if c.ready else "; it is not ready"), None, c.name, None, None, [pod.describe, pod.events])
            if d:
                init_failing |= init and d.severity == "error"
                out.append(d)
    if init_failing:
        for d in out:
            if d.container and d.topic == "PodInitializing":
                d.message += " (it waits for the failing init container above)"
    return out
