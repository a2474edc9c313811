"""Generated pod statuses (random phases, reasons, nulls, missing sections, wrong types):
``explain -f`` never fails internally and never says "ok" unless the pod is Running with
every container ready."""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime, timezone

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffold.cli import main
from scaffold.explain import PodInputError, diagnose, find_topic, format_report

NOW = datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)
NAMES = ["app", "sidecar", "init", "x"]
WAITING = ["CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError",
           "CreateContainerError", "RunContainerError", "ContainerCreating", "PodInitializing", "ErrImageNeverPull",
           "PostStartHookError", "StartError", "Something"]
TERMINATED = ["OOMKilled", "Error", "Completed", "Unknown", "ContainerStatusUnknown", "StartError", "ContainerCannotRun"]
POD_REASONS = ["Evicted", "DeadlineExceeded", "OutOfcpu", "OutOfmemory", "UnexpectedAdmissionError", "Terminated",
               "NodeShutdown", "NodeLost", "NodeAffinity", "Preempting", "Whatever"]
MESSAGES = [
    "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.",
    "0/10 nodes are available: 10 node(s) didn't match node selector, 4 Insufficient cpu.",
    "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available",
    "0/2 nodes are available: 1 node(s) had taint {a: b}, that the pod didn't tolerate, 1 Too many pods.",
    "The node was low on resource: memory. Container app was using 10Mi, request is 0.",
    "Pod ephemeral local storage usage exceeds the total limit of containers 1Gi.",
    'Container app exceeded its local ephemeral storage limit "1Gi".',
    'Usage of EmptyDir volume "cache" exceeds the limit "1Gi".',
    "couldn't find key k in ConfigMap ns/cm", 'configmap "cm" not found', 'secret "s" not found',
    'exec: "x": executable file not found in $PATH', "error mounting /data: not a directory",
    "Allocate failed due to requested number of devices unavailable for nvidia.com/gpu.",
    "no nodes available to schedule pods", "0/", "", "\x1b[31mred\u200b",
]
TIMES = ["2024-03-05T10:00:00Z", "2024-03-05T12:00:30Z", "2024-03-05 11:59:00+00:00", "not a time", ""]


def maybe(strategy):
    return st.one_of(st.none(), strategy)


def some(required=None, **optional):
    """A mapping whose keys may each be missing or null."""
    return st.fixed_dictionaries(required or {}, optional={k: maybe(v) for k, v in optional.items()})


text = st.one_of(st.sampled_from(MESSAGES), st.text(max_size=20))
waiting = some(reason=st.one_of(st.sampled_from(WAITING), st.text(max_size=8)), message=text)
terminated = some(exitCode=st.sampled_from([0, 1, 2, 126, 127, 128, 137, 143, 255, -1]), signal=st.sampled_from([9, 15]),
                  reason=st.sampled_from(TERMINATED), message=text, finishedAt=st.sampled_from(TIMES))
state = some(waiting=waiting, running=some(startedAt=st.sampled_from(TIMES)), terminated=terminated)
container_status = some(name=st.sampled_from(NAMES), ready=st.booleans(), started=st.booleans(),
                        restartCount=st.integers(0, 5), image=st.sampled_from(["nginx:1.27", "nginx\u200b:1", "a b"]),
                        state=state, lastState=state)
condition = some(type=st.sampled_from(["PodScheduled", "Ready", "Initialized", "ContainersReady", "DisruptionTarget"]),
                 status=st.sampled_from(["True", "False", "Unknown"]),
                 reason=st.sampled_from(["Unschedulable", "SchedulingGated", "TerminationByKubelet", "PreemptionByScheduler",
                                         "EvictionByEvictionAPI", "ContainersNotReady"]),
                 message=text)
status = some(phase=st.one_of(st.sampled_from(["Pending", "Running", "Succeeded", "Failed", "Unknown"]), st.text(max_size=5)),
              reason=st.sampled_from(POD_REASONS), message=text,
              conditions=st.lists(condition, max_size=4),
              containerStatuses=st.lists(container_status, max_size=3),
              initContainerStatuses=st.lists(container_status, max_size=2))
resources = some(limits=st.dictionaries(st.sampled_from(["cpu", "memory", "ephemeral-storage", "nvidia.com/gpu"]),
                                        st.sampled_from(["1", "128Mi", 2]), max_size=3),
                 requests=st.dictionaries(st.sampled_from(["cpu", "memory"]), st.sampled_from(["100m", "1Gi"]), max_size=2))
key_ref = some(name=st.sampled_from(["cm", "s"]), key=st.sampled_from(["k", "other"]))
container = some(name=st.sampled_from(NAMES), image=st.sampled_from(["nginx:1.27", "nginx\u200b:1"]),
                 command=st.lists(st.sampled_from(["x", "sh"]), max_size=2), resources=resources,
                 env=st.lists(some(name=st.just("E"), valueFrom=some(configMapKeyRef=key_ref, secretKeyRef=key_ref)), max_size=2),
                 ports=st.lists(some(containerPort=st.just(80), hostPort=st.just(8080)), max_size=1),
                 readinessProbe=some(httpGet=st.just({"port": 80})), livenessProbe=some(exec=st.just({"command": ["true"]})))
spec = some(containers=st.lists(container, max_size=3), initContainers=st.lists(container, max_size=1),
            nodeName=st.just("node01"), nodeSelector=st.dictionaries(st.just("disk"), st.just("ssd"), max_size=1),
            restartPolicy=st.sampled_from(["Always", "Never", "OnFailure"]), activeDeadlineSeconds=st.integers(1, 900),
            tolerations=st.lists(some(key=st.sampled_from(["a", "dedicated"]), operator=st.sampled_from(["Exists", "Equal"])), max_size=2),
            volumes=st.lists(some(name=st.just("cache"), persistentVolumeClaim=some(claimName=st.just("data")),
                                  emptyDir=some(sizeLimit=st.just("1Gi"))), max_size=2),
            readinessGates=st.lists(some(conditionType=st.just("x/y")), max_size=1))
metadata = some(name=st.sampled_from(["web", "db-0"]), namespace=st.sampled_from(["default", "shop"]),
                deletionTimestamp=st.sampled_from(TIMES), deletionGracePeriodSeconds=st.integers(0, 60),
                finalizers=st.lists(st.just("example.com/f"), max_size=1),
                ownerReferences=st.lists(some(kind=st.sampled_from(["StatefulSet", "ReplicaSet", "Job"]), name=st.just("o")), max_size=1))
pods = some({"kind": st.just("Pod")}, metadata=metadata, spec=spec, status=status)

#: Anything at any place: a string where a mapping belongs, an integer reason, a list for a name.
junk = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=6),
                    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
                    max_leaves=4)


def check(pod: dict) -> None:
    try:
        report = diagnose(pod, now=NOW)
    except PodInputError as exc:  # a located message, not an internal error
        assert exc.issues and all(i.path or i.message for i in exc.issues)
        return
    st_ = (pod.get("status") or {})
    statuses = [s for s in (st_.get("containerStatuses") or []) if s is not None]
    if report.ok:
        assert st_.get("phase") == "Running" and statuses and all(s.get("ready") is True for s in statuses)
        assert not (pod.get("metadata") or {}).get("deletionTimestamp")
    else:
        assert report.diagnoses, "a pod that is not ok must get a finding"
    assert report.failed == any(d.severity == "error" for d in report.diagnoses)
    for d in report.diagnoses:
        assert d.severity in ("error", "warning", "notice")
        if d.topic:
            find_topic(d.topic)
    text = format_report(report)
    assert ("ok: running and ready" in text) == report.ok
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n" for ch in text)
    json.dumps(report.to_dict(), default=str)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pods)
def test_generated_pods_never_fail_internally_and_ok_means_running_and_ready(pod):
    check(pod)


def _poke(pod: dict, path: list, value) -> dict:
    """``pod`` with ``value`` put at the first existing place along ``path``."""
    node = pod
    for key in path[:-1]:
        nxt = node.get(key) if isinstance(node, dict) else None
        if isinstance(nxt, list) and nxt and isinstance(nxt[0], dict):
            nxt = nxt[0]
        if not isinstance(nxt, dict):
            break
        node = nxt
    if isinstance(node, dict):
        node[path[-1]] = value
    return pod


PLACES = [["status"], ["status", "phase"], ["status", "reason"], ["status", "conditions"], ["status", "conditions", "message"],
          ["status", "containerStatuses"], ["status", "containerStatuses", "state"],
          ["status", "containerStatuses", "state", "waiting"], ["status", "containerStatuses", "restartCount"],
          ["status", "containerStatuses", "lastState", "terminated"], ["metadata"], ["metadata", "deletionTimestamp"],
          ["metadata", "ownerReferences"], ["spec"], ["spec", "containers"], ["spec", "containers", "resources"],
          ["spec", "containers", "env"], ["spec", "nodeSelector"], ["spec", "volumes"]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pods, st.sampled_from(PLACES), junk)
def test_a_wrong_type_anywhere_is_a_located_message_or_a_diagnosis(pod, place, value):
    check(_poke(pod, place, value))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pods, st.sampled_from(PLACES), junk)
def test_the_command_never_reports_an_internal_error(tmp_path_factory, pod, place, value):
    path = tmp_path_factory.mktemp("pod") / "pod.json"
    path.write_text(json.dumps(_poke(pod, place, value)))
    result = CliRunner().invoke(main, ["explain", "-f", str(path)])
    assert "internal error" not in result.output and result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
