"""The library's entry points raise only ScaffoldError subclasses, whatever they are given.

Python data gets the limits YAML input has (depth, size, no cycles); mapping keys must be
strings (a located error with a rule id, not a crash or a cerberus warning); arguments of the
wrong type are an ArgumentTypeError, which is both a ScaffoldError and a TypeError.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold
from conftest import run_cli
from scaffold.errors import ArgumentTypeError, InternalError, PresetError, ScaffoldError
from scaffold.loader import MAX_DEPTH, MAX_NODES

ENTRY_POINTS = {
    "render": scaffold.render,
    "render_yaml": scaffold.render_yaml,
    "validate": scaffold.validate,
    "build": scaffold.build,
}


def _base(**top: Any) -> dict[str, Any]:
    return {"name": "app", "containers": [{"name": "app", "image": "nginx:1.27"}], **top}


def _container(**fields: Any) -> dict[str, Any]:
    return {"name": "app", "containers": [{"name": "app", "image": "nginx:1.27", **fields}]}


def _refused(call: Any, *args: Any, **kwargs: Any) -> PresetError:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a cerberus UserWarning must not leak either
        with pytest.raises(PresetError) as info:
            call(*args, **kwargs)
    return info.value


# ----------------------------------------------------------------------------- keys

# (key, how the path spells it); a list, not a dict: 1 == True in Python.
BAD_KEYS = [(None, "null"), (1.5, "1.5"), (math.inf, ".inf"), (-math.inf, "-.inf"), (math.nan, ".nan"), (1, "1"),
            (True, "true"), (False, "false"), (-7, "-7"), ((1, 2), "tuple")]
PLACES = {
    "labels": lambda k: _base(labels={k: "a"}),
    "annotations": lambda k: _base(annotations={k: "a"}),
    "nodeSelector": lambda k: _base(nodeSelector={k: "a"}),
    "containers[0].resources.limits": lambda k: _container(resources={"limits": {k: "1"}}),
    "checks": lambda k: _base(checks={k: ["x"]}),
    "": lambda k: {**_base(), k: 1},
    "containers[0].env[0].valueFrom": lambda k: _container(env=[{"name": "A", "valueFrom": {k: {}}}]),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("key,spelling", BAD_KEYS, ids=[s for _, s in BAD_KEYS])
def test_a_non_string_key_is_a_schema_error_at_the_key(place: str, key: Any, spelling: str) -> None:
    err = _refused(scaffold.render, PLACES[place](key))
    (issue,) = err.issues
    assert issue.rule == "schema"
    assert "keys must be strings" in issue.message
    assert issue.path == f"{place}[{spelling}]"


YAML_KEYS = {"1": "the number 1", "true": "the boolean true", "null": "null", "~": "null", ".inf": "the number .inf",
             ".nan": "the number .nan", "1.5": "the number 1.5", "0x10": "the number 16"}


@pytest.mark.parametrize("text,phrase", YAML_KEYS.items())
@pytest.mark.parametrize("where", ["labels", "nodeSelector", "top"])
def test_a_non_string_key_in_a_file_is_reported_at_the_key(tmp_path: Path, text: str, phrase: str, where: str) -> None:
    body = "name: app\ncontainers:\n  - {name: app, image: 'nginx:1.27'}\n"
    body += f"{text}: x\n" if where == "top" else f"{where}:\n  ok: a\n  {text}: b\n"
    path = tmp_path / "p.yaml"
    path.write_text(body)
    err = _refused(scaffold.validate, str(path))
    (issue,) = err.issues
    line = 4 if where == "top" else 6
    column = 1 if where == "top" else 3
    assert (issue.file, issue.line, issue.column, issue.rule) == (str(path), line, column, "schema")
    assert f"keys must be strings, not {phrase}" in issue.message


def test_keys_that_python_thinks_equal_are_not_called_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: app\nlabels: {1: a, true: b}\ncontainers: [{name: app, image: 'nginx:1.27'}]\n")
    err = _refused(scaffold.render, str(path))
    (issue,) = err.issues
    assert "duplicate" not in issue.message
    assert "keys must be strings" in issue.message
    assert (issue.line, issue.path, issue.rule) == (2, "labels[1]", "schema")


def test_a_non_string_key_in_a_set_value_or_values_layer_says_where_it_came_from() -> None:
    err = _refused(scaffold.render, "nginx", overrides=["labels={1: a}"])
    assert err.issues[0].file == "--set" and "keys must be strings" in err.issues[0].message
    err = _refused(scaffold.render, "nginx", values=[{"labels": {None: "a"}}])
    assert (err.issues[0].file, err.issues[0].path) == ("values", "labels[null]")
    err = _refused(scaffold.render, "nginx", overrides={"labels": {2.5: "a"}})
    assert (err.issues[0].file, err.issues[0].path) == ("overrides", "labels[2.5]")


# ----------------------------------------------------------------------------- limits


def test_a_self_referencing_preset_is_refused() -> None:
    preset = _base()
    preset["labels"] = {"a": "b"}
    preset["containers"][0]["env"] = [{"name": "X", "valueFrom": preset}]
    err = _refused(scaffold.render, preset)
    assert err.issues[0].rule == "input" and "contains itself" in err.issues[0].message
    assert err.issues[0].path == "containers[0].env[0].valueFrom"


def test_a_self_referencing_values_mapping_is_refused() -> None:
    values: dict[str, Any] = {"labels": {}}
    values["labels"]["x"] = values
    err = _refused(scaffold.render, "nginx", values=[values])
    assert "contains itself" in err.issues[0].message


def test_shared_sub_objects_are_not_cycles() -> None:
    labels = {"tier": "web"}
    preset = _base(labels=labels, nodeSelector=labels)
    assert scaffold.render(preset)[0]["spec"]["template"]["spec"]["nodeSelector"] == labels


def _nested(depth: int) -> dict[str, Any]:
    top: dict[str, Any] = {}
    node = top
    for _ in range(depth):
        node["x"] = {}
        node = node["x"]
    return top


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 3000, 50_000])
def test_deeply_nested_python_data_is_refused_like_deep_yaml(depth: int) -> None:
    err = _refused(scaffold.render, _container(env=[{"name": "A", "valueFrom": _nested(depth)}]))
    assert err.issues[0].rule == "input" and f"deeper than {MAX_DEPTH}" in err.issues[0].message


def test_nesting_within_the_limit_is_judged_by_the_schema_not_the_limit() -> None:
    err = _refused(scaffold.render, _container(env=[{"name": "A", "valueFrom": _nested(MAX_DEPTH - 10)}]))
    assert all(i.rule != "input" for i in err.issues)


def test_too_many_values_are_refused() -> None:
    err = _refused(scaffold.render, _base(labels={f"k{i}": "v" for i in range(MAX_NODES + 1)}))
    assert err.issues[0].rule == "input" and str(MAX_NODES) in err.issues[0].message


def test_more_than_a_mebibyte_of_text_is_refused() -> None:
    err = _refused(scaffold.render, _base(annotations={"a": "x" * (1024 * 1024 + 1)}))
    assert err.issues[0].rule == "input" and "1 MiB" in err.issues[0].message


@pytest.mark.parametrize("number", [10**5000, -(10**5000), 10**1001], ids=["1e5000", "-1e5000", "1e1001"])
def test_a_huge_integer_is_refused_not_a_value_error(number: int) -> None:
    err = _refused(scaffold.render, _base(replicas=number))
    assert err.issues[0].path == "replicas" and "too long" in err.issues[0].message
    err = _refused(scaffold.render, _container(env=[{"name": "A", "valueFrom": {"x": number}}]))
    assert "too long" in err.issues[0].message


def test_objects_that_are_not_plain_data_are_refused() -> None:
    err = _refused(scaffold.render, _container(env=[{"name": "A", "valueFrom": {"x": {1, 2}}}]))
    assert "plain data" in err.issues[0].message and err.issues[0].path == "containers[0].env[0].valueFrom.x"


# ----------------------------------------------------------------------------- overrides


def test_a_malformed_override_path_is_an_override_error() -> None:
    err = _refused(scaffold.render, "nginx", overrides={"a..b": 1})
    assert err.issues[0].rule == "override" and "a..b" in err.issues[0].message


@pytest.mark.parametrize("parts", [MAX_DEPTH + 1, 1000, 20_000])
def test_a_set_path_of_very_many_parts_is_an_override_error(parts: int) -> None:
    path = "labels." + ".".join(["a"] * (parts - 1))
    err = _refused(scaffold.render, "nginx", overrides=[f"{path}=1"])
    assert err.issues[0].rule == "override" and str(MAX_DEPTH) in err.issues[0].message
    err = _refused(scaffold.render, "nginx", overrides={path: 1})
    assert err.issues[0].rule == "override"


def test_a_set_path_of_very_many_parts_on_the_command_line_is_a_usage_error() -> None:
    """--set is parsed by the command line (docs/cli.md: a malformed --set is exit 2)."""
    proc = run_cli("validate", "nginx", "--set", "labels." + ".".join(["a"] * 1000) + "=1")
    assert proc.returncode == 2
    assert "the limit is 100" in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


# ----------------------------------------------------------------------------- argument types

BAD_CALLS = {
    "overrides str": dict(preset="nginx", overrides="replicas=2"),
    "overrides bytes": dict(preset="nginx", overrides=b"replicas=2"),
    "overrides int key": dict(preset="nginx", overrides={1: 2}),
    "overrides int": dict(preset="nginx", overrides=5),
    "overrides item": dict(preset="nginx", overrides=["replicas=2", 3]),
    "values str": dict(preset="nginx", values="values.yaml"),
    "values mapping": dict(preset="nginx", values={"replicas": 2}),
    "values item": dict(preset="nginx", values=[5]),
    "preset int": dict(preset=5),
    "preset None": dict(preset=None),
    "preset list": dict(preset=[{"name": "x"}]),
    "preset bytes path": dict(preset=b"nginx"),
}


@pytest.mark.parametrize("call", BAD_CALLS, ids=list(BAD_CALLS))
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_arguments_of_the_wrong_type_are_an_argument_type_error(entry: str, call: str) -> None:
    kwargs = dict(BAD_CALLS[call])
    preset = kwargs.pop("preset")
    with pytest.raises(ArgumentTypeError) as info:
        ENTRY_POINTS[entry](preset, **kwargs)
    assert isinstance(info.value, TypeError) and isinstance(info.value, ScaffoldError)


def test_a_string_of_overrides_is_not_read_one_character_at_a_time() -> None:
    with pytest.raises(ArgumentTypeError) as info:
        scaffold.render("nginx", overrides="replicas=2")
    assert "['replicas=2']" in str(info.value)
    assert scaffold.render("nginx", overrides=["replicas=2"])[0]["spec"]["replicas"] == 2


def test_strict_must_be_a_boolean() -> None:
    with pytest.raises(ArgumentTypeError):
        scaffold.build("nginx", strict="no")


@pytest.mark.parametrize("arg", [5, None, ["nginx"], b"nginx"])
def test_load_preset_checks_its_argument(arg: Any) -> None:
    with pytest.raises(ArgumentTypeError):
        scaffold.load_preset(arg)


def test_load_preset_refuses_a_file_with_non_string_keys(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("name: app\nlabels: {null: a}\n")
    err = _refused(scaffold.load_preset, str(path))
    assert err.issues[0].line == 2 and "keys must be strings" in err.issues[0].message


def test_a_bug_surfaces_as_internal_error_with_the_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    from scaffold.rendering import templates

    def broken(preset: Any) -> Any:
        raise ValueError("boom")

    monkeypatch.setattr(templates, "render_objects", broken)
    with pytest.raises(InternalError) as info:
        scaffold.render(_base())
    assert isinstance(info.value.__cause__, ValueError) and "boom" in str(info.value)


def test_a_wrong_signature_is_still_pythons_type_error() -> None:
    with pytest.raises(TypeError) as info:
        scaffold.render("nginx", overides={"replicas": 2})  # type: ignore[call-arg]
    assert not isinstance(info.value, ScaffoldError)


# ----------------------------------------------------------------------------- property

KEYS = st.one_of(st.text(max_size=8), st.none(), st.booleans(), st.integers(), st.floats(), st.sampled_from(["name", "containers", "labels", "image", "env", "replicas", "ports"]))
LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(), st.text(max_size=12),
    st.sampled_from([b"bytes", frozenset({1}), object(), "nginx:1.27", "http:8080", 80, "-1:30"]),
    st.builds(pow, st.just(10), st.sampled_from([400, 5000])),  # built, so no repr of it is needed
)
DATA = st.recursive(LEAVES, lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)), max_leaves=25)
PRESETS = st.one_of(
    DATA,
    st.fixed_dictionaries({"name": st.text(max_size=8), "containers": st.lists(st.dictionaries(KEYS, DATA, max_size=5), max_size=2)}, optional={"labels": DATA, "replicas": DATA, "service": DATA, "checks": DATA}),
)
OVERRIDES = st.one_of(st.none(), st.text(max_size=10), st.lists(st.one_of(st.text(max_size=20), st.integers())), st.dictionaries(KEYS, DATA, max_size=3), DATA)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(preset=PRESETS, overrides=OVERRIDES, entry=st.sampled_from(sorted(ENTRY_POINTS)))
def test_every_entry_point_raises_only_scaffold_errors(preset: Any, overrides: Any, entry: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            ENTRY_POINTS[entry](preset, overrides=overrides)
        except ScaffoldError as err:
            assert not isinstance(err, InternalError), err
            str(err)  # the message itself can be built
