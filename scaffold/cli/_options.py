"""Options shared by the commands that take a preset (``render``, ``validate``).

Parsing only: ``--set`` values become :class:`~scaffold.preset.overrides.Override` objects
while click parses (so a malformed one is a usage error, exit 2), and ``--set``/``-f`` keep
their command-line order.
"""

from __future__ import annotations

from typing import Any

import click

from ._boundary import QUIET


class OrderedLayers(click.Command):
    """Remembers the raw arguments, so ``--set`` and ``-f`` apply in command-line order."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["scaffold.raw_args"] = list(args)
        return super().parse_args(ctx, args)


class OverrideType(click.ParamType):
    """``PATH=VALUE``, parsed now: no ``=``, a bad path or a VALUE that is not YAML is a usage
    error (exit 2), like any malformed option."""

    name = "PATH=VALUE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..errors import PresetError
        from ..preset.overrides import Override

        if isinstance(value, Override):
            return value
        try:
            return Override.parse(value)
        except PresetError as exc:
            first = exc.issues[0] if exc.issues else None
            message = first.message if first else "expected PATH=VALUE"
            message = message.removeprefix(f"--set {value!r}: ")
            if message.startswith("expected PATH=VALUE"):
                message += ", e.g. replicas=5"
            self.fail(f"{value!r}: {message}", param, ctx)


def layers_in_order(ctx: click.Context, sets: tuple[Any, ...], files: tuple[str, ...]) -> list[Any]:
    """Interleave ``--set`` and ``-f`` values as they appeared on the command line."""
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
            layers.append(value)
    layers.extend(set_iter)
    layers.extend(file_iter)
    return layers


def _remember_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[QUIET] = True
    return value


preset_argument = click.argument("preset", metavar="PRESET", shell_complete=lambda c, p, i: complete_presets(c, p, i))
#: One or more presets (``render``, ``validate``): built-in names, files, directories, ``-``.
presets_argument = click.argument("presets", nargs=-1, required=True, metavar="PRESET...",
                                  shell_complete=lambda c, p, i: complete_presets(c, p, i))
set_option = click.option(
    "--set",
    "sets",
    multiple=True,
    type=OverrideType(),
    metavar="PATH=VALUE",
    help="Set one field, e.g. replicas=5 or containers[0].image=nginx:1.27 (VALUE is YAML; null removes).",
)
values_option = click.option(
    "-f",
    "--values",
    "files",
    multiple=True,
    metavar="FILE",
    help="Deep-merge a YAML file over the preset (mappings merge, lists replace).",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def quiet_option(help: str = "Hide notices.") -> Any:
    """``-q/--quiet``; also tells the error boundary to hide notices."""
    return click.option("-q", "--quiet", is_flag=True, callback=_remember_quiet, help=help)


class KubeVersionType(click.ParamType):
    """``1.30`` (or ``v1.30.2``): a Kubernetes version scaffold knows; anything else is exit 2."""

    name = "1.N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ..k8s.versions import normalize_version

        try:
            return normalize_version(str(value))
        except ValueError as err:
            self.fail(str(err), param, ctx)


# ---------------------------------------------------------------------------------------
# Shell completion (``scaffold completion bash|zsh|fish``): what a PRESET or REASON can be.


def complete_presets(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Files (the shell lists them), then the built-in preset names that start with
    ``incomplete``: a PRESET is either.

    The file item comes first because click's bash script empties its list on a file item
    and lets bash complete files only when nothing else matched; zsh and fish offer both.
    """
    from click.shell_completion import CompletionItem

    items: list[Any] = [CompletionItem(incomplete, type="file")]
    if "/" not in incomplete and not incomplete.startswith("."):
        from ..preset.builtins import builtin_presets

        items += [CompletionItem(p.name, help=p.summary) for p in builtin_presets() if p.name.startswith(incomplete)]
    return items


def complete_reasons(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """The states and reasons ``scaffold explain`` knows (names and aliases), case-insensitive."""
    from click.shell_completion import CompletionItem

    from ..explain.knowledge import topics

    low = incomplete.lower()
    items = []
    for topic in topics():
        for name in (topic.name, *topic.aliases):
            if name.lower().startswith(low):
                items.append(CompletionItem(name, help=topic.where))
    return items


def _kube_version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A version scaffold knows, or a usage error (exit 2) naming the known ones."""
    if value is None:
        return None
    from ..k8s.features import minor, version_problem

    problem = version_problem(value)
    if problem:
        raise click.BadParameter(problem, ctx, param)
    return minor(value)


#: ``--kube-version 1.29``: the oldest cluster the output must work on (wins over kubeVersion).
kube_version_option = click.option(
    "--kube-version", "kube_version", metavar="VERSION", callback=_kube_version, default=None,
    help="Oldest Kubernetes version the output must work on (e.g. 1.29); wins over the preset's kubeVersion. "
    "Default: the newest version scaffold knows.",
)


def with_kube_version(layers: list[Any], kube_version: str | None) -> list[Any]:
    """The layers with ``--kube-version`` applied last, so it wins over the preset and --set."""
    if kube_version is None:
        return layers
    from ..preset.overrides import Override

    return [*layers, Override(("kubeVersion",), kube_version)]
