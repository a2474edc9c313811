"""The pre-commit hooks (.pre-commit-hooks.yaml): their entries run on good and bad files the
way pre-commit runs them (all matching files in one call), and their `files:` patterns pick
presets and manifests."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import scaffold
from conftest import ROOT

HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}

GOOD_PRESET = "name: web\ncontainers:\n  - name: web\n    image: nginx:1.27\n    ports: [80]\n"
BAD_PRESET = "name: broken\ncontainers:\n  - name: web\n    image: nginx:1.27\n    imagePolicy: Always\n"
BAD_MANIFEST = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers:\n"
    "    - name: app\n      image: nginx:1.27\n      ports: [{containerPort: 99999}]\n"
)


def run_hook(hook_id: str, files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a hook's entry as pre-commit does: the entry, its args, then the file names."""
    hook = HOOKS[hook_id]
    argv = shlex.split(hook["entry"]) + list(hook.get("args", []))
    assert argv[0] == "scaffold"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "scaffold", *argv[1:], *[str(f.relative_to(cwd)) for f in files]]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def matches(hook_id: str, name: str) -> bool:
    hook = HOOKS[hook_id]
    if not re.search(hook.get("files", ""), name):
        return False
    return not (hook.get("exclude") and re.search(hook["exclude"], name))


def test_the_hooks_file_declares_both_hooks_as_pre_commit_wants_them() -> None:
    assert set(HOOKS) == {"scaffold-validate", "scaffold-lint"}
    for hook in HOOKS.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this repository, which provides `scaffold`
        re.compile(hook["files"])
        assert hook.get("pass_filenames", True) is True


@pytest.mark.parametrize("name", ["web.preset.yaml", "apps/web.preset.yml", "presets/nginx.yaml", "deploy/presets/a/b.yaml"])
def test_validate_hook_picks_preset_files(name: str) -> None:
    assert matches("scaffold-validate", name)


@pytest.mark.parametrize("name", ["k8s/web.yaml", "web.answers.yaml", "presets/web.answers.yaml", "values.yaml", ".github/workflows/ci.yaml"])
def test_validate_hook_leaves_other_yaml_alone(name: str) -> None:
    assert not matches("scaffold-validate", name)


@pytest.mark.parametrize("name", ["k8s/web.yaml", "deploy/prod/app.yml", "manifests/a.yaml", "infra/kubernetes/svc.yaml"])
def test_lint_hook_picks_manifest_files(name: str) -> None:
    assert matches("scaffold-lint", name)


@pytest.mark.parametrize("name", ["k8s/kustomization.yaml", "deploy/chart/templates/deployment.yaml", "presets/web.yaml", "docker-compose.yaml"])
def test_lint_hook_leaves_other_yaml_alone(name: str) -> None:
    assert not matches("scaffold-lint", name)


def test_validate_hook_passes_good_presets(tmp_path: Path) -> None:
    files = [tmp_path / "a.preset.yaml", tmp_path / "presets" / "b.yaml"]
    files[1].parent.mkdir()
    for f in files:
        f.write_text(GOOD_PRESET)
    result = run_hook("scaffold-validate", files, tmp_path)
    assert result.returncode == 0, result.stderr


def test_validate_hook_fails_on_a_bad_preset_and_reports_every_file(tmp_path: Path) -> None:
    good = tmp_path / "good.preset.yaml"
    bad = tmp_path / "bad.preset.yaml"
    worse = tmp_path / "worse.preset.yaml"
    good.write_text(GOOD_PRESET)
    bad.write_text(BAD_PRESET)
    worse.write_text(BAD_PRESET.replace("imagePolicy: Always", "size: huge"))
    result = run_hook("scaffold-validate", [bad, good, worse], tmp_path)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "bad.preset.yaml:5:5: containers[0].imagePolicy" in out
    assert "worse.preset.yaml:5:5: containers[0].size" in out


def test_lint_hook_passes_good_manifests_and_fails_on_a_bad_one(tmp_path: Path) -> None:
    folder = tmp_path / "k8s"
    folder.mkdir()
    good = [folder / "nginx.yaml", folder / "web.yaml"]
    good[0].write_text(scaffold.render_yaml("nginx"))
    good[1].write_text(scaffold.render_yaml("web-app"))
    assert run_hook("scaffold-lint", good, tmp_path).returncode == 0
    bad = folder / "bad.yaml"
    bad.write_text(BAD_MANIFEST)
    result = run_hook("scaffold-lint", [good[0], bad, good[1]], tmp_path)
    assert result.returncode == 1
    assert "k8s/bad.yaml" in result.stdout and "99999" in result.stdout
