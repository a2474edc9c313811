"""Golden output per built-in preset: the exact bytes `scaffold render NAME` prints.

Regenerate after an intended change, then read the diff line by line:

    SCAFFOLD_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
    git diff tests/golden/
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import scaffold
from conftest import PRESETS

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", PRESETS)
def test_render_matches_golden_file(name):
    text = scaffold.render_yaml(name)
    path = GOLDEN / f"{name}.yaml"
    if os.environ.get("SCAFFOLD_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file for {name}; run SCAFFOLD_UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_preset():
    assert sorted(p.stem for p in GOLDEN.glob("*.yaml")) == PRESETS
