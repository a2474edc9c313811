"""Field paths: the tuple form used internally and the ``a.b[0].c`` form people type."""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_TOKEN = re.compile(r"""\.?(?P<key>[^.\[\]]+)|\[(?P<index>-?\d+)\]|\[(?P<quoted>"[^"]*"|'[^']*')\]""")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def format_path(path: Path) -> str:
    """``("containers", 0, "image")`` -> ``containers[0].image``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def parse_path(text: str) -> Path:
    """The inverse of :func:`format_path`; raises ``ValueError`` on a malformed path."""
    if not text or text.startswith((".", "[")) and not text.startswith(("['", '["')):
        raise ValueError(f"malformed path {text!r}")
    parts: list[str | int] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"malformed path {text!r} at position {pos}")
        if m.group("key") is not None:
            if pos and not text.startswith(".", pos):
                raise ValueError(f"malformed path {text!r} at position {pos}")
            parts.append(m.group("key"))
        elif m.group("index") is not None:
            parts.append(int(m.group("index")))
        else:
            parts.append(m.group("quoted")[1:-1])
        pos = m.end()
    return tuple(parts)
