"""``scaffold completion SHELL``: the shell's completion script (click's machinery)."""

from __future__ import annotations

import click

#: The environment variable the scripts set when they ask scaffold for completions.
COMPLETE_VAR = "_SCAFFOLD_COMPLETE"


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion_command(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish).

    Commands, options, built-in preset names (render, validate, presets show, new --from) and
    the reasons explain knows complete. Install it once:

    \b
      bash: scaffold completion bash > ~/.local/share/bash-completion/completions/scaffold
      zsh:  scaffold completion zsh > "${fpath[1]}/_scaffold"
      fish: scaffold completion fish > ~/.config/fish/completions/scaffold.fish
    """
    from click.shell_completion import get_completion_class

    from ..output import write

    root = ctx.find_root().command
    cls = get_completion_class(shell)
    assert cls is not None  # the Choice above admits only shells click knows
    write(cls(root, {}, "scaffold", COMPLETE_VAR).source())
