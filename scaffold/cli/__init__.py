"""The ``scaffold`` command: parse options, make one library call, report.

No logic lives here. Every command runs inside :func:`boundary`, which turns scaffold's
errors into a message and exit code 1, and Ctrl-C into exit code 130, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from .. import __version__
from ..errors import PresetError, ScaffoldError
from ..output.text import format_issues, use_color


def _err(text: str) -> None:
    click.echo(text, err=True, nl=False)


@contextmanager
def boundary(*, quiet: bool = False) -> Iterator[None]:
    """The one error boundary: scaffold errors -> stderr + exit 1; Ctrl-C -> exit 130."""
    try:
        yield
    except PresetError as exc:
        _err(format_issues(exc.issues + exc.warnings, color=use_color(sys.stderr), quiet=quiet))
        n = sum(1 for i in exc.issues if i.severity == "error") or len(exc.issues)
        _err(f"{n} problem{'s' if n != 1 else ''} found; nothing was rendered\n")
        sys.exit(1)
    except ScaffoldError as exc:
        _err(f"error: {exc}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        _err("interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug in scaffold: say so in one line, keep the traceback on request
        if os.environ.get("SCAFFOLD_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (a bug in scaffold; SCAFFOLD_DEBUG=1 shows the traceback)\n")
        sys.exit(1)


class _OrderedLayers(click.Command):
    """Remembers the raw arguments, so ``--set`` and ``-f`` apply in command-line order."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["scaffold.raw_args"] = list(args)
        return super().parse_args(ctx, args)


def _layers_in_order(ctx: click.Context, sets: tuple[str, ...], files: tuple[str, ...]) -> list[Any]:
    """Interleave ``--set`` and ``-f`` values as they appeared on the command line."""
    from ..preset.overrides import Override

    raw: list[str] = ctx.meta.get("scaffold.raw_args", [])
    order: list[str] = []
    i = 0
    while i < len(raw):
        tok = raw[i]
        if tok == "--":
            break
        if tok == "--set" or tok in ("-f", "--values"):
            order.append("set" if tok == "--set" else "file")
            i += 2
            continue
        if tok.startswith("--set="):
            order.append("set")
        elif tok.startswith("--values=") or (tok.startswith("-f") and len(tok) > 2):
            order.append("file")
        i += 1
    set_iter, file_iter = iter(sets), iter(files)
    layers: list[Any] = []
    for kind in order:
        value = next(set_iter if kind == "set" else file_iter, None)
        if value is not None:
            layers.append(Override.parse(value) if kind == "set" else value)
    layers.extend(Override.parse(v) for v in set_iter)
    layers.extend(file_iter)
    return layers


_preset_arg = click.argument("preset", metavar="PRESET")
_set_opt = click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="PATH=VALUE",
    help="Set one field, e.g. replicas=5 or containers[0].image=nginx:1.27 (VALUE is YAML; null removes).",
)
_values_opt = click.option(
    "-f",
    "--values",
    "files",
    multiple=True,
    metavar="FILE",
    help="Deep-merge a YAML file over the preset (mappings merge, lists replace).",
)
_strict_opt = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
_quiet_opt = click.option("-q", "--quiet", is_flag=True, help="Hide notices.")


class _LazyGroup(click.Group):
    """Commands that live in other modules load only when used, so ``scaffold render``
    never imports the wizard (questionary) or the lint machinery."""

    #: command name -> "module:attribute". Each module owns its command.
    lazy: dict[str, str] = {
        "lint": "scaffold.lint:lint_command",
        "explain": "scaffold.explain:explain_command",
        "new": "scaffold.cli.new:new_command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            import importlib

            module, attr = self.lazy[name].split(":")
            try:
                return getattr(importlib.import_module(module), attr)
            except Exception as err:  # a broken install or a bug: one line, not a traceback
                if os.environ.get("SCAFFOLD_DEBUG"):
                    raise
                raise click.ClickException(f"internal error: cannot load command {name!r}: {err}") from err
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scaffold")
def main() -> None:
    """Kubernetes manifests you can trust: validated Deployments, Pods and Services."""


@main.command(cls=_OrderedLayers)
@_preset_arg
@_set_opt
@_values_opt
@click.option("-o", "--output", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Output format (json: a v1 List).")
@_strict_opt
@_quiet_opt
@click.pass_context
def render(ctx: click.Context, preset: str, sets: tuple[str, ...], files: tuple[str, ...], fmt: str, strict: bool, quiet: bool) -> None:
    """Render PRESET (a built-in name, a file, or - for stdin) to manifests on stdout."""
    from ..pipeline import build

    with boundary(quiet=quiet):
        result = build(preset, values=_layers_in_order(ctx, sets, files), strict=strict)
        text = result.json() if fmt == "json" else result.yaml()
        _err(format_issues(result.issues, color=use_color(sys.stderr), quiet=quiet))
        click.echo(text, nl=False)


@main.command(cls=_OrderedLayers)
@_preset_arg
@_set_opt
@_values_opt
@_strict_opt
@_quiet_opt
@click.pass_context
def validate(ctx: click.Context, preset: str, sets: tuple[str, ...], files: tuple[str, ...], strict: bool, quiet: bool) -> None:
    """Check PRESET without rendering; exit 1 if there is any error."""
    from ..pipeline import build

    with boundary(quiet=quiet):
        result = build(preset, values=_layers_in_order(ctx, sets, files), strict=strict)
        click.echo(format_issues(result.issues, color=use_color(sys.stdout), quiet=quiet), nl=False)
        from ..rules.summary import summarize

        for line in summarize(result.objects):
            click.echo(line)
        warnings = sum(1 for i in result.issues if i.severity == "warning")
        click.echo(f"ok: {len(result.objects)} object{'s' if len(result.objects) != 1 else ''}, no errors"
                  + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""))


@main.group(invoke_without_command=True)
@click.pass_context
def presets(ctx: click.Context) -> None:
    """List the built-in presets (or show one with `presets show NAME`)."""
    if ctx.invoked_subcommand is None:
        from ..preset.builtins import builtin_presets

        items = builtin_presets()
        width = max((len(p.name) for p in items), default=0)
        for p in items:
            click.echo(f"{p.name:<{width}}  {p.summary}")


@presets.command("show")
@click.argument("name")
def presets_show(name: str) -> None:
    """Print the built-in preset NAME as written."""
    from ..preset.builtins import builtin

    with boundary():
        click.echo(builtin(name).text(), nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
