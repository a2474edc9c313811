"""Shell completion: `scaffold completion bash|zsh|fish`, and what completes, through click's
completion API (the one the scripts call via _SCAFFOLD_COMPLETE)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from conftest import PRESETS, ROOT
from scaffold.cli import COMMANDS, main
from scaffold.explain.knowledge import topics


def complete(*args: str, incomplete: str = "") -> list[tuple[str, str]]:
    """(value, type) of each completion of ``scaffold ARGS INCOMPLETE``."""
    comp = ShellComplete(main, {}, "scaffold", "_SCAFFOLD_COMPLETE")
    return [(item.value, item.type) for item in comp.get_completions(list(args), incomplete)]


def values(*args: str, incomplete: str = "") -> list[str]:
    return [v for v, kind in complete(*args, incomplete=incomplete) if kind == "plain"]


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "complete -o nosort -F _scaffold_completion scaffold"),
    ("zsh", "#compdef scaffold"),
    ("fish", "complete --no-files --command scaffold"),
])
def test_completion_prints_the_shells_script(shell: str, marker: str) -> None:
    result = CliRunner().invoke(main, ["completion", shell])
    assert result.exit_code == 0, result.output
    assert marker in result.stdout
    assert "_SCAFFOLD_COMPLETE" in result.stdout


def test_completion_refuses_an_unknown_shell() -> None:
    result = CliRunner().invoke(main, ["completion", "tcsh"])
    assert result.exit_code == 2


def test_command_names_complete_from_the_table() -> None:
    assert values() == sorted(COMMANDS)
    assert values(incomplete="re") == ["render"]
    assert {"schema", "completion"} <= set(values())


def test_completing_command_names_loads_no_command() -> None:
    code = (
        "import sys\n"
        "from click.shell_completion import ShellComplete\n"
        "from scaffold.cli import main\n"
        "items = ShellComplete(main, {}, 'scaffold', '_SCAFFOLD_COMPLETE').get_completions([], '')\n"
        "assert len(items) > 5\n"
        "print(sorted(m for m in sys.modules if m.startswith('scaffold.cli.') and m[13:14] != '_'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("args", [("render",), ("validate",), ("presets", "show"), ("render", "nginx"), ("validate", "nginx", "myapp")])
def test_preset_names_complete_where_a_preset_goes(args: tuple[str, ...]) -> None:
    assert values(*args) == PRESETS
    assert values(*args, incomplete="liveness-") == [p for p in PRESETS if p.startswith("liveness-")]
    assert ("", "file") in complete(*args)  # and files, which the shell lists


def test_new_from_completes_preset_names() -> None:
    assert values("new", "--from", incomplete="web") == ["web-app"]
    assert ("web", "file") in complete("new", "--from", incomplete="web")


def test_a_path_completes_as_a_file_only() -> None:
    assert complete("render", incomplete="./pre") == [("./pre", "file")]


def test_options_of_a_lazy_command_complete() -> None:
    assert {"--out-dir", "--output", "--set", "--strict"} <= set(values("render", incomplete="--"))


def test_explain_completes_every_reason_case_insensitively() -> None:
    names = {n for t in topics() for n in (t.name, *t.aliases)}
    assert set(values("explain")) == names
    crash = values("explain", incomplete="crash")
    assert "CrashLoopBackOff" in crash
    assert all(n.lower().startswith("crash") for n in crash)


def test_the_environment_variable_protocol_answers(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_SCAFFOLD_COMPLETE": "bash_complete",
           "COMP_WORDS": "scaffold explain ImagePull", "COMP_CWORD": "2"}
    out = subprocess.run([sys.executable, "-m", "scaffold"], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "plain,ImagePullBackOff" in out.stdout.splitlines()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_script_completes_preset_names_end_to_end(tmp_path: Path) -> None:
    """The printed script, sourced in a real bash, asks scaffold and fills COMPREPLY."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "scaffold"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} -m scaffold \"$@\"\n")
    wrapper.chmod(0o755)
    script = CliRunner().invoke(main, ["completion", "bash"]).stdout
    (tmp_path / "scaffold.bash").write_text(script)
    probe = ("source ./scaffold.bash; COMP_WORDS=(scaffold render web); COMP_CWORD=2; "
             "_scaffold_completion scaffold; printf '%s\\n' \"${COMPREPLY[@]}\"")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    out = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "web-app" in out.stdout.split()
