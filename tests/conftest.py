"""Shared test helpers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRESETS = sorted(p.stem for p in (ROOT / "presets").glob("*.yaml"))


def run_cli(*args: str, cwd: Path | None = None, input: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m scaffold ARGS`` as a real subprocess (text output, no colour)."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("SCAFFOLD_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        timeout=timeout,
        env=env,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    )


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def runner():
    """click's in-process runner for the command line."""
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def built_nodes(monkeypatch):
    """How many YAML nodes the loader builds into values and keys, counted from outside.

    Bounds the work of loading hostile input by a count, not by the wall clock (which a
    busy machine stretches): every value and key goes through ``_Builder.node``/``key``.
    """
    from scaffold import loader

    counter = {"n": 0}
    for name in ("node", "key"):
        original = getattr(loader._Builder, name)

        def counted(self, *args, _original=original, **kwargs):
            counter["n"] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(loader._Builder, name, counted)
    return counter
