"""The library API as deployment scripts use it."""

from __future__ import annotations

import builtins
import subprocess
import sys

import pytest

import scaffold
from scaffold import Issue, PresetError, ScaffoldError


def test_public_api_is_small_and_listed_in_all():
    from scaffold import errors, pipeline

    expected = {
        "ArgumentTypeError": errors.ArgumentTypeError, "InternalError": errors.InternalError,
        "Issue": errors.Issue, "PresetError": errors.PresetError, "PresetNotFoundError": errors.PresetNotFoundError,
        "ScaffoldError": errors.ScaffoldError, "Rendered": pipeline.Rendered, "build": pipeline.build,
        "load_preset": pipeline.load_preset, "render": pipeline.render, "render_yaml": pipeline.render_yaml,
        "render_many": pipeline.render_many, "validate": pipeline.validate, "list_presets": scaffold.list_presets,
    }
    assert sorted(scaffold.__all__) == sorted(expected)
    for name, obj in expected.items():  # the lazy names resolve to the pipeline's own objects
        assert getattr(scaffold, name) is obj, name
    namespace: dict[str, object] = {}
    exec("from scaffold import *", namespace)  # noqa: S102 - every listed name is importable
    assert set(scaffold.__all__) <= set(namespace)
    with pytest.raises(AttributeError):
        scaffold.rendr  # noqa: B018 - a typo is an AttributeError, not None
    assert issubclass(PresetError, ScaffoldError)


def test_a_dict_renders_to_python_objects_without_touching_the_filesystem(monkeypatch):
    scaffold.render("web-app")  # warm up: templates and the size table load once per process

    def no_files(*args, **kwargs):
        raise AssertionError(f"filesystem touched: {args!r}")

    monkeypatch.setattr(builtins, "open", no_files)
    preset = {"name": "api", "containers": [{"name": "api", "image": "ghcr.io/acme/api:2.1.0", "ports": ["http:8000"]}], "service": True}
    dep, svc = scaffold.render(preset)
    assert dep["kind"] == "Deployment" and svc["kind"] == "Service"
    assert svc["spec"]["ports"] == [{"name": "http", "port": 8000, "targetPort": 8000}]


def test_the_callers_dict_is_not_modified():
    preset = {"name": "api", "containers": [{"name": "api", "image": "nginx:1.27", "ports": [80]}]}
    before = repr(preset)
    scaffold.render(preset, overrides={"replicas": 2})
    assert repr(preset) == before


def test_errors_carry_every_issue_with_path_rule_and_location(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: web\ncontainers:\n  - name: web\n    imagePullPolcy: Always\n    image: nginx:1.27\nreplica: 3\n")
    with pytest.raises(PresetError) as info:
        scaffold.render(str(path))
    issues = info.value.issues
    assert {i.path for i in issues} == {"containers[0].imagePullPolcy", "replica"}
    first = next(i for i in issues if i.path == "containers[0].imagePullPolcy")
    assert (first.file, first.line, first.column, first.rule, first.severity) == (str(path), 4, 5, "unknown-field", "error")
    assert isinstance(first, Issue)


def test_validate_returns_warnings_and_notices_not_errors():
    issues = scaffold.validate("myapp")
    assert issues and all(i.severity in ("warning", "notice") for i in issues)


def test_load_preset_returns_the_preset_as_written():
    data = scaffold.load_preset("nginx")
    assert data["name"] == "nginx-test" and "kind" in data and "size" not in data["containers"][0]


def test_unknown_preset_names_suggest_the_closest_builtin():
    with pytest.raises(scaffold.PresetNotFoundError, match="did you mean 'nginx'"):
        scaffold.render("ngnix")


def test_a_non_preset_argument_is_a_type_error():
    with pytest.raises(TypeError):
        scaffold.render(42)  # type: ignore[arg-type]


def test_importing_scaffold_loads_no_heavy_dependency():
    code = (
        "import sys, scaffold; heavy = {'jinja2', 'cerberus', 'questionary', 'click', 'yaml', 'prompt_toolkit'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_rendering_never_imports_the_wizard_or_cerberus():
    code = "import sys, scaffold; scaffold.render('nginx'); print(sorted({'questionary', 'prompt_toolkit', 'cerberus'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_shape_problems_and_rule_problems_are_reported_together():
    preset = {
        "name": "web",
        "containers": [{"name": "web", "image": "nginx:1.27", "imagePullPolcy": "Always", "ports": ["http:80"],
                        "size": "smal", "readinessProbe": {"httpGet": {"path": "/", "port": "htp"}}}],
    }
    with pytest.raises(PresetError) as info:
        scaffold.render(preset)
    rules = {(i.path, i.rule) for i in info.value.issues}
    assert rules == {
        ("containers[0].imagePullPolcy", "unknown-field"),
        ("containers[0].size", "schema"),
        ("containers[0].readinessProbe.httpGet.port", "probe-port-declared"),
    }


def test_rule_findings_about_a_field_with_a_shape_problem_are_not_repeated():
    preset = {"name": "web", "replicas": "two", "containers": [{"name": "web", "image": "nginx:1.27", "ports": [80]}], "service": True}
    with pytest.raises(PresetError) as info:
        scaffold.render(preset)
    assert [(i.path, i.rule) for i in info.value.issues + info.value.warnings if i.path == "replicas"] == [("replicas", "schema")]


@pytest.mark.parametrize(
    "preset",
    [{"containers": 5}, {"name": 3, "containers": []}, {"name": "x", "containers": [5, {"name": "y"}]}, {"name": "x"}],
)
def test_a_hopeless_shape_still_gets_a_clean_report(preset):
    with pytest.raises(PresetError) as info:
        scaffold.render(preset)
    assert info.value.issues and all(i.rule in ("schema", "unknown-field") for i in info.value.issues)


@pytest.mark.parametrize(
    ("preset", "path", "rule"),
    [
        ({"name": "web", "kind": "Pod", "replicas": 0, "containers": [{"name": "web", "image": "nginx:1.27"}]}, "replicas", "replicas-range"),
        ({"name": "web", "labels": {"app": "api"}, "containers": [{"name": "web", "image": "nginx:1.27"}]}, "labels.app", "label-format"),
        ({"name": "web", "service": True, "containers": [{"name": "web", "image": "nginx:1.27"}]}, "service", "service-ports"),
    ],
)
def test_normalize_only_fills_defaults_and_the_rule_engine_judges(preset, path, rule):
    from scaffold.preset.normalize import normalize
    from scaffold.preset.schema import validate_shape
    from scaffold.rules import REGISTRY

    shaped, _ = validate_shape(preset)
    _, notes = normalize(shaped)
    assert {i.rule for i in notes} <= {"default-size"} and all(i.severity == "notice" for i in notes)
    with pytest.raises(PresetError) as info:
        scaffold.render(preset)
    assert [(i.path, i.rule) for i in info.value.issues] == [(path, rule)]
    assert rule in REGISTRY and REGISTRY[rule].preset_check is not None


def test_checks_that_guard_the_render_cannot_be_ignored():
    preset = {"name": "web", "kind": "Pod", "replicas": 101, "checks": {"ignore": ["replicas-range"]},
              "containers": [{"name": "web", "image": "nginx:1.27"}]}
    with pytest.raises(PresetError) as info:
        scaffold.render(preset)
    assert [(i.path, i.rule) for i in info.value.issues] == [("replicas", "replicas-range")]


def test_a_shape_problem_and_a_preset_check_are_reported_together():
    preset = {"name": "web", "kind": "Pod", "replicas": 0, "containers": [{"name": "web", "image": "nginx:1.27", "size": "huge"}]}
    with pytest.raises(PresetError) as info:
        scaffold.render(preset)
    assert {(i.path, i.rule) for i in info.value.issues} == {("containers[0].size", "schema"), ("replicas", "replicas-range")}


def test_every_rule_id_a_render_reports_belongs_to_the_engine_or_the_schema():
    from scaffold.rules import REGISTRY

    presets = [
        {"name": "Web", "kind": "Pod", "replicas": 0, "labels": {"app": "x"}, "service": True,
         "containers": [{"name": "web", "image": "nginx", "resources": {}}]},
        {"name": "web", "containers": [{"name": "web", "image": "nginx", "ports": ["http:80"]}], "service": {"ports": []}},
        {"name": "web", "replicas": 101, "kind": "Pod", "containers": [{"name": "web", "image": "nginx:1.27"}]},
    ]
    for preset in presets:
        with pytest.raises(PresetError) as info:
            scaffold.render(preset)
        rules = {i.rule for i in info.value.issues + info.value.warnings}
        assert rules and rules <= set(REGISTRY) | {"schema", "unknown-field", "default-size"}, rules


def test_renders_from_several_threads_agree():
    from concurrent.futures import ThreadPoolExecutor

    names = ["web-app", "myapp", "lifecycle-demo", "nginx"] * 6
    expected = {name: scaffold.render_yaml(name) for name in set(names)}
    bad = {"name": "x", "containers": [{"name": "x", "image": "nginx:1.27", "size": "huge"}]}
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(scaffold.render_yaml, names))
        errors = list(pool.map(lambda _: _error_paths(bad), range(8)))
    assert results == [expected[n] for n in names]
    assert errors == [["containers[0].size"]] * 8


def _error_paths(preset):
    try:
        scaffold.render(preset)
    except PresetError as err:
        return [i.path for i in err.issues]
    return []
