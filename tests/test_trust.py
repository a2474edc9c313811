"""Issue 9, trust and friction: nothing a preset says is accepted silently, and what renders
is what the API server accepts (rule ids in ``checks``, enum rule ids, Service port short
forms, Kubernetes fields the format does not model, passthrough sub-objects)."""

from __future__ import annotations

from typing import Any

import pytest

import scaffold
from scaffold.errors import Issue, PresetError


def preset(container: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """A valid preset with one container; ``container`` keys override its fields."""
    c: dict[str, Any] = {"name": "web", "image": "nginx:1.27", "size": "small"}
    c.update(container or {})
    p: dict[str, Any] = {"name": "web", "containers": [c]}
    p.update(top)
    return p


def problems(p: Any) -> list[Issue]:
    """The errors of a preset that must not render (fails the test when it renders)."""
    with pytest.raises(PresetError) as caught:
        scaffold.build(p)
    return caught.value.issues


# ----------------------------------------------------------------- item 2: checks.ignore


def test_an_unknown_rule_id_in_checks_ignore_is_an_error_with_a_suggestion() -> None:
    [issue] = problems(preset(checks={"ignore": ["image-tag-pinned", "image-tag-pined"]}))
    assert issue.path == "checks.ignore[1]" and issue.severity == "error"
    assert "'image-tag-pined' is not a rule id; did you mean 'image-tag-pinned'?" in issue.message


def test_an_unknown_rule_id_far_from_any_is_an_error_without_a_guess() -> None:
    [issue] = problems(preset(checks={"ignore": ["zzzz"]}))
    assert "did you mean" not in issue.message and "docs/validation.md" in issue.message


def test_known_rule_ids_and_the_default_size_notice_may_be_ignored() -> None:
    result = scaffold.build(preset({"image": "nginx"}, checks={"ignore": ["image-tag-pinned", "default-size"]}))
    assert not [i for i in result.issues if i.rule in ("image-tag-pinned", "default-size")]


# ----------------------------------------------------------------- item 4: one rule id per enum


@pytest.mark.parametrize(
    ("bad", "path", "rule"),
    [
        (preset({"imagePullPolicy": "always"}), "containers[0].imagePullPolicy", "image-pull-policy-enum"),
        (preset({"ports": [80]}, service={"type": "Nodeport"}), "service.type", "service-type-enum"),
        (preset({"ports": [{"containerPort": 80, "protocol": "tcp"}]}), "containers[0].ports[0].protocol", "protocol-enum"),
        (preset(kind="Pod", restartPolicy="never"), "restartPolicy", "restart-policy-enum"),
    ],
)
def test_each_enum_is_reported_under_its_own_rule_id(bad: dict[str, Any], path: str, rule: str) -> None:
    assert [(i.path, i.rule) for i in problems(bad)] == [(path, rule)]


def test_a_preset_service_type_is_not_offered_external_name() -> None:
    [issue] = problems(preset({"ports": [80]}, service={"type": "Nodeport"}))
    assert "ClusterIP | NodePort | LoadBalancer" in issue.message and "ExternalName" not in issue.message
    assert "did you mean 'NodePort'?" in issue.message
    [issue] = problems(preset({"ports": [80]}, service={"type": "ExternalName"}))
    assert issue.rule == "service-type-enum" and "is not one of ClusterIP | NodePort | LoadBalancer" in issue.message


def test_lint_still_accepts_an_external_name_service() -> None:
    from scaffold.lint import lint_text

    text = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {type: ExternalName, externalName: db.example.com}\n"
    assert [i for i in lint_text(text) if i.rule == "service-type-enum"] == []
    [issue] = [i for i in lint_text(text.replace("ExternalName,", "Externalname,")) if i.rule == "service-type-enum"]
    assert "did you mean 'ExternalName'?" in issue.message


# ----------------------------------------------------------------- item 10: Kubernetes fields the format lacks


@pytest.mark.parametrize(
    ("top", "container", "path"),
    [
        ({"hostname": "web"}, {}, "hostname"),
        ({}, {"stdin": True}, "containers[0].stdin"),
        ({}, {"terminationMessagePath": "/x"}, "containers[0].terminationMessagePath"),
        ({"service": {"clusterIP": "None", "ports": [80]}}, {"ports": [80]}, "service.clusterIP"),
    ],
)
def test_a_kubernetes_field_the_format_lacks_points_to_patches_not_to_a_look_alike(top: dict[str, Any], container: dict[str, Any], path: str) -> None:
    from scaffold.preset.schema import validate_shape

    _, issues = validate_shape(preset(container, **top))
    [issue] = [i for i in issues if i.path == path]
    key = path.rsplit(".", 1)[-1]
    assert issue.message == f"{key!r} is a Kubernetes field the preset format does not model; set it with `patches:` (docs/patches.md)"
    assert issue.rule == "unknown-field"


def test_a_typo_that_is_no_kubernetes_field_still_gets_did_you_mean() -> None:
    from scaffold.preset.schema import validate_shape

    _, issues = validate_shape(preset({"imagePullPolcy": "Always"}, replica=2))
    messages = {i.path: i.message for i in issues}
    assert "did you mean 'replicas'?" in messages["replica"]
    assert "did you mean 'imagePullPolicy'?" in messages["containers[0].imagePullPolcy"]


def _schema_properties(version: str, *names: str) -> set[str]:
    import importlib.resources
    import json

    path = f"kubernetes-json-schema/v{version}-local-strict/_definitions.json"
    defs = json.loads(importlib.resources.files("kubernetes_validate").joinpath(path).read_text())["$defs"]
    return set().union(*(defs[f"io.k8s.api.{n}"]["properties"] for n in names))


WORKLOAD_SPECS = ("apps.v1.DeploymentSpec", "apps.v1.StatefulSetSpec", "apps.v1.DaemonSetSpec", "batch.v1.JobSpec", "batch.v1.CronJobSpec")


def test_the_kubernetes_field_lists_name_real_fields_and_miss_none_of_1_30() -> None:
    kv = pytest.importorskip("kubernetes_validate")
    from scaffold.k8s import vocab

    lists = [
        (vocab.POD_SPEC_FIELDS, ("core.v1.PodSpec",)),
        (vocab.CONTAINER_FIELDS, ("core.v1.Container",)),
        (vocab.SERVICE_SPEC_FIELDS, ("core.v1.ServiceSpec",)),
        (tuple(f for f in vocab.WORKLOAD_SPEC_FIELDS if f not in ("metadata", "spec")), WORKLOAD_SPECS),
    ]
    for names, defs in lists:
        assert set(names) <= _schema_properties(kv.latest_version(), *defs), defs
        assert _schema_properties("1.30.0", *defs) <= set(names), defs


# ----------------------------------------------------------------- item 3: Service port short forms


def service_ports(ports: list[Any], container_ports: list[Any] | None = None) -> list[dict[str, Any]]:
    p = preset({"ports": container_ports if container_ports is not None else ["http:8000"]}, replicas=2, service={"ports": ports})
    return scaffold.render(p)[-1]["spec"]["ports"]


@pytest.mark.parametrize(
    ("short", "expected"),
    [
        (80, {"port": 80, "targetPort": 80}),
        ("80", {"port": 80, "targetPort": 80}),
        ("80:8000", {"port": 80, "targetPort": 8000}),
        ("80:http", {"port": 80, "targetPort": "http"}),
        ("http:80", {"name": "http", "port": 80, "targetPort": "http"}),
        ("http:80:8000", {"name": "http", "port": 80, "targetPort": 8000}),
        ("web:80:http", {"name": "web", "port": 80, "targetPort": "http"}),
        ("80:8000/UDP", {"port": 80, "targetPort": 8000, "protocol": "UDP"}),
        ("http:80/sctp", {"name": "http", "port": 80, "targetPort": "http", "protocol": "SCTP"}),
    ],
)
def test_service_port_short_forms_follow_the_format(short: Any, expected: dict[str, Any]) -> None:
    assert service_ports([short]) == [expected]


def test_a_named_short_form_targets_the_number_when_no_container_port_has_that_name() -> None:
    assert service_ports(["web:80"], [80]) == [{"name": "web", "port": 80, "targetPort": 80}]
    assert service_ports(["http:80"], ["http:8000"]) == [{"name": "http", "port": 80, "targetPort": "http"}]


@pytest.mark.parametrize("bad", ["http", "80:8000:9000", "a:b", "x:y:z", "80/", "", "80::81"])
def test_an_unparseable_service_port_shows_the_service_forms(bad: str) -> None:
    [issue] = problems(preset({"ports": [80]}, service={"ports": [bad]}))
    assert issue.path == "service.ports[0]"
    assert '"80:8000" (port:targetPort)' in issue.message and '"http:80:8000"' in issue.message
    assert "containerPort" not in issue.message.replace("the containerPort named", "")


def test_the_wizard_reads_short_service_ports_as_plain_data() -> None:
    import yaml

    from scaffold.wizard.questions import _service_ports_now

    class Ctx:
        draft = {"service": {"ports": ["http:80"]}}

    ports = _service_ports_now(Ctx())  # type: ignore[arg-type]
    assert yaml.safe_load(yaml.safe_dump(ports)) == [{"name": "http", "port": 80, "targetPort": "http"}]


# ----------------------------------------------------------------- item 1: passthrough fields are typed
# (the property over generated passthrough fields is in tests/test_trust_property.py)


@pytest.mark.parametrize(
    ("container", "path"),
    [
        ({"env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "conf"}}}]}, "containers[0].env[0].valueFrom.configMapKeyRef.key"),
        ({"env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s"}}}]}, "containers[0].env[0].valueFrom.secretKeyRef.key"),
        ({"env": [{"name": "A", "valueFrom": {"fieldRef": {}}}]}, "containers[0].env[0].valueFrom.fieldRef.fieldPath"),
        ({"env": [{"name": "A", "valueFrom": {"resourceFieldRef": {"divisor": "1Mi"}}}]}, "containers[0].env[0].valueFrom.resourceFieldRef.resource"),
        ({"livenessProbe": {"httpGet": {"path": "/"}}}, "containers[0].livenessProbe.httpGet.port"),
        ({"readinessProbe": {"tcpSocket": {}}}, "containers[0].readinessProbe.tcpSocket.port"),
        ({"lifecycle": {"preStop": {"httpGet": {"path": "/", "port": 80, "httpHeaders": [{"name": "X"}]}}}}, "containers[0].lifecycle.preStop.httpGet.httpHeaders[0].value"),
        ({"securityContext": {"appArmorProfile": {"localhostProfile": "x"}}}, "containers[0].securityContext.appArmorProfile.type"),
    ],
)
def test_a_passthrough_object_without_a_required_key_is_refused_there(container: dict[str, Any], path: str) -> None:
    assert [(i.path, i.message) for i in problems(preset(container))] == [(path, "required field is missing")]


def test_passthrough_objects_take_no_unknown_keys_and_the_kubernetes_types() -> None:
    issues = problems(preset({"env": [{"name": "A", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k", "optinal": True}}}], "securityContext": {"seLinuxOptions": {"level": 0}}}))
    by_path = {i.path: i.message for i in issues}
    assert "did you mean 'optional'?" in by_path["containers[0].env[0].valueFrom.configMapKeyRef.optinal"]
    assert by_path["containers[0].securityContext.seLinuxOptions.level"].startswith("must be a string")


def test_volume_items_need_key_and_path() -> None:
    volume = {"name": "conf", "configMap": {"name": "conf", "items": [{"key": "a"}]}}
    [issue] = problems(preset({"volumeMounts": [{"name": "conf", "mountPath": "/c"}]}, volumes=[volume]))
    assert issue.path == "volumes[0].configMap.items[0].path"
