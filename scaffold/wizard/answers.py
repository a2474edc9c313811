"""Answers files: what a run answered, by question key, and where it wrote.

::

    scaffold-answers: 1            # the format version
    output:                        # where the run wrote, relative to this file
      preset: web.preset.yaml
      render: web.k8s.yaml         # only when --render was given
    answers:                       # question key -> answer
      start: scratch
      basics.name: web

They are read with the loader presets are read with (:mod:`scaffold.loader`): the same size,
node and depth limits, encodings and tag rules, and line/column marks, so a bad answer is
reported at its line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Located
from .errors import WizardError

ANSWERS_FORMAT = 1
#: The output choices an answers file records: the preset, and the manifests (--render).
OUTPUT_ROLES = ("preset", "render")


@dataclass
class AnswersFile:
    """Answers to replay, and what the run they come from chose for its files."""

    values: dict[str, Any] = field(default_factory=dict)
    source: str = "answers"
    #: role ("preset", "render") -> path, resolved against the answers file's directory.
    output: dict[str, Path] = field(default_factory=dict)
    located: Located | None = None
    #: Path of the answers themselves in the document: () for a bare mapping, ("answers",).
    root: tuple[str, ...] = ()

    def where(self, key: str | None = None) -> str:
        """``FILE:LINE:COL`` of an answer (or of the file), for messages."""
        if self.located is None:
            return self.source
        line, column = self.located.mark(self.root + ((key,) if key is not None else ()))
        if line is None:
            return self.source
        return f"{self.source}:{line}:{column}"

    @classmethod
    def of(cls, replay: AnswersFile | Mapping[str, Any] | None) -> AnswersFile:
        if isinstance(replay, AnswersFile):
            return replay
        return cls(values=dict(replay or {}))


def _fail(located: Located, path: tuple[str, ...], message: str) -> WizardError:
    line, column = located.mark(path)
    where = f"{located.source}:{line}:{column}" if line is not None else str(located.source)
    shown = ".".join(path)
    return WizardError(f"{where}: {shown + ': ' if shown else ''}{message}")


def load_answers(path: str) -> AnswersFile:
    """Read an answers file (``-``: stdin): ``{scaffold-answers: 1, output: ..., answers: ...}``,
    or just the mapping of answers."""
    from ..loader import load_yaml, read_source

    raw, name = read_source(path)
    located = load_yaml(raw, source=name)
    data = located.data
    base = Path(".") if path == "-" else Path(path).parent
    root: tuple[str, ...] = ()
    output: dict[str, Path] = {}
    if isinstance(data, dict) and "scaffold-answers" in data:
        if data["scaffold-answers"] != ANSWERS_FORMAT:
            raise _fail(located, ("scaffold-answers",),
                        f"unknown format {data['scaffold-answers']!r} (this scaffold reads {ANSWERS_FORMAT})")
        for key in data:
            if key not in ("scaffold-answers", "output", "answers"):
                raise _fail(located, (str(key),), "unknown section; an answers file has scaffold-answers, output and answers")
        recorded = data.get("output") or {}
        if not isinstance(recorded, dict):
            raise _fail(located, ("output",), f"must map {' and '.join(OUTPUT_ROLES)} to file names")
        for role, value in recorded.items():
            if role not in OUTPUT_ROLES:
                raise _fail(located, ("output", str(role)), f"unknown output; known: {', '.join(OUTPUT_ROLES)}")
            if not isinstance(value, str) or not value.strip() or "\x00" in value:
                raise _fail(located, ("output", role), "must be a file name")
            output[role] = Path(value) if os.path.isabs(value) else base / value
        root = ("answers",)
        data = data.get("answers") or {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise _fail(located, root, "must map question keys (like container.image) to answers")
    values = dict(data)
    start = values.get("start")
    if isinstance(start, str) and start_is_file(start) and not os.path.isabs(start):
        values["start"] = str(base / start)  # recorded relative to the answers file
    return AnswersFile(values=values, source=name, output=output, located=located, root=root)


def start_is_file(start: Any) -> bool:
    """Whether a ``start`` answer names a preset file (not ``scratch`` or a built-in)."""
    from ..preset.builtins import is_builtin

    if not isinstance(start, str) or start in ("scratch", "-", ""):
        return False  # "-" (stdin) holds the answers file, or nothing to start from
    return "/" in start or os.sep in start or start.endswith((".yaml", ".yml", ".json")) or not is_builtin(start)


def answers_path_for(output: Path) -> Path:
    """``web.preset.yaml`` -> ``web.answers.yaml`` (next to the preset)."""
    name = output.name
    for suffix in (".preset.yaml", ".preset.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            return output.with_name(name[: -len(suffix)] + ".answers.yaml")
    return output.with_name(name + ".answers.yaml")


def _relative(path: Path, start: Path) -> str:
    try:
        return os.path.relpath(path, start)
    except ValueError:  # another drive (Windows): only the absolute path says where
        return str(path.absolute())


def answers_text(answers: Mapping[str, Any], *, output: Mapping[str, Path | None] | None = None,
                 at: Path | None = None) -> str:
    """The answers file of a run; ``output`` paths and a preset file started from are written
    relative to ``at``, the answers file's own path."""
    import yaml

    header = ("# Answers given to `scaffold new`, by question. Replay: scaffold new --answers FILE\n"
              "# Edit freely; a question missing here is asked (or takes its default with --defaults).\n")
    doc: dict[str, Any] = {"scaffold-answers": ANSWERS_FORMAT}
    recorded = {role: p for role, p in (output or {}).items() if p is not None}
    if recorded:
        header += "# output: where that run wrote, relative to this file (--output and --render win).\n"
        folder = (at.parent if at is not None else Path(".")).absolute()
        doc["output"] = {role: _relative(Path(p).absolute(), folder) for role, p in recorded.items()}
    doc["answers"] = dict(answers)
    start = doc["answers"].get("start")
    if start_is_file(start):
        folder = (at.parent if at is not None else Path(".")).absolute()
        doc["answers"]["start"] = _relative(Path(start).absolute(), folder)
    return header + yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, allow_unicode=True, width=120)
