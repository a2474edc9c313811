"""Safe YAML loading: untrusted text in, plain data plus line/column marks out.

pyyaml's constructors build Python objects eagerly and expand aliases without a
budget, so this module only lets pyyaml *compose* the node graph and then walks
it itself: every node visit is counted (an alias bomb hits the budget instead of
eating memory), nesting is bounded, duplicate keys are reported, and any tag
beyond the plain JSON-like types is refused. Every failure is a
:class:`~scaffold.errors.PresetError` carrying rule ``yaml`` (or ``input`` for
size, encoding and binary-data problems).
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from scaffold.errors import Issue, Located, PresetError
from scaffold.paths import format_path

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Problem", "check_data", "load_yaml", "load_yaml_all", "read_source"]

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000  # total nodes after alias expansion, per call
MAX_DEPTH = 100

#: Integers longer than this are refused: a long sexagesimal (``1:2:3:...``) or
#: decimal literal costs quadratic time to convert.
_MAX_INT_CHARS = 1000
#: The same limit for integers given as Python ints (1000 digits need at most this many bits).
_MAX_INT_BITS = 3322


def _pick_loader() -> type:
    """libyaml's composer is C recursion; only trust it from 0.2.5, which caps nesting."""
    cls = getattr(yaml, "CSafeLoader", None)
    if cls is None:
        return yaml.SafeLoader
    try:
        from yaml import _yaml  # the compiled extension, already imported by yaml

        if tuple(_yaml.get_version()) >= (0, 2, 5):
            return cls
    except Exception:  # pragma: no cover - exotic builds
        pass
    return yaml.SafeLoader  # pragma: no cover


_Y = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_Y + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _TIMESTAMP = _Y + "map", _Y + "seq", _Y + "timestamp"
_MERGE, _VALUE = _Y + "merge", _Y + "value"
_BOM = b"\xef\xbb\xbf"


def _caching(base: type) -> type:
    """``base`` with a memo of the implicit tag of plain scalars: the resolver runs a list of
    regular expressions in Python for every scalar, and a manifest repeats the same few
    hundred (keys, ``TCP``, ``80``); a tenth of lint's parse time. Bounded, and bypassed when
    somebody registered path resolvers (the tag then depends on the position, not the text)."""
    memo: dict[str, str] = {}
    base_resolve: Any = getattr(base, "resolve")

    def resolve(self: Any, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode and not self.yaml_path_resolvers:
            if not implicit[0]:
                return _STR
            tag = memo.get(value)
            if tag is None:
                tag = base_resolve(self, kind, value, implicit)
                if len(memo) < 8192 and len(value) <= 64:
                    memo[value] = tag
            return tag
        return base_resolve(self, kind, value, implicit)  # type: ignore[no-any-return]

    return type(f"Caching{base.__name__}", (base,), {"resolve": resolve})


_Loader: type = _caching(_pick_loader())
#: libyaml's parser class (an empty tuple, which nothing subclasses, without the extension).
_CPARSER: Any = getattr(getattr(yaml, "_yaml", None), "CParser", ())


# ---------------------------------------------------------------- errors


def _fail(
    message: str,
    *,
    rule: str = "yaml",
    source: str | None = None,
    line: int | None = None,
    column: int | None = None,
    path: tuple = (),
    text: str | None = None,
) -> NoReturn:
    shown = tuple(p if isinstance(p, (str, int)) and not isinstance(p, bool) else repr(p) for p in path)
    raise PresetError(
        [
            Issue(
                path=text if text is not None else format_path(shown) if shown else "",
                message=message,
                rule=rule,
                line=line,
                column=column,
                file=source,
            )
        ]
    )


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    value, unit = (n / 1024, "KiB") if n < 1024 * 1024 else (n / (1024 * 1024), "MiB")
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


def _too_big(size: int | None, limit: int, source: str | None) -> NoReturn:
    if size is None:
        _fail(f"input is larger than {_size(limit)}, the limit", rule="input", source=source)
    shown, cap = _size(size), _size(limit)
    if shown == cap:  # 1 MiB + 1 byte would otherwise read "1 MiB; the limit is 1 MiB"
        shown, cap = f"{size} bytes", f"{limit} bytes"
    _fail(f"file is {shown}; the limit is {cap}", rule="input", source=source)


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line/column (in characters) of byte ``offset``."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _text_position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# ---------------------------------------------------------------- input checks


def _to_text(text: str | bytes, source: str | None, max_bytes: int) -> str:
    """Size, binary and encoding checks; returns text ready for the parser."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        raw = bytes(text)
        if len(raw) > max_bytes:
            _too_big(len(raw), max_bytes, source)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            _fail(
                "not UTF-8 text (it starts with a UTF-16 byte order mark; save it as UTF-8)",
                rule="input",
                source=source,
                line=1,
                column=1,
            )
        nul = raw.find(b"\x00")
        if nul >= 0:
            line, column = _byte_position(raw, nul)
            _fail(f"binary data (NUL byte at offset {nul})", rule="input", source=source, line=line, column=column)
        skip = len(_BOM) if raw.startswith(_BOM) else 0
        try:
            return raw[skip:].decode("utf-8")
        except UnicodeDecodeError as e:
            offset = e.start + skip
            line, column = _byte_position(raw, offset)
            _fail(
                f"not UTF-8 text (invalid byte 0x{raw[offset]:02x} at offset {offset})",
                rule="input",
                source=source,
                line=line,
                column=column,
            )
    if not isinstance(text, str):
        raise TypeError(f"load_yaml() needs str or bytes, not {type(text).__name__}")
    if len(text) > max_bytes:  # every character is at least one byte: too big for sure
        _too_big(len(text.encode("utf-8", "surrogatepass")), max_bytes, source)
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as e:
        line, column = _text_position(text, e.start)
        _fail(
            f"not valid text (unpaired surrogate U+{ord(text[e.start]):04X} at offset {e.start})",
            rule="input",
            source=source,
            line=line,
            column=column,
        )
    if size > max_bytes:
        _too_big(size, max_bytes, source)
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _text_position(text, nul)
        _fail(f"binary data (NUL byte at offset {nul})", rule="input", source=source, line=line, column=column)
    return text[1:] if text.startswith("\ufeff") else text


# ---------------------------------------------------------------- parsing


def _short(text: str | None) -> str:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return first if len(first) <= 200 else first[:197] + "..."


def _token_at(text: str, mark: yaml.Mark | None, sigil: str) -> str:
    """``'name' `` of the anchor/alias at ``mark`` (libyaml's messages leave the name out)."""
    if mark is None:
        return ""
    lines = text.splitlines()
    if mark.line >= len(lines):
        return ""
    rest = lines[mark.line][mark.column :]
    if not rest.startswith(sigil):
        return ""
    name = rest[1:].split()[0] if rest[1:].split() else ""
    name = name.rstrip(",]}")
    return f"{name!r} " if name else ""


def _compose(text: str, source: str | None) -> list[Node]:
    """All documents of the stream as node graphs; parser failures become PresetError."""
    try:
        return list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as e:
        problem, context = _short(e.problem), _short(e.context)
        mark = e.problem_mark or e.context_mark
        if "maximum nesting depth" in problem:  # libyaml's own cap (1000) is beyond ours
            message = f"nesting deeper than {MAX_DEPTH} levels"
        elif context.endswith("; first occurrence") and e.context_mark is not None:
            # duplicate anchor: pyyaml splits the sentence across context and problem
            name = _token_at(text, mark, "&")
            message = f"YAML syntax error: duplicate anchor {name}(first at line {e.context_mark.line + 1})"
        elif problem.startswith("found undefined alias"):
            name = _token_at(text, mark, "*")
            message = f"YAML syntax error: undefined alias {name}(no anchor of that name before it)"
        elif problem and context:
            message = f"YAML syntax error: {problem} ({context})"
        else:
            message = f"YAML syntax error: {problem or context or 'invalid YAML'}"
        _fail(
            message,
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        )
    except yaml.reader.ReaderError as e:
        position = e.position
        if issubclass(_Loader, _CPARSER):  # libyaml reports a byte offset into the UTF-8 text
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line, column = _text_position(text, min(position, len(text)))
        char = e.character if isinstance(e.character, int) else ord(e.character or "\x00")
        _fail(
            f"unprintable character U+{char:04X} is not allowed in YAML text",
            rule="input",
            source=source,
            line=line,
            column=column,
        )
    except yaml.YAMLError as e:
        _fail(f"YAML syntax error: {_short(str(e))}", source=source)
    except RecursionError:
        _fail(f"nesting deeper than {MAX_DEPTH} levels", source=source)
    except Exception as e:  # a parser bug must not become a traceback for the user
        _fail(f"YAML parser failed: {type(e).__name__}: {_short(str(e))}", source=source)


def _is_empty(node: Node) -> bool:
    """A document with no content (``---`` alone): libyaml and pyyaml give a plain empty null."""
    return (
        isinstance(node, ScalarNode) and node.tag == _NULL and node.value == "" and node.style in (None, "")
    )


# ---------------------------------------------------------------- building data


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_Y) :] if tag.startswith(_Y) else tag


def _where(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Unusual(Exception):
    """The fast walk met something it leaves to the full one (a merge key, a tag, a limit)."""


#: Values of the non-string plain scalars by (tag, text): a manifest repeats few of them
#: (``true``, ``80``, ``null``), and the constructors are slow. Bounded: see :func:`_fast_scalar`.
_SCALAR_VALUES: dict[tuple[str, str], object] = {}
_SCALAR_CACHE_LIMIT = 4096
_CONSTRUCT = SafeConstructor()
_VALUE_TEXT_TAGS = frozenset((_TIMESTAMP, _VALUE, _MERGE))


def _fast_scalar(tag: str, text: str) -> object:
    """The value of a scalar that is not a plain string (both walks use it), or
    :class:`_Unusual` when the tag is not allowed or the text is not valid for it (the full
    walk then says which)."""
    if tag in _VALUE_TEXT_TAGS:
        return text
    if tag not in (_INT, _FLOAT, _BOOL, _NULL) or (tag == _INT and len(text) > _MAX_INT_CHARS):
        raise _Unusual
    constructor = {
        _INT: _CONSTRUCT.construct_yaml_int,
        _FLOAT: _CONSTRUCT.construct_yaml_float,
        _BOOL: _CONSTRUCT.construct_yaml_bool,
        _NULL: _CONSTRUCT.construct_yaml_null,
    }[tag]
    try:
        value = constructor(ScalarNode(tag, text))
    except Exception:
        raise _Unusual from None
    if len(_SCALAR_VALUES) < _SCALAR_CACHE_LIMIT and len(text) <= 64:
        _SCALAR_VALUES[tag, text] = value
    return value


class _Builder:
    """Walks composed nodes into plain data; one instance per call so the node budget is per call."""

    def __init__(self, source: str | None, string_keys: bool = False) -> None:
        self.source = source
        self.string_keys = string_keys
        self.visits = 0
        self.shared = False  # saw a node twice, i.e. an alias was followed
        self.built: set[int] = set()  # ids of collections already built once
        self.active: set[int] = set()  # ids of collections on the current path (cycle check)
        self.scalars: dict[int, object] = {}  # id -> value; scalars are immutable, build once

    def fail(self, message: str, node: Node, path: tuple) -> NoReturn:
        line, column = _where(node)
        _fail(message, source=self.source, line=line, column=column, path=path)

    def document(self, root: Node) -> Located:
        """The document's data and marks: by the fast walk when the document is plain (most
        are), else by the full one, which gives the same result or the precise error."""
        before = self.visits
        try:
            return self.fast_document(root)
        except _Unusual:
            self.visits = before
        marks: dict[tuple, tuple[int, int]] = {(): _where(root)}
        data = self.node(root, (), 0, marks)
        return Located(data, marks, self.source)

    def fast_document(self, root: Node) -> Located:
        """The common case in one tight walk: no merge keys, no duplicate keys, only the plain
        tags, within the budgets. Anything else raises :class:`_Unusual` (before any result
        is used) and :meth:`document` walks again with every check and its message.

        The same data and marks as :meth:`node` by construction, and checked to be by a
        property test (``tests/test_loader_fast.py``). Lint reads thousands of files, and this
        walk takes about half the time of the full one.
        """
        marks: dict[tuple, tuple[int, int]] = {}
        scalar_values = _SCALAR_VALUES
        string_keys = self.string_keys
        visits = self.visits

        def walk(node: Node, path: tuple, level: int) -> object:
            nonlocal visits
            visits += 1
            cls = node.__class__
            if cls is ScalarNode:
                tag = node.tag
                if tag == _STR:
                    return node.value
                try:
                    return scalar_values[tag, node.value]
                except KeyError:
                    return _fast_scalar(tag, node.value)
            if level >= MAX_DEPTH or visits > MAX_NODES:
                raise _Unusual
            level += 1
            if cls is MappingNode:
                if node.tag != _MAP:
                    raise _Unusual
                result: dict = {}
                for key_node, value_node in node.value:
                    visits += 1
                    if key_node.__class__ is not ScalarNode:
                        raise _Unusual
                    tag = key_node.tag
                    if tag == _STR:
                        key = key_node.value
                    elif tag == _MERGE or string_keys:
                        raise _Unusual
                    else:
                        try:
                            key = scalar_values[tag, key_node.value]
                        except KeyError:
                            key = _fast_scalar(tag, key_node.value)
                    if key in result:
                        raise _Unusual
                    here = path + (key,)
                    mark = key_node.start_mark
                    marks[here] = (mark.line + 1, mark.column + 1)
                    result[key] = walk(value_node, here, level)
                return result
            if cls is SequenceNode:
                if node.tag != _SEQ:
                    raise _Unusual
                items = []
                for i, child in enumerate(node.value):
                    here = path + (i,)
                    mark = child.start_mark
                    marks[here] = (mark.line + 1, mark.column + 1)
                    items.append(walk(child, here, level))
                return items
            raise _Unusual

        try:
            data = walk(root, (), 0)
        except RecursionError:
            raise _Unusual from None
        if visits > MAX_NODES:
            raise _Unusual
        self.visits = visits
        marks[()] = _where(root)
        return Located(data, marks, self.source)

    def count(self, node: Node, path: tuple) -> None:
        self.visits += 1
        if self.visits > MAX_NODES:
            if self.shared:
                self.fail(f"alias expansion exceeds {MAX_NODES} nodes (a YAML alias bomb?)", node, path)
            self.fail(f"more than {MAX_NODES} values in the input", node, path)

    def node(self, node: Node, path: tuple, depth: int, marks: dict) -> object:
        self.count(node, path)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        level = depth + 1
        key = id(node)
        if key in self.active:
            self.fail("recursive alias (a collection contains itself)", node, path)
        if level > MAX_DEPTH:  # path left out: a hundred-part path helps nobody; line/column do
            self.fail(f"nesting deeper than {MAX_DEPTH} levels", node, ())
        if key in self.built:
            self.shared = True
        self.built.add(key)
        self.active.add(key)
        try:
            if isinstance(node, SequenceNode):
                if node.tag != _SEQ:
                    self.bad_tag(node, path)
                items = []
                for i, child in enumerate(node.value):
                    marks[path + (i,)] = _where(child)
                    items.append(self.node(child, path + (i,), level, marks))
                return items
            if isinstance(node, MappingNode):
                if node.tag != _MAP:
                    self.bad_tag(node, path)
                return self.mapping(node, path, level, marks)
            self.fail(f"unsupported YAML node {type(node).__name__}", node, path)  # pragma: no cover
        finally:
            self.active.discard(key)

    def mapping(self, node: MappingNode, path: tuple, level: int, marks: dict) -> dict:
        # Merged entries come first (as in pyyaml), the first mapping to bring a key wins
        # (YAML merge spec), and explicit keys override merged ones.
        merged: dict[object, tuple[object, dict]] = {}
        explicit: list[tuple[object, object, dict]] = []
        first_line: dict[object, int] = {}
        merge_line: int | None = None
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == _MERGE:
                self.count(key_node, path)
                if merge_line is not None:
                    self.fail(f"duplicate key '<<' (first at line {merge_line})", key_node, path)
                merge_line = key_node.start_mark.line + 1
                for key, value, merged_marks in self.merge(value_node, path, level):
                    merged.setdefault(key, (value, merged_marks))
                continue
            key = self.key(key_node, path)
            if self.string_keys and not isinstance(key, str):
                text, message = key_problem(key)
                line, column = _where(key_node)
                shown = format_path(path) if all(isinstance(p, (str, int)) for p in path) else ""
                _fail(message, rule="schema", source=self.source, line=line, column=column, text=f"{shown}[{text}]")
            if key in first_line:
                self.fail(f"duplicate key {key!r} (first at line {first_line[key]})", key_node, path + (key,))
            first_line[key] = key_node.start_mark.line + 1
            entry_marks: dict[tuple, tuple[int, int]] = {path + (key,): _where(key_node)}
            value = self.node(value_node, path + (key,), level, entry_marks)
            explicit.append((key, value, entry_marks))
        result: dict = {}
        for key, (value, merged_marks) in merged.items():
            if key not in first_line:
                result[key] = value
                marks.update(merged_marks)
            else:
                result[key] = None  # placeholder keeps the merged position, as pyyaml does
        for key, value, entry_marks in explicit:
            result[key] = value
            marks.update(entry_marks)
        return result

    def merge(self, value_node: Node, path: tuple, level: int) -> list[tuple[object, object, dict]]:
        """Entries a ``<<`` key brings in, in order: earlier mappings in a list come first."""
        if isinstance(value_node, MappingNode):
            sources = [value_node]
        elif isinstance(value_node, SequenceNode) and all(isinstance(n, MappingNode) for n in value_node.value):
            self.count(value_node, path)
            sources = list(value_node.value)
        else:
            self.fail("merge key '<<' needs a mapping or a list of mappings", value_node, path)
        entries: list[tuple[object, object, dict]] = []
        for source in sources:
            sub_marks: dict[tuple, tuple[int, int]] = {}
            data = self.node(source, path, level - 1, sub_marks)  # same level as the mapping merged into
            by_key: dict[object, dict] = {}
            for p, m in sub_marks.items():
                by_key.setdefault(p[len(path)], {})[p] = m
            assert isinstance(data, dict)  # a MappingNode builds a dict
            entries.extend((k, v, by_key.get(k, {})) for k, v in data.items())
        return entries

    def key(self, node: Node, path: tuple) -> object:
        self.count(node, path)
        if not isinstance(node, ScalarNode):
            kind = "a mapping" if isinstance(node, MappingNode) else "a list"
            self.fail(f"a mapping key must be a plain value, not {kind}", node, path)
        return self.scalar(node, path)

    def scalar(self, node: ScalarNode, path: tuple) -> object:
        key = id(node)
        if key in self.scalars:
            self.shared = True
            return self.scalars[key]
        tag = node.tag
        try:
            # timestamps stay text (Kubernetes wants strings); a bare '=' or '<<' value is just text
            value = node.value if tag == _STR else _fast_scalar(tag, node.value)
        except _Unusual:
            if tag == _INT and len(node.value) > _MAX_INT_CHARS:
                self.fail(f"integer is too long ({len(node.value)} characters)", node, path)
            if tag in (_INT, _FLOAT, _BOOL, _NULL):
                shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
                self.fail(f"{shown!r} is not a valid {_tag_name(tag)} value", node, path)
            self.bad_tag(node, path)
        self.scalars[key] = value
        return value

    def bad_tag(self, node: Node, path: tuple) -> NoReturn:
        name = _tag_name(node.tag)
        kind = {ScalarNode: "a plain value", SequenceNode: "a list", MappingNode: "a mapping"}.get(
            type(node), "this node"
        )
        if node.tag in (_STR, _INT, _FLOAT, _BOOL, _NULL, _MAP, _SEQ, _TIMESTAMP):
            self.fail(f"YAML tag {name!r} cannot be used on {kind}", node, path)
        self.fail(f"YAML tag {name!r} is not allowed; write plain values", node, path)


# ---------------------------------------------------------------- plain data


#: One problem :func:`check_data` found: the path as a tuple of the real keys (for line and
#: column lookups), the path as text, the message and the rule id.
Problem = tuple[tuple, str, str, str]

_PLAIN_TYPES = (dict, list, tuple, str, int, float, type(None))  # bool is an int


def _key_text(key: object) -> tuple[str, str]:
    """A non-string key as YAML spells it (``null``, ``true``, ``1.5``, ``.inf``) and as a phrase."""
    if key is None:
        return "null", "null"
    if isinstance(key, bool):
        text = "true" if key else "false"
        return text, f"the boolean {text}"
    if isinstance(key, int):
        if key.bit_length() > 64:
            return "...", f"a {_digits(key)}-digit number"
        return str(key), f"the number {key}"
    if isinstance(key, float):
        if key != key:
            text = ".nan"
        elif key in (float("inf"), float("-inf")):
            text = ".inf" if key > 0 else "-.inf"
        else:
            text = repr(key)
        return text, f"the number {text}"
    return type(key).__name__, f"a {type(key).__name__}"


def key_problem(key: object) -> tuple[str, str]:
    """A non-string key as it goes in a path (``labels[true]``) and the message about it."""
    text, phrase = _key_text(key)
    hint = f"; quote it ('{text}') if you mean the text" if text != "..." and phrase != f"a {text}" else ""
    return text, f"keys must be strings, not {phrase}{hint}"


def _digits(value: int) -> int:
    """About how many decimal digits ``value`` has, without converting it (which may fail)."""
    return max(1, int(abs(value).bit_length() * 0.30103) + 1)


def _kind(value: object) -> str:
    return "a mapping" if isinstance(value, dict) else f"a {type(value).__name__}"


def check_data(data: object, *, string_keys: bool = True) -> list[Problem]:
    """What makes ``data`` unusable as a preset (or a layer of one), before any stage runs.

    Python data given to the library gets the limits YAML input gets from :func:`load_yaml`:
    at most :data:`MAX_DEPTH` levels, :data:`MAX_NODES` values (shared objects counted each
    time they are reached), :data:`MAX_BYTES` of text and integers of at most 1000 digits;
    no collection that contains itself; only plain data (mappings, lists, strings, numbers,
    booleans, null). With ``string_keys``, every mapping key must be a string (Kubernetes
    and the preset format have no other keys). Returns every problem found, in order.
    """
    problems: list[Problem] = []
    state = {"nodes": 0, "chars": 0}
    active: set[int] = set()

    def shown(path: tuple) -> str:
        return format_path(path) if all(isinstance(p, (str, int)) for p in path) else ""

    def add(path: tuple, text: str, message: str, rule: str) -> None:
        problems.append((path, text, message, rule))

    def walk(value: object, path: tuple, depth: int) -> bool:
        """False once a limit is hit: the walk stops there."""
        state["nodes"] += 1
        if state["nodes"] > MAX_NODES:
            add(path, shown(path), f"more than {MAX_NODES} values in the input", "input")
            return False
        if isinstance(value, str):
            state["chars"] += len(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            if value.bit_length() > _MAX_INT_BITS:
                add(path, shown(path), f"integer is too long ({_digits(value)} digits)", "input")
        elif isinstance(value, (dict, list, tuple)):
            if id(value) in active:
                what = "mapping" if isinstance(value, dict) else "list"
                add(path, shown(path), f"a {what} that contains itself (a reference cycle)", "input")
                return True
            if depth >= MAX_DEPTH:
                add((), "", f"nesting deeper than {MAX_DEPTH} levels", "input")
                return False
            active.add(id(value))
            try:
                if isinstance(value, dict):
                    for key, item in value.items():
                        if isinstance(key, str):
                            state["chars"] += len(key)
                        elif string_keys:
                            text, message = key_problem(key)
                            add((*path, key), f"{shown(path)}[{text}]", message, "schema")
                            continue
                        if not walk(item, (*path, key), depth + 1):
                            return False
                else:
                    for index, item in enumerate(value):
                        if not walk(item, (*path, index), depth + 1):
                            return False
            finally:
                active.discard(id(value))
        elif not isinstance(value, _PLAIN_TYPES):
            add(path, shown(path), f"must be plain data (a mapping, list, string, number, boolean or null), not {_kind(value)}", "schema")
        if state["chars"] > MAX_BYTES:
            add((), "", f"input is larger than {_size(MAX_BYTES)}, the limit", "input")
            return False
        return True

    walk(data, (), 0)
    return problems


# ---------------------------------------------------------------- public API


def load_yaml(
    text: str | bytes, *, source: str | None = None, max_bytes: int = MAX_BYTES, string_keys: bool = False
) -> Located:
    """Exactly one YAML document as plain data with marks; presets are single documents.

    Empty documents around it (a stray ``---``) are ignored; two real documents are an error.
    With ``string_keys`` (presets, values files, ``--set`` values), a key that YAML reads as
    a number, boolean or null is an error at that key: ``labels: {1: a, true: b}`` says the
    keys must be strings rather than calling them duplicates (they are equal in Python).
    """
    nodes = [n for n in _compose(_to_text(text, source, max_bytes), source) if not _is_empty(n)]
    if not nodes:
        _fail("empty document", source=source, line=1, column=1)
    if len(nodes) > 1:
        line, column = _where(nodes[1])
        _fail(f"expected one document, found {len(nodes)}", source=source, line=line, column=column)
    return _Builder(source, string_keys).document(nodes[0])


def load_yaml_all(text: str | bytes, *, source: str | None = None, max_bytes: int = MAX_BYTES) -> list[Located]:
    """Every non-empty document of a stream (manifest files), each with its own marks."""
    nodes = _compose(_to_text(text, source, max_bytes), source)
    builder = _Builder(source)  # one node budget for the whole call
    return [builder.document(n) for n in nodes if not _is_empty(n)]


def read_source(path: str, *, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """Raw bytes of a file, or of stdin for ``'-'``, reading at most ``max_bytes + 1``.

    Returns ``(data, display name)``; refuses oversized input without reading it whole.
    """
    if path == "-":
        name = "<stdin>"
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            _fail(f"cannot read {name}: standard input is not available", rule="input", source=name)
        try:
            data = stream.read(max_bytes + 1)
        except (OSError, ValueError) as e:  # ValueError: stdin closed
            _fail(f"cannot read {name}: {getattr(e, 'strerror', None) or e}", rule="input", source=name)
        if len(data) > max_bytes:
            _too_big(None, max_bytes, name)
        return data, name
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            data = f.read(max_bytes + 1)
    except OSError as e:
        _fail(f"cannot read {name!r}: {e.strerror or e}", rule="input", source=name)
    if len(data) > max_bytes:
        _too_big(size if size > max_bytes else None, max_bytes, name)
    return data, name
