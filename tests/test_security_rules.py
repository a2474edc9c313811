"""The Security rules: Pod Security Standards levels and securityContext consistency."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scaffold.rules import CheckConfig, manifest_issues, run


def pod(spec_extra: dict[str, Any] | None = None, container: dict[str, Any] | None = None, **meta: Any) -> dict[str, Any]:
    c = {"name": "app", "image": "nginx:1.27"}
    c.update(container or {})
    spec: dict[str, Any] = {"containers": [c]}
    spec.update(spec_extra or {})
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", **meta}, "spec": spec}


RESTRICTED_OK = pod(
    {"securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}},
    {"securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}},
)


SECURITY_RULES = {"pss-baseline", "pss-restricted", "security-context-consistent"}


def findings(obj: dict[str, Any], pss: str | None, rule: str | None = None) -> list[tuple[str, str]]:
    """(path, message) of the security findings (or of one rule): other rules are not under test."""
    objects = [obj]
    issues = manifest_issues(objects, run(objects, CheckConfig(pss=pss)))
    wanted = {rule} if rule else SECURITY_RULES
    return [(i.path, i.message) for i in issues if i.rule in wanted]


def paths(obj: dict[str, Any], pss: str | None, rule: str) -> list[str]:
    return [p for p, _ in findings(obj, pss, rule)]


# ---------------------------------------------------------------- default: quiet


@pytest.mark.parametrize("pss", [None])
def test_pss_rules_are_silent_without_a_level_even_on_a_privileged_pod(pss):
    obj = pod({"hostNetwork": True}, {"securityContext": {"privileged": True}})
    assert paths(obj, pss, "pss-baseline") == []
    assert paths(obj, pss, "pss-restricted") == []


def test_baseline_level_does_not_apply_restricted_controls():
    assert paths(pod(), "baseline", "pss-restricted") == []
    assert paths(pod(), "baseline", "pss-baseline") == []


def test_a_fully_restricted_pod_passes_both_levels():
    assert findings(RESTRICTED_OK, "restricted") == []


# ---------------------------------------------------------------- baseline controls


@pytest.mark.parametrize(
    ("spec_extra", "container", "path", "control"),
    [
        ({"hostNetwork": True}, {}, "spec.hostNetwork", "Host Namespaces"),
        ({"hostPID": True}, {}, "spec.hostPID", "Host Namespaces"),
        ({"hostIPC": True}, {}, "spec.hostIPC", "Host Namespaces"),
        ({}, {"securityContext": {"privileged": True}}, "spec.containers[0].securityContext.privileged", "Privileged Containers"),
        ({}, {"securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}},
         "spec.containers[0].securityContext.capabilities.add[0]", "Capabilities"),
        ({}, {"securityContext": {"capabilities": {"add": ["NET_RAW"]}}},
         "spec.containers[0].securityContext.capabilities.add[0]", "Capabilities"),
        ({}, {"ports": [{"containerPort": 8080, "hostPort": 8080}]}, "spec.containers[0].ports[0].hostPort", "Host Ports"),
        ({"volumes": [{"name": "log", "hostPath": {"path": "/data/volumes/nginx/log/"}}]}, {},
         "spec.volumes[0].hostPath", "HostPath Volumes"),
        ({"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "65536"}]}}, {},
         "spec.securityContext.sysctls[0].name", "Sysctls"),
        ({}, {"securityContext": {"procMount": "Unmasked"}}, "spec.containers[0].securityContext.procMount", "/proc Mount Type"),
        ({"securityContext": {"seccompProfile": {"type": "Unconfined"}}}, {},
         "spec.securityContext.seccompProfile.type", "Seccomp"),
        ({}, {"securityContext": {"appArmorProfile": {"type": "Unconfined"}}},
         "spec.containers[0].securityContext.appArmorProfile.type", "AppArmor"),
        ({}, {"securityContext": {"seLinuxOptions": {"type": "spc_t"}}},
         "spec.containers[0].securityContext.seLinuxOptions.type", "SELinux"),
        ({"securityContext": {"seLinuxOptions": {"user": "system_u"}}}, {},
         "spec.securityContext.seLinuxOptions.user", "SELinux"),
        ({"securityContext": {"windowsOptions": {"hostProcess": True}}}, {},
         "spec.securityContext.windowsOptions.hostProcess", "HostProcess"),
    ],
)
def test_baseline_violation_is_reported_on_its_field_and_names_the_control(spec_extra, container, path, control):
    found = findings(pod(spec_extra, container), "baseline", "pss-baseline")
    assert [p for p, _ in found] == [path]
    assert f'control "{control}"' in found[0][1] and '"baseline"' in found[0][1]


@pytest.mark.parametrize(
    ("spec_extra", "container"),
    [
        ({}, {"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE", "CHOWN", "KILL"]}}}),
        ({"securityContext": {"sysctls": [{"name": "net.ipv4.ip_unprivileged_port_start", "value": "0"}]}}, {}),
        ({}, {"ports": [{"containerPort": 80, "hostPort": 0}]}),
        ({}, {"securityContext": {"seLinuxOptions": {"type": "container_t", "level": "s0:c123,c456"}}}),
        ({}, {"securityContext": {"procMount": "Default", "privileged": False}}),
        ({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}, {}),
    ],
)
def test_baseline_allows_what_the_standard_allows(spec_extra, container):
    assert findings(pod(spec_extra, container), "baseline", "pss-baseline") == []


def test_baseline_checks_init_and_ephemeral_containers_too():
    obj = pod({
        "initContainers": [{"name": "init", "image": "busybox:1.36", "securityContext": {"privileged": True}}],
        "ephemeralContainers": [{"name": "debug", "image": "busybox:1.36", "securityContext": {"capabilities": {"add": ["SYS_PTRACE"]}}}],
    })
    assert paths(obj, "baseline", "pss-baseline") == [
        "spec.initContainers[0].securityContext.privileged",
        "spec.ephemeralContainers[0].securityContext.capabilities.add[0]",
    ]


def test_capability_spelled_with_cap_prefix_is_named_as_a_spelling_problem():
    (found,) = findings(pod({}, {"securityContext": {"capabilities": {"add": ["CAP_CHOWN"]}}}), "baseline", "pss-baseline")
    assert "write CHOWN" in found[1]


def test_apparmor_unconfined_annotation_is_found_on_a_deployment_template():
    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "d"},
        "spec": {
            "selector": {"matchLabels": {"app": "d"}},
            "template": {
                "metadata": {"labels": {"app": "d"}, "annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}},
                "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
            },
        },
    }
    found = findings(dep, "baseline", "pss-baseline")
    assert len(found) == 1 and 'control "AppArmor"' in found[0][1] and found[0][0] == "spec.template.spec"


def test_article_lifecycle_demo_breaks_baseline_only_by_its_hostpath_volume():
    obj = pod(
        {"volumes": [{"name": "message-log", "hostPath": {"path": "/data/volumes/nginx/log/", "type": "DirectoryOrCreate"}}],
         "initContainers": [{"name": "init-myservice", "image": "soscscs/myapp:v1"}]},
        {"volumeMounts": [{"name": "message-log", "mountPath": "/var/log/nginx/"}]},
    )
    assert paths(obj, "baseline", "pss-baseline") == ["spec.volumes[0].hostPath"]


# ---------------------------------------------------------------- restricted controls


def test_restricted_reports_each_missing_setting_once_with_its_control():
    found = findings(pod(), "restricted", "pss-restricted")
    controls = {m.split('control "')[1].split('"')[0]: p for p, m in found}
    assert controls == {
        "Running as Non-root": "spec.securityContext.runAsNonRoot",
        "Seccomp": "spec.securityContext.seccompProfile",
        "Privilege Escalation": "spec.containers[0].securityContext.allowPrivilegeEscalation",
        "Capabilities": "spec.containers[0].securityContext.capabilities.drop",
    }
    assert all('"restricted"' in m for _, m in found)


def test_restricted_includes_the_baseline_controls():
    obj = copy.deepcopy(RESTRICTED_OK)
    obj["spec"]["hostPID"] = True
    assert paths(obj, "restricted", "pss-baseline") == ["spec.hostPID"]


def test_restricted_accepts_run_as_non_root_set_on_every_container_instead_of_the_pod():
    obj = copy.deepcopy(RESTRICTED_OK)
    del obj["spec"]["securityContext"]["runAsNonRoot"]
    obj["spec"]["containers"][0]["securityContext"]["runAsNonRoot"] = True
    assert findings(obj, "restricted") == []


def test_restricted_names_the_container_that_lacks_run_as_non_root_when_others_set_it():
    obj = copy.deepcopy(RESTRICTED_OK)
    del obj["spec"]["securityContext"]["runAsNonRoot"]
    first = obj["spec"]["containers"][0]
    first["securityContext"]["runAsNonRoot"] = True
    second = copy.deepcopy(first)
    second["name"] = "sidecar"
    del second["securityContext"]["runAsNonRoot"]
    obj["spec"]["containers"].append(second)
    assert paths(obj, "restricted", "pss-restricted") == ["spec.containers[1].securityContext.runAsNonRoot"]


def test_restricted_refuses_a_container_that_overrides_run_as_non_root_to_false():
    obj = copy.deepcopy(RESTRICTED_OK)
    obj["spec"]["containers"][0]["securityContext"]["runAsNonRoot"] = False
    assert paths(obj, "restricted", "pss-restricted") == ["spec.containers[0].securityContext.runAsNonRoot"]


def test_restricted_refuses_run_as_user_zero_anywhere():
    obj = copy.deepcopy(RESTRICTED_OK)
    obj["spec"]["containers"][0]["securityContext"]["runAsUser"] = 0
    assert paths(obj, "restricted", "pss-restricted") == ["spec.containers[0].securityContext.runAsUser"]


@pytest.mark.parametrize(
    ("caps", "expected"),
    [
        ({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}, []),
        ({"drop": ["all"]}, ["spec.containers[0].securityContext.capabilities.drop"]),
        ({"drop": ["ALL"], "add": ["CHOWN"]}, ["spec.containers[0].securityContext.capabilities.add[0]"]),
    ],
)
def test_restricted_capabilities_drop_all_and_add_only_net_bind_service(caps, expected):
    obj = copy.deepcopy(RESTRICTED_OK)
    obj["spec"]["containers"][0]["securityContext"]["capabilities"] = caps
    assert paths(obj, "restricted", "pss-restricted") == expected


def test_restricted_seccomp_localhost_is_allowed_and_unconfined_is_not():
    obj = copy.deepcopy(RESTRICTED_OK)
    obj["spec"]["securityContext"]["seccompProfile"] = {"type": "Localhost", "localhostProfile": "profiles/app.json"}
    assert findings(obj, "restricted") == []
    obj["spec"]["securityContext"]["seccompProfile"] = {"type": "Unconfined"}
    assert paths(obj, "restricted", "pss-restricted") == ["spec.securityContext.seccompProfile.type"]


@pytest.mark.parametrize(
    ("volume", "expected"),
    [
        ({"name": "v", "emptyDir": {}}, []),
        ({"name": "v", "configMap": {"name": "c"}}, []),
        ({"name": "v", "nfs": {"server": "nfs.example", "path": "/"}}, ["spec.volumes[0].nfs"]),
    ],
)
def test_restricted_volume_types(volume, expected):
    obj = copy.deepcopy(RESTRICTED_OK)
    obj["spec"]["volumes"] = [volume]
    assert paths(obj, "restricted", "pss-restricted") == expected


def test_restricted_reports_hostpath_only_once_under_baseline():
    obj = copy.deepcopy(RESTRICTED_OK)
    obj["spec"]["volumes"] = [{"name": "v", "hostPath": {"path": "/data"}}]
    issues = findings(obj, "restricted")
    assert [p for p, _ in issues] == ["spec.volumes[0].hostPath"]


def test_windows_pods_are_exempt_from_linux_only_restricted_controls():
    obj = pod({"os": {"name": "windows"}, "securityContext": {"runAsNonRoot": True}})
    assert findings(obj, "restricted") == []


# ---------------------------------------------------------------- security-context-consistent


def test_privileged_with_no_privilege_escalation_is_an_api_error_without_any_pss_level():
    obj = pod({}, {"securityContext": {"privileged": True, "allowPrivilegeEscalation": False}})
    issues = [i for i in manifest_issues([obj], run([obj])) if i.rule == "security-context-consistent"]
    assert [(i.path, i.severity) for i in issues] == [("spec.containers[0].securityContext.allowPrivilegeEscalation", "error")]


def test_cap_sys_admin_with_no_privilege_escalation_is_an_error_and_sys_admin_a_warning():
    for cap, severity in (("CAP_SYS_ADMIN", "error"), ("SYS_ADMIN", "warning")):
        obj = pod({}, {"securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"add": [cap]}}})
        issues = [i for i in manifest_issues([obj], run([obj])) if i.rule == "security-context-consistent"]
        assert [(i.path, i.severity) for i in issues] == [("spec.containers[0].securityContext.capabilities.add[0]", severity)]


def test_privileged_alone_is_consistent():
    obj = pod({}, {"securityContext": {"privileged": True}})
    assert findings(obj, None, "security-context-consistent") == []


def test_security_rules_survive_malformed_security_contexts():
    obj = pod({"securityContext": "yes", "volumes": "none"}, {"securityContext": ["privileged"]})
    for level in (None, "baseline", "restricted"):
        issues = manifest_issues([obj], run([obj], CheckConfig(pss=level)))
        assert not any("could not check" in i.message for i in issues if i.rule.startswith(("pss", "security")))
