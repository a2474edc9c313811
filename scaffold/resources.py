"""Where scaffold's shipped files are: package data, templates and built-in presets.

A base module (no scaffold imports), so every layer can find its files without importing
another layer. os.path, not pathlib: importing pathlib costs more than a whole render.
"""

from __future__ import annotations

import os

_PKG = os.path.dirname(os.path.abspath(__file__))


def data_file(name: str) -> str:
    """A file in ``scaffold/data/`` (sizes, troubleshooting knowledge)."""
    return os.path.join(_PKG, "data", name)


def resource_dir(name: str) -> str:
    """``templates``/``presets``: in ``scaffold/data/`` in a wheel, beside the package in a checkout."""
    inside = os.path.join(_PKG, "data", name)
    return inside if os.path.isdir(inside) else os.path.join(os.path.dirname(_PKG), name)
