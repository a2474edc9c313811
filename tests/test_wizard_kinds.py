"""The wizard for every workload kind (issue 10): the kind decides which questions follow,
the CronJob schedule is checked as it is typed, and each kind's answers render."""

from __future__ import annotations

from typing import Any

import pytest

import scaffold
from scaffold.wizard import run_wizard
from wizard_helpers import ScriptedPrompter, Then

kubernetes_validate = pytest.importorskip("kubernetes_validate")

BASE: dict[str, Any] = {
    "start": "scratch",
    "basics.name": "demo",
    "container.image": "busybox:1.36",
    "ports.1.number": "",
    "resources.size": "small",
    "init.1.add": False,
    "volumes.1.add": False,
    "review.action": "write",
}
KIND_ANSWERS: dict[str, dict[str, Any]] = {
    "Deployment": {"basics.replicas": "2", "service.type": "none"},
    "Pod": {"basics.replicas": "1", "service.type": "none"},
    "StatefulSet": {"basics.replicas": "3", "workload.storage": "5Gi", "workload.mountPath": "/var/lib/data", "service.type": "none"},
    "DaemonSet": {"workload.controlPlane": True, "service.type": "none"},
    "Job": {"workload.restartPolicy": "Never", "workload.backoffLimit": "2", "workload.ttlSecondsAfterFinished": "600"},
    "CronJob": {"workload.schedule": "30 2 * * *", "workload.timeZone": "Europe/Berlin", "workload.concurrencyPolicy": "Forbid",
                "workload.restartPolicy": "OnFailure", "workload.backoffLimit": "", "workload.ttlSecondsAfterFinished": ""},
}


def _run(kind: str, **extra: Any) -> tuple[Any, ScriptedPrompter]:
    prompter = ScriptedPrompter({**BASE, "basics.kind": kind, **KIND_ANSWERS[kind], **extra})
    result = run_wizard(prompter)
    assert prompter.unused() == [], "the script answers questions the flow never asked"
    return result, prompter


@pytest.mark.parametrize("kind", list(KIND_ANSWERS))
def test_each_kind_asks_only_its_own_questions_and_renders_strict_valid(kind: str) -> None:
    result, prompter = _run(kind)
    asked = [k for k in prompter.asked if k.startswith("workload.")]
    assert asked == [k for k in KIND_ANSWERS[kind] if k.startswith("workload.")]
    assert ("service.type" in prompter.asked) == (kind not in ("Job", "CronJob"))
    # the kind is the first question after the start, before the name and every kind-specific one
    assert prompter.asked[1] == "basics.kind"
    objects = scaffold.render(result.preset)
    assert kind in [o["kind"] for o in objects]
    for obj in objects:
        kubernetes_validate.validate(obj, "1.30.0", strict=True)


def test_a_bad_cron_schedule_is_refused_as_typed_naming_the_field() -> None:
    result, prompter = _run("CronJob", **{"workload.schedule": Then("0 25 * * *", "@daily")})
    [(key, value, problem)] = prompter.rejected
    assert key == "workload.schedule" and value == "0 25 * * *" and "hour 25" in problem
    assert result.preset["schedule"] == "@daily"


def test_a_bad_time_zone_is_refused_as_typed_with_a_suggestion() -> None:
    _result, prompter = _run("CronJob", **{"workload.timeZone": Then("Europe/Berln", "Europe/Berlin")})
    [(key, _value, problem)] = prompter.rejected
    assert key == "workload.timeZone" and "Europe/Berlin" in problem


def test_a_statefulset_mounts_its_claim_template_and_a_daemonset_tolerates_the_control_plane() -> None:
    sts, _ = _run("StatefulSet")
    assert sts.preset["volumeClaimTemplates"] == [{"name": "data", "size": "5Gi"}]
    assert {"name": "data", "mountPath": "/var/lib/data"} in sts.preset["containers"][0]["volumeMounts"]
    ds, _ = _run("DaemonSet")
    assert ds.preset["tolerations"][0]["key"] == "node-role.kubernetes.io/control-plane"
    assert "replicas" not in ds.preset


def test_switching_kind_from_a_cronjob_preset_drops_the_cron_fields() -> None:
    prompter = ScriptedPrompter({"start": "nightly-backup", "basics.kind": "Deployment", "basics.replicas": "2",
                                 "service.type": "none", "review.action": "write"})
    result = run_wizard(prompter)
    assert result.preset["kind"] == "Deployment"
    assert not {"schedule", "timeZone", "backoffLimit", "concurrencyPolicy"} & set(result.preset)
    assert result.preset.get("restartPolicy", "Always") == "Always"
    scaffold.render(result.preset)
