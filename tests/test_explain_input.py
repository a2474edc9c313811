"""``explain -f`` input: nulls, other clients' dumps, malformed fields (issue 16 item 5 and
issue 15 item 6): a diagnosis or a message that names the field, never an internal error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import run_cli
from scaffold.cli import main
from scaffold.explain import PodInputError, diagnose, pods_from_text

PODS = Path(__file__).parent / "fixtures" / "pods"
READY = (PODS / "running-ready.yaml").read_text()
STATE_LINE = '      running: {startedAt: "2024-03-05T08:00:03Z"}'


def explain(tmp_path, text: str, *args: str):
    path = tmp_path / "pod.yaml"
    path.write_text(text)
    return CliRunner().invoke(main, ["explain", "-f", str(path), *args])


def test_null_fields_written_by_other_clients_are_read_as_absent():
    result = CliRunner().invoke(main, ["explain", "-f", str(PODS / "nulls-other-client.json")])
    assert result.exit_code == 0 and "ok: running and ready" in result.output


def test_waiting_null_as_the_only_state_is_a_diagnosis_not_an_internal_error(tmp_path):
    result = explain(tmp_path, READY.replace(STATE_LINE, "      waiting: null"))
    assert "internal error" not in result.output
    assert "container 'web' reports no state" in result.output and "ok:" not in result.output


@pytest.mark.parametrize(
    ("old", "new", "path", "words"),
    [
        (STATE_LINE, "      waiting: CrashLoopBackOff", "status.containerStatuses[0].state.waiting", "expected a mapping"),
        (STATE_LINE, "      waiting: {reason: 137}", "status.containerStatuses[0].state.waiting.reason", "expected a string, got 137"),
        ("    restartCount: 0", "    restartCount: abc", "status.containerStatuses[0].restartCount", "expected an integer, got 'abc'"),
        ("    lastState: {}", "    lastState: {terminated: OOMKilled}", "status.containerStatuses[0].lastState.terminated",
         "expected a mapping"),
        ("    ready: true", "    ready: 'yes'", "status.containerStatuses[0].ready", "expected true or false"),
        ("  containerStatuses:", "  containerStatuses: 3\n  x:", "status.containerStatuses", "expected a list"),
    ],
)
def test_a_malformed_field_is_a_located_message_and_exit_1(tmp_path, old, new, path, words):
    line = READY.splitlines().index(old) + 1  # the line of the changed field
    result = explain(tmp_path, READY.replace(old, new, 1))
    assert result.exit_code == 1 and "internal error" not in result.output
    assert f"pod.yaml:{line}:" in result.output and f"{path}: {words}" in result.output


def test_every_malformed_field_of_every_pod_of_a_list_is_named(tmp_path):
    doc = yaml.safe_load(READY)
    bad1, bad2 = json.loads(json.dumps(doc)), json.loads(json.dumps(doc))
    bad1["status"]["containerStatuses"][0]["restartCount"] = "abc"
    bad2["status"]["reason"] = 7
    bad2["metadata"]["name"] = ["x"]
    pods = {"apiVersion": "v1", "kind": "List", "items": [doc, bad1, bad2]}
    with pytest.raises(PodInputError) as info:
        pods_from_text(json.dumps(pods, indent=1), source="pods.json")
    paths = [i.path for i in info.value.issues]
    assert paths == ["items[1].status.containerStatuses[0].restartCount", "items[2].metadata.name", "items[2].status.reason"]
    assert all(i.line for i in info.value.issues)


def test_the_error_is_printed_without_traceback_in_a_real_process(tmp_path):
    path = tmp_path / "pod.yaml"
    path.write_text(READY.replace("    restartCount: 0", "    restartCount: abc"))
    proc = run_cli("explain", "-f", str(path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "restartCount: expected an integer" in proc.stderr


def test_diagnose_on_a_raw_dict_raises_the_named_error_not_a_type_error():
    with pytest.raises(PodInputError, match=r"status.containerStatuses\[0\].state: expected a mapping"):
        diagnose({"kind": "Pod", "status": {"phase": "Running", "containerStatuses": [{"name": "a", "state": "running"}]}})


def test_a_bare_status_is_diagnosed_with_a_note(tmp_path):
    status = yaml.safe_load(READY)["status"]
    status["containerStatuses"][0]["ready"] = False
    result = explain(tmp_path, yaml.safe_dump(status))
    assert result.exit_code == 0 and "not ready" in result.output
    assert "note: " in result.stderr and "bare pod status" in result.stderr


# ---------------------------------------------------------------- the Python client's to_dict()

kubernetes = pytest.importorskip("kubernetes")


def to_dict_dump(pod: dict) -> str:
    """What a script using the official Python client saves: json.dumps(V1Pod.to_dict(), default=str)."""
    api = kubernetes.client.ApiClient()
    model = api._ApiClient__deserialize(pod, "V1Pod")  # the client's own JSON -> model path
    return json.dumps(model.to_dict(), default=str)


@pytest.mark.parametrize("fixture", ["crashloop-oomkilled.yaml", "createcontainerconfigerror-key.yaml", "pending-unschedulable.yaml",
                                     "running-ready.yaml", "failed-disruption-eviction.yaml", "starterror.yaml"])
def test_the_python_clients_snake_case_dump_gets_the_same_diagnosis(fixture):
    raw = yaml.safe_load((PODS / fixture).read_text())
    dump = to_dict_dump(raw)
    assert '"api_version": "v1"' in dump and '"apiVersion"' not in dump  # really the snake_case shape
    (camel,), _ = pods_from_text((PODS / fixture).read_bytes(), source=fixture)
    (snake,), _ = pods_from_text(dump, source="dump.json")
    assert diagnose(snake) == diagnose(camel)


def test_a_python_repr_of_to_dict_is_refused_with_the_way_to_save_it(tmp_path):
    raw = yaml.safe_load(READY)
    api = kubernetes.client.ApiClient()
    text = repr(api._ApiClient__deserialize(raw, "V1Pod").to_dict())
    result = explain(tmp_path, text)
    assert result.exit_code == 1 and "json.dumps(pod.to_dict(), default=str)" in result.output
    assert "internal error" not in result.output
