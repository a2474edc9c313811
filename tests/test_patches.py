"""``patches:``: merge and JSON patches on the rendered objects, before the checks."""

from __future__ import annotations

import json
import textwrap

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import scaffold
from scaffold.errors import PresetError
from scaffold.preset.patches import merge_patch
from scaffold.preset.schema import validate_shape, validate_shape_cerberus
from scaffold.rendering.emit import to_json_list, to_yaml_stream

BASE = {
    "name": "web",
    "containers": [{"name": "web", "image": "nginx:1.27", "ports": ["http:80"], "size": "small"}],
    "service": True,
}


def preset(*patches: dict) -> dict:
    return {**BASE, "patches": list(patches)}


def render(*patches: dict) -> list[dict]:
    return scaffold.render(preset(*patches))


def by_kind(objects: list[dict], kind: str) -> list[dict]:
    return [o for o in objects if o["kind"] == kind]


def write(tmp_path, text: str):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent(text))
    return path


# ------------------------------------------------------------------ RFC 7386 merge patches

# The test cases of RFC 7386, Appendix A: (original, patch, result).
RFC7386_EXAMPLES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("original", "patch", "result"), RFC7386_EXAMPLES)
def test_merge_patch_follows_the_rfc_7386_examples(original, patch, result):
    assert merge_patch(original, patch) == result


def test_merge_patch_shares_nothing_with_the_patch():
    patch = {"a": {"list": [1, 2]}}
    out = merge_patch({}, patch)
    out["a"]["list"].append(3)
    assert patch == {"a": {"list": [1, 2]}}


def test_a_merge_patch_adds_a_field_the_format_does_not_model():
    (dep,) = by_kind(render({"target": {"kind": "Deployment"}, "merge": {"spec": {"template": {"spec": {"hostname": "web"}}}}}), "Deployment")
    assert dep["spec"]["template"]["spec"]["hostname"] == "web"
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"  # merged, not replaced


def test_a_merge_patch_null_deletes_a_key():
    (svc,) = by_kind(render({"target": {"kind": "Service"}, "merge": {"metadata": {"labels": {"app": None, "team": "pay"}}}}), "Service")
    assert svc["metadata"]["labels"] == {"team": "pay"}


# ------------------------------------------------------------------ RFC 6902 JSON patches


def test_a_json_patch_adds_an_annotation_with_an_escaped_slash():
    (svc,) = by_kind(
        render(
            {
                "target": {"kind": "Service", "name": "web"},
                "json": [
                    {"op": "add", "path": "/metadata/annotations", "value": {}},
                    {"op": "add", "path": "/metadata/annotations/example.com~1team", "value": "payments"},
                ],
            }
        ),
        "Service",
    )
    assert svc["metadata"]["annotations"] == {"example.com/team": "payments"}


@pytest.mark.parametrize(
    ("op", "check"),
    [
        ({"op": "replace", "path": "/spec/replicas", "value": 4}, lambda d: d["spec"]["replicas"] == 4),
        ({"op": "remove", "path": "/spec/template/spec/restartPolicy"}, lambda d: "restartPolicy" not in d["spec"]["template"]["spec"]),
        (
            {"op": "copy", "from": "/spec/template/spec/containers/0", "path": "/spec/template/spec/containers/-"},
            lambda d: len(d["spec"]["template"]["spec"]["containers"]) == 2,
        ),
        (
            {"op": "move", "from": "/metadata/labels", "path": "/metadata/annotations"},
            lambda d: d["metadata"]["annotations"] == {"app": "web"} and "labels" not in d["metadata"],
        ),
        ({"op": "test", "path": "/spec/replicas", "value": 1}, lambda d: d["spec"]["replicas"] == 1),
    ],
)
def test_each_json_patch_operation_applies(op, check):
    from scaffold.preset.patches import apply_patches
    from scaffold.preset.normalize import normalize
    from scaffold.rendering.templates import render_objects

    shaped, problems = validate_shape(preset({"target": {"kind": "Deployment"}, "json": [op]}))
    assert problems == []
    normalized, _ = normalize(shaped)
    objects, _, found = apply_patches(render_objects(normalized), normalized["patches"], lambda o, r: [])
    assert found == []
    assert check(by_kind(objects, "Deployment")[0])


def test_patches_run_in_order():
    objects = render(
        {"target": {"kind": "Deployment"}, "merge": {"spec": {"replicas": 3}}},
        {"target": {"kind": "Deployment"}, "json": [{"op": "test", "path": "/spec/replicas", "value": 3}, {"op": "replace", "path": "/spec/replicas", "value": 5}]},
    )
    assert by_kind(objects, "Deployment")[0]["spec"]["replicas"] == 5


def test_a_target_without_a_name_patches_every_object_of_that_kind():
    pods = {**BASE, "kind": "Pod", "replicas": 3, "service": False}
    objects = scaffold.render({**pods, "patches": [{"target": {"kind": "Pod"}, "merge": {"spec": {"hostname": "x"}}}]})
    assert [o["spec"].get("hostname") for o in objects] == ["x", "x", "x"]
    objects = scaffold.render({**pods, "patches": [{"target": {"kind": "Pod", "name": "web2"}, "merge": {"spec": {"hostname": "x"}}}]})
    assert [o["spec"].get("hostname") for o in objects] == [None, "x", None]


def test_patched_objects_reach_the_json_output_too():
    result = scaffold.build(preset({"target": {"kind": "Deployment"}, "merge": {"spec": {"template": {"spec": {"hostname": "web"}}}}}))
    items = json.loads(result.json())["items"]
    assert items[0]["spec"]["template"]["spec"]["hostname"] == "web"


# ------------------------------------------------------------------ failures, located


def test_a_target_that_matches_nothing_is_an_error_at_the_target_line(tmp_path):
    path = write(
        tmp_path,
        """\
        name: web
        containers:
          - {name: web, image: "nginx:1.27", size: small}
        patches:
          - target: {kind: Service}
            merge: {metadata: {labels: {x: y}}}
          - target: {kind: Deployment, name: api}
            merge: {metadata: {labels: {x: y}}}
        """,
    )
    with pytest.raises(PresetError) as exc:
        scaffold.render(path)
    found = {(i.rule, i.path, i.line, i.column) for i in exc.value.issues}
    assert found == {("patch-target", "patches[0].target", 5, 5), ("patch-target", "patches[1].target", 7, 5)}
    assert "Deployment/web" in exc.value.issues[0].message  # says what there is


def test_a_failing_json_operation_is_an_error_at_its_line(tmp_path):
    path = write(
        tmp_path,
        """\
        name: web
        containers:
          - {name: web, image: "nginx:1.27", size: small}
        patches:
          - target: {kind: Deployment}
            json:
              - {op: replace, path: /spec/replicas, value: 2}
              - {op: add, path: /metadata/annotations/team, value: payments}
        """,
    )
    with pytest.raises(PresetError) as exc:
        scaffold.render(path)
    (issue,) = exc.value.issues
    assert (issue.rule, issue.path, issue.line) == ("patch-failed", "patches[0].json[1]", 8)
    assert "/metadata/annotations does not exist" in issue.message


@pytest.mark.parametrize(
    ("op", "words"),
    [
        ({"op": "remove", "path": "/spec/nothing"}, "/spec/nothing does not exist"),
        ({"op": "replace", "path": "/spec/template/spec/containers/3/image", "value": "x"}, "/spec/template/spec/containers/3 does not exist (that list has 1 item)"),
        ({"op": "test", "path": "/spec/replicas", "value": 9}, "/spec/replicas is 1, not 9"),
        ({"op": "move", "from": "/spec/nope", "path": "/spec/x"}, "from /spec/nope does not exist"),
        ({"op": "add", "path": "spec/x", "value": 1}, "not a JSON pointer"),
        ({"op": "remove", "path": ""}, "can't remove the whole document"),
        ({"op": "replace", "path": "", "value": [1]}, "would leave no Kubernetes object"),
    ],
)
def test_failing_json_operations_say_what_is_wrong(op, words):
    with pytest.raises(PresetError) as exc:
        render({"target": {"kind": "Deployment"}, "json": [op]})
    (issue,) = exc.value.issues
    assert issue.rule == "patch-failed" and issue.path == "patches[0].json[0]"
    assert words in issue.message


@pytest.mark.parametrize(
    ("patch", "path", "words"),
    [
        ({"target": {"kind": "Deployment"}}, "patches[0]", "exactly one of merge"),
        ({"target": {"kind": "Deployment"}, "merge": {"a": 1}, "json": []}, "patches[0]", "exactly one of merge"),
        ({"target": {"kind": "Deployment"}, "json": [{"op": "add", "path": "/a"}]}, "patches[0].json[0]", "add needs a value"),
        ({"target": {"kind": "Deployment"}, "json": [{"op": "copy", "path": "/a"}]}, "patches[0].json[0]", "needs from"),
        ({"target": {"kind": "Deployment"}, "merge": {"spec": {1: "x"}}}, "patches[0].merge.spec[1]", "keys must be strings"),
        ({"target": {"kind": "Deployment"}, "merge": {"spec": {"x": {1, 2}}}}, "patches[0].merge.spec.x", "must be plain data"),
        ({"target": {"kind": "Deployment"}, "merge": {"spec": {"x": float("nan")}}}, "patches[0].merge.spec.x", "not a JSON number"),
        ({"target": {"kind": "Deployment"}, "json": [{"op": "frobnicate", "path": "/a"}]}, "patches[0].json[0].op", "not one of add"),
        ({"target": {"name": "web"}, "merge": {}}, "patches[0].target.kind", "required"),
    ],
)
def test_malformed_patches_are_schema_errors(patch, path, words):
    with pytest.raises(PresetError) as exc:
        render(patch)
    assert [(i.path, i.rule) for i in exc.value.issues if i.severity == "error"] == [(path, "schema")]
    assert words in exc.value.issues[0].message


def test_the_rules_judge_the_patched_objects_and_point_at_the_patch(tmp_path):
    path = write(
        tmp_path,
        """\
        name: web
        containers:
          - {name: web, image: "nginx:1.27", size: small}
        patches:
          - target: {kind: Deployment}
            merge:
              spec:
                template:
                  spec:
                    containers:
                      - name: web
                        image: nginx:1.27
                        imagePullPolicy: Sometimes
          - target: {kind: Deployment}
            json:
              - {op: replace, path: /spec/template/spec/restartPolicy, value: Never}
        """,
    )
    with pytest.raises(PresetError) as exc:
        scaffold.render(path)
    errors = {(i.rule, i.path, i.line) for i in exc.value.issues}
    assert ("image-pull-policy-enum", "patches[0].merge.spec.template.spec.containers[0].imagePullPolicy", 13) in errors
    assert ("deployment-restart-policy", "patches[1].json[0].value", 16) in errors


def test_a_patch_can_fix_what_the_rules_would_reject():
    # Without the patch the rules object to an unpinned image; the patch pins it.
    bad = {**BASE, "containers": [{"name": "web", "image": "NGINX", "size": "small", "ports": ["http:80"]}]}
    with pytest.raises(PresetError):
        scaffold.render(bad)
    fixed = {**bad, "patches": [{"target": {"kind": "Deployment"}, "json": [{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "nginx:1.27"}]}]}
    assert by_kind(scaffold.render(fixed), "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_a_typo_in_a_patched_field_is_refused_by_the_strict_kubernetes_schema():
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    (dep, _svc) = render({"target": {"kind": "Deployment"}, "merge": {"spec": {"template": {"spec": {"hostnam": "web"}}}}})
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(dep, kubernetes_validate.latest_version(), strict=True)
    (dep, _svc) = render({"target": {"kind": "Deployment"}, "merge": {"spec": {"template": {"spec": {"hostname": "web"}}}}})
    kubernetes_validate.validate(dep, kubernetes_validate.latest_version(), strict=True)


def test_the_fast_schema_path_and_cerberus_agree_on_patches():
    data = preset(
        {"target": {"kind": "Deployment"}, "merge": {"spec": {"x": [1, {"y": None}]}}},
        {"target": {"kind": "Service", "name": "web"}, "json": [{"op": "add", "path": "/a", "value": {"b": [None, 1.5]}}, {"op": "remove", "path": "/a"}]},
    )
    fast, fast_problems = validate_shape(data)
    slow, slow_problems = validate_shape_cerberus(data)
    assert fast_problems == slow_problems == []
    assert fast == slow


# ------------------------------------------------------------------ values are data


_TRICKY = st.lists(
    st.sampled_from(list("ab:-#&*!|>'\"%@`{}[],\n\t ") + ["---", "...", "\u2028", "é", "\x85", "key: value"]),
    max_size=12,
).map("".join)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _TRICKY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(annotation=_TRICKY, key=_TRICKY, value=_VALUES)
def test_patched_output_survives_the_emitter_round_trip(annotation, key, value):
    objects = render(
        {"target": {"kind": "Service"}, "merge": {"metadata": {"annotations": {"note": annotation}}}},
        {"target": {"kind": "Deployment"}, "json": [{"op": "add", "path": "/spec/template/metadata/annotations", "value": {key or "k": value}}]},
    )
    text = to_yaml_stream(objects)
    assert list(yaml.safe_load_all(text)) == objects  # no value added a document or a key
    assert json.loads(to_json_list(objects))["items"] == objects
    assert by_kind(objects, "Service")[0]["metadata"]["annotations"] == {"note": annotation}


def test_a_patch_value_that_looks_like_yaml_stays_one_string(tmp_path):
    path = write(
        tmp_path,
        """\
        name: web
        containers:
          - {name: web, image: "nginx:1.27", size: small, ports: ["http:80"]}
        service: true
        patches:
          - target: {kind: Service}
            merge: {metadata: {annotations: {note: "x\\n---\\napiVersion: v1\\nkind: Secret\\nmetadata: {name: pwned}"}}}
        """,
    )
    text = scaffold.render_yaml(path)
    docs = list(yaml.safe_load_all(text))
    assert [d["kind"] for d in docs] == ["Deployment", "Service"]
    assert docs[1]["metadata"]["annotations"]["note"].startswith("x\n---\napiVersion")


def test_builtin_presets_do_not_change_without_patches():
    # The hook runs only when a preset has patches: rendering is exactly as before.
    assert scaffold.render("web-app") == scaffold.render({**scaffold.load_preset("web-app"), "patches": []})
