"""A real wheel carries the templates and presets, and renders from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import PRESETS, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{proc.stderr[-2000:]}")
    (path,) = out.glob("*.whl")
    return path


def test_wheel_ships_templates_presets_data_and_py_typed(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").glob("*.j2"):
        assert f"scaffold/data/templates/{template.name}" in names
    for preset in PRESETS:
        assert f"scaffold/data/presets/{preset}.yaml" in names
    assert "scaffold/data/sizes.yaml" in names
    assert "scaffold/py.typed" in names


def test_installed_wheel_renders_every_preset_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "NO_COLOR": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import scaffold; print(scaffold.__file__)"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert where.startswith(str(target))
    for name in PRESETS:
        proc = subprocess.run(
            [sys.executable, "-m", "scaffold", "render", name, "-q"], cwd=elsewhere, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("---\napiVersion:")
