"""Issue 9, trust and friction: nothing a preset says is accepted silently, and what renders
is what the API server accepts (rule ids in ``checks``, enum rule ids, Service port short
forms, Kubernetes fields the format does not model, passthrough sub-objects)."""

from __future__ import annotations

from typing import Any

import pytest

import scaffold
from scaffold.errors import Issue, PresetError


def preset(container: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """A valid preset with one container; ``container`` keys override its fields."""
    c: dict[str, Any] = {"name": "web", "image": "nginx:1.27", "size": "small"}
    c.update(container or {})
    p: dict[str, Any] = {"name": "web", "containers": [c]}
    p.update(top)
    return p


def problems(p: Any) -> list[Issue]:
    """The errors of a preset that must not render (fails the test when it renders)."""
    with pytest.raises(PresetError) as caught:
        scaffold.build(p)
    return caught.value.issues


# ----------------------------------------------------------------- item 2: checks.ignore


def test_an_unknown_rule_id_in_checks_ignore_is_an_error_with_a_suggestion() -> None:
    [issue] = problems(preset(checks={"ignore": ["image-tag-pinned", "image-tag-pined"]}))
    assert issue.path == "checks.ignore[1]" and issue.severity == "error"
    assert "'image-tag-pined' is not a rule id; did you mean 'image-tag-pinned'?" in issue.message


def test_an_unknown_rule_id_far_from_any_is_an_error_without_a_guess() -> None:
    [issue] = problems(preset(checks={"ignore": ["zzzz"]}))
    assert "did you mean" not in issue.message and "docs/validation.md" in issue.message


def test_known_rule_ids_and_the_default_size_notice_may_be_ignored() -> None:
    result = scaffold.build(preset({"image": "nginx"}, checks={"ignore": ["image-tag-pinned", "default-size"]}))
    assert not [i for i in result.issues if i.rule in ("image-tag-pinned", "default-size")]


# ----------------------------------------------------------------- item 4: one rule id per enum


@pytest.mark.parametrize(
    ("bad", "path", "rule"),
    [
        (preset({"imagePullPolicy": "always"}), "containers[0].imagePullPolicy", "image-pull-policy-enum"),
        (preset({"ports": [80]}, service={"type": "Nodeport"}), "service.type", "service-type-enum"),
        (preset({"ports": [{"containerPort": 80, "protocol": "tcp"}]}), "containers[0].ports[0].protocol", "protocol-enum"),
        (preset(kind="Pod", restartPolicy="never"), "restartPolicy", "restart-policy-enum"),
    ],
)
def test_each_enum_is_reported_under_its_own_rule_id(bad: dict[str, Any], path: str, rule: str) -> None:
    assert [(i.path, i.rule) for i in problems(bad)] == [(path, rule)]


def test_a_preset_service_type_is_not_offered_external_name() -> None:
    [issue] = problems(preset({"ports": [80]}, service={"type": "Nodeport"}))
    assert "ClusterIP | NodePort | LoadBalancer" in issue.message and "ExternalName" not in issue.message
    assert "did you mean 'NodePort'?" in issue.message
    [issue] = problems(preset({"ports": [80]}, service={"type": "ExternalName"}))
    assert issue.rule == "service-type-enum" and "is not one of ClusterIP | NodePort | LoadBalancer" in issue.message


def test_lint_still_accepts_an_external_name_service() -> None:
    from scaffold.lint import lint_text

    text = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {type: ExternalName, externalName: db.example.com}\n"
    assert [i for i in lint_text(text) if i.rule == "service-type-enum"] == []
    [issue] = [i for i in lint_text(text.replace("ExternalName,", "Externalname,")) if i.rule == "service-type-enum"]
    assert "did you mean 'ExternalName'?" in issue.message
