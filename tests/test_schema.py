"""The preset schema: short forms, defaults, unknown keys, and the fast path's agreement with cerberus."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scaffold.preset.schema import SCHEMA, validate_shape, validate_shape_cerberus


def _one(container_extra=None, **top):
    return {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27", **(container_extra or {})}], **top}


def test_defaults_fill_kind_replicas_and_restart_policy():
    doc, issues = validate_shape(_one())
    assert issues == []
    assert doc["kind"] == "Deployment" and doc["replicas"] == 1 and doc["restartPolicy"] == "Always"


def test_port_short_forms_expand_to_the_kubernetes_form():
    doc, _ = validate_shape(_one({"ports": [80, "http:8080", "9000/udp", "dns:53/UDP", {"containerPort": 1, "name": "a"}]}))
    assert doc["containers"][0]["ports"] == [
        {"containerPort": 80},
        {"name": "http", "containerPort": 8080},
        {"containerPort": 9000, "protocol": "UDP"},
        {"name": "dns", "containerPort": 53, "protocol": "UDP"},
        {"name": "a", "containerPort": 1},
    ]


def test_env_mapping_becomes_a_list_of_strings():
    doc, _ = validate_shape(_one({"env": {"A": 1, "B": True, "C": None, "D": {"valueFrom": {"fieldRef": {"fieldPath": "x"}}}}}))
    assert doc["containers"][0]["env"] == [
        {"name": "A", "value": "1"},
        {"name": "B", "value": "true"},
        {"name": "C", "value": ""},
        {"name": "D", "valueFrom": {"fieldRef": {"fieldPath": "x"}}},
    ]


def test_numbers_in_commands_and_quantities_become_strings():
    doc, _ = validate_shape(_one({"command": ["sleep", 3600], "resources": {"limits": {"cpu": 1, "memory": "1Gi"}}}))
    c = doc["containers"][0]
    assert c["command"] == ["sleep", "3600"] and c["resources"]["limits"]["cpu"] == "1"


def test_image_pull_secret_names_and_service_true_are_short_forms():
    doc, _ = validate_shape(_one(imagePullSecrets=["regcred"], service=True))
    assert doc["imagePullSecrets"] == [{"name": "regcred"}]
    assert doc["service"] == {"type": "ClusterIP"}
    doc, _ = validate_shape(_one(service=False))
    assert "service" not in doc


def test_unknown_keys_are_rejected_with_a_suggestion():
    _, issues = validate_shape(_one({"imagePullPolcy": "Always"}, replica=3))
    by_path = {i.path: i for i in issues}
    assert by_path["containers[0].imagePullPolcy"].rule == "unknown-field"
    assert "did you mean 'imagePullPolicy'" in by_path["containers[0].imagePullPolcy"].message
    assert "did you mean 'replicas'" in by_path["replica"].message


def test_every_shape_problem_is_reported_at_once():
    bad = {"name": "", "kind": "Deploymnt", "replicas": "3", "containers": [{"image": 5, "ports": ["nope"]}]}
    _, issues = validate_shape(bad)
    paths = {i.path for i in issues}
    assert {"name", "kind", "replicas", "containers[0].name", "containers[0].image", "containers[0].ports[0]"} <= paths
    assert "did you mean 'Deployment'" in next(i.message for i in issues if i.path == "kind")
    assert len([i for i in issues if i.path == "containers[0].ports[0]"]) == 1


def test_booleans_are_not_numbers():
    _, issues = validate_shape(_one(replicas=True))
    assert [i.path for i in issues] == ["replicas"]


def test_a_preset_must_be_a_mapping():
    for value in (None, [], "text", 5):
        doc, issues = validate_shape(value)
        assert doc is None and issues[0].rule == "schema"


def test_known_keys_come_out_in_schema_order():
    doc, _ = validate_shape({"containers": [{"image": "x", "name": "y"}], "name": "n", "replicas": 2})
    assert list(doc)[:3] == [k for k in SCHEMA if k in doc][:3]
    assert list(doc["containers"][0]) == ["name", "image"]


# --- the fast path against cerberus --------------------------------------------------------

_WRONG = st.one_of(st.none(), st.booleans(), st.integers(-3, 70000), st.text(max_size=6), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _strategy(rules, depth=0):
    """Values for a schema node: mostly the right type, sometimes not."""
    kind = rules.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    options = []
    if "allowed" in rules:
        options.append(st.sampled_from(list(rules["allowed"])))
    if "string" in kinds:
        options.append(st.sampled_from(["web", "nginx:1.27", "http", "250m", "/x", ""]))
    if "integer" in kinds:
        options.append(st.integers(-1, 70000))
    if "boolean" in kinds:
        options.append(st.booleans())
    if "dict" in kinds and depth < 6:
        if "schema" in rules:
            sub = rules["schema"]
            required = {k: _strategy(v, depth + 1) for k, v in sub.items() if v.get("required")}
            optional = {k: _strategy(v, depth + 1) for k, v in list(sub.items())[:8] if not v.get("required")}
            options.append(st.fixed_dictionaries(required, optional=optional))
        else:
            options.append(st.dictionaries(st.sampled_from(["cpu", "memory", "a"]), st.sampled_from(["1", "x", 2]), max_size=2))
    if "list" in kinds and depth < 6 and "schema" in rules:
        options.append(st.lists(_strategy(rules["schema"], depth + 1), max_size=2))
    if rules.get("coerce") is not None:
        options.append(st.sampled_from([80, "http:8080", "bad port", True, {"A": 1}, "regcred"]))
    right = st.one_of(options) if options else _WRONG
    return st.one_of(right, right, right, _WRONG)


PRESETS = st.fixed_dictionaries(
    {"name": _strategy(SCHEMA["name"]), "containers": _strategy(SCHEMA["containers"])},
    optional={k: _strategy(v) for k, v in SCHEMA.items() if k not in ("name", "containers")},
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(PRESETS)
def test_fast_path_agrees_with_cerberus(data):
    fast, fast_issues = validate_shape(data)
    ref, ref_issues = validate_shape_cerberus(data)
    if ref is not None and ref.get("service", False) is None:
        del ref["service"]
    assert (fast is None) == (ref is None), (fast_issues, ref_issues)
    if fast is not None:
        assert fast == ref
