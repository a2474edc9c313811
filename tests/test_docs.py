"""Generated docs are current, and the README's commands are the ones CI runs."""

from __future__ import annotations

from conftest import ROOT
from scaffold.docgen.preset_format import render_markdown


def test_preset_format_doc_is_generated_from_the_schema():
    committed = (ROOT / "docs" / "preset-format.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "regenerate: python -m scaffold.docgen.preset_format > docs/preset-format.md"


def test_readme_starts_with_the_two_setup_commands_and_ci_runs_the_same_tests():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    blocks = readme.split("```")
    first_code = blocks[1]
    assert "scaffold render nginx" in first_code and "pip install" in first_code
    assert "python -m pytest -q" in first_code
    assert "python -m pytest -q" in ci and "'.[test]'" in ci
