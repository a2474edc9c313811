"""The wizard's Extras section (issue 11, item 5): what it adds to the preset, and the
checks it makes while typing."""

from __future__ import annotations

from typing import Any

import pytest

import scaffold
from scaffold.wizard import run_wizard
from wizard_helpers import ScriptedPrompter, Then

kubernetes_validate = pytest.importorskip("kubernetes_validate")

WEB: dict[str, Any] = {
    "start": "scratch",
    "basics.name": "web", "basics.kind": "Deployment", "basics.replicas": "3",
    "container.image": "nginx:1.27.3",
    "ports.1.number": "8080", "ports.1.name": "http", "ports.2.number": "",
    "init.1.add": False, "volumes.1.add": False, "service.type": "ClusterIP",
    "review.action": "write",
}


def _run(script: dict[str, Any]) -> tuple[Any, ScriptedPrompter]:
    prompter = ScriptedPrompter(script)
    return run_wizard(prompter), prompter


def test_extras_add_ingress_autoscaler_budget_policy_and_profile_that_render_strict_valid():
    result, _ = _run({**WEB, "extras.ingress": "web.example.com", "extras.tls": True, "extras.autoscale": "6",
                      "extras.cpu": "75", "extras.disruptionBudget": True, "extras.networkPolicy": "dns",
                      "extras.security": "restricted"})
    preset = result.preset
    assert preset["ingress"] == {"host": "web.example.com", "tls": True}
    assert preset["autoscale"] == {"max": 6, "cpu": 75}
    assert preset["disruptionBudget"] == {"maxUnavailable": 1}
    assert preset["networkPolicy"] == {"egress": "dns"} and preset["security"] == "restricted"
    objects = scaffold.render(preset)
    assert [o["kind"] for o in objects] == [
        "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
    ]
    for obj in objects:
        kubernetes_validate.validate(obj, kubernetes_validate.latest_version(), strict=True)


def test_extras_left_at_their_defaults_add_nothing():
    result, prompter = _run(WEB)
    assert not {"ingress", "autoscale", "disruptionBudget", "networkPolicy", "security"} & set(result.preset)
    assert "extras.ingress" in prompter.asked  # offered, because there is a Service


def test_a_bad_ingress_host_and_a_maximum_below_the_replicas_are_refused_while_typing():
    result, prompter = _run({**WEB, "extras.ingress": Then("web_app.example.com", "web.example.com"),
                             "extras.autoscale": Then("2", "6")})
    refused = {key: problem for key, _value, problem in prompter.rejected}
    assert set(refused) == {"extras.ingress", "extras.autoscale"}
    assert "at least the 3 replicas" in refused["extras.autoscale"]
    assert result.preset["ingress"]["host"] == "web.example.com" and result.preset["autoscale"]["max"] == 6


def test_no_ingress_question_without_a_service():
    _result, prompter = _run({**WEB, "service.type": "none"})
    assert "extras.ingress" not in prompter.asked
