"""The preset schema: short forms, defaults, unknown keys, and the fast path's agreement with cerberus."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, assume, given, settings
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
#
# validate_shape() first runs a hand-written interpreter of SCHEMA (the fast path) and only
# asks cerberus when that says "invalid". The interpreter must therefore accept exactly what
# cerberus accepts, and build exactly cerberus's document. These properties check that on
# generated presets, valid and invalid; breaking any rule of the interpreter (allowed values,
# required fields, unknown keys, minlength, coercion, defaults) makes them fail.

_WRONG = st.one_of(st.none(), st.booleans(), st.integers(-3, 70000), st.text(max_size=6), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
#: Misspelled field names, as people write them.
_UNKNOWN = st.sampled_from(["imagePullPolcy", "replica", "prots", "Name", "x"])
_TEXT = st.sampled_from(["web", "nginx:1.27", "http", "250m", "/x", "a b"])
_NUMBER = st.one_of(st.integers(-1, 70000), st.sampled_from([0.5, 1.0]))


def _short_forms(coerce, rules):
    """Valid short forms a coercer turns into the long form of a field with these rules."""
    name = getattr(coerce, "__name__", "")
    if name == "_port_short":
        return st.one_of(st.integers(1, 65535), st.sampled_from(["http:8080", "8080/UDP", "dns:53/udp"]))
    if name == "_service_port_short":
        return st.one_of(st.integers(1, 65535), st.sampled_from(["80:8000", "80:http", "http:80", "http:80:8000", "53/UDP"]))
    if name == "_strategy_short":
        return st.sampled_from(["Recreate", "RollingUpdate", "OnDelete", {"rollingUpdate": {"maxSurge": "25%"}}])
    if name == "_spread_short":
        return st.sampled_from(["node", "zone"])
    if name == "_version_text":
        return st.sampled_from([1.29, 1.3])
    if name == "_env_short":
        return st.dictionaries(st.sampled_from(["A", "LOG_LEVEL"]), st.one_of(_TEXT, _NUMBER, st.booleans(), st.none()), max_size=2)
    if name == "_name_ref":
        return st.just("regcred")
    if name in ("_service_short", "_flag_short", "_budget_short", "_tls_short"):  # true: the defaults; false: none
        needs = any(r.get("required") for r in rules.get("schema", {}).values())
        return st.just(False) if needs else st.booleans()
    if name in ("_number_text", "_scalar_text"):
        return _NUMBER
    raise AssertionError(f"no short forms for {name}: add them here")


def _valid(rules, depth=0):
    """Values cerberus accepts for a schema node (long forms and short forms)."""
    kind = rules.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    options = []
    if "allowed" in rules:
        options.append(st.sampled_from(list(rules["allowed"])))
    elif "string" in kinds:
        options.append(_TEXT if rules.get("empty") is False else st.one_of(_TEXT, st.just("")))
    if "integer" in kinds:
        options.append(st.integers(max(rules.get("min", -1), -1), min(rules.get("max", 70000), 70000)))
    if "boolean" in kinds:
        options.append(st.booleans())
    if "dict" in kinds:
        if "schema" in rules:
            options.append(_mapping(rules["schema"], depth + 1))
        elif "valuesrules" in rules:
            options.append(st.dictionaries(st.sampled_from(["cpu", "memory", "app", "nvidia.com/gpu"]), st.one_of(_TEXT, _NUMBER), max_size=2))
        else:
            options.append(st.dictionaries(st.sampled_from(["a", "name", "key"]), _TEXT, max_size=2))
    if "list" in kinds and "schema" in rules:
        options.append(st.lists(_valid(rules["schema"], depth + 1), min_size=rules.get("minlength", 0), max_size=2))
    if rules.get("coerce") is not None:
        options.append(_short_forms(rules["coerce"], rules))
    if rules.get("nullable"):
        options.append(st.none())
    return st.one_of(options)


def _mapping(schema, depth=0, most=4):
    """The required fields and a few optional ones (small presets: cerberus is slow on big ones)."""
    required = {k: _valid(v, depth) for k, v in schema.items() if v.get("required")}
    optional = sorted(k for k, v in schema.items() if not v.get("required")) if depth < 5 else []
    if not optional:
        return st.fixed_dictionaries(required)
    return st.sets(st.sampled_from(optional), max_size=most).flatmap(
        lambda keys: st.fixed_dictionaries({**required, **{k: _valid(schema[k], depth) for k in sorted(keys)}})
    )


VALID = _mapping(SCHEMA, most=6)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*path, i))


def _at(node, path):
    for part in path:
        node = node[part]
    return node


def _rules_at(path):
    """The schema rules of the value at ``path`` (None where the schema has none)."""
    node = {"type": "dict", "schema": SCHEMA}
    for part in path:
        if node.get("type") == "list" and isinstance(part, int):
            node = node.get("schema")
        elif node.get("type") == "dict" and isinstance(node.get("schema"), dict):
            node = node["schema"].get(part)
        elif node.get("type") == "dict":
            node = node.get("valuesrules")
        else:
            node = None
        if node is None:
            return None
    return node


#: How to break a value, and where that applies: one mutation per rule of the schema.
_MUTATIONS = {
    "wrong type": (lambda rules: True, _WRONG),
    "bool for a number": (lambda rules: "integer" in str(rules.get("type")), st.just(True)),
    "not allowed": (lambda rules: "allowed" in rules, st.sampled_from(["Deploymnt", "pod", "smal", "scaffold/v2"])),
    "left out": (lambda rules: rules.get("required"), None),
    "empty": (lambda rules: rules.get("empty") is False, st.just("")),
    "too short": (lambda rules: "minlength" in rules, st.just([])),
    "null": (lambda rules: not rules.get("nullable"), st.none()),
    "null for a default": (lambda rules: "default" in rules and not rules.get("nullable"), st.none()),  # cerberus: the default
    "unknown key": (lambda rules: isinstance(rules.get("schema"), dict) and rules.get("type") == "dict", _UNKNOWN),
    "key not a string": (lambda rules: "keysrules" in rules, st.integers(0, 9)),
    "out of range": (
        lambda rules: "min" in rules or "max" in rules,
        lambda rules: st.sampled_from([v for v in (rules.get("min", None), rules.get("max", None)) if v is not None]).map(
            lambda bound: bound - 1 if bound == rules.get("min") else bound + 1
        ),
    ),
}


#: Mistakes cerberus always rejects (a wrong type may be a valid short form, so not that one).
_ALWAYS_INVALID = {"not allowed", "left out", "empty", "too short", "unknown key", "key not a string", "out of range"}


@st.composite
def _broken(draw, mistake):
    """A valid preset with one ``mistake`` at a place where it breaks a rule of the schema."""
    preset = copy.deepcopy(draw(VALID))
    applies, values = _MUTATIONS[mistake]
    candidates = [p for p in _paths(preset) if (r := _rules_at(p)) is not None and applies(r)]
    if mistake in ("unknown key", "key not a string"):
        candidates = [p for p in candidates if isinstance(_at(preset, p), dict)]
    if mistake not in ("unknown key", "key not a string"):
        candidates = [p for p in candidates if p]  # the root itself can only get unknown keys
    assume(candidates)
    path = draw(st.sampled_from(candidates))
    if callable(values):  # a strategy that depends on the field's rules
        values = values(_rules_at(path))
    parent = preset
    for part in path[:-1]:
        parent = parent[part]
    if mistake in ("unknown key", "key not a string"):
        (parent[path[-1]] if path else preset)[draw(values)] = "x"
    elif mistake == "left out":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(values)
    return preset


def _fast(data):
    """The fast path alone: its document, or None when it says "invalid"."""
    from scaffold.preset.schema import _fast_mapping, _Invalid

    try:
        return _fast_mapping(SCHEMA, data, allow_unknown=False)
    except _Invalid:
        return None


def _cerberus(data):
    """cerberus alone on SCHEMA: its document, or None and its problems."""
    from scaffold.preset.schema import _issues_from, _validator

    v = _validator()
    if v.validate(data):
        return copy.deepcopy(v.document), []
    return None, _issues_from(v._errors)


def _agree(data):
    """The fast path says "valid" exactly when cerberus does, with cerberus's document, so
    validate_shape() gives what validate_shape_cerberus() gives: the document, or the problems
    at the same paths. Returns cerberus's document (None when it rejects the preset)."""
    pure, pure_issues = _cerberus(copy.deepcopy(data))
    fast = _fast(copy.deepcopy(data))
    assert (fast is None) == (pure is None), pure_issues
    if fast is not None:
        assert fast == pure
    ref, ref_issues = validate_shape_cerberus(copy.deepcopy(data))
    doc, issues = validate_shape(copy.deepcopy(data))
    assert doc == ref
    assert sorted((i.path, i.rule, i.message) for i in issues) == sorted((i.path, i.rule, i.message) for i in ref_issues)
    return pure


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALID)
def test_fast_path_builds_cerberus_document_for_valid_presets(data):
    assert _agree(data) is not None  # and the generator only makes valid presets here


@pytest.mark.parametrize("mistake", sorted(_MUTATIONS))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_fast_path_agrees_with_cerberus_on_presets_with_a_mistake(mistake, data):
    ref = _agree(data.draw(_broken(mistake)))
    if mistake in _ALWAYS_INVALID:
        assert ref is None  # the mistake really is one


def test_sizes_are_the_rows_of_the_size_table():
    from scaffold.preset.normalize import size_table
    from scaffold.preset.schema import SIZES

    assert tuple(size_table()) == SIZES
