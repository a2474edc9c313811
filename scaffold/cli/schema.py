"""``scaffold schema``: the preset format as JSON Schema, for editors and CI."""

from __future__ import annotations

import click


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of the preset format.

    Generated from the schema scaffold validates with. Save it beside your presets for your
    editor: `scaffold schema > .scaffold-schema.json` (see docs/editors.md).
    """
    from ..output import write
    from ..preset.jsonschema import schema_text

    write(schema_text())
