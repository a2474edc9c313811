"""``scaffold explain``: the knowledge base, and offline diagnosis of saved pod status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from scaffold import rules
from scaffold.cli import main
from scaffold.errors import ScaffoldError
from scaffold.explain import diagnose, find_topic, pods_from_text, render_markdown, topics

PODS = Path(__file__).parent / "fixtures" / "pods"

#: Every state and reason of the article's table and glossary (DIGEST.md section 1).
ARTICLE_NAMES = [
    "Pending", "ContainerCreating", "Waiting", "ImagePullBackOff", "ErrImagePull", "InvalidImageName",
    "ImageInspectError", "ErrImageNeverPull", "RegistryUnavailable", "CrashLoopBackOff", "CreateContainerConfigError",
    "CreateContainerError", "RunContainerError", "PreStartHookError", "PostStartHookError", "Error", "Terminating",
    "Unknown", "Evicted", "Unschedulable", "PodScheduled", "Initialized", "Ready", "ContainersNotInitialized",
    "ContainersNotReady", "PodInitializing", "DockerDaemonNotReady", "NetworkPluginNotReady", "OOMKilled", "Completed",
]


def report_for(fixture: str):
    pods, _ = pods_from_text((PODS / fixture).read_bytes(), source=fixture)
    (pod,) = pods
    return diagnose(pod)


def errors(report):
    return [d for d in report.diagnoses if d.severity == "error"]


# ---------------------------------------------------------------- knowledge base


@pytest.mark.parametrize("name", ARTICLE_NAMES)
def test_every_article_state_and_reason_is_explained(name):
    topic = find_topic(name)
    assert topic.meaning and topic.causes and topic.commands


def test_every_rule_the_knowledge_base_names_is_registered():
    rules._load_rule_modules()
    named = {r for t in topics() for r in t.rules}
    assert named and named <= set(rules.REGISTRY), sorted(named - set(rules.REGISTRY))


def test_see_also_links_point_at_existing_topics():
    names = {t.name for t in topics()}
    assert {s for t in topics() for s in t.see} <= names


def test_topic_names_and_aliases_are_unique_ignoring_case():
    keys = [k.lower() for t in topics() for k in (t.name, *t.aliases)]
    assert len(keys) == len(set(keys))


def test_lookup_is_case_insensitive_and_understands_init_prefix():
    assert find_topic("crashloopbackoff").name == "CrashLoopBackOff"
    assert find_topic("Init:CrashLoopBackOff").name == "CrashLoopBackOff"
    assert find_topic("Init:0/1").name == "Initialized"
    assert find_topic("Evicte").name == "Evicted"  # the article's spelling


@pytest.mark.parametrize(("typo", "suggestion"), [("ImagePulBackOff", "ImagePullBackOff"), ("CrashLoop", "CrashLoopBackOff"), ("Pendng", "Pending")])
def test_unknown_names_suggest_the_closest(typo, suggestion):
    with pytest.raises(ScaffoldError, match=f"did you mean {suggestion}"):
        find_topic(typo)


def test_force_delete_advice_carries_the_statefulset_warning():
    commands = "\n".join(find_topic("Terminating").commands)
    assert "kubectl delete pods NAME --grace-period=0 --force" in commands and "StatefulSet" in commands


def test_crashloopbackoff_commands_include_logs_previous():
    assert "kubectl logs NAME --previous" in find_topic("CrashLoopBackOff").commands


def test_explain_command_prints_meaning_causes_commands_and_rules(runner):
    result = runner.invoke(main, ["explain", "imagepullbackoff"])
    assert result.exit_code == 0
    for part in ("ImagePullBackOff:", "Likely causes:", "kubectl describe pod NAME", "Prevented by scaffold rules: image-format"):
        assert part in result.output


def test_explain_unknown_reason_exits_1_with_did_you_mean(runner):
    result = runner.invoke(main, ["explain", "CrashLoopBakOff"])
    assert result.exit_code == 1 and "did you mean CrashLoopBackOff?" in result.output


def test_explain_list_names_every_topic(runner):
    result = runner.invoke(main, ["explain", "--list"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.output.splitlines()] == [t.name for t in topics()]


def test_explain_needs_exactly_one_mode(runner):
    assert runner.invoke(main, ["explain"]).exit_code == 2
    assert runner.invoke(main, ["explain", "Pending", "--list"]).exit_code == 2


def test_committed_troubleshooting_doc_is_the_generated_one():
    committed = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "regenerate: python -m scaffold.explain --markdown > docs/troubleshooting.md"


def test_generated_doc_has_a_section_per_topic():
    text = render_markdown()
    assert all(f"\n## {t.name}\n" in text for t in topics())


# ---------------------------------------------------------------- diagnosis of pod status


def test_unschedulable_insufficient_cpu_points_at_the_cpu_request():
    report = report_for("pending-unschedulable.yaml")
    (d,) = errors(report)  # the control-plane taint in the message is expected, not a finding
    assert d.topic == "Unschedulable" and "Insufficient cpu" in d.message
    assert d.field == "spec.containers[0].resources.requests.cpu" and d.current == "8"
    assert report.owner == "ReplicaSet/big-7c9d8b6f5"


def test_image_pull_back_off_points_at_the_image():
    report = report_for("imagepullbackoff.json")
    (d,) = errors(report)
    assert d.topic == "ImagePullBackOff" and d.field == "spec.containers[0].image" and d.current == "nginx:1.277"
    assert "kubectl describe pod web -n shop" in d.commands


def test_crashloop_after_oomkilled_blames_the_memory_limit_and_quotes_it():
    (d,) = errors(report_for("crashloop-oomkilled.yaml"))
    assert d.topic == "CrashLoopBackOff" and "OOMKilled" in d.message and "137" in d.message
    assert "memory limit 128Mi" in d.message
    assert d.field == "spec.containers[0].resources.limits.memory" and d.current == "128Mi"


def test_crashloop_with_exit_code_1_is_an_application_error_with_logs_previous():
    (d,) = errors(report_for("crashloop-exit1.json"))
    assert "application error" in d.message and "code 1" in d.message
    assert "kubectl logs api -c api --previous" in d.commands
    assert d.field == "spec.containers[0]"


def test_missing_configmap_points_at_the_reference_in_the_spec():
    (d,) = errors(report_for("createcontainerconfigerror.yaml"))
    assert d.topic == "CreateContainerConfigError" and "'worker-config'" in d.message
    assert d.field == "spec.containers[0].env[0].valueFrom.configMapKeyRef.name"
    assert "kubectl get configmap worker-config -n jobs" in d.commands


def test_failing_init_container_is_reported_and_the_app_container_waits_for_it():
    report = report_for("init-failing.yaml")
    (d,) = errors(report)
    assert "init container 'init-myservice'" in d.message and d.field == "spec.initContainers[0]"
    assert "kubectl logs lifecycle-demo -c init-myservice --previous" in d.commands
    (waiting,) = [x for x in report.diagnoses if x.topic == "PodInitializing"]
    assert waiting.severity == "notice" and "failing init container" in waiting.message


def test_running_but_not_ready_blames_the_readiness_probe():
    report = report_for("running-not-ready.yaml")
    (d,) = report.diagnoses
    assert d.severity == "warning" and d.topic == "ContainersNotReady"
    assert d.field == "spec.containers[0].readinessProbe" and "/index.html" in d.message


def test_evicted_for_memory_points_at_the_memory_request():
    report = report_for("evicted.yaml")
    (d,) = report.diagnoses  # the killed container's status is not a second finding
    assert d.topic == "Evicted" and "low on resource: memory" in d.message
    assert d.field == "spec.containers[0].resources.requests.memory" and d.current == "64Mi"


def test_a_list_of_pods_gets_one_report_per_pod():
    pods, notes = pods_from_text((PODS / "list.yaml").read_bytes(), source="list.yaml")
    reports = [diagnose(p) for p in pods]
    assert [r.name for r in reports] == ["myapp2", "myapp3"] and notes == []
    assert reports[0].diagnoses == []
    (d,) = reports[1].diagnoses
    assert d.topic == "ErrImagePull" and d.field == "spec.containers[0].image" and d.current == "soscscs/myap:v1"


def test_terminating_pod_on_a_lost_node_of_a_statefulset_warns_about_split_brain():
    pod = {
        "kind": "Pod",
        "metadata": {"name": "db-0", "namespace": "data", "deletionTimestamp": "2024-03-05T10:00:00Z",
                     "ownerReferences": [{"kind": "StatefulSet", "name": "db"}]},
        "spec": {"containers": [{"name": "db", "image": "postgres:16"}]},
        "status": {"phase": "Running", "reason": "NodeLost", "message": "Node node03 which was running pod db-0 is unresponsive"},
    }
    (d,) = diagnose(pod).diagnoses
    assert d.topic == "Terminating" and "split brain" in d.message
    assert "kubectl delete pods db-0 --grace-period=0 --force -n data" in d.commands


def test_a_manifest_without_status_is_told_to_use_lint():
    (d,) = diagnose({"kind": "Pod", "metadata": {"name": "x"}, "spec": {}}).diagnoses
    assert "scaffold lint" in d.message


def test_explain_file_text_report_shows_the_field_and_the_owner_template(runner):
    result = runner.invoke(main, ["explain", "-f", str(PODS / "crashloop-oomkilled.yaml")])
    assert result.exit_code == 1  # an error finding: scripts can test the pod
    assert "change: spec.containers[0].resources.limits.memory (now: \"128Mi\")" in result.output
    assert "spec.template.spec.containers[0].resources.limits.memory" in result.output
    assert "more: scaffold explain CrashLoopBackOff" in result.output


def test_explain_file_json_output_and_stdin(runner):
    text = (PODS / "list.yaml").read_text()
    result = runner.invoke(main, ["explain", "-f", "-", "-o", "json"], input=text)
    assert result.exit_code == 1  # myapp3 cannot pull its image
    doc = json.loads(result.output)
    assert [r["name"] for r in doc] == ["myapp2", "myapp3"]
    assert doc[1]["diagnoses"][0]["field"] == "spec.containers[0].image"


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"apiVersion: v1\nkind: Service\nmetadata: {name: s}\n", "no Pod found"), (b"a: [", "YAML syntax error"), (None, "No such file")],
)
def test_explain_file_bad_input_is_a_message_and_exit_1(tmp_path, content, expected):
    path = tmp_path / "pod.yaml"
    if content is not None:
        path.write_bytes(content)
    proc = run_cli("explain", "-f", str(path))
    assert proc.returncode == 1 and expected in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr + proc.stdout
