"""Pure field validators shared by the rule engine and the interactive wizard.

Each validator takes a value of any type and returns ``None`` when it is fine, or a
one-line message that names the value and, where one is obvious, the fix. They never
raise: the wizard calls them on every keystroke and lint calls them on arbitrary YAML.
The wizard gets text from its prompts; for :func:`port_number` convert it with ``int()``
first (a port written as a string is a mistake in a manifest, so the validator says so).
"""

from __future__ import annotations

import re
from typing import Any

from .quantities import QuantityError, parse_cpu, parse_memory

__all__ = [
    "cpu_quantity",
    "dns1035_label",
    "dns1123_label",
    "dns1123_subdomain",
    "env_name",
    "image_ref",
    "label_key",
    "label_value",
    "memory_quantity",
    "port_name",
    "port_number",
    "split_image",
]

_LABEL = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
_DNS1123_LABEL = re.compile(_LABEL)
_DNS1123_SUBDOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_DNS1035_LABEL = re.compile(r"[a-z](?:[-a-z0-9]*[a-z0-9])?")
_IANA_CHARS = re.compile(r"[-a-z0-9]+")
_QUALIFIED_NAME = re.compile(r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?")
_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
# Only error paths (suggestions) use these: left uncompiled, ``re`` caches them on first use,
# so importing this module (every render does) does not pay for them.
_NOT_LABEL_CHARS = r"[^a-z0-9]+"
_NOT_SUBDOMAIN_CHARS = r"[^a-z0-9.]+"
_NOT_VALUE_CHARS = r"[^A-Za-z0-9_.-]+"
_NOT_ENV_CHARS = r"[^A-Za-z0-9_]+"

# Image references, after github.com/distribution/reference (what the kubelet parses).
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?")
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH = re.compile(rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
_TAG = re.compile(r"[\w][\w.-]{0,127}", re.ASCII)
_DIGEST = re.compile(r"(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})")
_MAX_IMAGE_NAME = 255

_MAX_SHOWN = 60


def _show(v: Any) -> str:
    """``repr`` of a value, cut short so a message stays one readable line."""
    try:
        text = repr(v)
    except Exception:  # an object whose repr fails must not make the validator raise
        text = f"<{type(v).__name__}>"
    text = text.replace("\n", "\\n")
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _not_text(v: Any, what: str) -> str | None:
    if isinstance(v, str):
        return None
    if isinstance(v, bool) or v is None:
        return f"{what} must be a string, not {_show(v)}"
    if isinstance(v, (int, float)):
        return f"{what} must be a string, not the number {_show(v)}; quote it: '{v}'"
    return f"{what} must be a string, not {type(v).__name__} {_show(v)}"


def _label_fix(v: str, limit: int, *, letter_first: bool = False, dots: bool = False) -> str | None:
    """A close valid spelling: lowercase, runs of other characters become '-'."""
    low = v.lower()
    fixed = re.sub(_NOT_SUBDOMAIN_CHARS if dots else _NOT_LABEL_CHARS, "-", low)
    if dots:
        fixed = re.sub(r"\.+", ".", fixed)
        fixed = ".".join(part.strip("-") for part in fixed.split(".") if part.strip("-"))
    fixed = fixed.strip("-.")
    if letter_first:
        fixed = fixed.lstrip("0123456789-")
    fixed = fixed[:limit].rstrip("-.")
    return fixed or None


def _name(v: Any, *, limit: int, pattern: re.Pattern[str], what: str, letter_first: bool = False, dots: bool = False) -> str | None:
    bad = _not_text(v, what)
    if bad:
        return bad
    if not v:
        return f"{what} must not be empty"
    if len(v) <= limit and pattern.fullmatch(v):
        return None
    fix = _label_fix(v, limit, letter_first=letter_first, dots=dots)
    example = f", e.g. {fix!r}" if fix and fix != v else ""
    if len(v) > limit:
        return f"{_show(v)} is {len(v)} characters; a {what} may have at most {limit}{example}"
    if letter_first and v[:1].isdigit():
        return f"{_show(v)} is not a valid {what}: it must start with a letter{example}"
    allowed = "lowercase letters, digits, '-' and '.'" if dots else "lowercase letters, digits and '-'"
    ends = "start with a letter and end with a letter or digit" if letter_first else "start and end with a letter or digit"
    return f"{_show(v)} is not a valid {what}: use {allowed}, and {ends}{example}"


def dns1123_label(v: Any) -> str | None:
    """Container, volume and namespace names: <= 63 of [a-z0-9-], alphanumeric at both ends."""
    return _name(v, limit=63, pattern=_DNS1123_LABEL, what="name")


def dns1123_subdomain(v: Any) -> str | None:
    """Pod and Deployment names: <= 253, dot-separated DNS-1123 labels."""
    return _name(v, limit=253, pattern=_DNS1123_SUBDOMAIN, what="name", dots=True)


def dns1035_label(v: Any) -> str | None:
    """Service names: a DNS-1123 label that starts with a letter (it becomes a DNS name)."""
    return _name(v, limit=63, pattern=_DNS1035_LABEL, what="Service name", letter_first=True)


def port_name(v: Any) -> str | None:
    """An IANA service name, as containerPort names and named targetPorts must be."""
    bad = _not_text(v, "a port name")
    if bad:
        return bad
    if not v:
        return "a port name must not be empty"
    if v.isdigit():
        return f"{_show(v)} is a number written as a string; write {int(v)} without quotes (names need a letter)"
    if len(v) <= 15 and _IANA_CHARS.fullmatch(v) and any("a" <= c <= "z" for c in v) \
            and not (v.startswith("-") or v.endswith("-")) and "--" not in v:
        return None  # the common case, before any suggestion is worked out
    fix = _label_fix(v, 15)
    fix = re.sub(r"-{2,}", "-", fix) if fix else None
    example = f", e.g. {fix!r}" if fix and fix != v and any(c.isalpha() for c in fix) else ""
    if len(v) > 15:
        return f"port name {_show(v)} is {len(v)} characters; the limit is 15{example}"
    if not _IANA_CHARS.fullmatch(v):
        return f"port name {_show(v)} may only use lowercase letters, digits and '-'{example}"
    if not any("a" <= c <= "z" for c in v):
        return f"port name {_show(v)} needs at least one letter, e.g. 'p{v.strip('-')}'"
    if v.startswith("-") or v.endswith("-"):
        return f"port name {_show(v)} must not start or end with '-'{example}"
    return f"port name {_show(v)} must not contain '--'{example}"


def port_number(v: Any) -> str | None:
    """A container, host or Service port: a whole number 1-65535."""
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, str) and v.strip().isdigit():
            return f"port {_show(v)} is a string; write the number {int(v.strip())} without quotes"
        if isinstance(v, float) and v.is_integer():
            return f"port {_show(v)} must be a whole number; write {int(v)}"
        return f"port {_show(v)} must be a whole number from 1 to 65535"
    if not 1 <= v <= 65535:
        return f"port {v} is out of range; use a number from 1 to 65535"
    return None


def split_image(v: str) -> tuple[str, str, str | None, str | None]:
    """(domain, path, tag, digest), splitting the way the container runtime does."""
    rest, digest = v, None
    if "@" in rest:
        rest, _, digest = rest.partition("@")
    tag = None
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1:]
    domain, path = "", rest
    first, sep, remainder = rest.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost" or first.lower() != first):
        domain, path = first, remainder
    return domain, path, tag, digest


def image_ref(v: Any) -> str | None:
    """``[registry[:port]/]path[:tag][@sha256:<64 hex>]``; else the kubelet reports InvalidImageName."""
    bad = _not_text(v, "an image")
    if bad:
        return bad
    if not v.strip():
        return "the image is empty; write a reference such as nginx:1.27"
    if v != v.strip():
        return f"image {_show(v)} has spaces around it; write {v.strip()!r}"
    if any(c.isspace() for c in v):
        fix = re.sub(r"\s*:\s*", ":", v)
        fix = re.sub(r"\s+", ":", fix) if fix.count(":") == 0 and len(fix.split()) == 2 else fix
        hint = f"; did you mean {fix!r}?" if not any(c.isspace() for c in fix) else ""
        return f"image {_show(v)} contains spaces{hint}"
    if "://" in v:
        fix = v.split("://", 1)[1]
        return f"image {_show(v)} must not have a URL scheme; write {fix!r}"
    domain, path, tag, digest = split_image(v)
    if digest is not None and not _DIGEST.fullmatch(digest):
        if digest.lower() != digest and _DIGEST.fullmatch(digest.lower()):
            return f"image {_show(v)}: the digest must be lowercase hex: @{digest.lower()}"
        return f"image {_show(v)}: the digest must be sha256: followed by 64 hex digits"
    if domain and not _DOMAIN.fullmatch(domain):
        return f"image {_show(v)}: {domain!r} is not a valid registry host[:port]"
    if not path:
        return f"image {_show(v)} has no repository name; write e.g. nginx:1.27"
    if not _PATH.fullmatch(path):
        if path.lower() != path and _PATH.fullmatch(path.lower()):
            fixed = (f"{domain}/" if domain else "") + path.lower() + (f":{tag}" if tag is not None else "")
            fixed += f"@{digest}" if digest is not None else ""
            return f"image {_show(v)}: the repository must be lowercase; write {fixed!r}"
        return (
            f"image {_show(v)}: {path!r} is not a valid repository path (lowercase letters, digits, "
            "and '.', '_', '-' between them, parts separated by '/')"
        )
    if len(domain) + len(path) + (1 if domain else 0) > _MAX_IMAGE_NAME:
        return f"image {_show(v)}: the name is longer than {_MAX_IMAGE_NAME} characters"
    if tag is not None:
        if not tag:
            return f"image {_show(v)} ends with ':' but has no tag; write a tag such as :1.27 or drop the ':'"
        if len(tag) > 128:
            return f"image {_show(v)}: the tag is {len(tag)} characters; the limit is 128"
        if not _TAG.fullmatch(tag):
            return f"image {_show(v)}: tag {tag!r} may only use letters, digits, '_', '.' and '-', and not start with '.' or '-'"
    return None


def label_key(v: Any) -> str | None:
    """``[prefix/]name``: prefix a DNS subdomain <= 253, name <= 63 alphanumerics and ``-_.``."""
    bad = _not_text(v, "a label key")
    if bad:
        return bad
    if not v:
        return "a label key must not be empty"
    prefix, sep, name = v.rpartition("/")
    if sep:
        if not prefix or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.fullmatch(prefix):
            return f"label key {_show(v)}: the prefix {prefix!r} must be a lowercase DNS name such as example.com"
    return _qualified_part(name, v, "label key")


def _qualified_part(name: str, whole: str, what: str) -> str | None:
    if not name:
        return f"{what} {_show(whole)} has an empty name after the '/'"
    if len(name) > 63:
        return f"{what} {_show(whole)}: the name part is {len(name)} characters; the limit is 63"
    if not _QUALIFIED_NAME.fullmatch(name):
        fix = re.sub(_NOT_VALUE_CHARS, "-", name).strip("-_.")
        example = f", e.g. {fix!r}" if fix and fix != name else ""
        return f"{what} {_show(whole)} may only use letters, digits, '-', '_' and '.', alphanumeric at both ends{example}"
    return None


def label_value(v: Any) -> str | None:
    """Empty, or <= 63 letters, digits, ``-_.`` with an alphanumeric at both ends."""
    bad = _not_text(v, "a label value")
    if bad:
        return bad
    if not v:
        return None
    if len(v) > 63:
        return f"label value {_show(v)} is {len(v)} characters; the limit is 63"
    if not _QUALIFIED_NAME.fullmatch(v):
        fix = re.sub(_NOT_VALUE_CHARS, "-", v).strip("-_.")
        example = f", e.g. {fix!r}" if fix and fix != v else ""
        return f"label value {_show(v)} may only use letters, digits, '-', '_' and '.', alphanumeric at both ends{example}"
    return None


def env_name(v: Any) -> str | None:
    """A variable name the API server accepts everywhere: ``[-._a-zA-Z][-._a-zA-Z0-9]*``."""
    bad = _not_text(v, "an environment variable name")
    if bad:
        return bad
    if not v:
        return "an environment variable name must not be empty"
    if _ENV_NAME.fullmatch(v):
        return None
    fix = re.sub(_NOT_ENV_CHARS, "_", v).strip("_")
    if fix[:1].isdigit():
        fix = "_" + fix
    example = f", e.g. {fix!r}" if fix else ""
    if v[:1].isdigit():
        return f"environment variable {_show(v)} must not start with a digit{example}"
    return f"environment variable {_show(v)} may only use letters, digits, '_', '-' and '.'{example}"


def cpu_quantity(v: Any) -> str | None:
    """A CPU amount (``0.5``, ``250m``); the message carries the parser's suggestion."""
    try:
        parse_cpu(v)
    except QuantityError as err:
        return str(err)
    except Exception as err:  # the contract is "never raises"
        return f"{_show(v)} is not a CPU quantity ({type(err).__name__})"
    return None


def memory_quantity(v: Any, *, resource: str = "memory") -> str | None:
    """A memory-like amount in bytes (``128Mi``); ``128m`` and ``1GB`` get a suggestion."""
    try:
        parse_memory(v, resource=resource)
    except QuantityError as err:
        return str(err)
    except Exception as err:
        return f"{_show(v)} is not a {resource} quantity ({type(err).__name__})"
    return None
