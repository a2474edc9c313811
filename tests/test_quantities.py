"""Tests for scaffold.k8s.quantities: exact parsing, the classic mistakes, canonical formatting."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaffold.k8s.quantities import (
    Quantity,
    QuantityError,
    describe_memory,
    format_cpu,
    format_memory,
    is_decimal_memory,
    parse_cpu,
    parse_memory,
    parse_quantity,
    suggest_cpu,
    suggest_memory,
)

KI, MI, GI, TI, PI, EI = (1024**k for k in range(1, 7))
MAX = 9223372036854775807  # 2^63 - 1, written out


# --- parse_quantity: the API grammar -----------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", Fraction(1)),
        ("0", Fraction(0)),
        ("0.5", Fraction(1, 2)),
        (".5", Fraction(1, 2)),
        ("5.", Fraction(5)),
        ("+3", Fraction(3)),
        ("-3", Fraction(-3)),
        ("-.25", Fraction(-1, 4)),
        ("007", Fraction(7)),
        ("1n", Fraction(1, 1_000_000_000)),
        ("1u", Fraction(1, 1_000_000)),
        ("1m", Fraction(1, 1000)),
        ("250m", Fraction(1, 4)),
        ("1k", Fraction(1000)),
        ("1M", Fraction(1_000_000)),
        ("1G", Fraction(1_000_000_000)),
        ("1T", Fraction(1_000_000_000_000)),
        ("1P", Fraction(1_000_000_000_000_000)),
        ("1E", Fraction(1_000_000_000_000_000_000)),
        ("1Ki", Fraction(1024)),
        ("1Mi", Fraction(1024 * 1024)),
        ("1Gi", Fraction(1024 * 1024 * 1024)),
        ("1Ti", Fraction(1024 * 1024 * 1024 * 1024)),
        ("1Pi", Fraction(1024 * 1024 * 1024 * 1024 * 1024)),
        ("1Ei", Fraction(1024 * 1024 * 1024 * 1024 * 1024 * 1024)),
        ("1.5Ki", Fraction(1536)),
        ("1e3", Fraction(1000)),
        ("1E3", Fraction(1000)),
        ("1e+3", Fraction(1000)),
        ("12E-2", Fraction(12, 100)),
        ("1.5e3", Fraction(1500)),
        ("0e999999999999999999999", Fraction(0)),
        ("  2Gi \n", Fraction(2 * 1024 * 1024 * 1024)),
    ],
)
def test_parse_quantity_accepts_every_suffix_exactly(text: str, expected: Fraction) -> None:
    q = parse_quantity(text)
    assert q.value == expected
    assert isinstance(q.value, Fraction)
    assert q.text == text.strip()


@pytest.mark.parametrize(
    "text",
    ["", "   ", "abc", "1K", "1e", "1ki ", "Gi", ".", "+", "1..2", "1 e3", "1Gi5", "٣", "1,5"],
)
def test_parse_quantity_rejects_what_the_api_rejects(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("1 Gi", "1Gi"), ("1gi", "1Gi"), ("1GiB", "1Gi"), ("1K", None), ("abc", None)],
)
def test_parse_quantity_suggests_only_unambiguous_fixes(text: str, suggestion: str | None) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert info.value.suggestion == suggestion


def test_quantity_error_is_a_value_error_with_one_line_message() -> None:
    with pytest.raises(ValueError) as info:
        parse_quantity("1 Gi")
    assert isinstance(info.value, QuantityError)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("'1 Gi'")


def test_finer_than_a_nano_is_rejected_with_the_value_kubernetes_would_keep() -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity("1.5n")
    assert info.value.suggestion == "2n"
    with pytest.raises(QuantityError) as info:
        parse_quantity("-1e-10")
    assert info.value.suggestion == "-1n"
    with pytest.raises(QuantityError) as info:
        parse_quantity("1e-999999999999999999999")
    assert info.value.suggestion == "1n"


@pytest.mark.parametrize("text", ["8Ei", "9223372036854775808", "1e19", "1e999999999999999"])
def test_above_two_to_the_63_is_too_large(text: str) -> None:
    with pytest.raises(QuantityError, match="too large"):
        parse_quantity(text)


def test_largest_quantity_is_accepted() -> None:
    assert parse_quantity(str(MAX)).value == 2**63 - 1


def test_huge_digit_strings_do_not_hit_int_conversion_limits() -> None:
    assert parse_quantity("1e" + "0" * 5000 + "1").value == 10
    with pytest.raises(QuantityError):
        parse_quantity("1" * 5000)
    assert parse_quantity("0." + "0" * 5000).value == 0
    with pytest.raises(QuantityError, match="too large"):
        parse_quantity("1e" + "1" * 5000)
    with pytest.raises(QuantityError) as info:
        parse_quantity("1e-" + "1" * 5000)
    assert info.value.suggestion == "1n"


# --- non-string input ---------------------------------------------------------------------

def test_ints_and_short_floats_are_accepted_exactly() -> None:
    assert parse_cpu(2).value == 2
    assert parse_cpu(0.1).value == Fraction(1, 10)  # not 0.1000000000000000055...
    assert parse_cpu(0.25).text == "0.25"
    assert parse_memory(1024).value == 1024


def test_float_noise_is_rejected_with_the_short_form() -> None:
    with pytest.raises(QuantityError) as info:
        parse_cpu(0.1 + 0.2)
    assert info.value.suggestion == "0.3"


@pytest.mark.parametrize("value", [True, False, None, [1], float("nan"), float("inf")])
def test_bool_none_and_non_finite_are_rejected(value: object) -> None:
    with pytest.raises(QuantityError):
        parse_quantity(value)  # type: ignore[arg-type]


def test_huge_int_is_too_large_not_a_crash() -> None:
    with pytest.raises(QuantityError):
        parse_quantity(10**5000)


# --- CPU ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "cores"),
    [
        ("1", Fraction(1)),
        ("0.5", Fraction(1, 2)),
        ("500m", Fraction(1, 2)),
        ("1m", Fraction(1, 1000)),
        ("1500m", Fraction(3, 2)),
        ("0.001", Fraction(1, 1000)),
        ("1000000n", Fraction(1, 1000)),
        ("1e-3", Fraction(1, 1000)),
        ("2k", Fraction(2000)),
        ("0", Fraction(0)),
        ("-0", Fraction(0)),
    ],
)
def test_parse_cpu_valid(text: str, cores: Fraction) -> None:
    assert parse_cpu(text).value == cores


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("1 core", "1"),
        ("2 cpus", "2"),
        ("2vCPU", "2"),
        ("0.5 cores", "0.5"),
        ("500 m", "500m"),
        ("500 millicores", "500m"),
        ("500mcpu", "500m"),
        ("0.0005", "1m"),
        ("100u", "1m"),
        ("1n", "1m"),
        ("0.5m", "1m"),
        ("1.0005", "1001m"),
        ("0.0015", "2m"),
        ("0.0005 cores", "1m"),
        ("1e-30", "1m"),
        ("1Ki", None),
        ("2Gi", None),
        ("-1", None),
        ("-500m", None),
        ("-1 core", None),
        ("500 M", None),
        ("lots", None),
        ("", None),
    ],
)
def test_parse_cpu_mistakes(text: str, suggestion: str | None) -> None:
    with pytest.raises(QuantityError) as info:
        parse_cpu(text)
    assert info.value.suggestion == suggestion
    assert suggest_cpu(text) == suggestion


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 core", "'1 core' is not a CPU quantity; use 1 or 1000m"),
        ("0.5 cores", "'0.5 cores' is not a CPU quantity; use 0.5 or 500m"),
        ("500 m", "'500 m' is not a CPU quantity (no spaces allowed); use 500m"),
        ("0.0005", "'0.0005' is finer than 1m, the smallest CPU unit; use 1m"),
        ("1Ki", "'1Ki' is not a CPU quantity; CPU takes a count like 0.5 or millicores like 500m"),
    ],
)
def test_parse_cpu_messages_name_problem_and_fix(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_cpu(text)
    assert str(info.value) == message


def test_parse_cpu_rejects_negative_with_a_clear_message() -> None:
    with pytest.raises(QuantityError, match="negative"):
        parse_cpu("-1")


def test_suggest_cpu_is_none_for_valid_input() -> None:
    assert suggest_cpu("250m") is None


# --- memory --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("128Mi", 128 * 1024 * 1024),
        ("1Gi", 1024 * 1024 * 1024),
        ("1.5Gi", 3 * 512 * 1024 * 1024),
        ("512Ki", 512 * 1024),
        ("2Ti", 2 * 1024**4),
        ("1Pi", 1024**5),
        ("1Ei", 1024**6),
        ("128M", 128 * 1000 * 1000),
        ("1G", 1000**3),
        ("1k", 1000),
        ("1T", 1000**4),
        ("1P", 1000**5),
        ("1E", 1000**6),
        ("1e9", 1000**3),
        ("4096", 4096),
        ("0", 0),
        ("1000000u", 1),
    ],
)
def test_parse_memory_valid(text: str, size: int) -> None:
    q = parse_memory(text)
    assert q.value == size
    assert q.value.denominator == 1


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("128mi", "128Mi"),
        ("128MI", "128Mi"),
        ("1gi", "1Gi"),
        ("1ki", "1Ki"),
        ("1GB", "1Gi"),
        ("1gb", "1Gi"),
        ("1Gb", "1Gi"),
        ("1 GB", "1Gi"),
        ("512MB", "512Mi"),
        ("1KB", "1Ki"),
        ("1g", "1Gi"),
        ("1GiB", "1Gi"),
        ("256MiB", "256Mi"),
        ("1 gigabytes", "1Gi"),
        ("128m", "128Mi"),
        ("1500m", "1500Mi"),
        ("1 m", "1Mi"),
        ("1 Gi", "1Gi"),
        ("128K", "128Ki"),
        ("100B", "100"),
        ("100 bytes", "100"),
        ("0.5", "1"),
        ("0.3Ki", "308"),  # 307.2 bytes, rounded up
        ("1e-300", "1"),
        ("0.1m", None),  # 0.1Mi is not whole either
        ("-1Gi", None),
        ("8Ei", None),
        ("lots", None),
        ("1,5Gi", None),
        ("", None),
    ],
)
def test_parse_memory_mistakes(text: str, suggestion: str | None) -> None:
    with pytest.raises(QuantityError) as info:
        parse_memory(text)
    assert info.value.suggestion == suggestion
    assert suggest_memory(text) == suggestion


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("128mi", "'128mi' is not a memory quantity; did you mean 128Mi?"),
        ("128m", "'128m' means 0.128 bytes (m is milli); did you mean 128Mi?"),
        (
            "1GB",
            "'1GB' is not a memory quantity; did you mean 1Gi (1024^3 bytes) or 1G (10^9 bytes)?",
        ),
        (
            "2GB",
            "'2GB' is not a memory quantity;"
            " did you mean 2Gi (2 x 1024^3 bytes) or 2G (2 x 10^9 bytes)?",
        ),
        ("1 Gi", "'1 Gi' is not a memory quantity (no spaces allowed); did you mean 1Gi?"),
        ("0.3Ki", "'0.3Ki' is not a whole number of bytes (307.2 bytes); use 308"),
        ("-1Gi", "'-1Gi' is negative; memory must be 0 or more"),
    ],
)
def test_parse_memory_messages_name_problem_and_fix(text: str, message: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_memory(text)
    assert str(info.value) == message


def test_parse_memory_names_the_resource() -> None:
    with pytest.raises(QuantityError, match="not an ephemeral-storage quantity"):
        parse_memory("1GB", resource="ephemeral-storage")


def test_suggest_memory_is_none_for_valid_input() -> None:
    assert suggest_memory("128Mi") is None
    assert suggest_memory("128M") is None  # legal; a warning, not an error


def test_is_decimal_memory() -> None:
    assert is_decimal_memory(parse_memory("128M"))
    assert is_decimal_memory(parse_memory("1k"))
    assert is_decimal_memory(parse_memory("2E"))
    assert not is_decimal_memory(parse_memory("128Mi"))
    assert not is_decimal_memory(parse_memory("1000"))
    assert not is_decimal_memory(parse_memory("1e9"))


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("128M", "122.07Mi"),  # 128e6 / 2^20 = 122.0703125
        ("1G", "953.67Mi"),  # 1e9 / 2^20 = 953.674...
        ("2G", "1.86Gi"),  # 2e9 / 2^30 = 1.8626...
        ("1024k", "1000Ki"),
        ("1572864", "1.5Mi"),
        ("1k", "1000"),
        ("3Ki", "3Ki"),
        ("1099511", "1.05Mi"),  # 1.04857... rounds up
    ],
)
def test_describe_memory_gives_the_binary_equivalent(text: str, described: str) -> None:
    assert describe_memory(parse_memory(text)) == described


# --- comparisons --------------------------------------------------------------------------

def test_cross_unit_comparisons() -> None:
    assert parse_cpu("500m") < parse_cpu("1")
    assert parse_cpu("1") == parse_cpu("1000m")
    assert parse_cpu("1") <= parse_cpu("1000m") and parse_cpu("1") >= parse_cpu("1000m")
    assert parse_memory("512Mi") < parse_memory("1G")
    assert parse_memory("1Gi") > parse_memory("1G")
    assert parse_memory("1024Mi") == parse_memory("1Gi")
    assert parse_cpu("0.1") == parse_cpu("100m")
    assert not parse_cpu("2") < parse_cpu("2000m")


def test_equal_quantities_hash_alike_and_dedupe() -> None:
    assert hash(parse_cpu("1")) == hash(parse_cpu("1000m"))
    assert len({parse_memory("1Gi"), parse_memory("1024Mi"), parse_memory("1G")}) == 2


def test_quantity_does_not_equal_other_types() -> None:
    assert parse_cpu("1") != 1
    with pytest.raises(TypeError):
        _ = parse_cpu("1") < 2  # type: ignore[operator]


def test_quantity_is_frozen() -> None:
    q = Quantity(Fraction(1), "1")
    with pytest.raises(AttributeError):
        q.value = Fraction(2)  # type: ignore[misc]


# --- formatting ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("cores", "text"),
    [
        (Fraction(0), "0"),
        (Fraction(1), "1"),
        (Fraction(2), "2"),
        (Fraction(1, 4), "250m"),
        (Fraction(3, 2), "1500m"),
        (Fraction(1, 1000), "1m"),
        (3, "3"),
    ],
)
def test_format_cpu_canonical(cores: Fraction | int, text: str) -> None:
    assert format_cpu(cores) == text


@pytest.mark.parametrize("cores", [Fraction(1, 3000), Fraction(-1), Fraction(2**63)])
def test_format_cpu_rejects_what_parse_cpu_would(cores: Fraction) -> None:
    with pytest.raises(ValueError):
        format_cpu(cores)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0"),
        (1023, "1023"),
        (1024, "1Ki"),
        (1536, "1536"),
        (128 * 1024 * 1024, "128Mi"),
        (1536 * 1024 * 1024, "1536Mi"),
        (1024**3, "1Gi"),
        (4 * 1024**6, "4Ei"),
        (1000, "1k"),
        (1000**3, "1G"),
        (1000 * 1024, "1000Ki"),  # tie on digits with 1024k: binary wins
        (1000**4, "1T"),  # not 976562500Ki
        (3 * 1000**6, "3E"),
        (Fraction(2048), "2Ki"),
    ],
)
def test_format_memory_canonical(size: int | Fraction, text: str) -> None:
    assert format_memory(size) == text


@pytest.mark.parametrize("size", [Fraction(1, 2), -1, 2**63])
def test_format_memory_rejects_what_parse_memory_would(size: Fraction | int) -> None:
    with pytest.raises(ValueError):
        format_memory(size)


# --- properties ---------------------------------------------------------------------------

millicores = st.integers(min_value=0, max_value=10**7)
byte_counts = st.integers(min_value=0, max_value=2**62)
# Byte counts that land on suffixes often, so every branch of format_memory is exercised.
round_bytes = st.builds(
    lambda n, base, k: n * base**k,
    st.integers(min_value=0, max_value=4096),
    st.sampled_from([1000, 1024]),
    st.integers(min_value=0, max_value=4),
)


@given(millicores)
def test_cpu_round_trips_exactly(m: int) -> None:
    assert parse_cpu(format_cpu(Fraction(m, 1000))).value == Fraction(m, 1000)


@given(st.one_of(byte_counts, round_bytes))
def test_memory_round_trips_exactly(b: int) -> None:
    assert parse_memory(format_memory(b)).value == b


@given(millicores, millicores)
def test_cpu_ordering_agrees_with_millicores(a: int, b: int) -> None:
    qa, qb = parse_cpu(format_cpu(Fraction(a, 1000))), parse_cpu(format_cpu(Fraction(b, 1000)))
    assert (qa < qb) == (a < b)
    assert (qa == qb) == (a == b)
    assert (qa > qb) == (a > b)


@given(st.one_of(byte_counts, round_bytes), st.one_of(byte_counts, round_bytes))
def test_memory_ordering_agrees_with_bytes(a: int, b: int) -> None:
    qa, qb = parse_memory(format_memory(a)), parse_memory(format_memory(b))
    assert (qa < qb) == (a < b)
    assert (qa == qb) == (a == b)
    assert (qa >= qb) == (a >= b)


quantity_like = st.from_regex(
    r"\A\s?[+-]?[0-9]{0,25}\.?[0-9]{0,25}(\s?[A-Za-z]{0,9}|[eE][+-]?[0-9]{1,25})\s?\Z"
)


@given(st.one_of(st.text(), quantity_like))
def test_parse_quantity_only_raises_quantity_error(text: str) -> None:
    try:
        q = parse_quantity(text)
    except QuantityError:
        return
    assert isinstance(q.value, Fraction)
    assert abs(q.value) <= MAX


@given(st.one_of(st.text(), quantity_like))
def test_every_memory_suggestion_is_valid_memory(text: str) -> None:
    fix = suggest_memory(text)
    if fix is not None:
        assert parse_memory(fix).value.denominator == 1


@given(st.one_of(st.text(), quantity_like))
def test_every_cpu_suggestion_is_valid_cpu(text: str) -> None:
    fix = suggest_cpu(text)
    if fix is not None:
        assert (parse_cpu(fix).value * 1000).denominator == 1
