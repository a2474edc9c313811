"""Checks of typed answers: the shared field validators, applied to what a person types.

Every check is ``check(text, ctx) -> None | message``: the text as typed (surrounding spaces
are the check's business) and the :class:`~scaffold.wizard.model.Ctx` of the question, for
checks that depend on earlier answers (names already taken, the request a limit must not be
below). The field rules themselves (names, images, quantities, ports) are the functions of
:mod:`scaffold.k8s.validators`, the ones the rule engine uses; this module only adapts them to
typed text and combines them.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..k8s import validators as v

if TYPE_CHECKING:
    from .model import Ctx

#: A check of one typed answer: None (fine) or a one-line message.
Check = Callable[[str, "Ctx"], "str | None"]


def shared(validator: Callable[[Any], str | None]) -> Check:
    """A field validator of :mod:`scaffold.k8s.validators` on the typed text, spaces ignored."""
    return lambda text, ctx: validator(text.strip())


def optional(check: Check) -> Check:
    """Empty means "not set"; anything else must pass ``check``."""
    return lambda text, ctx: None if not text.strip() else check(text, ctx)


def every(*checks: Check) -> Check:
    """The first problem any of ``checks`` finds."""

    def check(text: str, ctx: Ctx) -> str | None:
        for c in checks:
            problem = c(text, ctx)
            if problem:
                return problem
        return None

    return check


def whole(lo: int, hi: int | None | Callable[[Ctx], int | None], what: str) -> Check:
    """A whole number from ``lo`` to ``hi`` (``hi`` may depend on earlier answers)."""

    def check(text: str, ctx: Ctx) -> str | None:
        top = hi(ctx) if callable(hi) else hi
        t = text.strip()
        if not t.isdigit():
            return f"{what} must be a whole number" + (f" from {lo} to {top}" if top is not None else f" of at least {lo}")
        if int(t) < lo or (top is not None and int(t) > top):
            return f"{what} must be from {lo} to {top}" if top is not None else f"{what} must be at least {lo}"
        return None

    return check


def port(text: str, ctx: Ctx) -> str | None:
    """A port number 1-65535 (the shared validator, on the number typed)."""
    t = text.strip()
    if not t.lstrip("-").isdigit():
        return f"port {t!r} must be a whole number from 1 to 65535"
    return v.port_number(int(t))


def command(text: str, ctx: Ctx) -> str | None:
    """A command line as a shell would split it (quotes group words; nothing is run)."""
    if not text.strip():
        return "type the command, e.g. /bin/sh -c 'echo hello >> /tmp/log'"
    try:
        shlex.split(text)
    except ValueError as err:
        return f"cannot split this command line: {err} (close your quotes)"
    return None


def absolute(text: str, ctx: Ctx) -> str | None:
    """An absolute path without ``..`` (mount paths, hostPaths)."""
    t = text.strip()
    if not t.startswith("/"):
        return f"{t!r} is not an absolute path; start it with /"
    if ".." in t.split("/"):
        return f"{t!r} contains '..'; write the path without it"
    return None


def http_path(text: str, ctx: Ctx) -> str | None:
    return None if text.strip().startswith("/") else "an HTTP path starts with /, e.g. /healthz"


def unique(taken: Callable[[Ctx], Iterable[Any]], what: str) -> Check:
    """Not one of the names (or numbers) ``taken`` returns for this question."""

    def check(text: str, ctx: Ctx) -> str | None:
        names = {str(x) for x in taken(ctx) if x not in (None, "")}
        return f"{what} {text.strip()!r} is already used; pick another" if text.strip() in names else None

    return check


def not_below(request: Callable[[Ctx], Any], parse: Callable[[str], Any], what: str) -> Check:
    """A limit below its request is refused by the API server; say so while typing."""

    def check(text: str, ctx: Ctx) -> str | None:
        req = str(request(ctx) or "").strip()
        if not text.strip() or not req:
            return None
        try:
            if parse(text.strip()) < parse(req):
                return f"the {what} limit {text.strip()} is below the request {req}; a limit must be at least the request"
        except ValueError:
            return None
        return None

    return check


def named_port(names: Callable[[Ctx], list[str]]) -> Check:
    """A port number, or the name of a port the container declares (probes, targetPorts)."""

    def check(text: str, ctx: Ctx) -> str | None:
        t = text.strip()
        if not t:
            return "type a port number or the name of a container port"
        if t.isdigit():
            return v.port_number(int(t))
        problem = v.port_name(t)
        if problem:
            return problem
        declared = names(ctx)
        if t not in declared:
            known = f"declared: {', '.join(declared)}" if declared else "the container has no named ports; use a number"
            return f"no container port is named {t!r} ({known})"
        return None

    return check
