"""The built-in preset library (``presets/*.yaml``, shipped inside the wheel)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import PresetNotFoundError
from .rendering import resource_dir


@dataclass(frozen=True)
class BuiltinPreset:
    name: str
    path: Path

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
        return self.path.read_text(encoding="utf-8")


def presets_dir() -> Path:
    return resource_dir("presets")


def builtin_presets() -> list[BuiltinPreset]:
    """Every built-in preset, by name."""
    return [BuiltinPreset(p.stem, p) for p in sorted(presets_dir().glob("*.yaml"))]


def builtin(name: str) -> BuiltinPreset:
    """A built-in preset by name; the error lists the names (and the closest one)."""
    path = presets_dir() / f"{name}.yaml"
    if "/" not in name and "\\" not in name and path.is_file():
        return BuiltinPreset(name, path)
    import difflib

    names = [p.name for p in builtin_presets()]
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise PresetNotFoundError(
        f"no built-in preset or file named {name!r}; {hint}built-in presets: {', '.join(names)}"
    )


def is_builtin(name: str) -> bool:
    return "/" not in name and "\\" not in name and (presets_dir() / f"{name}.yaml").is_file()
