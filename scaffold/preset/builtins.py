"""The built-in preset library (``presets/*.yaml``, shipped inside the wheel)."""

from __future__ import annotations

import os
from typing import NamedTuple

from ..errors import PresetNotFoundError
from ..resources import resource_dir


class BuiltinPreset(NamedTuple):
    name: str
    #: Path of the preset file.
    path: str

    @property
    def summary(self) -> str:
        """The first comment line of the file: what the preset demonstrates."""
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    return line.lstrip("#").strip()
                if line.strip():
                    break
        return ""

    def text(self) -> str:
        with open(self.path, encoding="utf-8") as fh:
            return fh.read()


def presets_dir() -> str:
    return resource_dir("presets")


def builtin_presets() -> list[BuiltinPreset]:
    """Every built-in preset, by name."""
    folder = presets_dir()
    names = sorted(f[: -len(".yaml")] for f in os.listdir(folder) if f.endswith(".yaml"))
    return [BuiltinPreset(n, os.path.join(folder, f"{n}.yaml")) for n in names]


def builtin(name: str) -> BuiltinPreset:
    """A built-in preset by name; the error lists the names (and the closest one)."""
    if is_builtin(name):
        return BuiltinPreset(name, os.path.join(presets_dir(), f"{name}.yaml"))
    import difflib

    names = [p.name for p in builtin_presets()]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise PresetNotFoundError(
        f"no built-in preset or file named {name!r}; {hint}built-in presets: {', '.join(names)}"
    )


def is_builtin(name: str) -> bool:
    return "/" not in name and "\\" not in name and os.path.isfile(os.path.join(presets_dir(), f"{name}.yaml"))
