"""The kinds registry against outside oracles: the official Kubernetes schemas and the templates.

The registry is the one place that says where a kind keeps its pod template, labels, replicas
and selector; every rule trusts it. So each record is checked against the real API shape: an
object built only from the record's paths must pass the strict Kubernetes JSON schema (a wrong
path is an unknown field there), and the objects the templates render must carry the record's
apiVersion and kind.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import scaffold
from scaffold.k8s.kinds import (
    ANY,
    HAS_REPLICAS,
    HAS_SELECTOR,
    KEEPS_PODS_RUNNING,
    KINDS,
    KNOWN,
    POD_BEARING,
    PRESET_KINDS,
    ROUTES_TO_PODS,
    RUNS_TO_COMPLETION,
    Kind,
    dig,
)
from scaffold.rules import CheckConfig, run

kubernetes_validate = pytest.importorskip("kubernetes_validate")
VERSION = kubernetes_validate.latest_version()

POD_SPEC = {"containers": [{"name": "app", "image": "nginx:1.27"}]}
LABELS = {"app": "demo"}
#: Fields the API requires that are no business of the registry.
REQUIRED_EXTRAS: dict[str, dict[str, Any]] = {
    "CronJob": {"spec": {"schedule": "*/5 * * * *"}},
    "HorizontalPodAutoscaler": {"spec": {"scaleTargetRef": {"kind": "Deployment", "name": "demo"}, "maxReplicas": 3}},
}


def _put(obj: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        obj = obj.setdefault(part, {})
    obj[path[-1]] = value


def build(kind: Kind, pod_spec: dict[str, Any] | None = None) -> dict[str, Any]:
    """A minimal object of ``kind`` made only from the record's paths."""
    obj: dict[str, Any] = {"apiVersion": kind.api_version, "kind": kind.name, "metadata": {"name": "demo"}}
    for key, value in REQUIRED_EXTRAS.get(kind.name, {}).items():
        obj[key] = copy.deepcopy(value)
    if kind.pod_spec is not None:
        spec = copy.deepcopy(pod_spec or POD_SPEC)
        if "restartPolicy" not in spec:
            spec["restartPolicy"] = kind.restart_policies[0]
        _put(obj, kind.pod_spec, spec)
    if kind.pod_labels is not None:
        _put(obj, kind.pod_labels, dict(LABELS))
    if kind.selector is not None:
        _put(obj, kind.selector, dict(LABELS) if kind.selector_style == "map" else {"matchLabels": dict(LABELS)})
    if kind.replicas is not None:
        _put(obj, kind.replicas, 2)
    if kind.service_name is not None:
        _put(obj, kind.service_name, "demo")
    if kind.ports is not None:
        _put(obj, kind.ports, [{"port": 80}])
    return obj


@pytest.mark.parametrize("name", list(KINDS))
def test_an_object_built_from_the_record_passes_the_strict_kubernetes_schema(name: str) -> None:
    kubernetes_validate.validate(build(KINDS[name]), VERSION, strict=True)


@pytest.mark.parametrize("name", [k for k in KINDS if KINDS[k].pod_spec is not None])
def test_a_wrong_pod_template_path_would_fail_the_schema_check(name: str) -> None:
    """The check above can fail: the pod spec one level off is an unknown field."""
    kind = KINDS[name]
    wrong = kind._replace(pod_spec=(*kind.pod_spec[:-1], "podSpec"))  # type: ignore[index]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(build(wrong), VERSION, strict=True)


@pytest.mark.parametrize("name", PRESET_KINDS + ("Service",))
def test_rendered_objects_carry_the_records_api_version_and_kind(name: str) -> None:
    preset: dict[str, Any] = {"name": "demo", "kind": name if name != "Service" else "Deployment",
                              "containers": [{"name": "app", "image": "nginx:1.27", "ports": [80]}]}
    if "service" in KINDS[preset["kind"]].fields:
        preset["service"] = True
    if "schedule" in KINDS[preset["kind"]].fields:
        preset["schedule"] = "0 3 * * *"
    [obj] = [o for o in scaffold.render(preset) if o["kind"] == name]
    assert (obj["apiVersion"], obj["kind"]) == (KINDS[name].api_version, name)
    assert KINDS[name].template is not None


def test_preset_kinds_are_the_rendered_workloads_default_first() -> None:
    from scaffold.preset.schema import SCHEMA

    assert PRESET_KINDS == ("Deployment", "Pod", "StatefulSet", "DaemonSet", "Job", "CronJob")
    assert SCHEMA["kind"]["allowed"] == list(PRESET_KINDS) and SCHEMA["kind"]["default"] == PRESET_KINDS[0]


@pytest.mark.parametrize(
    ("capability", "kinds"),
    [
        (POD_BEARING, {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}),
        (HAS_REPLICAS, {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"}),
        (HAS_SELECTOR, {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}),
        (KEEPS_PODS_RUNNING, {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}),
        (RUNS_TO_COMPLETION, {"Job", "CronJob"}),
        (ROUTES_TO_PODS, {"Service"}),
        (KNOWN, set(KINDS)),
    ],
    ids=lambda x: x.label if hasattr(x, "label") else "",
)
def test_capabilities_name_the_kinds_the_api_gives_them(capability: Any, kinds: set[str]) -> None:
    assert set(capability.kinds()) == kinds


def test_pod_template_paths_are_where_the_api_keeps_them() -> None:
    assert KINDS["Pod"].pod_spec == ("spec",)
    for name in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"):
        assert KINDS[name].pod_spec == ("spec", "template", "spec")
        assert KINDS[name].pod_labels == ("spec", "template", "metadata", "labels")
    assert KINDS["CronJob"].pod_spec == ("spec", "jobTemplate", "spec", "template", "spec")


def test_capabilities_combine_and_any_judges_unknown_kinds() -> None:
    both = POD_BEARING | ROUTES_TO_PODS
    assert set(both.kinds()) == set(POD_BEARING.kinds()) | {"Service"}
    assert both.judges({"kind": "Service"}) and not both.judges({"kind": "Secret"})
    assert ANY.judges({"kind": "Secret"}) and not KNOWN.judges({"kind": "Secret"})


# ---------------------------------------------------------------- every pod rule on every pod-bearing kind

def _pod_findings(obj: dict[str, Any], prefix: tuple[Any, ...]) -> set[tuple[str, str, str]]:
    """(rule, path inside the pod spec, severity) of the pod rules' findings on ``obj``."""
    from scaffold.paths import format_path

    raws = run([obj], CheckConfig(pss="restricted"))
    return {(r.rule.id, format_path(r.path[len(prefix):]), r.severity) for r in raws if r.rule.scope == "pod"}


#: A pod spec that trips many pod rules at once: an untagged image, a sensitive hostPath, no
#: resources, a probe on an undeclared port name, a duplicate container name...
BAD_POD = {
    "containers": [
        {
            "name": "app",
            "image": "nginx",
            "ports": [{"containerPort": 80, "hostPort": 80}],
            "livenessProbe": {"httpGet": {"path": "/", "port": "htpp"}, "periodSeconds": 1, "failureThreshold": 1},
            "volumeMounts": [{"name": "sock", "mountPath": "/var/run/docker.sock"}],
        },
        {"name": "app", "image": "busybox:1.36"},
    ],
    "volumes": [{"name": "sock", "hostPath": {"path": "/var/run/docker.sock"}}],
}


@pytest.mark.parametrize("name", POD_BEARING.kinds())
def test_every_pod_bearing_kind_gets_the_same_pod_findings_as_a_pod(name: str) -> None:
    kind = KINDS[name]
    spec = {**BAD_POD, "restartPolicy": kind.restart_policies[0]}  # a Job's pods run to completion
    pod = _pod_findings(build(KINDS["Pod"], spec), ("spec",))
    rules = {rule for rule, _, _ in pod}
    assert {"image-tag-pinned", "hostpath-sensitive", "probe-port-declared", "unique-names", "resources-set", "pss-baseline"} <= rules
    assert kind.pod_spec is not None
    assert _pod_findings(build(kind, spec), kind.pod_spec) == pod
