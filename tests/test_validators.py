"""The field validators shared by the rules and the wizard: None when fine, a fix when not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaffold.k8s import validators as v

ALL = [
    v.dns1123_label,
    v.dns1123_subdomain,
    v.dns1035_label,
    v.port_name,
    v.port_number,
    v.image_ref,
    v.label_key,
    v.label_value,
    v.env_name,
    v.cpu_quantity,
    v.memory_quantity,
]


@pytest.mark.parametrize("name", ["a", "web", "my-app", "a1", "1a", "a" * 63])
def test_dns1123_label_accepts_kubernetes_names(name: str) -> None:
    assert v.dns1123_label(name) is None


def test_dns1123_label_suggests_a_lowercase_hyphenated_spelling() -> None:
    assert v.dns1123_label("My_App") == (
        "'My_App' is not a valid name: use lowercase letters, digits and '-', "
        "and start and end with a letter or digit, e.g. 'my-app'"
    )


@pytest.mark.parametrize("name", ["", "-a", "a-", "a.b", "A", "a b", "a" * 64, "ä"])
def test_dns1123_label_rejects(name: str) -> None:
    assert v.dns1123_label(name)


def test_dns1123_label_names_the_length_limit() -> None:
    message = v.dns1123_label("a" * 64)
    assert message is not None and "64 characters" in message and "63" in message


def test_dns1123_subdomain_allows_dots_and_253_characters() -> None:
    assert v.dns1123_subdomain("web.example-1") is None
    assert v.dns1123_subdomain(".".join(["a" * 63] * 4)[:253].rstrip(".")) is None
    assert v.dns1123_subdomain("a" * 254)
    assert "e.g. 'web.app'" in (v.dns1123_subdomain("Web.App") or "")
    assert v.dns1123_subdomain("a..b")


def test_dns1035_label_needs_a_leading_letter() -> None:
    assert v.dns1035_label("web1") is None
    message = v.dns1035_label("1web")
    assert message is not None and "start with a letter" in message and "'web'" in message


@pytest.mark.parametrize("name", ["http", "liveness-port", "h2c", "a1-b2", "x" * 15])
def test_port_name_accepts_iana_names(name: str) -> None:
    assert v.port_name(name) is None


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("x" * 16, "the limit is 15"),
        ("HTTP", "e.g. 'http'"),
        ("http_alt", "lowercase letters"),
        ("8080", "without quotes"),
        ("-http", "start or end"),
        ("http-", "start or end"),
        ("a--b", "'--'"),
        ("123-456", "at least one letter"),
        ("", "empty"),
    ],
)
def test_port_name_explains_each_iana_constraint(name: str, words: str) -> None:
    message = v.port_name(name)
    assert message is not None and words in message


@pytest.mark.parametrize("port", [1, 80, 65535])
def test_port_number_accepts_1_to_65535(port: int) -> None:
    assert v.port_number(port) is None


@pytest.mark.parametrize(("port", "words"), [(0, "out of range"), (65536, "out of range"), ("80", "without quotes"), (True, "whole number"), (80.0, "write 80"), (None, "whole number")])
def test_port_number_rejects_out_of_range_and_non_integers(port: object, words: str) -> None:
    message = v.port_number(port)
    assert message is not None and words in message


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.27",
        "nginx:latest",
        "library/nginx:1.27.3",
        "registry.k8s.io/liveness:v1.0",
        "localhost:5000/team/app:1.4.2",
        "my-registry.example.com:5000/a/b_c/d-e:v1_2.3-rc",
        "nginx@sha256:" + "a" * 64,
        "nginx:1.27@sha256:" + "0123456789abcdef" * 4,
        "[::1]:5000/app:1",
        "a/" + "b" * 200,
    ],
)
def test_image_ref_accepts_valid_references(image: str) -> None:
    assert v.image_ref(image) is None


@pytest.mark.parametrize(
    ("image", "words"),
    [
        ("", "empty"),
        ("  ", "empty"),
        (" nginx", "spaces around"),
        ("nginx 1.27", "did you mean 'nginx:1.27'"),
        ("Nginx:1.27", "write 'nginx:1.27'"),
        ("team/MyApp:1", "write 'team/myapp:1'"),
        ("nginx:", "no tag"),
        ("nginx:" + "a" * 129, "the limit is 128"),
        ("nginx:-1", "tag '-1'"),
        ("nginx@sha256:abc", "64 hex digits"),
        ("nginx@sha256:" + "A" * 64, "lowercase hex"),
        ("https://registry.example.com/app:1", "write 'registry.example.com/app:1'"),
        ("nginx//x", "not a valid repository path"),
        ("nginx__:1", "not a valid repository path"),
        ("-reg.io/app", "not a valid registry"),
        (123, "must be a string"),
    ],
)
def test_image_ref_explains_the_fix(image: object, words: str) -> None:
    message = v.image_ref(image)
    assert message is not None and words in message, message


@pytest.mark.parametrize("key", ["app", "app.kubernetes.io/name", "example.com/Tier_1", "a" * 63])
def test_label_key_accepts_qualified_names(key: str) -> None:
    assert v.label_key(key) is None


@pytest.mark.parametrize("key", ["", "/app", "Example.com/app", "a" * 64, "app/", "a b", "-app", 5])
def test_label_key_rejects(key: object) -> None:
    assert v.label_key(key)


@pytest.mark.parametrize("value", ["", "web", "Web_1.2-x", "a" * 63])
def test_label_value_accepts_empty_and_qualified_values(value: str) -> None:
    assert v.label_value(value) is None


def test_label_value_rejects_and_suggests() -> None:
    assert "e.g. 'front-end'" in (v.label_value("front end") or "")
    assert "the limit is 63" in (v.label_value("a" * 64) or "")
    assert "quote it: '1'" in (v.label_value(1) or "")
    assert v.label_value("-x")


@pytest.mark.parametrize("name", ["PATH", "LOG_LEVEL", "_x", "my.var", "my-var", "a1"])
def test_env_name_accepts_kubernetes_names(name: str) -> None:
    assert v.env_name(name) is None


def test_env_name_rejects_spaces_leading_digits_and_equals() -> None:
    assert "e.g. 'LOG_LEVEL'" in (v.env_name("LOG LEVEL") or "")
    assert "must not start with a digit" in (v.env_name("1ABC") or "")
    assert v.env_name("A=B")
    assert v.env_name("")


def test_cpu_quantity_wraps_the_parser_with_its_suggestion() -> None:
    assert v.cpu_quantity("250m") is None
    assert v.cpu_quantity(0.5) is None
    assert v.cpu_quantity("1 core") == "'1 core' is not a CPU quantity; use 1 or 1000m"
    assert "finer than 1m" in (v.cpu_quantity("0.0001") or "")
    assert v.cpu_quantity("1Gi")


def test_memory_quantity_wraps_the_parser_with_its_suggestion() -> None:
    assert v.memory_quantity("128Mi") is None
    assert v.memory_quantity("128M") is None  # legal; the rule warns, the validator does not
    assert "did you mean 128Mi?" in (v.memory_quantity("128m") or "")
    assert "did you mean 128Mi?" in (v.memory_quantity("128mi") or "")
    assert "1Gi" in (v.memory_quantity("1GB") or "")
    assert "ephemeral-storage" in (v.memory_quantity("x", resource="ephemeral-storage") or "")


@pytest.mark.parametrize("check", ALL, ids=lambda f: f.__name__)
def test_validators_reject_wrong_types_with_a_message(check) -> None:  # type: ignore[no-untyped-def]
    for value in (None, [], {}, object(), b"x", float("nan")):
        result = check(value)
        assert isinstance(result, str) and result and "\n" not in result


_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(value=_ANY | st.text(alphabet="abcAZ09-_.:/@ \t\n", max_size=80))
def test_validators_never_raise_and_answer_none_or_one_line(value: object) -> None:
    for check in ALL:
        result = check(value)
        assert result is None or (isinstance(result, str) and result and "\n" not in result)
