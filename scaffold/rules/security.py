"""Security rules: the Pod Security Standards levels and securityContext combinations.

The Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/)
are enforced per namespace by Pod Security admission: a pod that breaks the namespace's level
is refused (the article's Error state, "violates the cluster's security policy"). Whether a
manifest must meet "baseline" or "restricted" depends on where it is deployed, so the two PSS
rules stay silent unless a level is asked for (``CheckConfig.pss``, ``scaffold lint --pss``):
most workloads, including the article's own examples, would otherwise warn on every render.
When a level is asked for, breaking it is an error: the pod would be refused there.

``security-context-consistent`` is different: the API server rejects those combinations in
every namespace, so it always runs.

Each PSS finding names the control it breaks, with the control's name as in the standard.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..paths import Path
from ..k8s.kinds import dig
from ..k8s.vocab import CONTAINER_GROUPS
from . import Finding, Workload, as_dict, as_list, rule
from .common import containers

#: Capabilities a container may add under "baseline" (the standard's list, without CAP_).
BASELINE_CAPABILITIES = frozenset(
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    }
)

#: Sysctls "baseline" allows; every other sysctl is unsafe there.
SAFE_SYSCTLS = frozenset(
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
    }
)

#: SELinux types "baseline" allows (besides leaving the type unset).
SELINUX_TYPES = frozenset({"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"})

#: Volume types "restricted" allows.
RESTRICTED_VOLUMES = frozenset(
    {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"}
)

APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/"

_REFUSED = "Error: Pod Security admission refuses the pod in namespaces that enforce this level"


def _all_containers(w: Workload) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Init, regular and ephemeral containers: the standards apply to all of them."""
    return containers(w.spec, CONTAINER_GROUPS)


def _cap_name(cap: Any) -> str:
    """``cap_sys_admin`` / ``SYS_ADMIN`` -> ``SYS_ADMIN`` (runtimes accept both spellings)."""
    name = str(cap).upper()
    return name[4:] if name.startswith("CAP_") else name


def _violation(level: str, control: str, path: Path, what: str, fix: str) -> Finding:
    return Finding(path, f'violates Pod Security Standard "{level}", control "{control}": {what}; {fix}')


def _is_windows(w: Workload) -> bool:
    return as_dict(w.spec.get("os")).get("name") == "windows"


def _contexts(w: Workload) -> Iterator[tuple[Path, dict[str, Any]]]:
    """``(path, securityContext)`` of the pod and of every container that has one."""
    yield ("securityContext",), as_dict(w.spec.get("securityContext"))
    for path, c in _all_containers(w):
        yield (*path, "securityContext"), as_dict(c.get("securityContext"))


# ---------------------------------------------------------------- baseline


@rule(
    "pss-baseline",
    severity="error",
    scope="pod",
    mark="PRACTICE",
    summary='Pod Security Standard "baseline" (checked with --pss baseline|restricted): no privileged '
    "containers, host namespaces, hostPath volumes, hostPorts, extra capabilities, unsafe sysctls, "
    "custom /proc mounts or Unconfined seccomp/AppArmor/SELinux.",
    prevents=_REFUSED,
    fix="Remove the field named in the message, or deploy to a namespace with a laxer level.",
    example="""\
apiVersion: v1
kind: Pod
metadata: {name: debug, labels: {app: debug}}
spec:
  hostNetwork: true
  containers:
    - name: shell
      image: busybox:1.36
      securityContext: {privileged: true}
""",
)
def pss_baseline(w: Workload) -> Iterator[Finding]:
    if w.config.pss not in ("baseline", "restricted"):
        return
    level = "baseline"
    spec = w.spec
    pod_sc = as_dict(spec.get("securityContext"))

    for field in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(field) is True:
            yield _violation(level, "Host Namespaces", (field,), f"{field} is true", "remove it (a Service exposes ports)")

    if as_dict(pod_sc.get("windowsOptions")).get("hostProcess") is True:
        yield _violation(level, "HostProcess", ("securityContext", "windowsOptions", "hostProcess"),
                         "Windows HostProcess pods have host access", "remove hostProcess")

    for i, volume in enumerate(as_list(spec.get("volumes"))):
        volume = as_dict(volume)
        if "hostPath" in volume:
            where = as_dict(volume.get("hostPath")).get("path", "?")
            yield _violation(level, "HostPath Volumes", ("volumes", i, "hostPath"),
                             f"volume {volume.get('name', i)!r} mounts the node's {where}",
                             "use an emptyDir, a ConfigMap or a PersistentVolumeClaim")

    for i, sysctl in enumerate(as_list(pod_sc.get("sysctls"))):
        name = as_dict(sysctl).get("name")
        if name not in SAFE_SYSCTLS:
            yield _violation(level, "Sysctls", ("securityContext", "sysctls", i, "name"),
                             f"sysctl {name!r} is not in the safe set", "remove it or set it on the node")

    for path, sc in _contexts(w):
        yield from _profile_checks(level, path, sc)

    for path, c in _all_containers(w):
        sc = as_dict(c.get("securityContext"))
        sc_path = (*path, "securityContext")
        if sc.get("privileged") is True:
            yield _violation(level, "Privileged Containers", (*sc_path, "privileged"),
                             f"container {c.get('name')!r} is privileged", "remove privileged: true")
        if as_dict(sc.get("windowsOptions")).get("hostProcess") is True:
            yield _violation(level, "HostProcess", (*sc_path, "windowsOptions", "hostProcess"),
                             f"container {c.get('name')!r} is a Windows HostProcess container", "remove hostProcess")
        for j, cap in enumerate(as_list(as_dict(sc.get("capabilities")).get("add"))):
            if cap in BASELINE_CAPABILITIES:
                continue
            if _cap_name(cap) in BASELINE_CAPABILITIES:  # admission compares the bare name literally
                yield _violation(level, "Capabilities", (*sc_path, "capabilities", "add", j),
                                 f"capability {cap!r} is not spelled as in the baseline list",
                                 f"write {_cap_name(cap)}")
            else:
                yield _violation(level, "Capabilities", (*sc_path, "capabilities", "add", j),
                                 f"capability {cap} is beyond the baseline list", "drop it from capabilities.add")
        if sc.get("procMount") not in (None, "Default"):
            yield _violation(level, "/proc Mount Type", (*sc_path, "procMount"),
                             f"procMount is {sc.get('procMount')!r}", "remove it (Default masks /proc)")
        for j, port in enumerate(as_list(c.get("ports"))):
            host_port = as_dict(port).get("hostPort")
            if host_port not in (None, 0):
                yield _violation(level, "Host Ports", (*path, "ports", j, "hostPort"),
                                 f"hostPort {host_port} binds a port of the node",
                                 "remove hostPort and expose the port through a Service")

    # The pod's own annotations, or those of the template its pods are made from.
    annotations = as_dict(as_dict(dig(w.obj, w.info.pod_metadata or ("metadata",))).get("annotations"))
    for key, value in annotations.items():
        if str(key).startswith(APPARMOR_ANNOTATION) and not (
            value == "runtime/default" or str(value).startswith("localhost/")
        ):
            yield _violation(level, "AppArmor", (),
                             f"annotation {key}: {value} turns AppArmor off",
                             "use runtime/default or localhost/PROFILE")


def _profile_checks(level: str, path: Path, sc: dict[str, Any]) -> Iterator[Finding]:
    """seccomp, AppArmor and SELinux settings of one securityContext (pod or container)."""
    if as_dict(sc.get("seccompProfile")).get("type") == "Unconfined":
        yield _violation(level, "Seccomp", (*path, "seccompProfile", "type"),
                         "seccompProfile is Unconfined", "use RuntimeDefault or Localhost")
    if as_dict(sc.get("appArmorProfile")).get("type") == "Unconfined":
        yield _violation(level, "AppArmor", (*path, "appArmorProfile", "type"),
                         "appArmorProfile is Unconfined", "use RuntimeDefault or Localhost")
    selinux = as_dict(sc.get("seLinuxOptions"))
    if selinux.get("type", "") not in SELINUX_TYPES:
        yield _violation(level, "SELinux", (*path, "seLinuxOptions", "type"),
                         f"SELinux type {selinux.get('type')!r} is not a container type",
                         f"use one of {', '.join(sorted(t for t in SELINUX_TYPES if t))}")
    for field in ("user", "role"):
        if selinux.get(field):
            yield _violation(level, "SELinux", (*path, "seLinuxOptions", field),
                             f"a custom SELinux {field} is set", f"remove seLinuxOptions.{field}")


# ---------------------------------------------------------------- restricted


@rule(
    "pss-restricted",
    severity="error",
    scope="pod",
    mark="PRACTICE",
    summary='Pod Security Standard "restricted" (checked with --pss restricted), on top of baseline: '
    "runAsNonRoot, no runAsUser 0, allowPrivilegeEscalation false, capabilities drop ALL (add only "
    "NET_BIND_SERVICE), seccompProfile RuntimeDefault or Localhost, only the allowed volume types.",
    prevents=_REFUSED,
    fix="Set the securityContext fields named in the message (pod level where the field exists there).",
    example="""\
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
    - name: web
      image: nginx:1.27
      resources:
        requests: {cpu: 100m, memory: 128Mi}
        limits: {memory: 256Mi}
""",
)
def pss_restricted(w: Workload) -> Iterator[Finding]:
    if w.config.pss != "restricted":
        return
    level = "restricted"
    spec = w.spec
    pod_sc = as_dict(spec.get("securityContext"))
    containers = list(_all_containers(w))
    windows = _is_windows(w)

    for i, volume in enumerate(as_list(spec.get("volumes"))):
        volume = as_dict(volume)
        kinds = [k for k in volume if k != "name"]
        bad = [k for k in kinds if k not in RESTRICTED_VOLUMES and k != "hostPath"]  # hostPath: baseline says it
        if bad:
            yield _violation(level, "Volume Types", ("volumes", i, bad[0]),
                             f"volume {volume.get('name', i)!r} is of type {bad[0]}",
                             f"use one of {', '.join(sorted(RESTRICTED_VOLUMES))}")

    # runAsNonRoot: true at pod level, or on every container; false nowhere.
    yield from _per_container_setting(
        level, "Running as Non-root", pod_sc, containers, "runAsNonRoot",
        ok=lambda v: v is True, what="runAsNonRoot is not true", fix="set runAsNonRoot: true",
    )
    for path, sc in _contexts(w):
        if sc.get("runAsUser") == 0 and not isinstance(sc.get("runAsUser"), bool):
            yield _violation(level, "Running as Non-root user", (*path, "runAsUser"),
                             "runAsUser is 0 (root)", "use a non-zero UID")

    if windows:  # the standard exempts Windows pods from the Linux-only controls below
        return

    yield from _per_container_setting(
        level, "Seccomp", pod_sc, containers, "seccompProfile",
        ok=lambda v: as_dict(v).get("type") in ("RuntimeDefault", "Localhost"),
        what="no seccompProfile of type RuntimeDefault or Localhost",
        fix="set seccompProfile: {type: RuntimeDefault}", leaf=("type",),
    )

    for path, c in containers:
        sc = as_dict(c.get("securityContext"))
        sc_path = (*path, "securityContext")
        name = c.get("name")
        if sc.get("allowPrivilegeEscalation") is not False:
            yield _violation(level, "Privilege Escalation", (*sc_path, "allowPrivilegeEscalation"),
                             f"container {name!r} does not set allowPrivilegeEscalation: false",
                             "set allowPrivilegeEscalation: false")
        caps = as_dict(sc.get("capabilities"))
        if "ALL" not in as_list(caps.get("drop")):  # admission compares literally: "all" does not count
            yield _violation(level, "Capabilities", (*sc_path, "capabilities", "drop"),
                             f"container {name!r} does not drop ALL capabilities",
                             "set capabilities: {drop: [ALL]} (upper case)")
        for j, cap in enumerate(as_list(caps.get("add"))):
            if cap != "NET_BIND_SERVICE" and cap in BASELINE_CAPABILITIES:
                # beyond-baseline capabilities are already reported by pss-baseline
                yield _violation(level, "Capabilities", (*sc_path, "capabilities", "add", j),
                                 f"capability {cap} is added; restricted allows only NET_BIND_SERVICE",
                                 "remove it")


def _per_container_setting(
    level: str,
    control: str,
    pod_sc: dict[str, Any],
    containers: list[tuple[Path, dict[str, Any]]],
    field: str,
    *,
    ok: Any,
    what: str,
    fix: str,
    leaf: Path = (),
) -> Iterator[Finding]:
    """A setting that the pod level provides for all containers, or each container itself.

    When no container sets it either, one finding on the pod level (the natural fix) instead
    of one per container.
    """
    pod_value = pod_sc.get(field)
    pod_ok = pod_value is not None and ok(pod_value)
    missing: list[Path] = []
    for path, c in containers:
        sc = as_dict(c.get("securityContext"))
        sc_path = (*path, "securityContext", field)
        if field in sc and sc[field] is not None:
            if not ok(sc[field]):
                yield _violation(level, control, (*sc_path, *leaf), f"container {c.get('name')!r}: {what}", fix)
        elif not pod_ok:
            missing.append(sc_path)
    if not missing:
        return
    if pod_value is not None and not pod_ok:
        yield _violation(level, control, ("securityContext", field, *leaf), what, fix)
    elif len(missing) == len(containers):
        yield _violation(level, control, ("securityContext", field), what, f"{fix} in the pod's securityContext")
    else:
        for path in missing:
            yield _violation(level, control, path, what, f"{fix} here or in the pod's securityContext")


# ---------------------------------------------------------------- API consistency


@rule(
    "security-context-consistent",
    severity="error",
    scope="pod",
    summary="allowPrivilegeEscalation: false cannot be combined with privileged: true or with adding CAP_SYS_ADMIN "
    "(SYS_ADMIN spelled without CAP_ is accepted by the API: warning).",
    prevents="the API server rejects the object (the pod is never created)",
    fix="Drop privileged / SYS_ADMIN, or drop allowPrivilegeEscalation: false.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    securityContext: {privileged: true, allowPrivilegeEscalation: false}
""",
)
def security_context_consistent(w: Workload) -> Iterator[Finding]:
    for path, c in _all_containers(w):
        sc = as_dict(c.get("securityContext"))
        if sc.get("allowPrivilegeEscalation") is not False:
            continue
        sc_path = (*path, "securityContext")
        if sc.get("privileged") is True:
            yield Finding(
                (*sc_path, "allowPrivilegeEscalation"),
                "allowPrivilegeEscalation: false cannot be set with privileged: true (a privileged "
                "container can always escalate); remove one of them",
            )
        for j, cap in enumerate(as_list(as_dict(sc.get("capabilities")).get("add"))):
            if cap == "CAP_SYS_ADMIN":
                yield Finding(
                    (*sc_path, "capabilities", "add", j),
                    "allowPrivilegeEscalation: false cannot be set while adding CAP_SYS_ADMIN (SYS_ADMIN "
                    "allows escalation); remove the capability or allowPrivilegeEscalation",
                )
            elif _cap_name(cap) == "SYS_ADMIN":
                # The API compares the literal "CAP_SYS_ADMIN" only, so this spelling is accepted,
                # but the setting still promises something SYS_ADMIN takes away.
                yield Finding(
                    (*sc_path, "capabilities", "add", j),
                    f"adding {cap} contradicts allowPrivilegeEscalation: false (the API accepts this "
                    "spelling only because it checks for \"CAP_SYS_ADMIN\"); remove the capability",
                    severity="warning",
                )
