"""``python -m scaffold.explain --markdown``: regenerate docs/troubleshooting.md."""

from __future__ import annotations

from . import _main

_main()
