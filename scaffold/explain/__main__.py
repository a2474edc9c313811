"""``python -m scaffold.explain --markdown``: regenerate docs/troubleshooting.md."""

from __future__ import annotations

import sys

from . import render_markdown

if sys.argv[1:] == ["--markdown"]:
    sys.stdout.write(render_markdown())
else:
    sys.stderr.write("usage: python -m scaffold.explain --markdown   (the command is `scaffold explain`)\n")
    sys.exit(2)
