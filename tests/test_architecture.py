"""The layering and typing contracts (docs/architecture.md), checked by their own tools."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def test_no_module_imports_from_a_layer_above_its_own():
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "1 kept, 0 broken" in proc.stdout


def test_the_layers_contract_catches_an_upward_import(tmp_path):
    """The contract can fail: a copy of the package where rules imports the CLI breaks it."""
    import shutil

    shutil.copytree(ROOT / "scaffold", tmp_path / "scaffold")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "scaffold" / "rules" / "common.py"
    target.write_text(target.read_text() + textwrap.dedent("""
        def _upward() -> None:
            from ..cli import main  # noqa: F401
    """))
    proc = _lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "scaffold.rules is not allowed to import scaffold.cli" in proc.stdout


@pytest.mark.skipif(os.environ.get("SCAFFOLD_SKIP_MYPY") == "1", reason="SCAFFOLD_SKIP_MYPY=1")
def test_the_package_type_checks():
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:]
