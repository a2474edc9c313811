"""The command line, through click's runner and as a real subprocess."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from conftest import PRESETS, ROOT
from scaffold.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def test_presets_lists_every_builtin_with_its_summary(runner):
    result = runner.invoke(main, ["presets"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == PRESETS
    assert all(len(line.split(None, 1)[1]) > 10 for line in lines)


def test_presets_show_prints_the_file_as_written(runner):
    result = runner.invoke(main, ["presets", "show", "nginx"])
    assert result.exit_code == 0
    assert result.output == (ROOT / "presets" / "nginx.yaml").read_text()


def test_presets_show_unknown_name_exits_1_with_suggestion(runner):
    result = runner.invoke(main, ["presets", "show", "ngin"])
    assert result.exit_code == 1 and "did you mean 'nginx'" in result.output


def test_render_builtin_by_name_prints_yaml(runner):
    result = runner.invoke(main, ["render", "nginx"])
    assert result.exit_code == 0
    (dep,) = list(yaml.safe_load_all(result.stdout))
    assert dep["metadata"]["name"] == "nginx-test"


def test_render_json_is_a_list(runner):
    result = runner.invoke(main, ["render", "myapp", "-o", "json", "-q"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["kind"] == "List"


def test_set_and_values_apply_in_command_line_order(runner, tmp_path):
    values = tmp_path / "prod.yaml"
    values.write_text("replicas: 7\n")
    result = runner.invoke(main, ["render", "nginx", "--set", "replicas=5", "-f", str(values)])
    assert yaml.safe_load(result.stdout)["spec"]["replicas"] == 7
    result = runner.invoke(main, ["render", "nginx", "-f", str(values), "--set", "replicas=5"])
    assert yaml.safe_load(result.stdout)["spec"]["replicas"] == 5
    result = runner.invoke(main, ["render", "nginx", f"--values={values}", "--set=replicas=4"])
    assert yaml.safe_load(result.stdout)["spec"]["replicas"] == 4


def test_render_reads_stdin(runner):
    text = (ROOT / "presets" / "liveness-tcp.yaml").read_text()
    result = runner.invoke(main, ["render", "-"], input=text)
    assert result.exit_code == 0 and "liveness-tcp" in result.stdout


def test_invalid_preset_exits_1_with_located_messages_and_no_output(runner, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: web\nkind: Deploymnt\ncontainers:\n  - name: web\n    image: nginx:1.27\n")
    result = runner.invoke(main, ["render", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"{path}:2:1: kind: 'Deploymnt' is not one of Deployment, Pod; did you mean 'Deployment'? [schema]" in result.stderr


def test_default_size_notice_goes_to_stderr_and_quiet_hides_it(runner):
    result = runner.invoke(main, ["render", "myapp"])
    assert "using size small" in result.stderr and "using size small" not in result.stdout
    result = runner.invoke(main, ["render", "myapp", "-q"])
    assert "using size small" not in result.stderr


def test_validate_says_ok_and_exits_0(runner):
    result = runner.invoke(main, ["validate", "web-app"])
    assert result.exit_code == 0 and "ok:" in result.stdout


def test_usage_errors_exit_2(runner):
    assert runner.invoke(main, ["render"]).exit_code == 2
    assert runner.invoke(main, ["render", "nginx", "-o", "xml"]).exit_code == 2


def test_version_option(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and "scaffold" in result.output


# --- as a real process ----------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_subprocess_render_of_every_builtin_from_another_directory(cli, tmp_path, name):
    result = cli("render", name, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("---\napiVersion:")
    assert "Traceback" not in result.stderr


def test_subprocess_missing_file_is_exit_1_without_traceback(cli, tmp_path):
    result = cli("render", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot read 'missing.yaml'" in result.stderr and "Traceback" not in result.stderr


def test_subprocess_no_color_means_no_escape_codes(cli, tmp_path):
    result = cli("render", "myapp", cwd=tmp_path)
    assert "\x1b[" not in result.stderr


def test_subprocess_writes_nothing_on_failure(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("name: web\ncontainers: 5\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli("render", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# --- findings of built-in presets -----------------------------------------------------------


def _mark(text: str, path: str) -> tuple[int, int]:
    """Line and column (1-based) of the deepest node of ``path`` present in ``text`` (PyYAML)."""
    import re

    node = yaml.compose(text)
    mark = node.start_mark
    for part in re.findall(r"[^.\[\]]+", path):
        if isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
            mark = node.start_mark
        elif isinstance(node, yaml.MappingNode) and any(k.value == part for k, _ in node.value):
            key, node = next((k, v) for k, v in node.value if k.value == part)
            mark = key.start_mark
        else:
            break
    return mark.line + 1, mark.column + 1


@pytest.mark.parametrize("name", PRESETS)
def test_findings_of_a_builtin_cite_it_by_name_at_the_place_presets_show_prints(runner, name):
    import re

    shown = runner.invoke(main, ["presets", "show", name]).stdout
    result = runner.invoke(main, ["validate", name])
    assert result.exit_code == 0
    lines = [line for line in result.stdout.splitlines() if re.match(r"\S.*:\d+:\d+: ", line)]
    assert "presets/" not in result.stdout + result.stderr
    for line in lines:
        m = re.match(rf"{re.escape(name)} \(built-in\):(\d+):(\d+): (\S+): ", line)
        assert m, line
        assert (int(m[1]), int(m[2])) == _mark(shown, m[3]), line


def test_set_problems_have_one_form_set_path_message(runner):
    out_of_range = runner.invoke(main, ["render", "nginx", "--set", "containers[3].image=x"])
    wrong_type = runner.invoke(main, ["render", "nginx", "--set", "replicas=abc"])
    assert out_of_range.exit_code == wrong_type.exit_code == 1
    assert out_of_range.stderr.splitlines()[0].startswith("--set: containers[3].image: index 3 is out of range")
    assert wrong_type.stderr.splitlines()[0].startswith("--set: replicas: ")
