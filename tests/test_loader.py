"""Tests for scaffold.loader: safe, marked, bounded YAML loading."""

from __future__ import annotations

import io
import math
import os
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold.loader as loader
from scaffold.errors import PresetError
from scaffold.loader import MAX_BYTES, MAX_DEPTH, load_yaml, load_yaml_all, read_source

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
# and each with the memo of scalar tags the loader really uses
LOADERS += [loader._caching(c) for c in LOADERS]


@pytest.fixture(params=LOADERS, ids=lambda c: c.__name__)
def both_parsers(request, monkeypatch):
    """Run a test with libyaml and with the pure-Python fallback parser."""
    monkeypatch.setattr(loader, "_Loader", request.param)
    return request.param


def fail(text, **kw):
    """The single Issue of the PresetError that loading ``text`` must raise."""
    with pytest.raises(PresetError) as info:
        load_yaml(text, source="t.yaml", **kw)
    (issue,) = info.value.issues
    assert issue.file == "t.yaml"
    return issue


# ------------------------------------------------------------------ marks

DOC = """\
spec:
  containers:
    - name: app
      resources:
        limits:
          cpu: 500m
    -   name: side
"""


def test_marks_point_at_keys_and_list_items(both_parsers):
    loc = load_yaml(DOC, source="d.yaml")
    c = ("spec", "containers")
    assert loc.source == "d.yaml"
    assert loc.marks[()] == (1, 1)
    assert loc.marks[("spec",)] == (1, 1)
    assert loc.marks[c] == (2, 3)
    assert loc.marks[c + (0,)] == (3, 7)
    assert loc.marks[c + (0, "name")] == (3, 7)
    assert loc.marks[c + (0, "resources")] == (4, 7)
    assert loc.marks[c + (0, "resources", "limits")] == (5, 9)
    assert loc.marks[c + (0, "resources", "limits", "cpu")] == (6, 11)
    assert loc.marks[c + (1,)] == (7, 9)
    assert loc.marks[c + (1, "name")] == (7, 9)
    assert loc.mark(c + (0, "resources", "limits", "memory")) == (5, 9)  # nearest ancestor


def test_marks_in_flow_style_and_scalar_list_items():
    loc = load_yaml("ports: [80, {port: 443}]\nargs:\n- a\n- b\n")
    assert loc.data == {"ports": [80, {"port": 443}], "args": ["a", "b"]}
    assert loc.marks[("ports", 0)] == (1, 9)
    assert loc.marks[("ports", 1, "port")] == (1, 14)
    assert loc.marks[("args", 1)] == (4, 3)


def test_root_mark_is_the_root_node_start():
    loc = load_yaml("# comment\n\n  - x\n")
    assert loc.marks[()] == (3, 3)


# ------------------------------------------------------------------ syntax and structure errors


def test_syntax_error_reports_line_and_column(both_parsers):
    issue = fail("a: 1\nb: c: d\n")
    assert issue.rule == "yaml"
    assert issue.message.startswith("YAML syntax error: mapping values are not allowed")
    assert (issue.line, issue.column) == (2, 5)


def test_unclosed_flow_sequence_is_a_syntax_error():
    issue = fail("a: [1, 2\n")
    assert issue.message.startswith("YAML syntax error:")
    assert issue.line is not None and issue.column is not None


def test_duplicate_key_names_key_and_first_line():
    issue = fail("name: a\nimage: x\nports: []\nimage: y\n")
    assert issue.message == "duplicate key 'image' (first at line 2)"
    assert (issue.line, issue.column) == (4, 1)
    assert issue.path == "image"
    assert issue.rule == "yaml"


def test_duplicate_key_nested_reports_path():
    issue = fail("spec:\n  containers:\n  - name: a\n    name: b\n")
    assert issue.message == "duplicate key 'name' (first at line 3)"
    assert issue.path == "spec.containers[0].name"
    assert (issue.line, issue.column) == (4, 5)


def test_keys_equal_in_python_are_duplicates():
    assert "duplicate key" in fail("1: a\ntrue: b\n").message


def test_collection_as_key_is_refused():
    issue = fail("? [1, 2]\n: x\n")
    assert "mapping key must be a plain value" in issue.message
    assert (issue.line, issue.column) == (1, 3)


def test_undefined_alias_names_it(both_parsers):
    issue = fail("a: 1\nb: *nope\n")
    assert "undefined alias 'nope'" in issue.message
    assert (issue.line, issue.column) == (2, 4)


def test_duplicate_anchor_is_refused(both_parsers):
    issue = fail("a: &x 1\nb: &x 2\n")
    assert "duplicate anchor 'x' (first at line 1)" in issue.message


# ------------------------------------------------------------------ tags


def test_python_tag_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    text = f'cmd: !!python/object/apply:os.system ["touch {marker}"]\n'
    issue = fail(text)
    assert issue.message == "YAML tag '!!python/object/apply:os.system' is not allowed; write plain values"
    assert (issue.line, issue.column) == (1, 6)
    assert issue.rule == "yaml"
    assert not marker.exists()


@pytest.mark.parametrize(
    "text, tag",
    [
        ("x: !!binary aGVsbG8=\n", "!!binary"),
        ("x: !local 1\n", "!local"),
        ("x: !!set {a: null}\n", "!!set"),
        ("x: !!omap [a: 1]\n", "!!omap"),
        ("x: !!pairs [a: 1]\n", "!!pairs"),
        ("x: !!python/name:os.system\n", "!!python/name:os.system"),
        ("x: !<tag:example.com,2000:app> 1\n", "tag:example.com,2000:app"),
    ],
)
def test_nonstandard_tags_are_named_and_refused(text, tag):
    issue = fail(text)
    assert issue.message == f"YAML tag '{tag}' is not allowed; write plain values"
    assert issue.line == 1 and issue.column == 4


def test_local_tag_on_list_item_marks_the_item():
    issue = fail("items:\n  - ok\n  - !x bad\n")
    assert (issue.line, issue.column) == (3, 5)
    assert issue.path == "items[1]"


def test_standard_explicit_tags_are_honoured():
    text = "a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !!bool yes\ne: !!null ''\nf: !!map {x: 1}\ng: !!seq [1]\n"
    assert load_yaml(text).data == yaml.safe_load(text)
    assert load_yaml(text).data["a"] == "12"


def test_explicit_tag_with_bad_value_is_an_error():
    issue = fail("port: !!int eighty\n")
    assert issue.message == "'eighty' is not a valid !!int value"
    assert (issue.line, issue.column) == (1, 7)


def test_scalar_tag_on_collection_is_an_error():
    assert "cannot be used on a mapping" in fail("a: !!str {b: 1}\n").message


# ------------------------------------------------------------------ scalars


def test_scalars_resolve_like_safe_load():
    text = (
        "octal: 0755\nhex: 0x1F\nexp: 1e6\nfl: 1.5e+3\nyes_: yes\nno_: No\nswitch: on\n"
        "tilde: ~\nnull_: null\nempty:\ninf: .inf\nquoted: 'yes'\n80: port\ntrue: t\n"
        "sexa: 1:30\nneg: -12\nunder: 1_000\n"
    )
    assert load_yaml(text).data == yaml.safe_load(text)
    assert load_yaml(text).data["exp"] == "1e6"


def test_timestamps_stay_strings():
    data = load_yaml("date: 2024-01-01\nts: 2001-12-14t21:59:43.10-05:00\n").data
    assert data == {"date": "2024-01-01", "ts": "2001-12-14t21:59:43.10-05:00"}


def test_huge_integer_is_an_error_not_a_hang():
    start = time.perf_counter()
    issue = fail("n: " + "1:" * 200_000 + "1\n")
    assert time.perf_counter() - start < 1.0
    assert "integer is too long" in issue.message


def test_aliases_copy_values():
    data = load_yaml("a: &x {k: [1, 2]}\nb: *x\n").data
    assert data == {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}}


# ------------------------------------------------------------------ merge keys


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {a: 1, b: 2}\nc:\n  <<: *b\n  b: 3\n",
        "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  <<: [*x, *y]\n  c: 3\n",
        "x: &x {a: 1}\ny: &y {<<: *x, b: 2}\nz: {<<: *y, c: 3}\n",
        "z: {a: 0, <<: {a: 1, b: 1}}\n",
    ],
)
def test_merge_keys_follow_safe_load(text):
    got = load_yaml(text).data
    want = yaml.safe_load(text)
    assert got == want
    assert [list(v) for v in got.values()] == [list(v) for v in want.values()]  # same key order


def test_earlier_merged_mapping_wins_per_yaml_spec():
    # pyyaml 6.0.x gets this wrong for keys longer than one character; the spec says earlier wins
    text = "x: &x {ab: 1}\ny: &y {ab: 2, cd: 2}\nz:\n  <<: [*x, *y]\n"
    assert load_yaml(text).data["z"] == {"ab": 1, "cd": 2}


def test_two_merge_keys_are_a_duplicate_key():
    issue = fail("z:\n  <<: {a: 1}\n  <<: {b: 2}\n")
    assert issue.message == "duplicate key '<<' (first at line 2)"
    assert (issue.line, issue.column) == (3, 3)


def test_merged_keys_mark_their_origin_and_explicit_keys_win():
    loc = load_yaml("base: &b\n  a: 1\n  b: 2\nc:\n  <<: *b\n  b: 3\n")
    assert loc.data["c"] == {"a": 1, "b": 3}
    assert loc.marks[("c", "a")] == (2, 3)
    assert loc.marks[("c", "b")] == (6, 3)


def test_merge_of_a_scalar_is_refused():
    issue = fail("a:\n  <<: 5\n")
    assert "merge key '<<' needs a mapping" in issue.message
    assert (issue.line, issue.column) == (2, 7)


# ------------------------------------------------------------------ bombs and depth


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        refs = ",".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_after_building_at_most_the_budget(both_parsers, built_nodes):
    text = billion_laughs(9)  # 9^9 values once expanded
    issue = fail(text)
    assert issue.message == "alias expansion exceeds 100000 nodes (a YAML alias bomb?)"
    assert built_nodes["n"] <= loader.MAX_NODES + 1


@pytest.mark.parametrize("budget", [1_000, 20_000])
def test_the_work_on_an_alias_bomb_follows_the_node_budget(monkeypatch, built_nodes, budget):
    monkeypatch.setattr(loader, "MAX_NODES", budget)
    assert "alias expansion exceeds" in fail(billion_laughs(9)).message
    assert budget <= built_nodes["n"] <= budget + 1


def test_alias_bomb_through_merge_keys_is_refused_within_the_budget(built_nodes):
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}"]
    for i in range(1, 9):
        items = ", ".join(f"k{j}: *m{i - 1}" for j in range(10))
        lines.append(f"m{i}: &m{i} {{<<: *m{i - 1}, {items}}}")
    assert "alias expansion exceeds" in fail("\n".join(lines)).message
    assert built_nodes["n"] <= loader.MAX_NODES + 1


def test_recursive_alias_is_refused():
    assert "recursive alias" in fail("a: &a [1, *a]\n").message


def test_node_budget_is_shared_across_documents(monkeypatch):
    monkeypatch.setattr(loader, "MAX_NODES", 10)
    doc = "a: 1\nb: 2\n"  # 5 nodes
    assert len(load_yaml_all(doc + "---\n" + doc)) == 2
    with pytest.raises(PresetError, match="more than 10 values"):
        load_yaml_all(doc + "---\n" + doc + "---\n" + doc)


@pytest.mark.parametrize("text", ["[" * 10000, "[" * 10000 + "]" * 10000, "{a: " * 5000 + "1" + "}" * 5000])
def test_very_deep_flow_nesting_is_a_clean_error(text, both_parsers):
    issue = fail(text)
    assert issue.message.startswith(("nesting deeper than", "YAML syntax error"))


def test_nesting_just_past_the_limit_is_refused_and_at_the_limit_accepted():
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load_yaml(ok).data is not None
    issue = fail("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert issue.message == "nesting deeper than 100 levels"
    assert (issue.line, issue.column) == (1, MAX_DEPTH + 1)


def test_deep_block_mappings_are_a_clean_error(both_parsers):
    text = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 201)) + "  " * 201 + "x\n"
    issue = fail(text)
    assert issue.message == "nesting deeper than 100 levels"
    assert issue.line is not None


# ------------------------------------------------------------------ input checks


def test_size_limit_counts_bytes():
    assert load_yaml(b"a" * 10, max_bytes=10).data == "a" * 10
    issue = fail(b"a" * 11, max_bytes=10)
    assert issue.rule == "input"
    assert issue.message == "file is 11 bytes; the limit is 10 bytes"


def test_size_limit_default_and_str_input_uses_utf8_length():
    issue = fail(b"#" * (MAX_BYTES + 1))
    assert issue.message == f"file is {MAX_BYTES + 1} bytes; the limit is {MAX_BYTES} bytes"
    assert fail("é" * 6, max_bytes=10).message == "file is 12 bytes; the limit is 10 bytes"
    assert fail("x" * (2 * MAX_BYTES + 400_000)).message == "file is 2.4 MiB; the limit is 1 MiB"


def test_nul_byte_is_binary_data():
    issue = fail(b"a: 1\nb\x002\n")
    assert issue.rule == "input"
    assert issue.message == "binary data (NUL byte at offset 6)"
    assert (issue.line, issue.column) == (2, 2)
    assert fail("ab\x00").message == "binary data (NUL byte at offset 2)"


def test_invalid_utf8_names_the_byte_and_offset():
    issue = fail(b"name: caf\xe9\n")
    assert issue.rule == "input"
    assert issue.message == "not UTF-8 text (invalid byte 0xe9 at offset 9)"
    assert (issue.line, issue.column) == (1, 10)


def test_utf16_is_explained():
    assert "UTF-16" in fail("a: 1\n".encode("utf-16")).message


def test_unpaired_surrogate_in_str_is_an_input_error():
    assert fail("a: \ud800\n").rule == "input"


def test_utf8_bom_is_allowed():
    loc = load_yaml(b"\xef\xbb\xbfa: 1\n")
    assert loc.data == {"a": 1}
    assert loc.marks[("a",)] == (1, 1)
    assert load_yaml("\ufeffa: 1\n").data == {"a": 1}


def test_control_character_is_an_input_error_with_position(both_parsers):
    issue = fail("é: ok\nb: x\x01\n")
    assert issue.rule == "input"
    assert issue.message == "unprintable character U+0001 is not allowed in YAML text"
    assert (issue.line, issue.column) == (2, 5)


# ------------------------------------------------------------------ documents


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n# another\n", "---\n", "---\n...\n", b""])
def test_empty_input_is_empty_document(text):
    issue = fail(text)
    assert issue.message == "empty document"
    assert issue.rule == "yaml"


def test_load_yaml_refuses_several_documents():
    issue = fail("a: 1\n---\nb: 2\n---\nc: 3\n")
    assert issue.message == "expected one document, found 3"
    assert (issue.line, issue.column) == (3, 1)


def test_load_yaml_accepts_explicit_start_and_trailing_marker():
    assert load_yaml("---\na: 1\n---\n").data == {"a": 1}


def test_load_yaml_all_skips_empty_documents_and_marks_each():
    text = "---\n---\nkind: A\nmeta:\n  name: x\n---\n# nothing\n---\n  kind: B\n---\n"
    docs = load_yaml_all(text, source="m.yaml")
    assert [d.data for d in docs] == [{"kind": "A", "meta": {"name": "x"}}, {"kind": "B"}]
    assert docs[0].marks[("meta", "name")] == (5, 3)
    assert docs[1].marks[()] == (9, 3)
    assert docs[1].marks[("kind",)] == (9, 3)
    assert ("meta",) not in docs[1].marks
    assert all(d.source == "m.yaml" for d in docs)


def test_load_yaml_all_of_nothing_is_empty_list():
    assert load_yaml_all("# nothing\n") == []


def test_load_yaml_all_reports_error_in_later_document():
    with pytest.raises(PresetError) as info:
        load_yaml_all("a: 1\n---\nb: !!binary eA==\n", source="m.yaml")
    assert (info.value.issues[0].line, info.value.issues[0].column) == (3, 4)


# ------------------------------------------------------------------ read_source


def test_read_source_reads_a_file(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_bytes(b"a: 1\n")
    assert read_source(str(p)) == (b"a: 1\n", str(p))


def test_read_source_missing_file(tmp_path):
    p = str(tmp_path / "x.yaml")
    with pytest.raises(PresetError) as info:
        read_source(p)
    (issue,) = info.value.issues
    assert issue.rule == "input"
    assert issue.message == f"cannot read {p!r}: No such file or directory"
    assert issue.file == p


def test_read_source_directory(tmp_path):
    with pytest.raises(PresetError) as info:
        read_source(str(tmp_path))
    assert info.value.issues[0].rule == "input"
    assert info.value.issues[0].message.startswith(f"cannot read {str(tmp_path)!r}: ")


def test_read_source_huge_file_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    p = tmp_path / "huge.yaml"
    with open(p, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    requested: list[int] = []
    real_open = open

    class Spy:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def fileno(self):
            return self.f.fileno()

        def read(self, n=-1):
            requested.append(n)
            return self.f.read(n)

    monkeypatch.setattr(loader, "open", lambda *a, **k: Spy(real_open(*a, **k)), raising=False)
    start = time.perf_counter()
    with pytest.raises(PresetError) as info:
        read_source(str(p))
    assert time.perf_counter() - start < 1.0
    assert info.value.issues[0].message == "file is 50 MiB; the limit is 1 MiB"
    assert info.value.issues[0].rule == "input"
    assert requested and all(0 <= n <= MAX_BYTES + 1 for n in requested)


def test_read_source_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a: 1\n")))
    assert read_source("-") == (b"a: 1\n", "<stdin>")


def test_read_source_stdin_too_big_stops_reading(monkeypatch):
    buf = io.BytesIO(b"x" * (MAX_BYTES + 5000))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(buf))
    with pytest.raises(PresetError) as info:
        read_source("-")
    assert info.value.issues[0].file == "<stdin>"
    assert info.value.issues[0].rule == "input"
    assert buf.tell() <= MAX_BYTES + 1


def test_read_then_load_round_trip(tmp_path):
    p = tmp_path / "p.yaml"
    p.write_text("image: nginx\n", encoding="utf-8")
    raw, name = read_source(os.fspath(p))
    assert load_yaml(raw, source=name).data == {"image": "nginx"}


# ------------------------------------------------------------------ properties

json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_like)
def test_safe_dump_round_trips(data):
    dumped = yaml.safe_dump(data)
    assert load_yaml(dumped).data == data
    assert load_yaml(dumped.encode("utf-8")).data == data


def _same(a: object, b: object) -> bool:
    return a == b or repr(a) == repr(b)  # NaN


def _has_date(x: object) -> bool:
    import datetime

    if isinstance(x, (datetime.date, datetime.datetime)):
        return True
    if isinstance(x, dict):
        return any(_has_date(k) or _has_date(v) for k, v in x.items())
    if isinstance(x, list):
        return any(_has_date(v) for v in x)
    return False


yamlish = st.text(alphabet=list("ab01 :-\n[]{},'\"#&*!<>|.~eE+_x"), max_size=60)


@settings(max_examples=500, deadline=None)
@given(yamlish)
def test_agrees_with_safe_load_when_both_succeed(text):
    try:  # same parser family as the loader: libyaml and pyyaml differ on a bare '!'
        want = yaml.load(text, Loader=loader._Loader)
    except Exception:
        return
    try:
        got = load_yaml(text).data
    except PresetError:
        return
    if not _has_date(want):
        assert _same(got, want)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200), yamlish))
def test_arbitrary_input_returns_or_raises_preset_error(blob):
    try:
        loc = load_yaml(blob)
    except PresetError as e:
        assert e.issues and all(i.rule in ("yaml", "input") for i in e.issues)
    else:
        assert () in loc.marks
    try:
        load_yaml_all(blob)
    except PresetError:
        pass


def test_floats_and_special_values_survive():
    data = load_yaml("a: .nan\nb: -.inf\n").data
    assert math.isnan(data["a"]) and data["b"] == float("-inf")
