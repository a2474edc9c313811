"""Volumes: one source each, mounts that resolve, and hostPaths that do not hand over the node.

A mount of a volume that does not exist fails at apply; a hostPath of ``/var/run/docker.sock``
applies fine and gives the container root on the node, so it is an error unless allowed.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

from ..k8s.kinds import dig
from ..k8s.vocab import CONTAINER_GROUPS, HOST_PATH_TYPES, VOLUME_SOURCES
from . import Finding, Workload, as_dict, as_list, rule
from .common import containers, did_you_mean, show
#: Host paths that give a container control of the node (or read its secrets).
SENSITIVE_PATHS = (
    "/", "/etc", "/proc", "/sys", "/dev", "/boot", "/lib", "/lib64", "/usr", "/bin", "/sbin", "/root",
    "/var/run/docker.sock", "/run/docker.sock", "/var/lib/docker", "/var/lib/kubelet", "/etc/kubernetes",
    "/var/run/containerd", "/run/containerd", "/var/lib/containerd", "/var/run/crio", "/run/crio",
    "/var/run/cri-dockerd.sock", "/run/cri-dockerd.sock",
)


def clean_host_path(path: str) -> str:
    """``/var/run//docker.sock/`` -> ``/var/run/docker.sock`` (for comparisons only)."""
    return posixpath.normpath(path).replace("//", "/") if path else path


def sensitive(path: str) -> str | None:
    """The sensitive path that ``path`` is, lies under, or contains (``/var/run`` holds docker.sock)."""
    clean = clean_host_path(path)
    for s in SENSITIVE_PATHS:
        if clean == s or (s != "/" and clean.startswith(s + "/")):
            return s
    for s in SENSITIVE_PATHS:
        if clean != "/" and s.startswith(clean.rstrip("/") + "/"):
            return s
    return None


def claim_template_names(w: Workload) -> list[str]:
    """The volumeClaimTemplates of a StatefulSet: its containers mount them by name."""
    if w.info.claim_templates is None:
        return []
    templates = as_list(dig(w.obj, w.info.claim_templates))
    return [n for t in templates if isinstance(n := dig(t, ("metadata", "name")), str)]


def _volumes(w: Workload) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, volume in enumerate(as_list(w.spec.get("volumes"))):
        if isinstance(volume, dict):
            yield i, volume


@rule(
    "volume-one-source",
    severity="error",
    scope="pod",
    summary="Each volume has exactly one source (emptyDir, configMap, secret, persistentVolumeClaim, hostPath, ...).",
    prevents="the API server rejects it",
    fix="Keep one source per volume; declare a second volume for the other.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    volumeMounts: [{name: data, mountPath: /data}]
volumes:
  - {name: data, emptyDir: {}, persistentVolumeClaim: {claimName: data}}
""",
)
def volume_one_source(w: Workload) -> Iterator[Finding]:
    for i, volume in enumerate(as_list(w.spec.get("volumes"))):
        if not isinstance(volume, dict):
            yield Finding(("volumes", i), f"a volume must be a mapping with a name and one source, not {show(volume)}")
            continue
        keys = [k for k in volume if k != "name"]
        unknown = [k for k in keys if k not in VOLUME_SOURCES]
        for key in unknown:
            yield Finding(("volumes", i, str(key)), f"{show(key)} is not a volume source{did_you_mean(key, VOLUME_SOURCES)}")
        sources = [k for k in keys if k in VOLUME_SOURCES]
        if len(sources) > 1:
            yield Finding(("volumes", i), f"volume {volume.get('name')!r} has {len(sources)} sources ({', '.join(sources)}); keep exactly one")
        elif not sources and not unknown:
            yield Finding(
                ("volumes", i),
                f"volume {volume.get('name')!r} has no source, so Kubernetes makes it an emptyDir; write emptyDir: {{}} to say so",
                severity="warning",
            )


@rule(
    "volume-mount-defined",
    severity="error",
    scope="pod",
    summary="Every volumeMount names a volume of the pod; mountPaths are unique per container; subPath is relative.",
    prevents="the API server rejects it",
    fix="Mount a volume declared under volumes (check the spelling), once per path.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    volumeMounts: [{name: cahce, mountPath: /cache}]
volumes:
  - {name: cache, emptyDir: {}}
""",
)
def volume_mount_defined(w: Workload) -> Iterator[Finding]:
    names = [v["name"] for _, v in _volumes(w) if isinstance(v.get("name"), str)]
    names += claim_template_names(w)
    for path, container in containers(w.spec, CONTAINER_GROUPS):
        paths: dict[str, int] = {}
        for j, mount in enumerate(as_list(container.get("volumeMounts"))):
            where = (*path, "volumeMounts", j)
            if not isinstance(mount, dict):
                yield Finding(where, f"a volumeMount must be a mapping with name and mountPath, not {show(mount)}")
                continue
            name = mount.get("name")
            if name not in names:
                known = f" (volumes: {', '.join(names)})" if names else " (the pod declares no volumes)"
                yield Finding((*where, "name"), f"volumeMount {show(name)} names no volume of the pod{did_you_mean(name, names)}{known}")
            mount_path = mount.get("mountPath")
            if not isinstance(mount_path, str) or not mount_path:
                yield Finding((*where, "mountPath"), f"mountPath must be an absolute path such as /data, not {show(mount_path)}")
            else:
                key = posixpath.normpath(mount_path)
                if key in paths:
                    yield Finding((*where, "mountPath"), f"mountPath {mount_path!r} is already used by volumeMounts[{paths[key]}]; mount each path once")
                else:
                    paths[key] = j
                if not mount_path.startswith("/"):
                    yield Finding((*where, "mountPath"), f"mountPath {mount_path!r} is relative; write '/{mount_path}'", severity="warning")
            sub = mount.get("subPath")
            if sub is not None:
                if not isinstance(sub, str):
                    yield Finding((*where, "subPath"), f"subPath must be a relative path, not {show(sub)}")
                elif sub.startswith("/"):
                    yield Finding((*where, "subPath"), f"subPath {sub!r} must be relative to the volume; write {sub.lstrip('/')!r}")
                elif ".." in sub.split("/"):
                    yield Finding((*where, "subPath"), f"subPath {sub!r} must not contain '..'")


@rule(
    "hostpath",
    severity="error",
    scope="pod",
    summary=f"A hostPath is absolute, has no '..', and its type is one of \"\", {', '.join(HOST_PATH_TYPES[1:])}.",
    prevents="the API server rejects it",
    fix="Write an absolute path without '..' and a type from the list (case-sensitive).",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    volumeMounts: [{name: logs, mountPath: /logs}]
volumes:
  - {name: logs, hostPath: {path: /data/logs, type: directory}}
""",
)
def hostpath(w: Workload) -> Iterator[Finding]:
    for i, volume in _volumes(w):
        host = volume.get("hostPath")
        if host is None:
            continue
        where = ("volumes", i, "hostPath")
        if not isinstance(host, dict):
            yield Finding(where, f"hostPath must be a mapping with path and type, not {show(host)}")
            continue
        path = host.get("path")
        if not isinstance(path, str) or not path:
            yield Finding((*where, "path"), f"hostPath needs an absolute path, not {show(path)}")
        elif not path.startswith("/"):
            yield Finding((*where, "path"), f"hostPath {path!r} must be absolute; write '/{path}'")
        elif ".." in path.split("/"):
            yield Finding((*where, "path"), f"hostPath {path!r} must not contain '..'; write the resolved path")
        kind = host.get("type")
        if kind is not None and kind not in HOST_PATH_TYPES:
            choices = '"" | ' + " | ".join(HOST_PATH_TYPES[1:])
            yield Finding((*where, "type"), f"hostPath type {show(kind)} is not one of {choices}{did_you_mean(kind, HOST_PATH_TYPES[1:])}")


@rule(
    "hostpath-sensitive",
    severity="error",
    scope="pod",
    mark="PRACTICE",
    summary="hostPaths of system directories or runtime sockets are errors unless allowed; any hostPath breaks the "
    "'baseline' Pod Security Standard; writable hostPath mounts are warned about.",
    prevents="Error (refused where baseline is enforced); node takeover through a runtime socket",
    fix="Use a PersistentVolumeClaim, emptyDir or configMap; if the hostPath is really needed, "
    "mount it readOnly and allow it (a preset: checks: {allowHostPaths: [PATH]}; a manifest: the annotation "
    "scaffold.dev/ignore: hostpath-sensitive).",
    example="""\
name: agent
containers:
  - name: agent
    image: docker:27-cli
    volumeMounts: [{name: sock, mountPath: /var/run/docker.sock}]
volumes:
  - {name: sock, hostPath: {path: /var/run/docker.sock, type: Socket}}
""",
)
def hostpath_sensitive(w: Workload) -> Iterator[Finding]:
    allowed = {clean_host_path(p) for p in w.config.allow_host_paths if isinstance(p, str)}
    host_volumes: dict[str, str] = {}
    for i, volume in _volumes(w):
        host = volume.get("hostPath")
        if not isinstance(host, dict):
            continue
        path = host.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            continue
        if isinstance(volume.get("name"), str):
            host_volumes[volume["name"]] = path
        where = ("volumes", i, "hostPath", "path")
        hit = sensitive(path)
        if hit and clean_host_path(path) not in allowed:
            what = path if clean_host_path(path) == hit else f"{path} (it exposes {hit})"
            allow = (
                "annotate the object scaffold.dev/ignore: hostpath-sensitive" if w.config.manifest
                else f"allow it with checks: {{allowHostPaths: [{path}]}}"
            )
            yield Finding(
                where,
                f"hostPath {what} gives the container control of the node (and is refused where the 'baseline' Pod "
                f"Security Standard is enforced); use another volume type, or {allow}",
            )
            continue  # one finding per volume: the error already says what the warning would
        yield Finding(
            where,
            f"hostPath {path} is refused in namespaces that enforce the 'baseline' Pod Security Standard; "
            "prefer a PersistentVolumeClaim or emptyDir",
            severity="warning",
        )
    if not host_volumes:
        return
    for path, container in containers(w.spec, CONTAINER_GROUPS):
        for j, mount in enumerate(as_list(container.get("volumeMounts"))):
            mount = as_dict(mount)
            name = mount.get("name")
            if isinstance(name, str) and name in host_volumes and mount.get("readOnly") is not True:
                yield Finding(
                    (*path, "volumeMounts", j),
                    f"the hostPath volume {name!r} ({host_volumes[name]}) is mounted writable: the container can change "
                    "files on the node; add readOnly: true unless it must write",
                    severity="warning",
                )


@rule(
    "volume-unused",
    severity="warning",
    scope="pod",
    mark="PRACTICE",
    summary="A declared volume that no container mounts is dead weight (or a typo in a mount).",
    prevents="a mount silently missing (data written to the container layer)",
    fix="Mount it in a container, or remove it.",
    example="""\
name: web
containers:
  - {name: web, image: nginx:1.27}
volumes:
  - {name: cache, emptyDir: {}}
""",
)
def volume_unused(w: Workload) -> Iterator[Finding]:
    used: set[str] = set()
    for _, container in containers(w.spec, CONTAINER_GROUPS):
        for field in ("volumeMounts", "volumeDevices"):
            for mount in as_list(container.get(field)):
                name = as_dict(mount).get("name")
                if isinstance(name, str):
                    used.add(name)
    for i, volume in _volumes(w):
        name = volume.get("name")
        if isinstance(name, str) and name not in used:
            yield Finding(("volumes", i), f"volume {name!r} is not mounted by any container; mount it or remove it")
