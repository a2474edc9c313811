"""The command line, through click's runner and as a real subprocess."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import PRESETS, ROOT
from scaffold.cli import main


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
    assert f"{path}:2:1: kind: 'Deploymnt' is not one of Deployment, Pod, StatefulSet, DaemonSet, Job, CronJob; did you mean 'Deployment'? [schema]" in result.stderr


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


# --- validate -o json|sarif: the shared output layer -----------------------------------------

BAD_PRESET = (
    "name: web\n"
    "containers:\n"
    "  - name: web\n"
    "    image: nginx:latest\n"
    "    resources: {limits: {cpu: 1 core}}\n"
)


def test_validate_json_of_a_good_preset_has_summary_notes_and_every_issue(runner):
    result = runner.invoke(main, ["validate", "nginx", "-o", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    text = runner.invoke(main, ["validate", "nginx"]).stdout.splitlines()
    issue_lines = [line for line in text if line.startswith("nginx (built-in):")]
    assert len(doc["issues"]) == len(issue_lines) > 0
    severities = [i["severity"] for i in doc["issues"]]
    assert doc["summary"] == {**doc["summary"], "objects": 1, "errors": 0,
                              "warnings": severities.count("warning"), "notices": severities.count("notice")}
    assert "Deployment/nginx-test: QoS Burstable" in doc["notes"]
    (tag,) = [i for i in doc["issues"] if i["rule"] == "image-tag-pinned"]
    assert (tag["line"], tag["column"], tag["path"]) == (12, 5, "containers[0].image")


def test_validate_json_of_a_bad_preset_is_on_stdout_with_exit_1(runner, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_PRESET)
    result = runner.invoke(main, ["validate", str(path), "-o", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    errors = [i for i in doc["issues"] if i["severity"] == "error"]
    assert doc["summary"]["errors"] == len(errors) >= 1
    assert {"file": str(path), "line": 5, "rule": "quantity-format"}.items() <= errors[0].items()


def test_validate_strict_json_exits_1_on_warnings_like_text(runner):
    assert runner.invoke(main, ["validate", "nginx", "--strict"]).exit_code == 1
    result = runner.invoke(main, ["validate", "nginx", "--strict", "-o", "json"])
    assert result.exit_code == 1 and json.loads(result.stdout)["summary"]["warnings"] >= 1


@pytest.mark.parametrize("preset", ["nginx", "bad"])
def test_validate_sarif_is_sarif_2_1_0(runner, tmp_path, preset):
    import jsonschema
    from test_lint import SARIF_SUBSET

    if preset == "bad":
        preset = str(tmp_path / "bad.yaml")
        (tmp_path / "bad.yaml").write_text(BAD_PRESET)
    result = runner.invoke(main, ["validate", preset, "-o", "sarif"])
    assert result.exit_code == (0 if preset == "nginx" else 1)
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SARIF_SUBSET)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["results"] and all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    expected = json.loads(runner.invoke(main, ["validate", preset, "-o", "json"]).stdout)["issues"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]] == [
        (i["rule"], i["line"]) for i in expected
    ]


# --- the error boundary, in the group ---------------------------------------------------------


def _boom(exc):
    def raiser(*args, **kwargs):
        raise exc

    return raiser


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["presets"], "scaffold.preset.builtins.builtin_presets"),
        (["presets", "show", "nginx"], "scaffold.pipeline.preset_text"),
        (["render", "nginx"], "scaffold.pipeline.build"),
        (["validate", "nginx"], "scaffold.pipeline.check"),
        (["lint", "-"], "scaffold.lint.lint_report"),
    ],
)
def test_every_command_is_inside_the_boundary(runner, monkeypatch, args, target):
    from scaffold.errors import ScaffoldError

    monkeypatch.delenv("SCAFFOLD_DEBUG", raising=False)
    monkeypatch.setattr(target, _boom(RuntimeError("kaput")))
    result = runner.invoke(main, args)
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert result.stderr == "internal error: RuntimeError: kaput (a bug in scaffold; SCAFFOLD_DEBUG=1 shows the traceback)\n"

    monkeypatch.setattr(target, _boom(KeyboardInterrupt()))
    result = runner.invoke(main, args)
    assert result.exit_code == 130 and result.stderr == "interrupted\n"

    monkeypatch.setattr(target, _boom(ScaffoldError("no such thing")))
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and result.stderr == "error: no such thing\n"

    monkeypatch.setenv("SCAFFOLD_DEBUG", "1")
    monkeypatch.setattr(target, _boom(RuntimeError("kaput")))
    result = runner.invoke(main, args)
    assert isinstance(result.exception, RuntimeError)


def test_preset_error_report_hides_notices_with_quiet(runner, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_PRESET)
    loud = runner.invoke(main, ["render", str(path)])
    quiet = runner.invoke(main, ["render", str(path), "-q"])
    assert loud.exit_code == quiet.exit_code == 1
    assert "notice:" in loud.stderr and "notice:" not in quiet.stderr
    assert quiet.stderr.endswith("1 problem found; nothing was rendered\n")


def test_commands_in_their_own_modules_need_no_boundary_of_their_own():
    cli = ROOT / "scaffold" / "cli"
    for name in ["render.py", "validate.py", "presets.py", "lint.py"]:
        text = (cli / name).read_text()
        assert "boundary" not in text and "try:" not in text and "except" not in text, name


def test_lint_library_has_no_command_line_in_it():
    text = (ROOT / "scaffold" / "lint.py").read_text()
    assert "import click" not in text and "lint_command" not in text


def test_cold_render_imports_no_other_command_and_no_report_format(tmp_path):
    code = (
        "import sys\nsys.argv = ['scaffold', 'render', 'nginx', '-q']\nfrom scaffold._entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('scaffold.cli.', 'scaffold.output.', 'scaffold.lint', "
        "'scaffold.wizard', 'scaffold.explain', 'questionary', 'jsonschema', 'ruamel'))), file=sys.stderr)\n"
    )
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "['scaffold.cli._boundary', 'scaffold.cli._options', 'scaffold.cli.render', 'scaffold.output.text']"


def test_help_lists_the_commands_without_importing_them(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom scaffold.cli import main\n"
        "CliRunner().invoke(main, ['--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('scaffold.cli.', 'scaffold.wizard', 'scaffold.explain', 'questionary'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert out.strip() == "['scaffold.cli._boundary']"


# --- friction: --set usage, presets show FILE, built-in labels, --help -------------------------


@pytest.mark.parametrize("value", ["replicas", "a[=1", "replicas=[1"])
def test_malformed_set_is_a_usage_error_exit_2(runner, value):
    result = runner.invoke(main, ["render", "nginx", "--set", value])
    assert result.exit_code == 2
    assert "Invalid value for '--set'" in result.stderr and repr(value) in result.stderr
    assert result.stdout == ""


def test_set_problems_have_one_form_set_path_message(runner):
    out_of_range = runner.invoke(main, ["render", "nginx", "--set", "containers[3].image=x"])
    wrong_type = runner.invoke(main, ["render", "nginx", "--set", "replicas=abc"])
    assert out_of_range.exit_code == wrong_type.exit_code == 1
    assert out_of_range.stderr.splitlines()[0].startswith("--set: containers[3].image: index 3 is out of range")
    assert wrong_type.stderr.splitlines()[0].startswith("--set: replicas: ")


def test_presets_show_accepts_a_file_like_render(runner, tmp_path, monkeypatch):
    text = "# my web app\nname: web\ncontainers: [{name: web, image: nginx:1.27}]\n"
    (tmp_path / "web.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["presets", "show", "./web.yaml"])
    assert result.exit_code == 0 and result.stdout == text
    assert runner.invoke(main, ["render", "./web.yaml"]).exit_code == 0
    result = runner.invoke(main, ["presets", "show", "-"], input=text)
    assert result.exit_code == 0 and result.stdout == text
    result = runner.invoke(main, ["presets", "show", "./missing.yaml"])
    assert result.exit_code == 1 and "cannot read './missing.yaml'" in result.stderr


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


def test_help_summaries_are_whole_sentences(runner):
    for args in (["--help"], ["presets", "--help"]):
        out = runner.invoke(main, args, terminal_width=80).stdout
        section = out.split("Commands:\n", 1)[1]
        entries: list[str] = []
        for line in section.splitlines():
            if not line.strip():
                break
            if line.startswith("  ") and not line.startswith("   "):
                entries.append(line.split(None, 1)[1])
            else:
                entries[-1] += " " + line.strip()
        assert entries
        for summary in entries:
            assert summary.endswith(".") and not summary.endswith(("e.g.", "i.e.", "...")), summary
            assert summary.count("(") == summary.count(")"), summary
