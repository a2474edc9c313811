"""Integer fields have the bounds the Kubernetes API server enforces.

The bounds are the API's, written out here from its validation code (not read from
scaffold): int32 fields stop at 2^31-1, int64 fields at 2^63-1; UIDs and GIDs are
0..2147483647 (``IsValidUserID``/``IsValidGroupID``); a grace period is non-negative; a
volume ``defaultMode`` is 0..0777. A value one past a bound is an error at that field that
names the bound; the bound itself is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scaffold

I32 = 2_147_483_647
I64 = 9_223_372_036_854_775_807


def _preset(container: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    c = {"name": "app", "image": "nginx:1.27", "ports": [80], **(container or {})}
    return {"name": "app", "containers": [c], **top}


def _probe(field: str) -> Callable[[int], dict[str, Any]]:
    return lambda v: _preset({"readinessProbe": {"tcpSocket": {"port": 80}, field: v}})


# (field path, preset with the value, lowest accepted, highest accepted)
FIELDS: list[tuple[str, Callable[[int], dict[str, Any]], int | None, int]] = [
    ("replicas", lambda v: _preset(replicas=v), None, I32),
    ("terminationGracePeriodSeconds", lambda v: _preset(terminationGracePeriodSeconds=v), 0, I64),
    ("containers[0].readinessProbe.initialDelaySeconds", _probe("initialDelaySeconds"), None, I32),
    ("containers[0].readinessProbe.periodSeconds", _probe("periodSeconds"), None, I32),
    ("containers[0].readinessProbe.timeoutSeconds", _probe("timeoutSeconds"), None, I32),
    ("containers[0].readinessProbe.successThreshold", _probe("successThreshold"), None, I32),
    ("containers[0].readinessProbe.failureThreshold", _probe("failureThreshold"), None, I32),
    (
        "containers[0].livenessProbe.terminationGracePeriodSeconds",
        lambda v: _preset({"livenessProbe": {"tcpSocket": {"port": 80}, "terminationGracePeriodSeconds": v}}),
        None,
        I64,
    ),
    ("containers[0].securityContext.runAsUser", lambda v: _preset({"securityContext": {"runAsUser": v}}), 0, I32),
    ("containers[0].securityContext.runAsGroup", lambda v: _preset({"securityContext": {"runAsGroup": v}}), 0, I32),
    (
        "containers[0].lifecycle.preStop.sleep.seconds",
        lambda v: _preset({"lifecycle": {"preStop": {"sleep": {"seconds": v}}}}),
        None,
        I64,
    ),
    (
        "volumes[0].configMap.defaultMode",
        lambda v: _preset({"volumeMounts": [{"name": "c", "mountPath": "/c"}]}, volumes=[{"name": "c", "configMap": {"name": "x", "defaultMode": v}}]),
        0,
        0o777,
    ),
    (
        "volumes[0].secret.defaultMode",
        lambda v: _preset({"volumeMounts": [{"name": "c", "mountPath": "/c"}]}, volumes=[{"name": "c", "secret": {"secretName": "x", "defaultMode": v}}]),
        0,
        0o777,
    ),
]
IDS = [f[0] for f in FIELDS]


def _errors_at(preset: dict[str, Any], path: str) -> list[scaffold.Issue]:
    try:
        scaffold.build(preset)
    except scaffold.PresetError as err:
        return [i for i in err.issues if i.severity == "error" and i.path == path]
    return []


@pytest.mark.parametrize("path,make,low,high", FIELDS, ids=IDS)
def test_one_above_the_largest_value_is_an_error_naming_the_bound(path: str, make: Any, low: Any, high: int) -> None:
    errors = _errors_at(make(high + 1), path)
    assert errors, f"{path} = {high + 1} was accepted"
    assert any(str(high) in e.message for e in errors), errors


@pytest.mark.parametrize("path,make,low,high", [f for f in FIELDS if f[2] is not None], ids=[f[0] for f in FIELDS if f[2] is not None])
def test_one_below_the_smallest_value_is_an_error_naming_the_bound(path: str, make: Any, low: int, high: int) -> None:
    errors = _errors_at(make(low - 1), path)
    assert errors, f"{path} = {low - 1} was accepted"
    assert any(f"below {low}" in e.message for e in errors), errors


@pytest.mark.parametrize("path,make,low,high", FIELDS, ids=IDS)
def test_the_bounds_themselves_are_accepted(path: str, make: Any, low: Any, high: int) -> None:
    for value in (high, low) if low is not None else (high,):
        range_errors = [e for e in _errors_at(make(value), path) if "API server accepts" in e.message]
        assert range_errors == [], (value, range_errors)


@settings(max_examples=60, deadline=None)
@given(value=st.integers(min_value=I32 + 1, max_value=10**300), field=st.sampled_from([f for f in FIELDS if f[3] == I32]))
def test_any_integer_beyond_int32_is_refused_in_int32_fields(value: int, field: Any) -> None:
    path, make, _, _ = field
    assert _errors_at(make(value), path)


def test_a_range_error_in_a_file_is_located(tmp_path: Any) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: app\nreplicas: 4294967296\ncontainers:\n  - {name: app, image: 'nginx:1.27'}\n")
    with pytest.raises(scaffold.PresetError) as info:
        scaffold.render(str(path))
    (issue,) = [i for i in info.value.issues if i.severity == "error"]
    assert (issue.path, issue.line, issue.rule) == ("replicas", 2, "schema")
    assert str(I32) in issue.message


# ----------------------------------------------------------------------------- lint


def _lint(obj: dict[str, Any]) -> list[tuple[str, str]]:
    from scaffold.rules import CheckConfig, manifest_issues, run

    return [(i.path, i.message) for i in manifest_issues([obj], run([obj], CheckConfig())) if i.rule == "int-range"]


def _pod(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}], **spec}}


LINT_CASES = [
    ("spec.terminationGracePeriodSeconds", lambda v: _pod({"terminationGracePeriodSeconds": v}), 0, I64),
    ("spec.securityContext.runAsUser", lambda v: _pod({"securityContext": {"runAsUser": v}}), 0, I32),
    ("spec.securityContext.fsGroup", lambda v: _pod({"securityContext": {"fsGroup": v}}), 0, I32),
    ("spec.securityContext.supplementalGroups[0]", lambda v: _pod({"securityContext": {"supplementalGroups": [v]}}), 0, I32),
    (
        "spec.containers[0].securityContext.runAsGroup",
        lambda v: _pod({"containers": [{"name": "web", "image": "nginx:1.27", "securityContext": {"runAsGroup": v}}]}),
        0,
        I32,
    ),
    (
        "spec.containers[0].livenessProbe.timeoutSeconds",
        lambda v: _pod({"containers": [{"name": "web", "image": "nginx:1.27", "livenessProbe": {"tcpSocket": {"port": 80}, "timeoutSeconds": v}}]}),
        None,
        I32,
    ),
    (
        "spec.volumes[0].secret.defaultMode",
        lambda v: _pod({"volumes": [{"name": "s", "secret": {"secretName": "s", "defaultMode": v}}]}),
        0,
        0o777,
    ),
    (
        "spec.volumes[0].configMap.items[0].mode",
        lambda v: _pod({"volumes": [{"name": "c", "configMap": {"name": "c", "items": [{"key": "k", "path": "p", "mode": v}]}}]}),
        0,
        0o777,
    ),
    (
        "spec.replicas",
        lambda v: {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                   "spec": {"replicas": v, "selector": {"matchLabels": {"app": "web"}},
                            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}},
        None,
        I32,
    ),
]


@pytest.mark.parametrize("path,make,low,high", LINT_CASES, ids=[c[0] for c in LINT_CASES])
def test_lint_reports_values_out_of_the_api_range(path: str, make: Any, low: Any, high: int) -> None:
    assert _lint(make(high)) == []
    (found,) = _lint(make(high + 1))
    assert found[0] == path and str(high) in found[1]
    if low is not None:
        assert _lint(make(low)) == []
        (found,) = _lint(make(low - 1))
        assert found[0] == path and f"below {low}" in found[1]


def test_lint_shows_a_huge_number_by_its_length() -> None:
    (found,) = _lint(_pod({"terminationGracePeriodSeconds": 10**5000}))
    assert "5001-digit number" in found[1]
