"""The ``scaffold`` command: the group, its table of commands, and the error boundary.

One module per command (``scaffold/cli/render.py`` ...), loaded only when used, so a cold
``scaffold render`` imports neither the wizard (questionary) nor lint nor explain. A command
parses options, makes one library call and hands the result to the output layer
(``scaffold.output``); it holds no logic and needs no ``try``: the group runs every command
inside :func:`boundary` (scaffold errors -> message + exit 1, Ctrl-C -> 130, usage -> 2).
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

from .._version import __version__
from ._boundary import QUIET, boundary

__all__ = ["COMMANDS", "QUIET", "boundary", "main"]

#: name -> ("module:attribute", the one-sentence summary ``scaffold --help`` lists).
#: The summary lives here so that listing the commands imports none of them.
COMMANDS: dict[str, tuple[str, str]] = {
    "completion": ("scaffold.cli.completion:completion_command", "Print the shell completion script (bash, zsh, fish)."),
    "explain": ("scaffold.cli.explain:explain_command", "Explain a pod state, or diagnose a pod from kubectl output."),
    "graph": ("scaffold.cli.graph:graph_command", "Draw how an app's objects are wired (Mermaid, DOT or SVG)."),
    "import": ("scaffold.cli.import_:import_command", "Turn manifests or a compose file into presets."),
    "lint": ("scaffold.cli.lint:lint_command", "Check existing manifests with the same rules."),
    "new": ("scaffold.cli.new:new_command", "Write a preset by answering questions."),
    "presets": ("scaffold.cli.presets:presets", "List the built-in presets, or show one."),
    "render": ("scaffold.cli.render:render", "Render a preset to manifests on stdout."),
    "schema": ("scaffold.cli.schema:schema_command", "Print the JSON Schema of the preset format (for editors)."),
    "validate": ("scaffold.cli.validate:validate", "Check a preset without rendering it."),
}


def _load(target: str) -> click.Command:
    module, attr = target.split(":")
    return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]


class _Group(click.Group):
    """Lazy commands from :data:`COMMANDS`, every one run inside the error boundary."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in COMMANDS:
            try:
                return _load(COMMANDS[name][0])
            except Exception as err:  # a broken install or a bug: one line, not a traceback
                if os.environ.get("SCAFFOLD_DEBUG"):
                    raise
                raise click.ClickException(f"internal error: cannot load command {name!r}: {err}") from err
        return super().get_command(ctx, name)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any) -> click.Context:
        with boundary():  # Ctrl-C while the group's own options are parsed
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with boundary(ctx=ctx):
            return super().invoke(ctx)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        """Command names with their summaries from :data:`COMMANDS`, without loading the
        commands (completing ``scaffold <TAB>`` must stay fast); then the group's options."""
        from click.shell_completion import CompletionItem

        if incomplete.startswith("-"):
            return super().shell_complete(ctx, incomplete)
        items = []
        for name in self.list_commands(ctx):
            if not name.startswith(incomplete):
                continue
            if name in COMMANDS:
                items.append(CompletionItem(name, help=COMMANDS[name][1]))
            else:
                cmd = super().get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    items.append(CompletionItem(name, help=cmd.get_short_help_str()))
        return items

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list with whole one-sentence summaries (never cut), without loading
        the commands."""
        rows = []
        for name in self.list_commands(ctx):
            if name in COMMANDS:
                rows.append((name, COMMANDS[name][1]))
            else:
                cmd = super().get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    rows.append((name, cmd.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scaffold")
def main() -> None:
    """Kubernetes manifests you can trust: validated Deployments, Pods and Services."""


if __name__ == "__main__":  # pragma: no cover
    main()
