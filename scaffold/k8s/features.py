"""Which Kubernetes version brought which field or value, for ``kubeVersion`` / ``--kube-version``.

A preset names the oldest cluster its output must work on; a field newer than that is an
error naming the version that brought it (rule ``kube-version``). Only features scaffold
renders and a cluster of a supported version could lack are listed: the API server of an
older version refuses them (or silently drops them, which is worse).

Versions are ``"1.27"``-style strings; :func:`version_key` orders them.
"""

from __future__ import annotations

from typing import Any

from ..paths import Path

#: The Kubernetes minor versions scaffold knows, oldest first; the last is the default target.
#: (The versions whose strict schemas the tests validate against.)
KNOWN_VERSIONS: tuple[str, ...] = tuple(f"1.{n}" for n in range(25, 38))
NEWEST: str = KNOWN_VERSIONS[-1]


class Feature:
    """A field (or a field's value) and the minor version that brought it (beta, on by default).

    A plain class, not a NamedTuple: this module is imported by every render, and creating a
    NamedTuple class costs more than the whole table.
    """

    __slots__ = ("label", "since", "scope", "path", "value", "kinds")

    def __init__(self, label: str, since: str, scope: str, path: Path, value: Any = None, kinds: tuple[str, ...] = ()) -> None:
        #: What the message calls it: ``lifecycle sleep``.
        self.label = label
        self.since = since
        #: Where: ``container`` (under every container), ``init`` (init containers), ``pod`` (the
        #: pod spec), ``object`` (from the object root, for the kinds in ``kinds``).
        self.scope = scope
        self.path = path
        #: The value that is new (None: the field itself is new).
        self.value = value
        self.kinds = kinds

    def __repr__(self) -> str:
        return f"Feature({self.label!r}, {self.since!r})"


FEATURES: tuple[Feature, ...] = (
    Feature("CronJob timeZone", "1.27", "object", ("spec", "timeZone"), kinds=("CronJob",)),
    Feature("grpc probes", "1.27", "container", ("livenessProbe", "grpc")),
    Feature("grpc probes", "1.27", "container", ("readinessProbe", "grpc")),
    Feature("grpc probes", "1.27", "container", ("startupProbe", "grpc")),
    Feature("sidecar init containers (restartPolicy: Always)", "1.29", "init", ("restartPolicy",), value="Always"),
    Feature("lifecycle sleep", "1.30", "container", ("lifecycle", "postStart", "sleep")),
    Feature("lifecycle sleep", "1.30", "container", ("lifecycle", "preStop", "sleep")),
    Feature("topologySpreadConstraints matchLabelKeys", "1.27", "pod", ("topologySpreadConstraints", "*", "matchLabelKeys")),
    Feature("topologySpreadConstraints nodeAffinityPolicy", "1.26", "pod", ("topologySpreadConstraints", "*", "nodeAffinityPolicy")),
    Feature("topologySpreadConstraints nodeTaintsPolicy", "1.26", "pod", ("topologySpreadConstraints", "*", "nodeTaintsPolicy")),
    Feature("appArmorProfile", "1.30", "pod", ("securityContext", "appArmorProfile")),
    Feature("container appArmorProfile", "1.30", "container", ("securityContext", "appArmorProfile")),
)


def version_key(version: str) -> tuple[int, ...]:
    """``"1.29"`` -> ``(1, 29)``; raises ValueError on anything else."""
    parts = version.split(".")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise ValueError(version)
    return tuple(int(p) for p in parts)


def version_problem(version: Any) -> str | None:
    """None for a version scaffold knows; else why not (with the known ones)."""
    known = ", ".join(KNOWN_VERSIONS)
    if not isinstance(version, str):
        return f"a Kubernetes version is a string such as \"1.29\", not {version!r}"
    text = version.strip().lstrip("v")
    parts = text.split(".")
    if len(parts) == 3 and parts[2].isdigit():  # 1.29.3: the patch release does not matter
        text = ".".join(parts[:2])
    if text in KNOWN_VERSIONS:
        return None
    try:
        key = version_key(text)
    except ValueError:
        return f"{version!r} is not a Kubernetes version such as \"1.29\" (known: {known})"
    if key[0] == 1 and key[1] < 10 and f"1.{key[1]}0" in KNOWN_VERSIONS:
        return (
            f"Kubernetes {text} is older than the oldest version scaffold knows ({KNOWN_VERSIONS[0]}); "
            f"for 1.{key[1]}0 write it quoted in YAML (\"1.{key[1]}0\"): unquoted, 1.{key[1]}0 is the number {text}"
        )
    if key < version_key(KNOWN_VERSIONS[0]):
        return f"Kubernetes {text} is older than the oldest version scaffold knows ({KNOWN_VERSIONS[0]}; known: {known})"
    return f"Kubernetes {text} is newer than the newest version scaffold knows ({NEWEST}; known: {known})"


def minor(version: str) -> str:
    """``v1.29.3`` -> ``1.29`` (for a version :func:`version_problem` accepts)."""
    return ".".join(version.strip().lstrip("v").split(".")[:2])


def older(version: str, than: str) -> bool:
    return version_key(minor(version)) < version_key(than)
