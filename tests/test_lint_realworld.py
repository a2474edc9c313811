"""``scaffold lint`` on real-world manifest shapes (issue 12, items 2-6): fixtures written for
this project in tests/fixtures/lint/, each asserting what a reviewer would say about it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli
from scaffold.errors import Issue
from scaffold.lint import LintOptions, lint, lint_text
from scaffold.rules import REGISTRY, _load_rule_modules
from scaffold.rules.index import StreamIndex, label_list

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
ALL_FILES = sorted(FIXTURES.rglob("*.yaml"))
HAS_SCHEMA = __import__("importlib").util.find_spec("kubernetes_validate") is not None


def found(name: str, **options: object) -> list[Issue]:
    return lint([FIXTURES / name], options=LintOptions(**options))  # type: ignore[arg-type]


def by_rule(issues: list[Issue], rule: str) -> list[Issue]:
    return [i for i in issues if i.rule == rule]


# ----------------------------------------------------------------- item 2: cross-object matching


def test_a_service_matches_pods_only_in_its_own_namespace() -> None:
    hits = by_rule(found("matching/namespaces.yaml"), "service-selects-workload")
    assert len(hits) == 1
    assert hits[0].obj == "Service/api" and hits[0].line == 33  # the team-a Service, not the team-b one
    assert "team-a" in hits[0].message


def test_objects_without_namespace_take_the_namespace_option() -> None:
    deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {n}{ns}}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: {n}}}}}\n  template:\n    metadata: {{labels: {{app: {n}}}}}\n    spec: {{containers: [{{name: c, image: 'ghcr.io/x/y:1.0.0'}}]}}\n"
    text = "---\n".join([
        deployment.format(n="api", ns=""),
        deployment.format(n="other", ns=", namespace: team-a"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: team-a}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n",
    ])
    assert by_rule(lint_text(text, options=LintOptions(namespace="team-a")), "service-selects-workload") == []
    assert [i.obj for i in by_rule(lint_text(text), "service-selects-workload")] == ["Service/api"]


def test_an_object_in_the_input_is_present_only_in_its_own_namespace() -> None:
    hits = by_rule(found("matching/configmap-namespaces.yaml"), "referenced-objects")
    assert [i.obj for i in hits] == ["Pod/p"]  # q, in the ConfigMap's namespace, is fine


def test_a_service_without_selector_is_fine() -> None:
    assert by_rule(found("matching/selectorless.yaml"), "service-selects-workload") == []


def test_a_service_selecting_a_statefulset_or_a_custom_kind_matches() -> None:
    issues = found("matching/statefulset-service.yaml")
    assert by_rule(issues, "service-selects-workload") == []
    assert by_rule(issues, "service-target-resolves") == []


def test_a_service_alone_is_not_judged_against_workloads_it_cannot_see() -> None:
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: x}\n  ports: [{port: 80}]\n"
    assert by_rule(lint_text(service), "service-selects-workload") == []


# ----------------------------------------------------------------- item 3: invalid manifests


@pytest.mark.skipif(not HAS_SCHEMA, reason="needs the schema extra (kubernetes-validate)")
def test_misspelt_and_misplaced_fields_are_unknown_fields_with_a_hint() -> None:
    hits = by_rule(found("invalid/misspelt-fields.yaml"), "unknown-field")
    messages = {i.path.rsplit(".", 1)[-1]: i.message for i in hits}
    assert set(messages) == {"readinesProbe", "resource", "requests"}
    assert "did you mean 'readinessProbe'" in messages["readinesProbe"]
    assert "did you mean 'resources'" in messages["resource"]
    assert "resources.requests" in messages["requests"]
    assert all(i.severity == "error" for i in hits)


@pytest.mark.skipif(not HAS_SCHEMA, reason="needs the schema extra (kubernetes-validate)")
def test_unknown_fields_agree_with_kubernetes_validate() -> None:
    import kubernetes_validate
    import yaml

    obj = yaml.safe_load((FIXTURES / "invalid/misspelt-fields.yaml").read_text())
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(obj, "1.30.0", strict=True)
    for good in yaml.safe_load_all((FIXTURES / "realistic/app/web.yaml").read_text()):
        kubernetes_validate.validate(good, "1.30.0", strict=True)
    assert by_rule(found("realistic/app/web.yaml", schema=True), "unknown-field") == []


def test_schema_checks_can_be_turned_off() -> None:
    assert by_rule(found("invalid/misspelt-fields.yaml", schema=False), "unknown-field") == []


def test_a_pod_without_containers_is_an_error() -> None:
    hits = by_rule(found("invalid/pod-without-containers.yaml"), "required-fields")
    assert len(hits) == 1 and "no containers" in hits[0].message and hits[0].severity == "error"


def test_a_missing_apiversion_is_an_error_also_for_kinds_lint_skips() -> None:
    hits = by_rule(found("invalid/no-apiversion.yaml"), "required-fields")
    assert [i.obj for i in hits] == ["ConfigMap/settings"] and "apiVersion" in hits[0].message


def test_removed_apis_name_the_release_and_the_replacement() -> None:
    hits = by_rule(found("invalid/removed-apis.yaml"), "removed-api")
    assert {i.obj: re.search(r"removed in Kubernetes (\S+) ", i.message).group(1) for i in hits} == {  # type: ignore[union-attr]
        "Deployment/old-web": "1.16",
        "StatefulSet/old-db": "1.16",
        "PodDisruptionBudget/old-web": "1.25",
        "Ingress/old-web": "1.22",
    }
    assert all("use apiVersion: " in i.message for i in hits)


def test_removed_apis_depend_on_the_target_version() -> None:
    hits = by_rule(found("invalid/removed-apis.yaml", kube_version="1.21"), "removed-api")
    assert sorted(i.obj for i in hits) == ["Deployment/old-web", "StatefulSet/old-db"]


# ----------------------------------------------------------------- item 4: messages


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_message_is_one_short_line_naming_few_objects_and_no_python(path: Path) -> None:
    for issue in lint([path]):
        assert "\n" not in issue.message and len(issue.message) <= 300, issue.message
        assert not re.search(r"\bNone\b|\{'|': ", issue.message), issue.message
        assert len(re.findall(r"\b[A-Z][A-Za-z]+/[a-z0-9][-a-z0-9.]*", issue.message)) <= 4, issue.message


def test_a_service_matching_nothing_names_at_most_three_candidates() -> None:
    (hit,) = by_rule(found("messages/many-workloads.yaml"), "service-selects-workload")
    assert hit.message.count("Deployment/") == 3 and "in this file" not in hit.message


def test_messages_for_manifests_use_manifest_syntax() -> None:
    issues = found("messages/hostpath.yaml") + found("matching/statefulset-service.yaml")
    for issue in issues:
        assert "checks:" not in issue.message and "size: small" not in issue.message and "preset" not in issue.message, issue


def test_a_sensitive_hostpath_is_reported_once() -> None:
    hits = by_rule(found("messages/hostpath.yaml"), "hostpath-sensitive")
    assert len(hits) == 1 and hits[0].severity == "error"


# ----------------------------------------------------------------- item 5: calibrated advice


@pytest.mark.parametrize("name", ["advice/database-recreate.yaml", "advice/database-rwo.yaml", "realistic/db/postgres.yaml"])
def test_a_single_instance_database_is_not_told_to_add_replicas(name: str) -> None:
    assert by_rule(found(name), "replicas-range") == []


def test_a_stateless_single_replica_behind_a_service_is_warned() -> None:
    (hit,) = by_rule(found("advice/single-replica-web.yaml"), "replicas-range")
    assert hit.severity == "warning" and "spec.replicas: 2" in hit.message


def test_an_hpa_managed_workload_is_judged_by_its_min_replicas() -> None:
    hits = by_rule(found("advice/hpa-managed.yaml"), "replicas-range")
    assert [i.obj for i in hits] == ["Deployment/scaled-low"]
    assert "HorizontalPodAutoscaler/scaled-low" in hits[0].message and "minReplicas" in hits[0].message


def test_undeclared_numeric_ports_are_notices_and_tcp_on_udp_is_an_error() -> None:
    issues = found("advice/ports.yaml")
    probe = {i.path: i.severity for i in by_rule(issues, "probe-port-declared")}
    assert probe == {
        "spec.template.spec.containers[0].livenessProbe.tcpSocket.port": "error",
        "spec.template.spec.containers[0].readinessProbe.httpGet.port": "notice",
    }
    target = {i.path: i.severity for i in by_rule(issues, "service-target-resolves")}
    assert target == {"spec.ports[0].targetPort": "error", "spec.ports[2].targetPort": "notice"}


# ----------------------------------------------------------------- the realistic directory


def test_a_realistic_mixed_directory_gives_no_errors_or_warnings() -> None:
    issues = lint([FIXTURES / "realistic"])
    assert [str(i) for i in issues if i.severity != "notice"] == []
    # HPAs and Ingresses are checked now (the kinds registry has them); a custom resource is skipped
    assert {i.obj for i in issues if i.rule == "skipped"} >= {"Backup/nightly"}
    assert not {i.obj for i in issues if i.rule == "skipped"} & {"HorizontalPodAutoscaler/web", "Ingress/web"}


# ----------------------------------------------------------------- alone and together


def _cross_object_rules() -> set[str]:
    _load_rule_modules()
    # stream rules compare objects; referenced-objects asks whether a ConfigMap is beside the pod
    return {r.id for r in REGISTRY.values() if r.scope == "stream"} | {"referenced-objects"}


def test_per_object_findings_do_not_depend_on_which_files_are_linted_together() -> None:
    cross = _cross_object_rules()

    def key(i: Issue) -> tuple[object, ...]:
        return (i.file, i.line, i.column, i.path, i.rule, i.severity, i.message)

    alone = {key(i) for path in ALL_FILES for i in lint([path]) if i.rule not in cross}
    together = {key(i) for i in lint(ALL_FILES) if i.rule not in cross}
    assert alone == together


# ----------------------------------------------------------------- item 6: what linters have


def test_a_directory_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {{name: {n}}}\nspec: {{}}\n"
    (tmp_path / "a" / "one.yaml").write_text(pod.format(n="one"))
    (tmp_path / "a" / "b" / "two.yml").write_text(pod.format(n="two"))
    (tmp_path / "a" / "b" / "three.json").write_text('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "three"}, "spec": {}}')
    (tmp_path / "a" / "notes.txt").write_text("not yaml: [")
    (tmp_path / ".git" / "x.yaml").write_text(pod.format(n="hidden"))
    hits = by_rule(lint([tmp_path]), "required-fields")
    assert sorted(i.obj for i in hits) == ["Pod/one", "Pod/three", "Pod/two"]


def test_ignore_option_and_annotation_turn_rules_off(tmp_path: Path) -> None:
    text = (FIXTURES / "messages/hostpath.yaml").read_text()
    assert by_rule(lint_text(text), "hostpath-sensitive")
    assert by_rule(lint_text(text, options=LintOptions(ignore=frozenset({"hostpath-sensitive"}))), "hostpath-sensitive") == []
    annotated = text.replace("metadata: {name: agent}", "metadata: {name: agent, annotations: {scaffold.dev/ignore: 'image-tag-pinned, hostpath-sensitive'}}")
    assert annotated != text
    issues = lint_text(annotated)
    assert by_rule(issues, "hostpath-sensitive") == [] and issues  # other rules still speak


def test_cli_ignore_is_repeatable_and_checks_rule_ids(tmp_path: Path) -> None:
    path = FIXTURES / "invalid/removed-apis.yaml"
    proc = run_cli("lint", str(path), "--ignore", "removed-api", "--ignore", "deployment-selector", "-o", "json")
    assert '"removed-api"' not in proc.stdout and '"deployment-selector"' not in proc.stdout
    assert '"required-fields"' not in proc.stdout and proc.stdout.count('"rule"') > 0
    bad = run_cli("lint", str(path), "--ignore", "no-such-rule")
    assert bad.returncode == 2 and "no-such-rule" in bad.stderr


def test_config_file_is_found_upward_and_sets_ignores_severities_and_version(tmp_path: Path) -> None:
    (tmp_path / ".scaffold.yaml").write_text(
        "ignore: [deployment-selector]\nseverity: {removed-api: warning}\nkubeVersion: '1.21'\n"
    )
    work = tmp_path / "deep" / "er"
    work.mkdir(parents=True)
    proc = run_cli("lint", str(FIXTURES / "invalid/removed-apis.yaml"), "-o", "json", cwd=work)
    import json

    records = json.loads(proc.stdout)
    findings = records.get("findings") or records.get("issues") or []
    rules = [(f["rule"], f["severity"]) for f in findings]
    assert ("removed-api", "warning") in rules and all(r != "deployment-selector" for r, _ in rules)
    assert sum(1 for r, _ in rules if r == "removed-api") == 2  # 1.21: only the 1.16 removals
    ignored = run_cli("lint", str(FIXTURES / "invalid/removed-apis.yaml"), "--no-config", "-o", "json", cwd=work)
    assert '"deployment-selector"' in ignored.stdout


def test_a_wrong_config_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".scaffold.yaml").write_text("ignores: [x]\n")
    proc = run_cli("lint", str(FIXTURES / "invalid/no-apiversion.yaml"), cwd=tmp_path)
    assert proc.returncode == 1 and "ignores" in proc.stderr and "Traceback" not in proc.stderr


def test_schema_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    # A sitecustomize that hides kubernetes_validate, as if the extra were not installed.
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\nclass _Hide:\n    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'kubernetes_validate':\n            raise ImportError(name)\n"
        "sys.meta_path.insert(0, _Hide())\n"
    )
    import os

    env_path = os.pathsep.join([str(tmp_path), str(Path(__file__).parent.parent), os.environ.get("PYTHONPATH", "")])
    import subprocess
    import sys

    def lint_cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "scaffold", "lint", *args], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": env_path, "NO_COLOR": "1"}, timeout=60)

    proc = lint_cli("--schema", str(FIXTURES / "invalid/misspelt-fields.yaml"))
    assert proc.returncode == 2 and "pip install 'scaffold-k8s[schema]'" in proc.stderr
    plain = lint_cli(str(FIXTURES / "invalid/removed-apis.yaml"))
    assert plain.returncode == 1 and "[removed-api]" in plain.stdout and "[unknown-field]" not in plain.stdout


@pytest.mark.skipif(not HAS_SCHEMA, reason="needs the schema extra")
def test_the_schema_check_reads_the_schemas_without_importing_their_package() -> None:
    """kubernetes-validate's import pulls in jsonschema (a fifth of a second); lint only reads
    its files, so ``lint --schema`` must find them without running the package."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom scaffold.lint import LintOptions, lint\n"
        f"found = lint([{str(FIXTURES / 'invalid/misspelt-fields.yaml')!r}], options=LintOptions(schema=True))\n"
        "assert any(i.rule == 'unknown-field' for i in found), found\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('kubernetes_validate', 'jsonschema')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


# ----------------------------------------------------------------- the index


def test_index_selects_within_a_namespace_and_names_few_candidates() -> None:
    from scaffold.rules.index import PodSource

    index = StreamIndex([])
    for i in range(10):
        index.add(PodSource("Deployment", f"d{i}", "a" if i % 2 else "b", {"app": f"d{i}", "tier": "web"}, {}))
    assert [s.name for s in index.select("a", {"tier": "web"})] == ["d1", "d3", "d5", "d7", "d9"]
    assert index.select("a", {"app": "d2"}) == []  # d2 lives in b
    assert [s.name for s in index.select_label_selector("b", {"matchExpressions": [{"key": "app", "operator": "In", "values": ["d2", "d4", "d1"]}]})] == ["d2", "d4"]
    near = index.nearest("a", {"app": "d3", "tier": "api"})
    assert near[0].name == "d3" and len(near) == 3
    assert label_list(index.sources("a")) == "Deployment/d1, Deployment/d3, Deployment/d5 and 2 more"
