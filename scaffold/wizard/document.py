"""The preset file the wizard writes: fields in the schema's order, a header saying where it
came from, block YAML with short leaf lists inline (how presets are written by hand)."""

from __future__ import annotations

import copy
import shlex
from pathlib import Path
from typing import Any

from . import vocab


def _ordered(mapping: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    return {**{k: mapping[k] for k in order if k in mapping}, **{k: x for k, x in mapping.items() if k not in order}}


def tidy(draft: dict[str, Any]) -> dict[str, Any]:
    """The draft as a preset: ``apiVersion`` first, then every field in the schema's order."""
    from ..preset.schema import API_VERSION

    out = _ordered({"apiVersion": API_VERSION, **copy.deepcopy(draft)}, vocab.fields())
    for group in ("containers", "initContainers"):
        if isinstance(out.get(group), list):
            order = vocab.fields(group)
            out[group] = [_ordered(c, order) if isinstance(c, dict) else c for c in out[group]]
    return out


def dump_yaml(data: Any) -> str:
    """Block style, with flow style for short leaf lists/maps."""
    import yaml

    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True, width=120)


#: Where the modeline of a written preset looks for the JSON Schema (beside the preset).
SCHEMA_FILE = ".scaffold-schema.json"


def preset_text(preset: dict[str, Any], path: Path, answers_path: Path | None) -> str:
    """The preset file: a header saying how to render it and replay the run, then the YAML."""
    header = [
        # Editors check the file against the format (docs/editors.md); the schema file is
        # written with `scaffold schema > .scaffold-schema.json`.
        f"# yaml-language-server: $schema={SCHEMA_FILE}",
        f"# Written by `scaffold new`. Render it: scaffold render {shlex.quote(path.name)}",
    ]
    if answers_path is not None:
        header.append(f"# The answers that produced it are in {answers_path.name}: "
                      f"scaffold new --answers {shlex.quote(answers_path.name)}")
    return "\n".join(header) + "\n" + dump_yaml(preset)
