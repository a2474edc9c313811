"""Issue 10: StatefulSet, DaemonSet, Job and CronJob presets, the pod fields real apps need,
and the target Kubernetes version. The oracle is the official strict schema
(kubernetes-validate) on 1.30 and on the newest version it knows."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold
from conftest import run_cli
from scaffold.errors import PresetError
from scaffold.k8s.kinds import KINDS
from scaffold.k8s.features import FEATURES, KNOWN_VERSIONS, version_problem
from scaffold.rules.controllers import cron_problem

kubernetes_validate = pytest.importorskip("kubernetes_validate")
VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]


def strict_valid(objects: list[dict[str, Any]], version: str) -> None:
    for obj in objects:
        kubernetes_validate.validate(obj, version, strict=True)


def container(**extra: Any) -> dict[str, Any]:
    return {"name": "app", "image": "busybox:1.36", "size": "small", **extra}


# ------------------------------------------------------------------ every field's example, every kind

FULL_POD = {
    "securityContext": {"runAsNonRoot": True, "runAsUser": 10001, "fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
    "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "batch", "effect": "NoSchedule"}],
    "affinity": {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]}]}]
            }
        },
        "podAntiAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "demo"}}}}
            ]
        },
    },
    "spread": "zone",
    "topologySpreadConstraints": [
        {"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "DoNotSchedule",
         "labelSelector": {"matchLabels": {"app": "demo"}}}
    ],
    "priorityClassName": "high",
    "automountServiceAccountToken": False,
    "hostNetwork": False,
    "hostPID": False,
    "hostIPC": False,
    "dnsPolicy": "ClusterFirst",
    "dnsConfig": {"nameservers": ["10.0.0.10"], "searches": ["svc.cluster.local"], "options": [{"name": "ndots", "value": "2"}]},
    "hostAliases": [{"ip": "10.1.2.3", "hostnames": ["db.local"]}],
    "runtimeClassName": "gvisor",
    "shareProcessNamespace": True,
    "enableServiceLinks": False,
}
FULL_CONTAINER = {
    "envFrom": [{"configMapRef": {"name": "settings"}}, {"secretRef": {"name": "creds"}, "prefix": "DB_"}],
    "terminationMessagePolicy": "FallbackToLogsOnError",
    "ports": ["http:8080"],
    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
}
FULL_KIND = {
    "Deployment": {"replicas": 2, "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
                   "minReadySeconds": 5, "revisionHistoryLimit": 3, "progressDeadlineSeconds": 300, "service": True},
    "StatefulSet": {"replicas": 3, "podManagementPolicy": "Parallel", "updateStrategy": {"rollingUpdate": {"partition": 1}},
                    "minReadySeconds": 5, "revisionHistoryLimit": 3, "service": True,
                    "volumeClaimTemplates": [{"name": "data", "size": "10Gi", "storageClassName": "fast"}]},
    "DaemonSet": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": 1}}, "minReadySeconds": 5, "revisionHistoryLimit": 3},
    "Job": {"completions": 4, "parallelism": 2, "backoffLimit": 3, "activeDeadlineSeconds": 600,
            "ttlSecondsAfterFinished": 3600, "completionMode": "Indexed"},
    "CronJob": {"schedule": "*/15 8-18 * JAN-DEC MON-FRI", "timeZone": "Europe/Berlin", "concurrencyPolicy": "Forbid",
                "startingDeadlineSeconds": 120, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                "suspend": False, "backoffLimit": 2, "ttlSecondsAfterFinished": 600},
}


def full_preset(kind: str) -> dict[str, Any]:
    preset: dict[str, Any] = {"name": "demo", "kind": kind, **copy.deepcopy(FULL_POD), **copy.deepcopy(FULL_KIND[kind])}
    preset["containers"] = [container(**copy.deepcopy(FULL_CONTAINER))]
    if kind != "StatefulSet":
        preset["volumes"] = [{"name": "data", "emptyDir": {}}]
    return preset


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("kind", list(FULL_KIND))
def test_every_new_field_of_every_kind_renders_strict_schema_valid(kind: str, version: str) -> None:
    objects = scaffold.render(full_preset(kind))
    assert kind in [o["kind"] for o in objects]
    strict_valid(objects, version)


@pytest.mark.parametrize("kind", ["StatefulSet", "DaemonSet", "Job", "CronJob"])
def test_a_minimal_library_dict_of_each_kind_renders_one_workload_of_that_kind(kind: str) -> None:
    preset: dict[str, Any] = {"name": "demo", "kind": kind, "containers": [container()]}
    if kind == "CronJob":
        preset["schedule"] = "@daily"
    objects = scaffold.render(preset)
    assert [o["kind"] for o in objects].count(kind) == 1
    strict_valid(objects, VERSIONS[0])


def test_a_statefulset_gets_its_headless_service_first_selecting_its_pods() -> None:
    objects = scaffold.render(full_preset("StatefulSet"))
    assert [o["kind"] for o in objects] == ["Service", "StatefulSet", "Service"]
    headless, sts, client = objects
    assert headless["spec"]["clusterIP"] == "None"
    assert sts["spec"]["serviceName"] == headless["metadata"]["name"] == "demo-headless"
    assert headless["spec"]["selector"].items() <= sts["spec"]["template"]["metadata"]["labels"].items()
    assert client["metadata"]["name"] == "demo" and "clusterIP" not in client["spec"]
    [template] = sts["spec"]["volumeClaimTemplates"]
    assert template["spec"]["resources"]["requests"]["storage"] == "10Gi"
    assert template["spec"]["accessModes"] == ["ReadWriteOnce"]


def test_jobs_default_to_restart_on_failure_and_take_no_replicas() -> None:
    (job,) = scaffold.render({"name": "m", "kind": "Job", "containers": [container()]})
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"
    assert "replicas" not in job["spec"]
    (cron,) = scaffold.render({"name": "b", "kind": "CronJob", "schedule": "@hourly", "containers": [container()]})
    assert cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"


def test_spread_short_form_becomes_a_constraint_on_the_app_label() -> None:
    (dep,) = scaffold.render({"name": "web", "replicas": 3, "spread": "node", "containers": [container()]})
    assert dep["spec"]["template"]["spec"]["topologySpreadConstraints"] == [
        {"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway",
         "labelSelector": {"matchLabels": {"app": "web"}}}
    ]


def test_deployment_strategy_short_form_is_the_kubernetes_form() -> None:
    (dep,) = scaffold.render({"name": "web", "strategy": "Recreate", "containers": [container()]})
    assert dep["spec"]["strategy"] == {"type": "Recreate"}


# ------------------------------------------------------------------ fields on the wrong kind


@pytest.mark.parametrize(
    ("kind", "field", "value", "takers"),
    [
        ("Deployment", "schedule", "@daily", "CronJob"),
        ("Job", "volumeClaimTemplates", [{"name": "d", "size": "1Gi"}], "StatefulSet"),
        ("DaemonSet", "replicas", 3, "Deployment, Pod and StatefulSet"),
        ("Job", "service", True, "Deployment, Pod, StatefulSet and DaemonSet"),
        ("Pod", "strategy", "Recreate", "Deployment"),
        ("StatefulSet", "progressDeadlineSeconds", 60, "Deployment"),
        ("Deployment", "backoffLimit", 1, "Job and CronJob"),
    ],
)
def test_a_kind_specific_field_on_another_kind_names_the_kinds_that_take_it(kind: str, field: str, value: Any, takers: str) -> None:
    preset = {"name": "x", "kind": kind, field: value, "containers": [container()]}
    with pytest.raises(PresetError) as err:
        scaffold.render(preset)
    [issue] = [i for i in err.value.issues if i.path == field]
    assert takers in issue.message and kind in issue.message


def test_a_cronjob_without_schedule_is_refused() -> None:
    with pytest.raises(PresetError) as err:
        scaffold.render({"name": "x", "kind": "CronJob", "containers": [container()]})
    assert any(i.path == "schedule" for i in err.value.issues)


# ------------------------------------------------------------------ cron


@pytest.mark.parametrize(
    ("schedule", "named"),
    [
        ("60 * * * *", "minute 60"),
        ("0 24 * * *", "hour 24"),
        ("0 0 0 * *", "day of month 0"),
        ("0 0 32 * *", "day of month 32"),
        ("0 0 * 13 *", "month 13"),
        ("0 0 * FOO *", "month"),
        ("0 0 * * 8", "day of week 8"),
        ("0 0 * * MON-FRX", "day of week"),
        ("*/0 * * * *", "minute step"),
        ("0 0 * *", "has 4 fields"),
        ("@fortnightly", "@daily"),
        ("TZ=Europe/Berlin 0 3 * * *", "timeZone"),
        ("0 10-2 * * *", "runs backwards"),
    ],
)
def test_a_bad_cron_schedule_names_the_field_that_is_wrong(schedule: str, named: str) -> None:
    problem = cron_problem(schedule)
    assert problem is not None and named in problem


@pytest.mark.parametrize(
    "schedule",
    ["* * * * *", "*/5 * * * *", "0 3 * * *", "0 0 1,15 * *", "30 2 * JAN-MAR SUN", "0 0 * * 7", "0 9-17/2 * * MON-FRI",
     "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly", "0 0 ? * *"],
)
def test_valid_cron_schedules_pass(schedule: str) -> None:
    assert cron_problem(schedule) is None


# ------------------------------------------------------------------ bad values: exit 1, located, no traceback

BAD = [
    ("Deployment", {"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}}, "strategy", "both 0"),
    ("Deployment", {"strategy": "Recreat"}, "strategy", "Recreate"),
    ("Deployment", {"strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}}, "strategy", "rollingUpdate"),
    ("Deployment", {"strategy": {"rollingUpdate": {"maxSurge": "120%"}}}, "strategy", "100%"),
    ("Deployment", {"minReadySeconds": -1}, "minReadySeconds", ">= 0"),
    ("StatefulSet", {"podManagementPolicy": "parallel"}, "podManagementPolicy", "Parallel"),
    ("StatefulSet", {"updateStrategy": "Ondelete"}, "updateStrategy", "OnDelete"),
    ("StatefulSet", {"volumeClaimTemplates": [{"name": "data", "size": "10GB"}]}, "volumeClaimTemplates", "storage size"),
    ("StatefulSet", {"volumeClaimTemplates": [{"name": "data", "size": "1Gi", "accessModes": ["ReadWriteOnly"]}]}, "volumeClaimTemplates", "ReadWriteOnce"),
    ("DaemonSet", {"replicas": 2}, "replicas", "DaemonSet"),
    ("Job", {"backoffLimit": -1}, "backoffLimit", ">= 0"),
    ("Job", {"completionMode": "indexed"}, "completionMode", "Indexed"),
    ("Job", {"activeDeadlineSeconds": 0}, "activeDeadlineSeconds", ">= 1"),
    ("Job", {"restartPolicy": "Always"}, "restartPolicy", "OnFailure"),
    ("CronJob", {"schedule": "0 25 * * *"}, "schedule", "hour 25"),
    ("CronJob", {"schedule": "@daily", "timeZone": "Europe/Berln"}, "timeZone", "Europe/Berlin"),
    ("CronJob", {"schedule": "@daily", "concurrencyPolicy": "forbid"}, "concurrencyPolicy", "Forbid"),
    ("Deployment", {"tolerations": [{"key": "a", "operator": "Equals", "value": "b"}]}, "tolerations", "Equal"),
    ("Deployment", {"tolerations": [{"key": "a", "effect": "NoExec"}]}, "tolerations", "NoExecute"),
    ("Deployment", {"tolerations": [{"key": "a", "effect": "NoSchedule", "tolerationSeconds": 30}]}, "tolerations", "NoExecute"),
    ("Deployment", {"tolerations": [{"operator": "Exists", "value": "x"}]}, "tolerations", "value"),
    ("Deployment", {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "a", "operator": "in", "values": ["x"]}]}]}}}}, "affinity", "In"),
    ("Deployment", {"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 0, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname"}}]}}}, "affinity", "1-100"),
    ("Deployment", {"affinity": {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {"matchLabels": {"a": "b"}}}]}}}, "affinity", "topologyKey"),
    ("Deployment", {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerm": []}}}}, "affinity", "nodeSelectorTerms"),
    ("Deployment", {"spread": "zones"}, "spread", "zone"),
    ("Deployment", {"spread": {"topologyKey": "zone", "whenUnsatisfiable": "Schedule"}}, "spread", "ScheduleAnyway"),
    ("Deployment", {"topologySpreadConstraints": [{"maxSkew": 0, "topologyKey": "k", "whenUnsatisfiable": "DoNotSchedule"}]}, "topologySpreadConstraints", "maxSkew"),
    ("Deployment", {"priorityClassName": "High_Priority"}, "priorityClassName", "priorityClassName"),
    ("Deployment", {"dnsPolicy": "ClusterFirstWithHostNetwork"}, "dnsPolicy", "ClusterFirstWithHostNet"),
    ("Deployment", {"dnsPolicy": "None"}, "dnsConfig", "nameservers"),
    ("Deployment", {"dnsConfig": {"nameservers": ["10.0.0.300"]}}, "dnsConfig", "IP address"),
    ("Deployment", {"hostAliases": [{"ip": "nope", "hostnames": ["a"]}]}, "hostAliases", "IP address"),
    ("Deployment", {"securityContext": {"fsGroup": -5}}, "securityContext", "fsGroup"),
    ("Deployment", {"securityContext": {"seccompProfile": {"type": "runtimeDefault"}}}, "securityContext", "RuntimeDefault"),
    ("Deployment", {"securityContext": {"runAsNonRoot": True, "runAsUser": 0}}, "securityContext", "runAsUser 0"),
    ("Deployment", {"runtimeClassName": "G Visor"}, "runtimeClassName", "runtimeClassName"),
    ("Deployment", {"hostNetwork": "yes"}, "hostNetwork", "true or false"),
    ("Deployment", {"kubeVersion": "1.2"}, "kubeVersion", "1.25"),
    ("Deployment", {"kubeVersion": "banana"}, "kubeVersion", "not a Kubernetes version"),
]
BAD_CONTAINER = [
    ({"terminationMessagePolicy": "FallbackToLogs"}, "terminationMessagePolicy", "FallbackToLogsOnError"),
    ({"envFrom": [{"configMapRef": {"name": "a"}, "secretRef": {"name": "b"}}]}, "envFrom", "exactly one"),
    ({"envFrom": [{"secretRef": {}}]}, "envFrom", "secretRef.name: required field is missing"),
    ({"envFrom": [{"configMapref": {"name": "a"}}]}, "envFrom", "configMapRef"),
]


def _bad_preset(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    preset: dict[str, Any] = {"name": "x", "kind": kind, "containers": [container()]}
    if kind == "CronJob":
        preset["schedule"] = "@daily"
    preset.update(fields)
    return preset


def _refused_at(preset: dict[str, Any], where: str, words: str, tmp_path: Any) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(preset, sort_keys=False), encoding="utf-8")
    proc = run_cli("render", str(path))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    lines = [line for line in proc.stderr.splitlines() if f": {where}" in line and ":" in line.split(" ")[0]]
    assert lines, proc.stderr
    assert any(words in line for line in lines), proc.stderr
    # located: file:line:column
    assert all(line.startswith(f"{path}:") and line.split(":")[1].isdigit() for line in lines)


@pytest.mark.parametrize(("kind", "fields", "where", "words"), BAD, ids=[f"{b[2]}-{i}" for i, b in enumerate(BAD)])
def test_a_bad_value_of_a_new_field_exits_1_with_a_located_message(kind: str, fields: dict[str, Any], where: str, words: str, tmp_path: Any) -> None:
    _refused_at(_bad_preset(kind, fields), where, words, tmp_path)


@pytest.mark.parametrize(("fields", "where", "words"), BAD_CONTAINER, ids=[b[1] + str(i) for i, b in enumerate(BAD_CONTAINER)])
def test_a_bad_value_of_a_new_container_field_exits_1_with_a_located_message(fields: dict[str, Any], where: str, words: str, tmp_path: Any) -> None:
    preset = _bad_preset("Deployment", {})
    preset["containers"][0].update(fields)
    _refused_at(preset, f"containers[0].{where}", words, tmp_path)


# ------------------------------------------------------------------ lint sees the same


def test_lint_warns_when_a_statefulsets_governing_service_is_missing(tmp_path: Any) -> None:
    objects = scaffold.render(full_preset("StatefulSet"))
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump_all([o for o in objects if o["kind"] != "Service"]), encoding="utf-8")
    proc = run_cli("lint", str(path))
    assert "statefulset-service" in proc.stdout + proc.stderr
    objects[0]["spec"].pop("clusterIP")
    path.write_text(yaml.safe_dump_all(objects), encoding="utf-8")
    proc = run_cli("lint", str(path))
    assert proc.returncode == 1 and "not headless" in proc.stdout + proc.stderr


# ------------------------------------------------------------------ target version


@pytest.mark.parametrize("feature", sorted({f.label: f for f in FEATURES}.values(), key=lambda f: f.label), ids=lambda f: f.label)
def test_each_version_fact_names_a_known_version(feature: Any) -> None:
    assert feature.since in KNOWN_VERSIONS or feature.since < KNOWN_VERSIONS[0]


VERSIONED = [
    ("lifecycle sleep", "1.30", {"containers": [container(lifecycle={"preStop": {"sleep": {"seconds": 5}}})]}),
    ("sidecar", "1.29", {"initContainers": [container(name="side", restartPolicy="Always")]}),
    ("timeZone", "1.27", {"kind": "CronJob", "schedule": "@daily", "timeZone": "Europe/Berlin"}),
    ("grpc", "1.27", {"containers": [container(ports=[9000], readinessProbe={"grpc": {"port": 9000}})]}),
]


@pytest.mark.parametrize(("label", "since", "fields"), VERSIONED, ids=[v[0] for v in VERSIONED])
def test_a_field_newer_than_the_target_is_refused_naming_its_version(label: str, since: str, fields: dict[str, Any]) -> None:
    preset = {"name": "x", "containers": [container()], **fields}
    before = f"1.{int(since.split('.')[1]) - 1}"
    with pytest.raises(PresetError) as err:
        scaffold.render({**preset, "kubeVersion": before})
    [issue] = [i for i in err.value.issues if i.rule == "kube-version"]
    assert label in issue.message and since in issue.message and before in issue.message
    scaffold.render({**preset, "kubeVersion": since})  # from that version on: fine
    scaffold.render(preset)  # default: the newest version


def test_the_command_line_kube_version_wins_over_the_preset(tmp_path: Any) -> None:
    path = tmp_path / "p.yaml"
    preset = {"name": "x", "kubeVersion": "1.26", "containers": [container(lifecycle={"preStop": {"sleep": {"seconds": 5}}})]}
    path.write_text(yaml.safe_dump(preset), encoding="utf-8")
    assert run_cli("render", str(path)).returncode == 1
    assert run_cli("render", str(path), "--kube-version", "1.30").returncode == 0
    proc = run_cli("validate", str(path), "--kube-version", "1.29")
    assert proc.returncode == 1 and "1.30" in proc.stdout + proc.stderr
    bad = run_cli("render", str(path), "--kube-version", "2.0")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


@pytest.mark.parametrize("text", ["1.29", "v1.29", "1.29.3"])
def test_versions_are_read_as_people_write_them(text: str) -> None:
    assert version_problem(text) is None


# ------------------------------------------------------------------ property: refused with issues, or strict-valid


def _optional(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    good = {**FULL_POD, **FULL_KIND[kind]}
    wrong = {
        "strategy": st.sampled_from(["Recreate", "RollingUpdate", "Blue", {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}, {"rollingUpdate": {"maxSurge": "50%"}}]),
        "updateStrategy": st.sampled_from(["OnDelete", "RollingUpdate", "Recreate", {"rollingUpdate": {"maxUnavailable": "200%"}}]),
        "replicas": st.integers(-1, 4),
        "schedule": st.sampled_from(["@daily", "0 3 * * *", "61 * * * *", "* * * *", "*/7 1-5 * * SUN", "0 0 31 2 *", "@every 1h"]),
        "timeZone": st.sampled_from(["UTC", "Europe/Berlin", "Mars/Olympus", "Local", ""]),
        "concurrencyPolicy": st.sampled_from(["Allow", "Forbid", "Replace", "forbid"]),
        "completions": st.integers(-1, 5),
        "parallelism": st.integers(-1, 5),
        "backoffLimit": st.integers(-1, 5),
        "activeDeadlineSeconds": st.integers(-1, 100),
        "completionMode": st.sampled_from(["NonIndexed", "Indexed", "indexed"]),
        "podManagementPolicy": st.sampled_from(["OrderedReady", "Parallel", "Serial"]),
        "volumeClaimTemplates": st.sampled_from([[{"name": "data", "size": "1Gi"}], [{"name": "data", "size": "1GB"}], [{"name": "Data", "size": "1Gi"}]]),
        "tolerations": st.sampled_from([[{"operator": "Exists"}], [{"key": "a", "operator": "Equal", "value": "b", "effect": "NoExecute", "tolerationSeconds": 5}], [{"key": "a", "effect": "Nope"}], [{"key": "bad key!", "operator": "Exists"}]]),
        "spread": st.sampled_from(["node", "zone", {"topologyKey": "kubernetes.io/hostname", "maxSkew": 0}, {"topologyKey": "k", "whenUnsatisfiable": "DoNotSchedule"}]),
        "dnsPolicy": st.sampled_from(["ClusterFirst", "Default", "None", "ClusterFirstWithHostNet", "clusterfirst"]),
        "hostNetwork": st.booleans(),
        "priorityClassName": st.sampled_from(["high", "High", "a" * 300]),
        "securityContext": st.sampled_from([{"runAsUser": -1}, {"runAsUser": 1000, "fsGroup": 1000}, {"seccompProfile": {"type": "Localhost"}}]),
        "hostAliases": st.sampled_from([[{"ip": "10.0.0.1", "hostnames": ["a"]}], [{"ip": "::1", "hostnames": ["b"]}], [{"ip": "x", "hostnames": ["c"]}]]),
        "kubeVersion": st.sampled_from(["1.25", "1.29", "1.30", "1.33"]),
        "restartPolicy": st.sampled_from(["Always", "OnFailure", "Never"]),
    }
    choices = {k: st.one_of(st.just(v), wrong[k]) if k in wrong else st.just(v) for k, v in good.items()}
    for k in ("kubeVersion", "restartPolicy"):
        choices[k] = wrong[k]
    if "replicas" in KINDS[kind].fields:
        choices["replicas"] = wrong["replicas"]
    return st.fixed_dictionaries({}, optional=choices)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(list(FULL_KIND)).flatmap(lambda k: st.tuples(st.just(k), _optional(k))))
def test_every_generated_preset_is_refused_with_issues_or_strict_valid(case: tuple[str, dict[str, Any]]) -> None:
    kind, optional = case
    preset: dict[str, Any] = {"name": "demo", "kind": kind, "containers": [container(**copy.deepcopy(FULL_CONTAINER))], **copy.deepcopy(optional)}
    if kind != "StatefulSet" or "volumeClaimTemplates" not in optional:
        preset["volumes"] = [{"name": "data", "emptyDir": {}}]
    if kind == "CronJob":
        preset.setdefault("schedule", "@daily")  # its absence is tested above; here: everything else
    try:
        objects = scaffold.render(preset)
    except PresetError as err:
        assert err.issues, "refused without saying why"
        return
    for obj in objects:
        kubernetes_validate.validate(obj, VERSIONS[0], strict=True)


@pytest.mark.parametrize("field", ["hostNetwork", "hostPID", "hostIPC"])
def test_host_namespaces_are_a_pod_security_warning_at_the_field(field: str) -> None:
    result = scaffold.build({"name": "x", field: True, "containers": [container()]})
    [issue] = [i for i in result.issues if i.path == field]
    assert issue.severity == "warning" and "baseline" in issue.message
    quiet = scaffold.build({"name": "x", field: False, "containers": [container()]})
    assert not [i for i in quiet.issues if i.path == field]
