"""``explain -f`` on the pod states of issue 16: each fixture's state, the cause read from the
document, the field to change and the next command; the same through the command line."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from scaffold.cli import main
from scaffold.explain import diagnose, find_topic, pods_from_text

PODS = Path(__file__).parent / "fixtures" / "pods"


def load(fixture: str) -> dict:
    pods, _ = pods_from_text((PODS / fixture).read_bytes(), source=fixture)
    (pod,) = pods
    return pod


def report_for(fixture: str, **kw):
    return diagnose(load(fixture), **kw)


def errors(report):
    return [d for d in report.diagnoses if d.severity == "error"]


#: fixture -> (phase, kubectl STATUS, topic, words of the cause, field to change, current value, next command)
CASES = {
    # 1. states that are not "running and ready"
    "failed-disruption-eviction.yaml": (
        "Failed", "ContainerStatusUnknown", "Evicted", ["low on resource: ephemeral-storage", "DisruptionTarget"],
        "spec.containers[0].resources.requests.ephemeral-storage", None, "kubectl describe pod builder-5f6c7d8e9-h2j4k -n ci"),
    "nodelost-statefulset.yaml": (
        "Running", "NodeLost", "NodeLost", ["Node node03 which was running pod db-1 is unresponsive", "split brain"],
        None, None, "kubectl get nodes"),
    # 2. exit codes in context
    "failed-job-exit2.yaml": (
        "Failed", "Error", "Error", ["exit code 2"], "spec.containers[0]", None, "kubectl logs migrate-9xk2p -c migrate -n shop"),
    "oomkilled-no-spec.json": (
        "Running", "CrashLoopBackOff", "CrashLoopBackOff", ["OOMKilled", "spec is not in this document"],
        'spec.containers[?(@.name=="worker")].resources.limits.memory', None,
        """kubectl get pod worker-0 -o jsonpath='{.spec.containers[?(@.name=="worker")].resources}' -n batch"""),
    # 3. scheduler messages
    "unschedulable-old-selector.yaml": (
        "Pending", "Pending", "Unschedulable", ["didn't match node selector", "10 of 10 nodes", "disktype=ssd"],
        "spec.nodeSelector", {"disktype": "ssd"}, "kubectl get nodes -L disktype"),
    "unschedulable-single-node.yaml": (
        "Pending", "Pending", "Unschedulable", ["node-role.kubernetes.io/control-plane", "only node"],
        "spec.tolerations", None, "kubectl taint nodes --all node-role.kubernetes.io/control-plane-"),
    # 4. pod-level reasons
    "deadline-exceeded.yaml": (
        "Failed", "Error", "DeadlineExceeded", ["longer than the specified deadline", "600s"],
        "spec.activeDeadlineSeconds", 600, "kubectl get pod report-gen-5sx8q -o jsonpath='{.spec.activeDeadlineSeconds}' -n analytics"),
    "outofcpu.yaml": (
        "Failed", "OutOfcpu", "OutOfcpu", ["requested: 4000, used: 1850, capacity: 3920", "node05", "spec.nodeName"],
        "spec.containers[0].resources.requests.cpu", "4", "kubectl describe node node05"),
    "unexpected-admission-gpu.yaml": (
        "Failed", "UnexpectedAdmissionError", "UnexpectedAdmissionError", ["nvidia.com/gpu", "device plugin"],
        "spec.containers[0].resources.limits['nvidia.com/gpu']", 1, "kubectl describe node gpu-node-2"),
    "node-shutdown.yaml": (
        "Failed", "Completed", "NodeShutdown", ["imminent node shutdown", "ReplicaSet/web-7d4b9c6f8 creates a replacement"],
        None, None, "kubectl delete pod web-7d4b9c6f8-pq8rt -n shop   # the Failed pod stays until deleted"),
    "starterror.yaml": (
        "Running", "CrashLoopBackOff", "StartError", ["'gunicorn'", "not found in the image's PATH", "exit code 128"],
        "spec.containers[0].command", ["gunicorn", "app:app"], "kubectl describe pod app-5c7e9f1b3-x9v2m"),
    "evicted-ephemeral-limit.yaml": (
        "Failed", "ContainerStatusUnknown", "Evicted", ["exceeds the total limit of containers 1Gi", "ephemeral-storage limits"],
        "spec.containers[0].resources.limits.ephemeral-storage", "512Mi", "kubectl describe pod etl-84c6d5f7b-r2t8w -n data"),
    "createcontainerconfigerror-key.yaml": (
        "Pending", "CreateContainerConfigError", "CreateContainerConfigError", ["has no key 'database_url'", "'app-config'"],
        "spec.containers[0].env[1].valueFrom.configMapKeyRef.key", "database_url", "kubectl describe configmap app-config -n shop"),
    "invalid-image-zero-width.json": (
        "Pending", "InvalidImageName", "InvalidImageName", ["nginx\\u200b:1.27", "U+200B ZERO WIDTH SPACE at position 6"],
        "spec.containers[0].image", "nginx\u200b:1.27", "kubectl get pod frontend -o jsonpath='{.spec.containers[*].image}' | od -c"),
}


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_each_state_names_the_cause_the_field_and_the_next_command(fixture):
    phase, status, topic, cause, field, current, command = CASES[fixture]
    report = report_for(fixture)
    assert (report.phase, report.status) == (phase, status)
    assert not report.ok and report.failed
    first = errors(report)[0]
    assert first.topic == topic and find_topic(topic)
    for words in cause:
        assert words in first.message, (words, first.message)
    assert (first.field, first.current) == (field, current)
    assert first.commands[0] == command


@pytest.mark.parametrize("fixture", sorted(CASES))
def test_explain_file_prints_the_cause_and_the_next_step_and_exits_1(fixture):
    _, _, topic, cause, field, _, command = CASES[fixture]
    result = CliRunner().invoke(main, ["explain", "-f", str(PODS / fixture)])
    assert result.exit_code == 1, result.output
    assert "ok: running and ready" not in result.output and "internal error" not in result.output
    assert f"error [{topic}]: " in result.output
    assert cause[0] in result.output
    if field:
        assert f"change: {field}" in result.output
    assert f"run: {command}" in result.output


# ---------------------------------------------------------------- 1. never "ok" unless running and ready


def test_a_finished_job_pod_is_completed_not_ok_and_exits_0():
    report = report_for("succeeded-job.yaml")
    assert (report.phase, report.status, report.ok) == ("Succeeded", "Completed", False)
    (d,) = report.diagnoses
    assert d.severity == "notice" and d.topic == "Succeeded" and "Job" in d.message
    result = CliRunner().invoke(main, ["explain", "-f", str(PODS / "succeeded-job.yaml")])
    assert result.exit_code == 0 and "completed:" in result.output and "ok:" not in result.output


def test_a_running_and_ready_pod_is_ok_and_exits_0():
    report = report_for("running-ready.yaml")
    assert report.ok and report.diagnoses == [] and report.status == "Running"
    result = CliRunner().invoke(main, ["explain", "-f", str(PODS / "running-ready.yaml")])
    assert result.exit_code == 0 and "ok: running and ready" in result.output


def test_nodelost_statefulset_pod_is_not_ok_though_its_container_statuses_say_ready():
    report = report_for("nodelost-statefulset.yaml")
    (d,) = report.diagnoses
    assert "StatefulSet makes no replacement" in d.message
    assert "kubectl delete node node03   # when the machine is gone for good" in d.commands
    assert d.commands[-1] == "kubectl delete pods db-1 --grace-period=0 --force -n data"


def test_disruption_target_on_a_running_pod_is_a_warning_naming_the_reason():
    pod = load("running-ready.yaml")
    pod["status"]["conditions"].append({"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                                        "message": "default-scheduler: preempting to accommodate a higher priority pod"})
    report = diagnose(pod)
    (d,) = report.diagnoses
    assert not report.ok and d.severity == "warning" and d.topic == "DisruptionTarget"
    assert "higher priority" in d.message and d.field == "spec.priorityClassName"


def test_phase_failed_without_any_reason_is_an_error():
    pod = load("running-ready.yaml")
    pod["status"]["phase"] = "Failed"
    report = diagnose(pod)
    assert not report.ok and errors(report) and errors(report)[0].topic == "Failed"


@pytest.mark.parametrize("phase", ["Unknown", "Pending", None, "Weird"])
def test_other_phases_with_ready_containers_are_not_ok(phase):
    pod = load("running-ready.yaml")
    if phase is None:
        del pod["status"]["phase"]
    else:
        pod["status"]["phase"] = phase
    report = diagnose(pod)
    assert not report.ok and report.diagnoses


def test_ready_condition_false_with_ready_containers_names_the_readiness_gate():
    pod = load("running-ready.yaml")
    pod["spec"]["readinessGates"] = [{"conditionType": "example.com/lb-registered"}]
    pod["status"]["conditions"][1]["status"] = "False"
    report = diagnose(pod)
    (d,) = report.diagnoses
    assert not report.ok and "example.com/lb-registered" in d.message and d.field == "spec.readinessGates"


# ---------------------------------------------------------------- deletion and the grace period

DELETED_AT = datetime(2024, 3, 5, 10, 0, 30, tzinfo=timezone.utc)


def deleting(grace: int = 30) -> dict:
    pod = load("running-ready.yaml")
    pod["metadata"]["deletionTimestamp"] = "2024-03-05T10:00:30Z"
    pod["metadata"]["deletionGracePeriodSeconds"] = grace
    return pod


def test_a_pod_that_just_began_a_normal_shutdown_is_not_offered_a_force_delete():
    report = diagnose(deleting(), now=DELETED_AT - timedelta(seconds=25))
    (d,) = report.diagnoses
    assert report.status == "Terminating" and not report.ok and not report.failed
    assert d.severity == "notice" and "shutting down" in d.message and "in 25s" in d.message
    assert not any("--force" in c for c in d.commands)


def test_force_delete_is_offered_only_after_the_grace_period_has_passed():
    report = diagnose(deleting(), now=DELETED_AT + timedelta(minutes=10))
    (d,) = report.diagnoses
    assert d.severity == "error" and "stuck terminating" in d.message and "10m ago" in d.message
    assert d.commands[-1] == "kubectl delete pods web-7d4b9c6f8-2xkqp --grace-period=0 --force -n shop"


def test_a_stuck_deletion_names_the_finalizers_that_hold_it():
    pod = deleting()
    pod["metadata"]["finalizers"] = ["example.com/cleanup"]
    (d,) = diagnose(pod, now=DELETED_AT + timedelta(hours=1)).diagnoses
    assert "example.com/cleanup" in d.message
    assert any("finalizers" in c and "patch pod" in c for c in d.commands)


def test_explain_file_judges_the_grace_period_against_the_clock(tmp_path):
    text = (PODS / "running-ready.yaml").read_text()
    soon = (datetime.now(timezone.utc) + timedelta(seconds=50)).strftime("%Y-%m-%dT%H:%M:%SZ")
    path = tmp_path / "pod.yaml"
    path.write_text(text.replace("  creationTimestamp:", f"  deletionTimestamp: \"{soon}\"\n  creationTimestamp:"))
    result = CliRunner().invoke(main, ["explain", "-f", str(path)])
    assert result.exit_code == 0 and "shutting down" in result.output and "--force" not in result.output
    path.write_text(text.replace("  creationTimestamp:", "  deletionTimestamp: \"2024-03-05T10:00:30Z\"\n  creationTimestamp:"))
    result = CliRunner().invoke(main, ["explain", "-f", str(path)])
    assert result.exit_code == 1 and "--grace-period=0 --force" in result.output


# ---------------------------------------------------------------- 2. exit codes in context


def test_exit_255_with_reason_unknown_is_blamed_on_the_node_not_the_application():
    report = report_for("restarted-after-node-reboot.yaml")
    (d,) = report.diagnoses
    assert d.topic == "ContainerStatusUnknown" and "255" in d.message
    assert "application error" not in d.message and "not the application's" in d.message
    assert d.commands[0] == "kubectl describe node node04" and d.field is None
    assert not report.ok and not report.failed  # running and ready again: a warning, exit 0


def test_logs_previous_is_only_suggested_when_there_was_a_previous_container():
    (d,) = errors(report_for("failed-job-exit2.yaml"))
    assert not any("--previous" in c for c in d.commands)
    (d,) = errors(report_for("crashloop-exit1.json"))  # restartCount 4: the previous run's logs exist
    assert "kubectl logs api -c api --previous" in d.commands


def test_oomkilled_without_spec_does_not_claim_there_is_no_memory_limit():
    (d,) = errors(report_for("oomkilled-no-spec.json"))
    assert "no memory limit of its own" not in d.message and "unknown" in d.message


def test_oomkilled_with_spec_and_no_limit_still_says_so():
    pod = load("crashloop-oomkilled.yaml")
    del pod["spec"]["containers"][0]["resources"]["limits"]
    (d,) = errors(diagnose(pod))
    assert "no memory limit of its own" in d.message and d.current is None


def test_exit_code_0_with_restart_policy_unknown_is_not_an_error():
    pod = load("oomkilled-no-spec.json")
    pod["status"]["containerStatuses"][0]["lastState"]["terminated"] = {"exitCode": 0, "reason": "Completed"}
    (d,) = diagnose(pod).diagnoses
    assert "if its restartPolicy is Always" in d.message


def test_container_cannot_run_with_docker_quoting_names_the_executable():
    pod = load("starterror.yaml")
    last = pod["status"]["containerStatuses"][0]["lastState"]["terminated"]
    last["reason"] = "ContainerCannotRun"
    last["message"] = ('OCI runtime create failed: container_linux.go:349: starting container process caused '
                       '"exec: \\"/app/start.sh\\": permission denied": unknown')
    (d,) = errors(diagnose(pod))
    assert d.topic == "StartError" and "'/app/start.sh' is not executable" in d.message
    assert d.field == "spec.containers[0].command"


# ---------------------------------------------------------------- 3. scheduler messages

BASE_PENDING = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "p", "namespace": "default"},
    "spec": {
        "containers": [{"name": "c", "image": "nginx:1.27", "ports": [{"containerPort": 80, "hostPort": 8080}],
                        "resources": {"requests": {"cpu": "2", "memory": "3Gi"}}}],
        "nodeSelector": {"zone": "a"},
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"}],
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data-p"}}],
    },
    "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]},
}


def pending(message: str) -> dict:
    pod = copy.deepcopy(BASE_PENDING)
    pod["status"]["conditions"][0]["message"] = message
    return pod


@pytest.mark.parametrize(
    ("message", "words", "field", "command"),
    [
        # new wording: selector blocks most nodes
        ("0/5 nodes are available: 1 Insufficient memory, 4 node(s) didn't match Pod's node affinity/selector. preemption: "
         "0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
         "4 of 5 nodes", "spec.nodeSelector", "kubectl get nodes -L zone"),
        # old taint wording with a comma inside the clause
        ("0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, "
         "2 node(s) had taint {gpu: true}, that the pod didn't tolerate.",
         "taint gpu", "spec.tolerations", "kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints"),
        ("0/3 nodes are available: 3 node(s) were unschedulable.", "cordoned", None, "kubectl get nodes"),
        ("0/2 nodes are available: 2 Too many pods.", "maxPods", None, "kubectl describe nodes"),
        ("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: "
         "3 Preemption is not helpful for scheduling.",
         "not bound", "spec.volumes[0].persistentVolumeClaim.claimName", "kubectl describe pvc data-p"),
        ("0/4 nodes are available: 1 Insufficient memory, 3 node(s) had volume node affinity conflict.",
         "zone", "spec.volumes[0].persistentVolumeClaim.claimName", "kubectl get pvc data-p -o wide"),
        ("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
         "2 node(s) didn't have free ports for the requested pod ports.",
         "hostPort", "spec.containers[0].ports[0].hostPort", "kubectl get pods -o wide"),
        ("0/6 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 4 Insufficient cpu, 4 Insufficient memory.",
         "cpu", "spec.containers[0].resources.requests.cpu", "kubectl describe nodes"),
        ("0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.",
         "not ready", None, "kubectl get nodes"),
    ],
)
def test_the_clause_that_blocks_most_nodes_gets_the_fix(message, words, field, command):
    report = diagnose(pending(message))
    first = report.diagnoses[0]
    assert first.severity == "error" and first.topic == "Unschedulable"
    assert words in first.message and first.field == field and first.commands[0] == command


def test_tied_clauses_are_all_errors_and_the_smaller_ones_warnings():
    report = diagnose(pending("0/6 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, "
                              "4 Insufficient cpu, 4 Insufficient memory."))
    severities = [(d.severity, d.field) for d in report.diagnoses]
    assert severities == [("error", "spec.containers[0].resources.requests.cpu"),
                          ("error", "spec.containers[0].resources.requests.memory"),
                          ("warning", "spec.nodeSelector")]


def test_old_wording_selector_outweighs_insufficient_cpu():
    report = report_for("unschedulable-old-selector.yaml")
    assert [d.severity for d in report.diagnoses] == ["error", "warning"]
    assert report.diagnoses[1].field == "spec.containers[0].resources.requests.cpu"
    assert "lower the cpu request" not in report.diagnoses[0].message


def test_control_plane_taint_beside_other_nodes_is_not_the_fix():
    report = diagnose(pending("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
                              "2 Insufficient cpu."))
    assert [d.field for d in report.diagnoses] == ["spec.containers[0].resources.requests.cpu"]


def test_a_taint_the_pod_names_with_the_wrong_value_is_said_so():
    report = diagnose(pending("0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: web}."))
    assert "spec.tolerations names it" in report.diagnoses[0].message


# ---------------------------------------------------------------- 4. pod-level reasons, variants


@pytest.mark.parametrize(
    ("reason", "message", "field", "topic"),
    [
        ("OutOfmemory", "Pod Node didn't have enough resource: memory, requested: 4294967296, used: 1073741824, capacity: 3221225472",
         "spec.containers[0].resources.requests.memory", "OutOfcpu"),
        ("NodeShutdown", "Pod was rejected as the node is shutting down.", None, "NodeShutdown"),
    ],
)
def test_admission_and_shutdown_variants(reason, message, field, topic):
    pod = load("outofcpu.yaml")
    pod["status"].update(reason=reason, message=message)
    (d,) = diagnose(pod).diagnoses
    assert d.topic == topic and d.severity == "error" and d.field == field and message.rstrip(".") in d.message


def test_missing_key_in_a_secret_names_the_secret_key_ref_and_the_patch_with_string_data():
    pod = load("createcontainerconfigerror-key.yaml")
    pod["spec"]["containers"][0]["env"][1]["valueFrom"] = {"secretKeyRef": {"name": "db", "key": "password"}}
    pod["status"]["containerStatuses"][0]["state"]["waiting"]["message"] = "couldn't find key password in Secret shop/db"
    (d,) = diagnose(pod).diagnoses
    assert d.field == "spec.containers[0].env[1].valueFrom.secretKeyRef.key" and d.current == "password"
    assert "kubectl patch secret db --type merge -p '{\"stringData\":{\"password\":\"VALUE\"}}' -n shop" in d.commands


def test_evicted_for_one_containers_ephemeral_storage_points_at_that_container():
    pod = load("evicted-ephemeral-limit.yaml")
    pod["status"]["message"] = 'Container shipper exceeded its local ephemeral storage limit "512Mi". '
    (d,) = diagnose(pod).diagnoses
    assert d.field == "spec.containers[1].resources.limits.ephemeral-storage" and "'shipper'" in d.message


def test_image_with_a_trailing_tab_is_shown_escaped():
    pod = load("imagepullbackoff.json")
    pod["spec"]["containers"][0]["image"] = "nginx:1.27\t"
    (d,) = diagnose(pod).diagnoses
    assert '"nginx:1.27\\x09"' in d.message and "U+0009" in d.message and "\t" not in d.message


def test_json_report_carries_ok_status_and_the_exit_status(tmp_path):
    text = (PODS / "running-ready.yaml").read_text() + "---\n" + (PODS / "succeeded-job.yaml").read_text()
    result = CliRunner().invoke(main, ["explain", "-f", "-", "-o", "json"], input=text)
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert [(r["ok"], r["status"]) for r in doc] == [(True, "Running"), (False, "Completed")]
