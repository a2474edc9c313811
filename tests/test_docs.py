"""Generated docs are current, and the README's commands are the ones CI runs.

The committed files are compared with what the documented command prints, run as people run
it (``python -m ...`` in a fresh process); and each check is shown to fail when the source of
the docs changes, so it cannot pass by comparing the generator with itself.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

GENERATED = {
    "docs/preset-format.md": "scaffold.docgen.preset_format",
    "docs/validation.md": "scaffold.docgen.validation",
}


@pytest.mark.parametrize("path", sorted(GENERATED))
def test_committed_doc_is_what_its_generator_prints(path):
    committed = (ROOT / path).read_bytes()
    printed = subprocess.run(
        [sys.executable, "-m", GENERATED[path]], capture_output=True, check=True, timeout=120,
        env={**os.environ, "PYTHONHASHSEED": "7"},
    ).stdout
    assert printed == committed, f"regenerate: python -m {GENERATED[path]} > {path}"


def test_preset_format_check_fails_when_the_schema_changes(monkeypatch):
    from scaffold.docgen.preset_format import render_markdown
    from scaffold.preset.schema import SCHEMA

    committed = (ROOT / "docs" / "preset-format.md").read_text(encoding="utf-8")
    assert render_markdown() == committed
    monkeypatch.setitem(SCHEMA["replicas"], "meta", {"doc": "How many, changed."})
    assert render_markdown() != committed


def test_validation_check_fails_when_a_rule_changes(monkeypatch):
    from scaffold.docgen.validation import render
    from scaffold.rules import REGISTRY, _load_rule_modules

    _load_rule_modules()
    committed = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert render() == committed
    rule = REGISTRY["image-tag-pinned"]
    monkeypatch.setitem(REGISTRY, rule.id, rule._replace(summary="Changed."))
    assert render() != committed


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_same_tests():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = readme.split("```")
    first_code = blocks[1]
    assert "scaffold render nginx" in first_code and "pip install" in first_code
    assert "python -m pytest -q" in first_code
    assert "python -m pytest -q" in ci and "'.[test]'" in ci
