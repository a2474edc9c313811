"""Small helpers the rule modules share: typed reads of possibly malformed objects,
enum checks with did-you-mean, and the walk over a pod's probes and hooks.

Kept free of rules itself (it is not in ``RULE_MODULES``), so importing it registers nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeGuard

from ..k8s.kinds import dig, kind_of
from ..k8s.vocab import CONTAINER_GROUPS, DEFAULT_GRACE_SECONDS, HOOKS, PORT_HANDLERS, PROBES
from ..paths import Path
from . import as_dict, as_list


def is_int(value: Any) -> TypeGuard[int]:
    """An integer that is not a bool (YAML ``true`` is an int to Python)."""
    return isinstance(value, int) and not isinstance(value, bool)


def show(value: Any, limit: int = 50) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def did_you_mean(value: Any, choices: tuple[str, ...] | list[str]) -> str:
    """``; did you mean 'Always'?`` when a choice is close (case-insensitive first), else ''."""
    if not isinstance(value, str):
        return ""
    for choice in choices:
        if choice.lower() == value.lower():
            return f"; did you mean {choice!r}?"
    import difflib  # only when a value is wrong: keeps it off every render's import time

    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def enum_message(value: Any, choices: tuple[str, ...], what: str) -> str | None:
    """None when ``value`` is one of ``choices``; else the message, with did-you-mean."""
    if isinstance(value, str) and value in choices:
        return None
    return f"{what} {show(value)} is not one of {' | '.join(choices)}{did_you_mean(value, choices)}"


def pod_spec(obj: dict[str, Any]) -> tuple[Path, dict[str, Any]] | None:
    """(path, pod spec) of a pod-bearing object (the kinds registry knows where); None for others."""
    info = kind_of(obj)
    if info is None or info.pod_spec is None:
        return None
    return info.pod_spec, as_dict(dig(obj, info.pod_spec))


def containers(spec: dict[str, Any], groups: tuple[str, ...] = ("initContainers", "containers")) -> Iterator[tuple[Path, dict[str, Any]]]:
    """``(path, container)`` of the pod spec's containers that are mappings."""
    for group in groups:
        for i, c in enumerate(as_list(spec.get(group))):
            if isinstance(c, dict):
                yield (group, i), c


def is_sidecar(path: Path, container: dict[str, Any]) -> bool:
    """An init container with ``restartPolicy: Always`` runs beside the app (a sidecar)."""
    return path[0] == "initContainers" and container.get("restartPolicy") == "Always"


def probes(container: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name in PROBES:
        probe = container.get(name)
        if isinstance(probe, dict):
            yield name, probe


def hooks(container: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for name in HOOKS:
        hook = as_dict(container.get("lifecycle")).get(name)
        if isinstance(hook, dict):
            yield name, hook


def handler_ports(container: dict[str, Any]) -> Iterator[tuple[Path, Any]]:
    """(path in the container, port) of every probe and hook handler that names a port."""
    for name, probe in probes(container):
        for handler in PORT_HANDLERS:
            h = probe.get(handler)
            if isinstance(h, dict) and "port" in h:
                yield (name, handler, "port"), h["port"]
    for name, hook in hooks(container):
        for handler in ("httpGet", "tcpSocket"):
            h = hook.get(handler)
            if isinstance(h, dict) and "port" in h:
                yield ("lifecycle", name, handler, "port"), h["port"]


def grace_period(spec: dict[str, Any]) -> Any:
    """The pod's terminationGracePeriodSeconds, Kubernetes' default when unset."""
    value = spec.get("terminationGracePeriodSeconds")
    return DEFAULT_GRACE_SECONDS if value is None else value
