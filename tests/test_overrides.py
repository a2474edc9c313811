"""--set and -f: layers applied in order before validation."""

from __future__ import annotations

import pytest

import scaffold
from scaffold.errors import PresetError
from scaffold.preset.overrides import Override, apply_layers, deep_merge, set_path


def test_set_parses_the_value_as_yaml():
    assert Override.parse("replicas=5") == Override(("replicas",), 5)
    assert Override.parse("containers[0].image=nginx:1.27") == Override(("containers", 0, "image"), "nginx:1.27")
    assert Override.parse("labels.tier='001'").value == "001"
    assert Override.parse("x=a=b").value == "a=b"


def test_set_without_equals_or_with_a_broken_path_is_a_preset_error():
    for bad in ("replicas", "a..b=1", "a[x]=1"):
        with pytest.raises(PresetError) as info:
            Override.parse(bad)
        assert info.value.issues[0].rule == "override"


def test_set_path_creates_mappings_and_appends_at_the_end_of_a_list():
    assert set_path({}, ("a", "b"), 1) == {"a": {"b": 1}}
    assert set_path({"l": [1]}, ("l", 1), 2) == {"l": [1, 2]}
    assert set_path({"l": [1, 2]}, ("l", -1), 9) == {"l": [1, 9]}
    with pytest.raises(ValueError):
        set_path({"l": [1]}, ("l", 5), 2)
    with pytest.raises(ValueError):
        set_path({"l": "text"}, ("l", 0), 2)


def test_null_removes_a_key():
    assert set_path({"a": 1, "b": 2}, ("a",), None) == {"b": 2}
    assert deep_merge({"a": {"x": 1, "y": 2}}, {"a": {"x": None}}) == {"a": {"y": 2}}


def test_values_merge_mappings_and_replace_lists():
    base = {"labels": {"a": "1"}, "containers": [{"name": "x"}, {"name": "y"}]}
    merged = deep_merge(base, {"labels": {"b": "2"}, "containers": [{"name": "z"}]})
    assert merged == {"labels": {"a": "1", "b": "2"}, "containers": [{"name": "z"}]}
    assert base["labels"] == {"a": "1"}  # the input is not modified


def test_layers_apply_in_the_order_given(tmp_path):
    values = tmp_path / "prod.yaml"
    values.write_text("replicas: 7\n")
    assert apply_layers({"replicas": 1}, [Override(("replicas",), 5), str(values)])["replicas"] == 7
    assert apply_layers({"replicas": 1}, [str(values), Override(("replicas",), 5)])["replicas"] == 5


def test_overrides_reach_the_rendered_objects():
    (dep,) = scaffold.render("nginx", overrides=["replicas=5", "containers[0].image=nginx:1.27"])
    assert dep["spec"]["replicas"] == 5
    assert dep["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    (dep,) = scaffold.render("nginx", overrides={"containers[0].resources.limits.cpu": "2"})
    assert dep["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "2"


def test_overridden_values_are_validated_like_any_preset():
    with pytest.raises(PresetError) as info:
        scaffold.render("nginx", overrides=["replicas=many"])
    assert [i.path for i in info.value.issues] == ["replicas"]


def test_a_values_file_that_is_not_a_mapping_is_refused(tmp_path):
    values = tmp_path / "v.yaml"
    values.write_text("- 1\n")
    with pytest.raises(PresetError) as info:
        scaffold.render("nginx", values=[values])
    assert "mapping" in info.value.issues[0].message


def test_a_problem_in_an_overridden_value_points_at_the_override_not_the_preset_file():
    with pytest.raises(PresetError) as info:
        scaffold.render("nginx", overrides=["containers[0].resources.limits.memory=128m"])
    (issue,) = [i for i in info.value.issues if i.rule == "quantity-format"]
    assert (issue.file, issue.line) == ("--set", None)
    assert issue.path == "containers[0].resources.limits.memory"


def test_a_problem_from_a_values_file_points_at_its_line_and_column(tmp_path):
    values = tmp_path / "prod.yaml"
    values.write_text("replicas: 2\ncontainers:\n  - name: nginx\n    image: nginx:1.27\n    resources: {limits: {cpu: 1 core}}\n")
    with pytest.raises(PresetError) as info:
        scaffold.render("nginx", values=[values])
    (issue,) = [i for i in info.value.issues if i.rule == "quantity-format"]
    assert (issue.file, issue.line, issue.column) == (str(values), 5, 26)


def test_fields_no_layer_touched_still_point_at_the_preset_file():
    result = scaffold.build("nginx", overrides=["replicas=5"])
    (issue,) = [i for i in result.issues if i.rule == "image-tag-pinned"]
    assert issue.file == "nginx (built-in)" and issue.line == 12
