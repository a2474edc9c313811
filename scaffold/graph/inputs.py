"""What ``scaffold graph`` reads: presets (rendered first) or manifests (read as lint reads them).

Each argument is one of:

- a built-in preset name (``web-app``): rendered with the pipeline, as ``scaffold render`` does;
- ``-`` (standard input), a file, or a directory (its ``*.yaml``, ``*.yml`` and ``*.json``
  files, sorted by name, not recursive, as ``kubectl apply -f DIR``): a file is a **preset**
  when it holds exactly one YAML document that is a mapping with ``apiVersion: scaffold/...``,
  or with no ``apiVersion`` and a top-level ``containers`` list (no Kubernetes object has
  top-level containers); otherwise it is a stream of **manifests** (several documents,
  ``kind: List``), collected with lint's reader.

All arguments together make one stream of objects, in argument order, so a preset can be drawn
together with manifests it does not render yet (``scaffold graph web-app ingress.yaml``).
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import Issue, PresetError

#: File endings a directory contributes (as ``kubectl apply -f DIR``).
MANIFEST_ENDINGS = (".yaml", ".yml", ".json")


def _looks_like_path(arg: str) -> bool:
    return arg == "-" or "/" in arg or os.sep in arg or arg.endswith(MANIFEST_ENDINGS)


def is_preset_document(data: Any) -> bool:
    """A preset rather than a Kubernetes object: see the module docstring for the rule."""
    if not isinstance(data, dict):
        return False
    api = data.get("apiVersion")
    if isinstance(api, str) and api.startswith("scaffold/"):
        return True
    return api is None and "containers" in data


def _files_of(directory: str) -> list[str]:
    names = sorted(n for n in os.listdir(directory) if n.endswith(MANIFEST_ENDINGS))
    return [os.path.join(directory, n) for n in names if os.path.isfile(os.path.join(directory, n))]


def _render(preset: Any) -> list[dict[str, Any]]:
    from ..pipeline import build

    return build(preset).objects


def _read_file(path: str, objects: list[dict[str, Any]], issues: list[Issue]) -> None:
    from ..lint import collect
    from ..loader import load_yaml_all, read_source

    try:
        raw, name = read_source(path)
        docs = load_yaml_all(raw, source=name)
    except PresetError as exc:
        issues.extend(exc.issues)
        return
    if len(docs) == 1 and is_preset_document(docs[0].data):
        # A file is read again by the pipeline, for line numbers in its messages; stdin is
        # read once, so its data is passed as it is.
        objects.extend(_render(docs[0].data if path == "-" else path))
        return
    entries, problems = collect(docs)
    issues.extend(problems)
    objects.extend(e.obj for e in entries)


def read_objects(args: list[str] | tuple[str, ...]) -> list[dict[str, Any]]:
    """Every object the arguments stand for, in order.

    Raises :class:`PresetError` with every input problem (unreadable file, bad YAML, a
    document that is no object, an empty input) or with a preset's validation errors, so
    nothing is drawn from half of the input.
    """
    from ..preset.builtins import builtin, is_builtin

    objects: list[dict[str, Any]] = []
    issues: list[Issue] = []
    if not args:
        raise PresetError([Issue("", "nothing to draw: give a preset name, files, a directory or - for stdin", rule="input")])
    for arg in args:
        if not _looks_like_path(arg) and is_builtin(arg):
            objects.extend(_render(arg))
        elif os.path.isdir(arg):
            files = _files_of(arg)
            if not files:
                issues.append(Issue("", f"directory {arg!r} has no {', '.join(MANIFEST_ENDINGS)} files", rule="input", file=arg))
            for path in files:
                _read_file(path, objects, issues)
        elif _looks_like_path(arg) or os.path.exists(arg):
            _read_file(arg, objects, issues)
        else:
            builtin(arg)  # raises PresetNotFoundError naming the built-in presets
    if issues:
        raise PresetError(issues)
    if not objects:
        raise PresetError([Issue("", "the input holds no Kubernetes objects; nothing to draw", rule="input")])
    return objects
