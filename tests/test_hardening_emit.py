"""Every string the emitters write reads back as the same string in YAML 1.1 and 1.2 readers.

Oracles: PyYAML (YAML 1.1, both its C and its Python loader) and ruamel.yaml (YAML 1.2). The
emitter's "may this be plain?" test is derived from the resolvers; these tests check it
against the readers themselves, on the families that used to slip through (signed base 60,
underscore floats) and on random text.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
import ruamel.yaml
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import scaffold
from scaffold.rendering.emit import plain_ok, scalar, to_yaml_stream
from scaffold.rendering.templates import parse_rendered, to_yaml

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ruamel_all(text: str) -> list[Any]:
    reader = ruamel.yaml.YAML(typ="safe", pure=True)  # YAML 1.2
    return list(reader.load_all(io.StringIO(text)))


def _readers(text: str) -> dict[str, list[Any]]:
    """The documents of ``text`` as each reader sees them."""
    return {
        "pyyaml-c": list(yaml.load_all(text, Loader=yaml.CSafeLoader)),
        "pyyaml": list(yaml.load_all(text, Loader=yaml.SafeLoader)),
        "ruamel-1.2": _ruamel_all(text),
    }


def _assert_round_trip(obj: dict[str, Any]) -> None:
    text = to_yaml_stream([obj])
    for name, docs in _readers(text).items():
        assert docs == [obj], f"{name} read back something else from:\n{text}"


# The values from the issue: YAML 1.1 reads them as -90, 0.5, 0.1 and -90.5 when plain.
ISSUE_VALUES = ["-1:30", ".5_", ".1_0", "-1:30.5"]


def test_base60_and_underscore_numbers_are_quoted_in_rendered_env_and_args() -> None:
    preset = {
        "name": "app",
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "args": ["-1:30", ".5_"],
                "env": dict(zip("IJLM", ISSUE_VALUES)),
            }
        ],
    }
    text = scaffold.render_yaml(preset)
    for name, docs in _readers(text).items():
        container = docs[0]["spec"]["template"]["spec"]["containers"][0]
        assert container["args"] == ["-1:30", ".5_"], name
        assert [e["value"] for e in container["env"]] == ISSUE_VALUES, name


@pytest.mark.parametrize("text", ISSUE_VALUES + ["1_0", "0b1_0", "0o17", "1e5", "1_0e5", ".nan", "-.inf", "0X1F", "y", "N", "1:2:3"])
def test_strings_that_some_reader_takes_for_another_type_are_not_plain(text: str) -> None:
    assert not plain_ok(text)
    _assert_round_trip({"k": text, text: "v", "list": [text]})


@pytest.mark.parametrize("text", ["nginx:1.27", "web", "/healthz", "IfNotPresent", "apps/v1", "128Mi", "1.2.3", "a_b", "_"])
def test_ordinary_words_stay_plain(text: str) -> None:
    # Quoting everything would also round-trip; the goldens rely on ordinary words being plain.
    assert scalar(text) == text


# Strings made of the characters numbers, times and keywords are made of: the space where a
# resolver's regex and a hand-written test are most likely to disagree.
NUMBERISH = st.text(st.sampled_from(list("0123456789_.:+-eExXoObBinfaINFNAyY~")), min_size=1, max_size=10)
FAMILIES = st.one_of(
    st.from_regex(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?", fullmatch=True),  # base 60
    st.from_regex(r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?", fullmatch=True),  # underscore floats
    st.from_regex(r"[-+]?(0[bBoOxX])?[0-9a-fA-F_]{1,8}", fullmatch=True),
)
HOSTILE = st.sampled_from(
    ["#", ": ", "- ", "!", "&", "*", "%", "@", "`", "|", ">", "'", '"', "\\", "? ", ",", "[", "]", "{", "}",
     "\u2028", "\u2029", "\x85", "\ufeff", "\t", "\n", "\r", " ", "\xa0", "é", "中", "🚀", "---", "...", "<<", "="]
)
TEXT = st.one_of(
    NUMBERISH,
    FAMILIES,
    st.lists(st.one_of(HOSTILE, NUMBERISH, st.sampled_from(["a", "key", "true", "null", "x"])), min_size=1, max_size=5).map("".join),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)


@SETTINGS
@given(value=TEXT, key=TEXT)
@example(value=" leading", key="trailing ")
@example(value="a # b", key="- x")
@example(value="\u2028", key="\x85")
def test_any_string_round_trips_through_the_emitter_in_yaml_1_1_and_1_2(value: str, key: str) -> None:
    _assert_round_trip({"value": value, key: value, "list": [value, key], "nested": {key: [value]}})


def _resolver_patterns() -> list[tuple[str, str, str]]:
    """(reader, first characters, regex) of every implicit resolver of both readers."""
    pyyaml: dict[tuple[str, str], str] = {}  # one regex is registered under each of its first characters
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
        for tag, rx in resolvers:
            pyyaml[tag, rx.pattern] = pyyaml.get((tag, rx.pattern), "") + (first or "")
    found = [("pyyaml " + tag, firsts, pattern) for (tag, pattern), firsts in pyyaml.items()]
    for versions, tag, rx, firsts in ruamel.yaml.resolver.implicit_resolvers:
        if (1, 2) in versions:
            found.append(("ruamel " + tag, "".join(firsts), rx.pattern))
    return found


@pytest.mark.parametrize("reader,first,pattern", _resolver_patterns(), ids=[r[0] for r in _resolver_patterns()])
def test_everything_a_resolver_would_claim_is_quoted(reader: str, first: str, pattern: str) -> None:
    """Strings the readers' own implicit resolvers match come back as strings."""
    regex = re.compile(pattern, re.X)
    # PyYAML tries a regex only on text starting with one of its first characters ('' = empty text).
    strategy = st.from_regex(regex).filter(lambda s: "\n" not in s and (s[:1] in first if s else "" in first))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(text=strategy)
    def check(text: str) -> None:
        assert not plain_ok(text), f"{text!r} would be plain but {reader} resolves it"
        _assert_round_trip({"v": text, text: [text]})

    check()


# ----------------------------------------------------------------------------- long keys

LONG = "k" * 2000


@pytest.mark.parametrize("key", [LONG, "é" * 1500, "x\n" * 700, "a" * 1001])
def test_a_key_beyond_the_implicit_key_limit_reads_back(key: str) -> None:
    _assert_round_trip({key: "v", "m": {key: {"a": 1}}, "l": [{key: [1, 2]}, {"x": 1, key: "|"}], "e": {key: {}}})


def test_a_long_key_through_the_template_serializer_reads_back() -> None:
    value = {"app": "web", LONG: "v", "é" * 1200: "w"}
    text = f"labels: {to_yaml(value)}\n"
    assert parse_rendered(text, "t") == {"labels": value}
    for name, docs in _readers(text).items():
        assert docs == [{"labels": value}], name


def _label_preset(key: str) -> dict[str, Any]:
    return {"name": "app", "labels": {key: "v"}, "containers": [{"name": "app", "image": "nginx:1.27"}]}


@pytest.mark.parametrize("length", [1023, 1030, 2000])
def test_a_very_long_label_key_is_a_label_format_error_not_invalid_yaml(length: int) -> None:
    with pytest.raises(scaffold.PresetError) as info:
        scaffold.render(_label_preset("a" * length))
    rules = {i.rule for i in info.value.issues}
    assert rules == {"label-format"}, info.value.issues
    assert "invalid YAML" not in str(info.value)


@pytest.mark.parametrize("entry", ["b" * 1023 + ": v", "? " + "b" * 1500 + "\n  : v"])
def test_a_very_long_label_key_in_a_file_is_located(tmp_path: Any, entry: str) -> None:
    # 1023 characters is the longest key a file can hold in the ``key: value`` form.
    path = tmp_path / "p.yaml"
    path.write_text(f"name: app\nlabels:\n  {entry}\ncontainers:\n  - {{name: app, image: 'nginx:1.27'}}\n")
    with pytest.raises(scaffold.PresetError) as info:
        scaffold.render(str(path))
    first = info.value.issues[0]
    assert (first.rule, first.file, first.line) == ("label-format", str(path), 3)
    assert "253" in first.message or "63" in first.message
