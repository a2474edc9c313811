"""scaffold: Kubernetes manifests people can trust.

The public API is small and keyword-only past the preset::

    import scaffold
    objects = scaffold.render("nginx", overrides={"replicas": 5})
    text = scaffold.render_yaml({"name": "web", "containers": [{"name": "web", "image": "nginx:1.27"}]})

Names are imported lazily, so ``import scaffold`` costs almost nothing; the rendering
machinery loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import ArgumentTypeError, InternalError, Issue, PresetError, PresetNotFoundError, ScaffoldError


__all__ = [
    "ArgumentTypeError",
    "InternalError",
    "Issue",
    "PresetError",
    "PresetNotFoundError",
    "Rendered",
    "ScaffoldError",
    "build",
    "list_presets",
    "load_preset",
    "render",
    "render_many",
    "render_yaml",
    "validate",
]

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import Rendered, build, load_preset, render, render_many, render_yaml, validate


def list_presets() -> list[str]:
    """Names of the built-in presets."""
    from .preset.builtins import builtin_presets

    return [p.name for p in builtin_presets()]


def __getattr__(name: str) -> Any:
    if name in ("Rendered", "build", "load_preset", "render", "render_many", "render_yaml", "validate"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'scaffold' has no attribute {name!r}")
