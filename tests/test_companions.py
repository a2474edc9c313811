"""Objects that travel with the app (issue 11): rendering, strict schemas, the cross-object
rules (one failing example each, and the passing twin), ConfigMap files, the security profile."""

from __future__ import annotations

import copy
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold
from scaffold.errors import PresetError
from scaffold.lint import lint_text
from scaffold.rendering.emit import to_yaml_stream

kubernetes_validate = pytest.importorskip("kubernetes_validate")
VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]

ORDER = [
    "ServiceAccount", "ConfigMap", "PersistentVolumeClaim", "Deployment", "Service",
    "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
]


def full(**changes: Any) -> dict[str, Any]:
    preset: dict[str, Any] = {
        "name": "web",
        "namespace": "shop",
        "labels": {"tier": "web"},
        "serviceAccount": True,
        "configMaps": [{"name": "web-config", "data": {"LOG_LEVEL": "info", "WORKERS": 3}, "immutable": True}],
        "persistentVolumeClaims": [{"name": "uploads", "size": "5Gi", "storageClassName": "standard"}],
        "replicas": 3,
        "containers": [{"name": "web", "image": "nginx:1.27.3", "ports": ["http:8080"], "size": "small"}],
        "service": {"ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
        "ingress": {"host": "web.example.com", "className": "nginx", "tls": True},
        "autoscale": {"max": 6, "cpu": 70, "memory": 80},
        "disruptionBudget": True,
        "networkPolicy": {"from": [{"podLabels": {"role": "frontend"}}], "egress": "dns"},
        "security": "restricted",
    }
    preset.update(changes)
    return preset


def rules(issues: list[Any], rule: str) -> list[Any]:
    return [i for i in issues if i.rule == rule]


def refused(preset: dict[str, Any]) -> list[Any]:
    with pytest.raises(PresetError) as info:
        scaffold.build(preset)
    return info.value.issues


# ---------------------------------------------------------------- rendering


def test_every_companion_is_emitted_in_the_format_order_with_app_label_labels_and_namespace():
    objects = scaffold.render(full())
    assert [o["kind"] for o in objects] == ORDER
    for obj in objects:
        assert obj["metadata"]["namespace"] == "shop"
        assert obj["metadata"]["labels"] == {"app": "web", "tier": "web"}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"networkPolicy": True, "disruptionBudget": {"minAvailable": "50%"}, "ingress": {"host": "*.example.com", "port": 80}},
        {"networkPolicy": {"from": [], "egress": "none"}, "autoscale": {"min": 2, "max": 4}, "serviceAccount": {"name": "x", "automountToken": True}},
        {"networkPolicy": {"from": [{"namespaceLabels": {"team": "a"}, "podLabels": {"role": "b"}}]}, "ingress": {"host": "a.example.com", "tls": {"secretName": "a-cert"}}},
        {"security": "baseline", "configMaps": [{"name": "empty"}]},
    ],
)
def test_every_new_object_passes_the_strict_kubernetes_schema(changes, version):
    for obj in scaffold.render(full(**changes)):
        kubernetes_validate.validate(obj, version, strict=True)


def test_autoscale_leaves_spec_replicas_out_and_the_hpa_starts_at_replicas():
    objects = {o["kind"]: o for o in scaffold.render(full())}
    assert "replicas" not in objects["Deployment"]["spec"]
    assert objects["HorizontalPodAutoscaler"]["spec"]["minReplicas"] == 3
    assert objects["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}


def test_ingress_defaults_to_the_services_first_port_and_tls_secret_name():
    ingress = next(o for o in scaffold.render(full()) if o["kind"] == "Ingress")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]
    assert backend == {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"name": "http"}}}}
    assert ingress["spec"]["tls"] == [{"hosts": ["web.example.com"], "secretName": "web-tls"}]


def test_dns_egress_allows_only_kube_dns_on_53_udp_and_tcp():
    policy = next(o for o in scaffold.render(full()) if o["kind"] == "NetworkPolicy")
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    (egress,) = policy["spec"]["egress"]
    assert egress["to"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                             "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}]
    assert egress["ports"] == [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]
    assert policy["spec"]["ingress"][0]["ports"] == [{"protocol": "TCP", "port": 8080}]


def test_network_policy_true_admits_the_same_namespace_and_from_empty_admits_nobody():
    same = next(o for o in scaffold.render(full(networkPolicy=True)) if o["kind"] == "NetworkPolicy")
    assert same["spec"]["ingress"][0]["from"] == [{"podSelector": {}}] and same["spec"]["policyTypes"] == ["Ingress"]
    nobody = next(o for o in scaffold.render(full(networkPolicy={"from": []})) if o["kind"] == "NetworkPolicy")
    assert "ingress" not in nobody["spec"]


def test_objects_defined_in_the_preset_are_not_reported_as_must_exist():
    preset = full(volumes=[{"name": "conf", "configMap": {"name": "web-config"}}, {"name": "data", "persistentVolumeClaim": {"claimName": "uploads"}}])
    preset["containers"][0]["volumeMounts"] = [{"name": "conf", "mountPath": "/etc/conf"}, {"name": "data", "mountPath": "/data"}]
    result = scaffold.build(preset)
    assert not rules(result.issues, "referenced-objects")
    from scaffold.pipeline import check

    report = check(preset)
    assert "must exist in the namespace before apply: nothing" in "\n".join(report.notes)


# ---------------------------------------------------------------- ConfigMap files


def test_config_files_are_read_relative_to_the_preset_file(tmp_path, monkeypatch):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "app.conf").write_text("listen 8080;\n", encoding="utf-8")
    preset = tmp_path / "p.yaml"
    preset.write_text("name: web\nconfigMaps: [{name: c, files: [conf/app.conf]}]\ncontainers: [{name: web, image: 'nginx:1.27'}]\n")
    monkeypatch.chdir("/")
    (cm, _) = scaffold.render(str(preset))
    assert cm["data"] == {"app.conf": "listen 8080;\n"}


def test_a_missing_config_file_is_an_error_at_its_line(tmp_path):
    preset = tmp_path / "p.yaml"
    preset.write_text("name: web\nconfigMaps:\n  - name: c\n    files: [nope.conf]\ncontainers: [{name: web, image: 'nginx:1.27'}]\n")
    (issue,) = refused(str(preset))
    assert issue.path == "configMaps[0].files[0]" and "not found" in issue.message
    assert issue.line == 4 and issue.file == str(preset)


def test_config_files_outside_the_presets_directory_are_refused(tmp_path):
    (tmp_path / "secret.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    preset = tmp_path / "sub" / "p.yaml"
    preset.write_text("name: web\nconfigMaps: [{name: c, files: [../secret.txt, /etc/hostname]}]\ncontainers: [{name: web, image: 'nginx:1.27'}]\n")
    issues = refused(str(preset))
    assert len(issues) == 2 and all("directory" in i.message for i in issues)


def test_a_dict_preset_reads_config_files_from_the_current_directory(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("hello")
    monkeypatch.chdir(tmp_path)
    preset = {"name": "web", "configMaps": [{"name": "c", "files": ["a.txt"]}], "containers": [{"name": "web", "image": "nginx:1.27"}]}
    assert scaffold.render(preset)[0]["data"] == {"a.txt": "hello"}


# ---------------------------------------------------------------- the rules: each trips on its failing example


def test_hpa_requests_catches_a_cpu_target_without_cpu_requests():
    preset = full()
    preset["containers"][0] = {**preset["containers"][0], "size": None, "resources": {"requests": {"memory": "64Mi"}, "limits": {"memory": "64Mi"}}}
    del preset["containers"][0]["size"]
    (issue,) = rules(refused(preset), "hpa-requests")
    assert "requests no cpu" in issue.message and issue.path.startswith("autoscale")
    assert not rules(scaffold.build(full()).issues, "hpa-requests")


def test_hpa_requests_catches_min_above_max():
    issues = rules(refused(full(autoscale={"min": 5, "max": 2})), "hpa-requests")
    assert any("below minReplicas" in i.message and i.path == "autoscale.max" for i in issues)


def test_hpa_replicas_fight_warns_in_lint_when_the_workload_sets_replicas():
    objects = scaffold.render(full())
    objects[3]["spec"]["replicas"] = 3
    found = rules(lint_text(to_yaml_stream(objects)), "hpa-replicas-fight")
    assert len(found) == 1 and found[0].obj == "Deployment/web"
    assert not rules(lint_text(to_yaml_stream(scaffold.render(full()))), "hpa-replicas-fight")


def test_pdb_blocks_drain_when_min_available_equals_replicas():
    preset = full(disruptionBudget={"minAvailable": 3})
    found = rules(scaffold.build(preset).issues, "pdb-blocks-drain")
    assert len(found) == 1 and "drain" in found[0].message and found[0].path == "disruptionBudget.minAvailable"
    assert not rules(scaffold.build(full(disruptionBudget={"minAvailable": 2})).issues, "pdb-blocks-drain")


def test_pdb_with_max_unavailable_zero_blocks_drain():
    found = rules(scaffold.build(full(disruptionBudget={"maxUnavailable": 0})).issues, "pdb-blocks-drain")
    assert found and "maxUnavailable 0" in found[0].message


def test_ingress_backend_catches_a_port_the_service_lacks():
    (issue,) = rules(refused(full(ingress={"host": "web.example.com", "port": "https"})), "ingress-backend")
    assert "no port named 'https'" in issue.message and "503" in issue.message


def test_ingress_backend_catches_a_bad_host_and_an_ingress_without_service():
    assert rules(refused(full(ingress={"host": "web_app.example.com"})), "ingress-backend")
    preset = full()
    del preset["service"]
    (issue,) = rules(refused(preset), "ingress-backend")
    assert issue.path == "ingress" and "Service" in issue.message


def test_network_policy_selects_warns_when_no_pods_match_in_lint():
    objects = scaffold.render(full())
    objects[-1]["spec"]["podSelector"] = {"matchLabels": {"app": "wbe"}}
    found = rules(lint_text(to_yaml_stream(objects)), "network-policy-selects")
    assert len(found) == 1 and found[0].severity == "warning" and found[0].obj == "NetworkPolicy/web"


def test_network_policy_admitting_nobody_notes_the_unreachable_service():
    found = rules(scaffold.build(full(networkPolicy={"from": []})).issues, "network-policy-selects")
    assert len(found) == 1 and found[0].severity == "notice" and "unreachable" in found[0].message


def test_configmap_size_catches_bad_keys_and_more_than_a_mebibyte():
    (issue,) = rules(refused(full(configMaps=[{"name": "c", "data": {"bad key": "x"}}])), "configmap-size")
    assert "bad key" in issue.message
    big = full(configMaps=[{"name": "c", "data": {"a": "x" * (1024 * 1024)}}])
    assert any("1 MiB" in i.message for i in rules(refused(big), "configmap-size"))


def test_cross_object_rules_match_only_within_one_namespace():
    objects = scaffold.render(full(security="none"))
    moved = copy.deepcopy(objects)
    for obj in moved:
        if obj["kind"] in ("HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Ingress"):
            obj["metadata"]["namespace"] = "elsewhere"
    found = {i.rule for i in lint_text(to_yaml_stream(moved))}
    assert {"hpa-requests", "pdb-blocks-drain", "network-policy-selects", "ingress-backend"} <= found
    same = {i.rule for i in lint_text(to_yaml_stream(objects)) if i.severity != "notice"}
    assert not same & {"hpa-requests", "pdb-blocks-drain", "network-policy-selects", "ingress-backend"}


# ---------------------------------------------------------------- the security profile


def test_restricted_profile_meets_the_restricted_standard_by_construction():
    text = to_yaml_stream(scaffold.render(full()))
    assert not [i for i in lint_text(text, pss="restricted") if i.severity == "error"]
    without = to_yaml_stream(scaffold.render(full(security="none")))
    assert [i for i in lint_text(without, pss="restricted") if i.rule == "pss-restricted"]


def test_explicit_values_that_break_the_profile_are_errors_naming_it():
    preset = full()
    preset["containers"][0]["securityContext"] = {"allowPrivilegeEscalation": True}
    issues = refused(preset)
    assert any(i.rule == "pss-restricted" and '"restricted"' in i.message for i in issues)
    baseline = full(security="baseline")
    baseline["containers"][0]["securityContext"] = {"privileged": True}
    assert any(i.rule == "pss-baseline" and '"baseline"' in i.message for i in refused(baseline))


def test_the_profile_turns_the_token_off_unless_the_service_account_needs_it():
    pod = next(o for o in scaffold.render(full()) if o["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False and pod["serviceAccountName"] == "web"
    needs = full(serviceAccount={"automountToken": True})
    pod = next(o for o in scaffold.render(needs) if o["kind"] == "Deployment")["spec"]["template"]["spec"]
    assert "automountServiceAccountToken" not in pod


def test_web_app_is_nine_strict_objects_that_meet_the_restricted_standard():
    objects = scaffold.render("web-app")
    assert len(objects) == 9
    for version in VERSIONS:
        for obj in objects:
            kubernetes_validate.validate(obj, version, strict=True)
    assert lint_text(to_yaml_stream(objects), pss="restricted") == []


# ---------------------------------------------------------------- property: strict-valid or refused


_peer = st.fixed_dictionaries({}, optional={"podLabels": st.just({"role": "fe"}), "namespaceLabels": st.just({"team": "a"})})
_companions = st.fixed_dictionaries(
    {},
    optional={
        "serviceAccount": st.one_of(st.booleans(), st.fixed_dictionaries({}, optional={"name": st.sampled_from(["sa", "Bad_Name"]), "automountToken": st.booleans()})),
        "configMaps": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["c", "d", "-x"])}, optional={"data": st.dictionaries(st.sampled_from(["a", "b.c", "bad key"]), st.one_of(st.text(max_size=5), st.integers()), max_size=2), "immutable": st.booleans()}), max_size=2),
        "persistentVolumeClaims": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["data", "logs"]), "size": st.sampled_from(["1Gi", "5G", "lots", "-1Gi"])}), max_size=2),
        "ingress": st.fixed_dictionaries({"host": st.sampled_from(["a.example.com", "*.example.com", "bad host", "-x.com"])}, optional={"path": st.sampled_from(["/", "/api", "api"]), "pathType": st.sampled_from(["Prefix", "Exact", "Wrong"]), "port": st.sampled_from(["http", 80, 81, "nope"]), "tls": st.booleans(), "className": st.just("nginx")}),
        "autoscale": st.fixed_dictionaries({"max": st.integers(-1, 5)}, optional={"min": st.integers(-1, 5), "cpu": st.integers(0, 150), "memory": st.integers(1, 100)}),
        "disruptionBudget": st.one_of(st.booleans(), st.fixed_dictionaries({}, optional={"maxUnavailable": st.sampled_from([0, 1, "25%", "x%"]), "minAvailable": st.sampled_from([1, 5, "100%", "abc"])})),
        "networkPolicy": st.one_of(st.booleans(), st.fixed_dictionaries({}, optional={"from": st.lists(_peer, max_size=2), "egress": st.sampled_from(["all", "dns", "none"])})),
        "security": st.sampled_from(["restricted", "baseline", "none"]),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extra=_companions, kind=st.sampled_from(["Deployment", "Pod"]), service=st.booleans())
def test_every_preset_with_companions_renders_strict_valid_objects_or_is_refused(extra, kind, service):
    preset = {"name": "web", "kind": kind, "replicas": 2, "containers": [{"name": "web", "image": "nginx:1.27", "ports": ["http:80"]}], **extra}
    if service:
        preset["service"] = True
    try:
        objects = scaffold.render(preset)
    except PresetError:
        return
    for obj in objects:
        kubernetes_validate.validate(obj, VERSIONS[-1], strict=True)


def test_pvc_size_must_be_a_storage_quantity():
    (issue,) = rules(refused(full(persistentVolumeClaims=[{"name": "data", "size": "lots"}])), "pvc-size")
    assert "lots" in issue.message and issue.path.startswith("persistentVolumeClaims")
    assert not rules(scaffold.build(full()).issues, "pvc-size")


def test_a_budget_that_is_neither_a_number_nor_a_percentage_is_refused():
    issues = rules(refused(full(disruptionBudget={"maxUnavailable": "abc"})), "pdb-blocks-drain")
    assert any("percentage" in i.message and i.severity == "error" for i in issues)
