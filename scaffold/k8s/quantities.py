"""Kubernetes resource quantities (``500m``, ``128Mi``), parsed exactly, with fixes for typos.

Why a module of its own: the API accepts spellings that are legal but never meant (``128m``
of memory is 0.128 bytes), YAML turns ``0.1`` into a float, and people write ``1GB`` or
``2 cores``. Every value here is an exact :class:`~fractions.Fraction`; no float arithmetic.

Deliberately stricter than the API server where the server would silently change the
value: amounts finer than 1n (the server rounds them up) and amounts above 2^63-1 base
units (the server caps them) are errors here, with the server's value as the suggestion.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "MAX_QUANTITY",
    "Quantity",
    "QuantityError",
    "describe_memory",
    "format_cpu",
    "format_memory",
    "is_decimal_memory",
    "parse_cpu",
    "parse_memory",
    "parse_quantity",
    "suggest_cpu",
    "suggest_memory",
]

#: The largest amount the API server keeps (in base units); it caps anything larger.
MAX_QUANTITY = 2**63 - 1

_DECIMAL_SUFFIXES: dict[str, int] = {
    "n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18,
}
_BINARY_SUFFIXES: dict[str, int] = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
#: Decimal suffixes that are legal for memory but usually a mix-up with the binary ones.
_DECIMAL_MEMORY = frozenset("kMGTPE")

_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
#: The API grammar: signed number, then a binary, exponent or decimal suffix; no spaces.
_GRAMMAR = re.compile(rf"(?P<number>{_NUMBER})(?P<suffix>[eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE]?)")
#: A number followed by anything: where suggestions start from. Left uncompiled (``re``
#: caches it on first use) since only error paths need it, and import time matters.
_LOOSE = rf"(?P<number>{_NUMBER})(?P<unit>.*)"

#: Beyond these the value is certainly out of range, so no big integers are ever built.
_MAX_DIGITS = 1000
_MAX_MAGNITUDE = 40  # 10^40 > 2^63 even before a binary suffix
_MIN_MAGNITUDE = -100  # 10^-100 * 2^60 is still far below 1n

_CORE_WORDS = frozenset({"core", "cores", "cpu", "cpus", "vcpu", "vcpus", "vcore", "vcores"})
_MILLI_WORDS = frozenset({"millicore", "millicores", "millicpu", "millicpus"})
_SI_WORDS = {"kilo": "K", "mega": "M", "giga": "G", "tera": "T", "peta": "P", "exa": "E"}
_IEC_WORDS = {"kibi": "K", "mebi": "M", "gibi": "G", "tebi": "T", "pebi": "P", "exbi": "E"}
#: Single letters that are not suffixes but plainly mean a size (JVM-style ``-Xmx1g``).
_BARE_SIZE_LETTERS = frozenset({"K", "g", "t", "p"})

_CPU_HINT = "CPU takes a count like 0.5 or millicores like 500m"
_QUANTITY_HINT = (
    "expected a number with an optional suffix (n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)"
    " or exponent (1e3)"
)


class QuantityError(ValueError):
    """A string that is not a valid quantity; ``.suggestion`` holds a fix or None."""

    def __init__(self, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion: str | None = suggestion


class Quantity:
    """An exact amount plus the text it came from; compares and hashes by amount only,
    so ``parse_cpu("1") == parse_cpu("1000m")`` and ``1Gi > 1G``.

    Immutable. A plain class, not a dataclass: every render imports this module, and the
    dataclasses machinery alone would cost more than a render.
    """

    __slots__ = ("value", "text")

    #: Exact value in base units (cores for CPU, bytes for memory and storage).
    value: Fraction
    #: The text as written (stripped), so a manifest can keep the author's spelling.
    text: str

    def __init__(self, value: Fraction, text: str) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "text", text)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Quantity is immutable; cannot set {name!r}")

    def __repr__(self) -> str:
        return f"Quantity(value={self.value!r}, text={self.text!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return self.value == other.value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return self.value < other.value
        return NotImplemented

    def __le__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return self.value <= other.value
        return NotImplemented

    def __gt__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return self.value > other.value
        return NotImplemented

    def __ge__(self, other: object) -> bool:
        if isinstance(other, Quantity):
            return self.value >= other.value
        return NotImplemented

    def __str__(self) -> str:
        return self.text


# ---------------------------------------------------------------------------------------
# Public parsers


def parse_quantity(text: str | int | float) -> Quantity:
    """Any Kubernetes ``resource.Quantity`` (``1``, ``.5``, ``1e3``, ``500m``, ``1Gi``), exactly.

    Negative amounts parse (the type allows them); amounts finer than 1n or above 2^63-1
    are errors because the API server would silently change them.
    """
    return _parse_quantity(text, 2)


def parse_cpu(text: str | int | float) -> Quantity:
    """A CPU request or limit in cores; finer than 1m, binary suffixes or negatives are errors."""
    return _parse_cpu(text, 2)


def parse_memory(text: str | int | float, *, resource: str = "memory") -> Quantity:
    """A memory, ephemeral-storage or hugepages amount: a whole, non-negative number of bytes.

    ``128m`` (milli-bytes) is rejected although the API takes it, since nobody means it;
    ``resource`` only names the field in messages.
    """
    return _parse_memory(text, resource, 2)


def suggest_cpu(text: str) -> str | None:
    """The fix :func:`parse_cpu` would suggest for ``text``; None if it is valid or unfixable."""
    try:
        _parse_cpu(text, 2)
    except QuantityError as err:
        return err.suggestion
    return None


def suggest_memory(text: str) -> str | None:
    """The fix :func:`parse_memory` would suggest for ``text``; None if valid or unfixable."""
    try:
        _parse_memory(text, "memory", 2)
    except QuantityError as err:
        return err.suggestion
    return None


def is_decimal_memory(q: Quantity) -> bool:
    """True when written with k, M, G, T, P or E: legal, but ``128M`` is only about 122Mi."""
    m = _GRAMMAR.fullmatch(q.text)
    return m is not None and m["suffix"] in _DECIMAL_MEMORY


# ---------------------------------------------------------------------------------------
# Formatting


def format_cpu(value: Fraction | int) -> str:
    """Canonical CPU text: whole cores as ``2``, anything else as millicores ``1500m``.

    Raises ValueError unless the value is a non-negative multiple of 1m within range, so
    the result always round-trips through :func:`parse_cpu`.
    """
    value = _as_fraction(value)
    millis = value * 1000
    if millis.denominator != 1 or value < 0 or value > MAX_QUANTITY:
        raise ValueError(f"{value} cores is not a non-negative multiple of 1m within range")
    if value.denominator == 1:
        return str(value.numerator)
    return f"{millis.numerator}m"


def format_memory(value: Fraction | int) -> str:
    """Canonical bytes text: the fewest digits, a binary suffix winning ties.

    So ``1Gi``, ``1536Mi``, ``1000Ki`` (not ``1024k``), ``1G``, ``1T`` (not ``976562500Ki``),
    ``1023``. Binary wins ties because that is what people mean by memory sizes; a
    decimal suffix only when strictly shorter, so round decimal amounts stay readable.
    Raises ValueError unless a whole byte count in range; round-trips via parse_memory.
    """
    value = _as_fraction(value)
    if value.denominator != 1 or value < 0 or value > MAX_QUANTITY:
        raise ValueError(f"{value} is not a non-negative whole number of bytes within range")
    n = value.numerator
    if n == 0:
        return "0"
    count, suffix = n, ""
    for name, shift in reversed(_BINARY_SUFFIXES.items()):
        if n % (1 << shift) == 0:
            count, suffix = n >> shift, name
            break
    for name in "EPTGMk":
        unit = 10 ** _DECIMAL_SUFFIXES[name]
        if n % unit == 0:
            if len(str(n // unit)) < len(str(count)):
                count, suffix = n // unit, name
            break
    return f"{count}{suffix}"


def describe_memory(q: Quantity) -> str:
    """The amount in the largest binary unit it reaches, for warnings: ``128M`` -> ``122.07Mi``.

    Amounts exact to 2 decimals print as such (``1024k`` -> ``1000Ki``, ``1.5Mi``); others
    are computed exactly and rounded half-up to 2 decimals for display only.
    """
    value = q.value
    size = abs(value)
    amount, unit = size, ""
    for suffix, shift in reversed(_BINARY_SUFFIXES.items()):
        if size >= (1 << shift):
            amount, unit = size / (1 << shift), suffix
            break
    sign = "-" if value < 0 else ""
    if (amount * 100).denominator == 1:
        return f"{sign}{_decimal_text(amount)}{unit}"
    hundredths = (amount * 200 + 1) // 2
    return f"{sign}{hundredths // 100}.{hundredths % 100:02d}{unit}"


# ---------------------------------------------------------------------------------------
# Internals. ``depth`` bounds suggestion work: a suggestion is only offered after it has
# been checked by a parse at a lower depth, and depth 0 computes no suggestions at all.


def _parse_quantity(text: object, depth: int) -> Quantity:
    raw = _coerce(text, "a quantity", lambda s: _ok(_parse_quantity, s))
    stripped, quoted = raw.strip(), repr(raw)
    if not stripped:
        raise QuantityError(f"{quoted} is not a quantity; it is empty")
    m = _GRAMMAR.fullmatch(stripped)
    if m is None:
        fix = _generic_fix(stripped, depth)
        if fix is not None:
            raise QuantityError(f"{quoted} is not a quantity; did you mean {fix}?", suggestion=fix)
        raise QuantityError(f"{quoted} is not a quantity; {_QUANTITY_HINT}")
    value = _exact(m["number"], m["suffix"], quoted)
    nanos = value * 10**9
    if nanos.denominator != 1:
        fix = f"{'-' if value < 0 else ''}{_ceil_abs(nanos)}n"
        raise QuantityError(
            f"{quoted} is finer than 1n, the smallest unit Kubernetes keeps; use {fix}",
            suggestion=fix,
        )
    return Quantity(value, stripped)


def _parse_cpu(text: object, depth: int) -> Quantity:
    raw = _coerce(text, "a CPU quantity", lambda s: _ok(_parse_cpu, s))
    stripped, quoted = raw.strip(), repr(raw)
    if not stripped:
        raise QuantityError(f"{quoted} is not a CPU quantity; it is empty")
    m = _GRAMMAR.fullmatch(stripped)
    if m is None:
        raise _cpu_syntax_error(stripped, quoted, depth)
    number, suffix = m["number"], m["suffix"]
    if suffix in _BINARY_SUFFIXES:
        raise QuantityError(f"{quoted} is not a CPU quantity; {_CPU_HINT}")
    if _is_negative(number):
        raise QuantityError(f"{quoted} is negative; a CPU request or limit must be 0 or more")
    value = _exact(number, suffix, quoted)
    millis = value * 1000
    if millis.denominator != 1:
        fix = format_cpu(Fraction(max(1, _ceil_abs(millis)), 1000))
        raise QuantityError(
            f"{quoted} is finer than 1m, the smallest CPU unit; use {fix}", suggestion=fix
        )
    return Quantity(value, stripped)


def _parse_memory(text: object, resource: str, depth: int) -> Quantity:
    label = f"{_article(resource)} {resource} quantity"

    def check(s: str) -> bool:
        return _ok(lambda t, d: _parse_memory(t, resource, d), s)

    raw = _coerce(text, label, check)
    stripped, quoted = raw.strip(), repr(raw)
    if not stripped:
        raise QuantityError(f"{quoted} is not {label}; it is empty")
    m = _GRAMMAR.fullmatch(stripped)
    if m is None:
        raise _memory_syntax_error(stripped, quoted, resource, depth)
    number, suffix = m["number"], m["suffix"]
    if _is_negative(number):
        raise QuantityError(f"{quoted} is negative; {resource} must be 0 or more")
    value = _exact(number, suffix, quoted)
    if suffix == "m":
        fix = number + "Mi"
        if depth > 0 and check(fix):
            raise QuantityError(
                f"{quoted} means {_bytes_text(value)} (m is milli); did you mean {fix}?",
                suggestion=fix,
            )
        raise QuantityError(
            f"{quoted} means {_bytes_text(value)} (m is milli); write bytes or use Ki, Mi, Gi"
        )
    if value.denominator != 1:
        fix = format_memory(_ceil_abs(value))
        exact = _decimal_text(value)
        amount = f" ({exact} bytes)" if exact is not None else ""
        raise QuantityError(
            f"{quoted} is not a whole number of bytes{amount}; use {fix}", suggestion=fix
        )
    return Quantity(value, stripped)


def _cpu_syntax_error(stripped: str, quoted: str, depth: int) -> QuantityError:
    """Explain ``1 core``, ``2 cpus``, ``500 m``, ``500 millicores``; else a generic message."""
    generic = QuantityError(f"{quoted} is not a CPU quantity; {_CPU_HINT}")
    loose = _loose(stripped)
    if loose is None or depth <= 0:
        return generic
    number, unit = loose["number"], _unspace(loose["unit"])
    spaced = unit != loose["unit"]
    if unit.lower() in _CORE_WORDS:
        fix = _resolve(_parse_cpu, number, depth)
        if fix == number:
            millis = _exact(number, "", quoted) * 1000
            return QuantityError(
                f"{quoted} is not a CPU quantity; use {number} or {millis.numerator}m",
                suggestion=fix,
            )
    elif (unit[:1] == "m" and (unit == "m" or unit[1:].lower() in _CORE_WORDS)) or (
        unit.lower() in _MILLI_WORDS
    ):
        fix = _resolve(_parse_cpu, number + "m", depth)
    elif spaced and unit in ("n", "u", "k"):  # not "500 M": 500 million cores is never meant
        fix = _resolve(_parse_cpu, number + unit, depth)
    else:
        return generic
    if fix is None:
        return generic
    note = " (no spaces allowed)" if spaced and fix == number + unit else ""
    return QuantityError(f"{quoted} is not a CPU quantity{note}; use {fix}", suggestion=fix)


def _memory_syntax_error(stripped: str, quoted: str, resource: str, depth: int) -> QuantityError:
    """Explain ``128mi``, ``1GB``, ``1GiB``, ``128K``, ``1 Gi``, ``100B``; else a generic one."""
    label = f"{_article(resource)} {resource} quantity"
    generic = QuantityError(
        f"{quoted} is not {label}; expected bytes with an optional suffix such as 128Mi or 1Gi"
    )
    loose = _loose(stripped)
    if loose is None or depth <= 0:
        return generic
    number, unit = loose["number"], _unspace(loose["unit"])
    kind, binary, decimal = _classify_memory_unit(unit)
    if not kind:
        return generic

    def parse(t: str, d: int) -> Quantity:
        return _parse_memory(t, resource, d)

    fix = _resolve(parse, number + binary, depth)
    if fix is None:
        return generic
    if kind == "ambiguous" and fix == number + binary:
        shift = _BINARY_SUFFIXES[binary] // 10
        times = "" if number == "1" else f"{number} x "
        bin_unit, dec_unit = ("1024", "1000") if shift == 1 else (f"1024^{shift}", f"10^{3*shift}")
        note = f" ({unit} is not a suffix)" if unit in _BARE_SIZE_LETTERS else ""
        return QuantityError(
            f"{quoted} is not {label}{note}; did you mean {fix} ({times}{bin_unit} bytes)"
            f" or {number}{decimal} ({times}{dec_unit} bytes)?",
            suggestion=fix,
        )
    note = {
        "space": " (no spaces allowed)",
        "bytes": " (plain numbers are bytes)",
        "iec-b": " (Kubernetes suffixes have no B)",
    }.get(kind, "")
    return QuantityError(f"{quoted} is not {label}{note}; did you mean {fix}?", suggestion=fix)


def _classify_memory_unit(unit: str) -> tuple[str, str, str]:
    """(kind, binary suffix to suggest, decimal alternative) for what followed the number.

    kind is "" when there is no known fix; "space" when the unit was fine but spaced.
    """
    if unit in _BINARY_SUFFIXES or unit in _DECIMAL_SUFFIXES:
        return ("space", unit, "") if unit else ("", "", "")
    low = unit.lower()
    if low in ("b", "byte", "bytes"):
        return "bytes", "", ""
    prefix, rest = low[:1], low[1:]
    for words, kind in ((_IEC_WORDS, "iec-b"), (_SI_WORDS, "ambiguous")):
        for word, letter in words.items():
            if low in (word, word + "byte", word + "bytes"):
                prefix, rest = letter.lower(), ("ib" if kind == "iec-b" else "b")
    if not prefix or prefix not in "kmgtpe":
        return "", "", ""
    binary = prefix.upper() + "i"
    decimal = "k" if prefix == "k" else prefix.upper()
    if rest == "i":
        return "case", binary, ""
    if rest == "ib":
        return "iec-b", binary, ""
    if rest == "b" or unit in _BARE_SIZE_LETTERS:
        return "ambiguous", binary, decimal
    return "", "", ""


def _generic_fix(stripped: str, depth: int) -> str | None:
    """Only the unambiguous fixes (spaces, case of a binary suffix, a trailing B)."""
    loose = _loose(stripped)
    if loose is None or depth <= 0:
        return None
    kind, binary, _ = _classify_memory_unit(_unspace(loose["unit"]))
    if kind not in ("space", "case", "iec-b"):
        return None
    return _resolve(_parse_quantity, loose["number"] + binary, depth)


def _resolve(parse: Callable[[str, int], Quantity], candidate: str, depth: int) -> str | None:
    """``candidate`` if it parses, else the (already checked) fix its own error offers."""
    try:
        parse(candidate, depth - 1)
    except QuantityError as err:
        return err.suggestion
    return candidate


def _ok(parse: Callable[[str, int], Quantity], text: str) -> bool:
    try:
        parse(text, 0)
    except QuantityError:
        return False
    return True


def _coerce(text: object, label: str, check: Callable[[str], bool]) -> str:
    """The text to parse: str as is, int as digits, float via ``repr`` (its shortest exact
    decimal) if that has at most 15 significant digits; 0.30000000000000004 is an error."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise QuantityError(f"{text!r} is not {label}; expected a string or a number")
    if isinstance(text, str):
        return text
    if isinstance(text, int):
        if abs(text) > MAX_QUANTITY:
            raise QuantityError(f"integer is too large for {label}; the maximum is 2^63-1")
        return str(text)
    r = repr(text)
    if r in ("inf", "-inf", "nan"):
        raise QuantityError(f"{r!r} is not {label}; it must be a finite number")
    mantissa = r.partition("e")[0].lstrip("-").replace(".", "").strip("0")
    if len(mantissa) > 15:
        short = format(text, ".15g")
        fix = short if check(short) else None
        hint = f"; write it as a string such as '{short}'" if fix else "; write it as a string"
        raise QuantityError(f"{r!r} is a float with no short exact decimal{hint}", suggestion=fix)
    return r


def _exact(number: str, suffix: str, quoted: str) -> Fraction:
    """The exact value of a grammatical quantity, never building huge integers.

    Values below 10^-100 come back as a stand-in of 10^-200 with the right sign: every
    caller rejects anything finer than 1n anyway, and rounds up to the same suggestion.
    """
    negative = number.startswith("-")
    whole, _, frac = number.lstrip("+-").partition(".")
    digits = (whole + frac).lstrip("0")
    sig = digits.rstrip("0")
    exp10 = len(digits) - len(sig) - len(frac)
    shift = 0
    tiny = Fraction(-1 if negative else 1, 10**200)
    if suffix in _BINARY_SUFFIXES:
        shift = _BINARY_SUFFIXES[suffix]
    elif suffix in _DECIMAL_SUFFIXES:
        exp10 += _DECIMAL_SUFFIXES[suffix]
    else:  # decimal exponent e/E
        exponent = suffix[1:].lstrip("+-").lstrip("0") or "0"
        if not sig:
            return Fraction(0)
        if len(exponent) > 12:  # also keeps int() clear of its 4300-digit limit
            if suffix[1] == "-":
                return tiny
            raise _too_large(quoted)
        exp10 += -int(exponent) if suffix[1] == "-" else int(exponent)
    if not sig:
        return Fraction(0)
    if len(sig) > _MAX_DIGITS:
        raise QuantityError(f"{quoted} has more than {_MAX_DIGITS} significant digits")
    magnitude = len(sig) - 1 + exp10
    if magnitude > _MAX_MAGNITUDE:
        raise _too_large(quoted)
    if magnitude < _MIN_MAGNITUDE:
        return tiny
    value = Fraction(int(sig)) * Fraction(10) ** exp10 * (1 << shift)
    if abs(value) > MAX_QUANTITY:
        raise _too_large(quoted)
    return -value if negative else value


def _loose(text: str) -> re.Match[str] | None:
    return re.fullmatch(_LOOSE, text, re.DOTALL)


def _unspace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _too_large(quoted: str) -> QuantityError:
    return QuantityError(
        f"{quoted} is too large; Kubernetes caps quantities at 2^63-1 (9223372036854775807)"
    )


def _is_negative(number: str) -> bool:
    return number.startswith("-") and any(c in "123456789" for c in number)


def _ceil_abs(value: Fraction) -> int:
    return -(-abs(value) // 1)


def _as_fraction(value: Fraction | int) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (Fraction, int)):
        raise ValueError(f"expected a Fraction or an int, got {value!r}")
    return Fraction(value)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _bytes_text(value: Fraction) -> str:
    """``0.128 bytes`` or ``1 byte``: the exact decimal when it is short, for messages."""
    text = _decimal_text(value)
    if text is None:
        return "a fraction of a byte" if abs(value) < 1 else "a fractional number of bytes"
    return f"{text} byte" if text == "1" else f"{text} bytes"


def _decimal_text(value: Fraction) -> str | None:
    """Exact decimal text of ``value`` if it terminates within 30 places, else None."""
    for places in range(31):
        scaled = value * 10**places
        if scaled.denominator == 1:
            n = abs(scaled.numerator)
            sign = "-" if value < 0 else ""
            if places == 0:
                return f"{sign}{n}"
            body = str(n).rjust(places + 1, "0")
            return f"{sign}{body[:-places]}.{body[-places:]}"
    return None
