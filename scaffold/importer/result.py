"""What an import produces, how it is written out, and how a preset is rendered to check it."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..errors import Issue, PresetError
from ..rendering.emit import _literal_lines, scalar, to_yaml_stream
from ..rendering.templates import _quote

PASSTHROUGH_FILE = "_passthrough.yaml"


class ImportedPreset(NamedTuple):
    """One app: the preset, and the objects (or compose service) it came from."""

    name: str
    namespace: str | None
    preset: dict[str, Any]
    #: ``Kind/name`` of each input object (or ``compose service x``), in render order.
    sources: list[str]
    #: Where the sources came from (file names), for the header comment.
    files: list[str]


class PassedThrough(NamedTuple):
    """An object written out unchanged (but for server-set fields), and why."""

    obj: dict[str, Any]
    label: str
    reason: str


class ImportResult:
    """Presets, pass-through objects, and the report of everything worth a word."""

    def __init__(self) -> None:
        self.presets: list[ImportedPreset] = []
        self.passthrough: list[PassedThrough] = []
        self.report: list[Issue] = []
        self._names: dict[int, str] = {}

    def __repr__(self) -> str:
        return f"ImportResult({len(self.presets)} presets, {len(self.passthrough)} passed through, {len(self.report)} notes)"

    def file_names(self) -> list[str]:
        """``<name>.yaml`` per preset; ``<name>.<namespace>.yaml`` (then ``-2`` ...) on a clash."""
        taken = {PASSTHROUGH_FILE}
        names = []
        for p in self.presets:
            stem = _safe(p.name)
            candidates = [stem] + ([f"{stem}.{_safe(p.namespace)}"] if p.namespace else [])
            chosen = next((c for c in candidates if f"{c}.yaml" not in taken), None)
            n = 2
            while chosen is None:
                if f"{stem}-{n}.yaml" not in taken:
                    chosen = f"{stem}-{n}"
                n += 1
            taken.add(f"{chosen}.yaml")
            names.append(f"{chosen}.yaml")
        return names

    def preset_text(self, index: int) -> str:
        """One preset as a file: a header comment, then the preset."""
        p = self.presets[index]
        head = [f"# Imported by scaffold import from {', '.join(p.files) or 'input'}: {', '.join(p.sources)}."]
        patches = len(p.preset.get("patches") or [])
        if patches:
            head.append(
                f"# {patches} patch{'es' if patches != 1 else ''} keep{'s' if patches == 1 else ''} what the preset format does not model (docs/patches.md)."
            )
        return "".join(_comment(h) + "\n" for h in head) + preset_yaml(p.preset)

    def passthrough_text(self) -> str:
        """The pass-through objects as one stream, after a comment that says what they are."""
        if not self.passthrough:
            return ""
        head = (
            "# Passed through unchanged by scaffold import: objects the preset format cannot render\n"
            "# (yet). Apply them together with the rendered presets.\n"
        )
        return head + to_yaml_stream([p.obj for p in self.passthrough])

    def stream(self) -> str:
        """Everything as one stream: the presets, then the pass-through objects."""
        parts = ["---\n" + self.preset_text(i) for i in range(len(self.presets))]
        if self.passthrough:
            parts.append("# ---- not presets: the objects below are Kubernetes objects ----\n" + self.passthrough_text())
        return "".join(parts)

    def files(self) -> dict[str, str]:
        """File name -> text, for ``-o DIR``."""
        out = {name: self.preset_text(i) for i, name in enumerate(self.file_names())}
        if self.passthrough:
            out[PASSTHROUGH_FILE] = self.passthrough_text()
        return out


# ---------------------------------------------------------------- presets as people write them

#: Keys whose list items are always written as blocks (one field per line).
_BLOCK_ITEMS = frozenset({"containers", "initContainers", "patches"})
_WIDTH = 80


def _flow_scalar(value: Any) -> str | None:
    """A scalar that can stand inside ``[...]`` or ``{...}``, or None (multi-line text)."""
    if isinstance(value, str):
        if "\n" in value:
            return None
        text = scalar(value)
        if text == value and any(c in value for c in ",[]{}:#"):
            return "'" + value.replace("'", "''") + "'" if value.isprintable() else _quote(value)
        return text
    return scalar(value)


def _flow(value: Any, depth: int = 0) -> str | None:
    """``value`` as one flow node, or None when it should be a block (deep, or multi-line)."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        if depth >= 2:
            return None
        parts = []
        for key, item in value.items():
            k, v = _flow_scalar(key), _flow(item, depth + 1)
            if k is None or v is None:
                return None
            parts.append(f"{k}: {v}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if depth >= 2:
            return None
        items = [_flow(item, depth + 1) for item in value]
        return None if any(i is None for i in items) else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]
    return _flow_scalar(value)


def _lines(value: Any, head: str, indent: int, key: Any, out: list[str]) -> None:
    """``head`` (``key:`` or ``-``) followed by ``value``: flow when short, else a block."""
    pad = " " * indent
    if isinstance(value, (dict, list)) and value:
        block_items = key in _BLOCK_ITEMS
        flow = None if block_items else _flow(value)
        if flow is not None and len(head) + 1 + len(flow) <= _WIDTH and not (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
            out.append(f"{head} {flow}")
            return
        out.append(head)
        if isinstance(value, dict):
            for k, v in value.items():
                _lines(v, f"{pad}  {scalar(k)}:", indent + 2, k, out)
        else:
            for item in value:
                flow = None if block_items else _flow(item)
                if flow is not None and indent + 4 + len(flow) <= _WIDTH:
                    out.append(f"{pad}  - {flow}")
                elif isinstance(item, dict) and item:
                    start = len(out)
                    for k, v in item.items():
                        _lines(v, f"{pad}    {scalar(k)}:", indent + 4, k, out)
                    out[start] = f"{pad}  - {out[start][indent + 4:]}"
                else:
                    _lines(item, f"{pad}  -", indent + 2, None, out)
        return
    if isinstance(value, str) and (literal := _literal_lines(value)) is not None:
        out.append(f"{head} |" + ("" if value.endswith("\n") else "-"))
        out.extend(f"{pad}  {line}" if line else "" for line in literal)
        return
    out.append(f"{head} {scalar(value)}")


def preset_yaml(preset: dict[str, Any]) -> str:
    """A preset as a person would write it: blocks for structure, short flow collections
    (``ports: ["http:80"]``, ``httpGet: {path: /, port: http}``) where they fit on a line."""
    out: list[str] = []
    for key, value in preset.items():
        _lines(value, f"{scalar(key)}:", 0, key, out)
    return "\n".join(out) + "\n"


def _safe(name: str) -> str:
    """A file-name stem from an object name (which the input may have made anything)."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "-", name)[:200].lstrip(".")
    return stem or "preset"


def _comment(text: str) -> str:
    """One comment line, whatever the names in it contain (no line break gets through)."""
    safe = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return "# " + safe.lstrip("# ")


def render_unchecked(preset: dict[str, Any]) -> list[dict[str, Any]]:
    """The objects of ``preset`` with its patches, without the checks (the round trip's render).

    Raises :class:`PresetError` when the shape is wrong or a patch fails.
    """
    from ..preset.normalize import normalize
    from ..preset.patches import apply_patches
    from ..preset.schema import validate_shape
    from ..rendering.templates import render_objects
    from ..rules import check_preset

    shaped, problems = validate_shape(preset)
    if shaped is None:
        raise PresetError(problems)
    normalized, notes = normalize(shaped)
    normalized.pop("checks", None)
    errors = [n for n in notes + check_preset(normalized) if n.severity == "error"]
    if errors:  # what stops a render (no Service ports, too many bare Pods ...) stops this one
        raise PresetError(errors)
    objects = render_objects(normalized)
    if normalized.get("patches"):
        objects, _, failed = apply_patches(objects, normalized["patches"], lambda o, r: [])
        if failed:
            raise PresetError(failed)
    return objects
