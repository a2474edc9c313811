"""The loader's fast walk gives exactly what the full walk gives, or leaves the document to it.

``_Builder.fast_document`` skips the checks a plain document never needs (merge keys,
duplicate keys, tags, budgets) and raises ``_Unusual`` when it meets one of them; the full
walk then decides. These properties pin that contract on generated YAML: whenever the fast
walk answers, its data (with exact types: ``True`` is not ``1``) and its marks equal the full
walk's; whenever the full walk refuses a document, the fast walk did not answer.
"""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold.loader as loader
from scaffold.errors import PresetError

# Plain scalars whose tag depends on YAML 1.1's resolver, keys the fast walk leaves alone, and
# ordinary text.
TRICKY = ["yes", "no", "on", "off", "y", "n", "true", "False", "null", "~", "", "0", "-1", "0x1F", "0o17", "017", "1_000",
          "1:30", "1e3", "1.5", ".inf", "-.inf", ".nan", "2024-01-02", "2024-01-02T03:04:05Z", "=", "<<", "abc", "a b",
          "é", "80", "'quoted'", "\"dq\"", "a: b", "- x", "#c", "*x", "&y", "!tag"]

scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
keys = st.one_of(st.sampled_from(TRICKY), st.text(st.characters(whitelist_categories=("Ll", "Nd")), max_size=5), st.integers(0, 3))
data = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=25)

# Pieces of YAML the data generator cannot make: anchors and aliases, merge keys, duplicate
# keys, tags (allowed and refused), explicit keys that are collections.
SNIPPETS = [
    "base: &b {x: 1, y: [1, 2]}\nuse: *b\n",
    "base: &b {x: 1}\nm: {<<: *b, y: 2}\n",
    "m: {<<: [{a: 1}, {a: 2, b: 3}], b: 4}\n",
    "a: 1\na: 2\n",
    "1: a\n1.0: b\n",
    "true: x\n1: y\n",
    "s: !!str 12\nn: !!int '7'\n",
    "f: !!float '1'\nb: !!bool 'yes'\nz: !!null ''\n",
    "t: !!timestamp 2020-01-01\n",
    "x: !custom 1\n",
    "x: !!binary aGk=\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "l: &l [1, 2]\nm: [*l, *l]\n",
    "k: &k key\n*k : v\n",
    "<<: {a: 1}\na: 2\n",
    "<<: 1\n",
    "v: =\nw: <<\n",
    "big: 1" + "0" * 1200 + "\n",
    "seq: !!seq [1]\nmap: !!map {a: 1}\n",
    "seq: !!map [1]\n",
    "! 12: x\n",
]


def _strict(value: object) -> object:
    """``value`` with every scalar tagged by its type, so that ``1 == True == 1.0`` no longer holds."""
    if isinstance(value, dict):
        return [(_strict(k), _strict(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_strict(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _full(node: yaml.Node, string_keys: bool) -> tuple[object, dict] | str:
    builder = loader._Builder("t.yaml", string_keys)
    marks: dict = {(): loader._where(node)}
    try:
        return builder.node(node, (), 0, marks), marks
    except PresetError as err:
        return err.issues[0].message


def _fast(node: yaml.Node, string_keys: bool) -> tuple[object, dict] | None:
    try:
        located = loader._Builder("t.yaml", string_keys).fast_document(node)
    except loader._Unusual:
        return None
    return located.data, located.marks


def _agree(text: str) -> None:
    try:
        nodes = list(yaml.compose_all(text, Loader=loader._Loader))
    except yaml.YAMLError:
        return  # a parse error never reaches the walks
    for node in nodes:
        for string_keys in (False, True):
            full, fast = _full(node, string_keys), _fast(node, string_keys)
            if fast is None:
                continue
            assert not isinstance(full, str), f"the fast walk accepted what the full one refuses: {full}\n{text}"
            assert _strict(fast[0]) == _strict(full[0]), text
            assert fast[1] == full[1], text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=data, flow=st.sampled_from([None, True, False]))
def test_fast_walk_equals_full_walk_on_generated_documents(value, flow):
    _agree(yaml.safe_dump({"root": value}, default_flow_style=flow, allow_unicode=True))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=data, snippet=st.sampled_from(SNIPPETS), indent=st.booleans())
def test_fast_walk_leaves_anchors_merges_tags_and_duplicates_to_the_full_walk(value, snippet, indent):
    body = yaml.safe_dump({"data": value}, default_flow_style=False, allow_unicode=True)
    if indent:
        snippet = "nested:\n" + "".join(f"  {line}\n" for line in snippet.splitlines())
    _agree(body + snippet)


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_each_unusual_snippet_alone(snippet):
    _agree(snippet)


@pytest.mark.parametrize(
    "text",
    ["a: 1\na: 2\n", "m: {<<: {a: 1}}\n", "x: !custom 1\n", "? [a]\n: b\n", "k: 1" + "0" * 1200 + "\n", "l: &l [1]\nm: *l\n"],
)
def test_fast_walk_declines_what_needs_the_full_walk(text):
    """Declining is part of the contract: these need a message, a merge or alias accounting.
    (An alias to a list is plain data; declining it only costs time, but the full walk then
    counts the visits of the shared node, which the budget message depends on.)"""
    (node,) = yaml.compose_all(text, Loader=loader._Loader)
    if text.startswith("l: &l"):
        assert _fast(node, False) is not None  # aliases are followed; the data is the same
        _agree(text)
    else:
        assert _fast(node, False) is None


def test_fast_walk_answers_for_a_plain_manifest():
    text = "apiVersion: v1\nkind: Service\nmetadata: {name: web, labels: {on: 'yes'}}\nspec:\n  ports: [{port: 80, protocol: TCP}]\n"
    (node,) = yaml.compose_all(text, Loader=loader._Loader)
    fast = _fast(node, False)
    assert fast is not None
    assert fast[0] == {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "labels": {True: "yes"}},
                       "spec": {"ports": [{"port": 80, "protocol": "TCP"}]}}
    assert fast[1][("spec", "ports", 0, "port")] == (5, 12)
    _agree(text)


def test_alias_bomb_still_stops_at_the_node_budget():
    """The fast walk counts visits as the full one does, so a bomb falls back and is refused."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 7)]
    with pytest.raises(PresetError) as info:
        loader.load_yaml("\n".join(lines) + "\n")
    assert "alias" in info.value.issues[0].message
