"""Lint's cross-object matching: linear in the size of the input, and within one namespace.

Time is not asserted (it depends on the machine); the number of Python function calls is
deterministic, and a rule that compares every object with every other makes it grow with the
square of the input. ``benchmarks/bench_lint.py`` measures the time.
"""

from __future__ import annotations

import sys

import pytest

from scaffold.lint import LintOptions, check, collect, lint_text
from scaffold.loader import load_yaml_all

APP = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app-{i}, namespace: ns-{ns}}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      containers:
        - {{name: app, image: "example/app:1.{i}", ports: [{{name: http, containerPort: 8080}}],
            resources: {{requests: {{cpu: 100m, memory: 64Mi}}, limits: {{memory: 64Mi}}}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}, namespace: ns-{ns}}}
spec: {{selector: {{app: app-{i}}}, ports: [{{port: 80, targetPort: http}}]}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {{name: app-{i}, namespace: ns-{ns}}}
spec: {{scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: app-{i}}}, minReplicas: 2, maxReplicas: 4}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: app-{i}, namespace: ns-{ns}}}
spec: {{minAvailable: 1, selector: {{matchLabels: {{app: app-{i}}}}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: app-{i}, namespace: ns-{ns}}}
spec: {{podSelector: {{matchLabels: {{app: app-{i}}}}}, policyTypes: [Ingress], ingress: [{{}}]}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: deny-{i}, namespace: ns-{ns}}}
spec: {{podSelector: {{matchLabels: {{app: app-{i}}}}}, policyTypes: [Ingress]}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: app-{i}, namespace: ns-{ns}}}
spec:
  rules:
    - host: app-{i}.example.com
      http: {{paths: [{{path: /, pathType: Prefix, backend: {{service: {{name: app-{i}, port: {{number: 80}}}}}}}}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: db-{i}, namespace: ns-{ns}}}
spec:
  serviceName: db-{i}
  selector: {{matchLabels: {{app: db-{i}}}}}
  template:
    metadata: {{labels: {{app: db-{i}}}}}
    spec: {{containers: [{{name: db, image: "postgres:16.{i}"}}]}}
---
apiVersion: v1
kind: Service
metadata: {{name: orphan-{i}, namespace: ns-{ns}}}
spec: {{selector: {{app: gone-{i}}}, ports: [{{port: 80}}]}}
"""


def _calls_to_check(apps: int) -> int:
    """Python function calls made by lint's checking stage for ``apps`` copies of APP."""
    text = "---\n".join(APP.format(i=i, ns=i % 3) for i in range(apps))
    entries, _ = collect(load_yaml_all(text))
    calls = 0

    def count(frame, event, arg):  # noqa: ANN001 - sys.setprofile's signature
        nonlocal calls
        if event == "call":
            calls += 1

    options = LintOptions(schema=False)
    check(entries[:8], options=options)  # import every rule module before counting
    sys.setprofile(count)
    try:
        check(entries, options=options)
    finally:
        sys.setprofile(None)
    return calls


def test_cross_object_checks_grow_linearly_with_the_input():
    """Four times the objects cost about four times the calls; a pairwise rule over these
    Services, autoscalers, budgets, policies and ingresses would cost sixteen times."""
    small, large = _calls_to_check(40), _calls_to_check(160)
    assert large / small < 4 * 1.25, (small, large)


NAMESPACED = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 4}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress], ingress: [{}]}
"""

NOT_FOUND = {"hpa-requests", "pdb-blocks-drain", "network-policy-selects"}


def _companion_findings(namespace: str) -> list[str]:
    issues = lint_text(NAMESPACED, options=LintOptions(schema=False, namespace=namespace))
    return [f"{i.rule}: {i.message}" for i in issues if i.rule in NOT_FOUND]


def test_companions_without_a_namespace_match_in_the_namespace_lint_is_told():
    """``--namespace prod``: the autoscaler, budget and policy that name no namespace are
    applied to prod, where the Deployment is, so each finds it."""
    assert _companion_findings("prod") == []


def test_companions_without_a_namespace_do_not_reach_into_another_namespace():
    found = _companion_findings("default")
    assert any("scaleTargetRef names Deployment/web, which is not in the input (namespace default)" in f for f in found), found
    assert any(f.startswith("pdb-blocks-drain") and "matches no pods" in f for f in found), found
    assert any(f.startswith("network-policy-selects") and "matches no pods" in f for f in found), found


# ------------------------------------------------------------------ the engine's guard

from scaffold.rules import REGISTRY, CheckConfig, Finding, rule, run  # noqa: E402


def _crashes_on_number_names(scope: str):
    """A rule that trips over a name that is a number (as a careless rule could)."""
    rule_id = f"test-crashes-{scope}"

    @rule(rule_id, severity="notice", scope=scope, summary="test rule")
    def crashes(*args):
        obj = args[0].obj if scope == "pod" else args[0]
        name = obj["metadata"]["name"]
        yield Finding(("metadata", "name"), "name " + name)  # TypeError for a number

    return rule_id


def _pod(name):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {"containers": [{"name": "a", "image": "x:1"}]}}


@pytest.mark.parametrize("scope", ["object", "pod"])
def test_a_rule_that_crashes_on_one_object_still_judges_the_others(scope):
    rule_id = _crashes_on_number_names(scope)
    try:
        raws = [r for r in run([_pod("a"), _pod(7), _pod("c")], CheckConfig(manifest=True), only=frozenset({rule_id}))]
    finally:
        del REGISTRY[rule_id]
    by_object = {r.index: r.message for r in raws}
    assert by_object[0] == "name a" and by_object[2] == "name c"
    assert by_object[1].startswith("could not check this object (TypeError"), by_object
    assert len(raws) == 3


@pytest.mark.parametrize("enabled", [True, False])
def test_lint_leaves_the_garbage_collector_as_it_found_it(tmp_path, monkeypatch, enabled):
    """Lint pauses the cyclic collector while it works; it must give it back, even on error."""
    import gc

    import scaffold.lint
    from scaffold.lint import lint_report

    (tmp_path / "a.yaml").write_text(APP.format(i=1, ns=1))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        lint_report([tmp_path], options=LintOptions(schema=False))
        assert gc.isenabled() is enabled
        assert gc.isenabled() is enabled

        def broken(*args, **kwargs):
            assert not gc.isenabled()  # paused while checking
            raise RuntimeError("boom")

        monkeypatch.setattr(scaffold.lint, "check", broken)
        with pytest.raises(RuntimeError):
            lint_report([tmp_path], options=LintOptions(schema=False))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
