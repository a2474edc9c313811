"""Semantic defaults the schema cannot express: sizes, default Service ports, and so on.

Runs after :func:`scaffold.preset.schema.validate_shape`, so every field has the right type here.
What it fills in it also reports as a notice, so nothing happens behind the user's back. It
judges nothing: every check, also those of the preset itself (the number of bare Pods, the
reserved ``app`` label, a Service without ports), belongs to the rule engine (``scaffold.rules``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..errors import Issue
from ..k8s.vocab import RESOURCE_NAMES
from ..paths import format_path
from ..resources import data_file
from .schema import DEFAULT_SIZE, NamedTarget

__all__ = ["DEFAULT_SIZE", "describe_size", "normalize", "size_table"]


@lru_cache(maxsize=1)
def size_table() -> dict[str, dict[str, dict[str, str]]]:
    """The ``size:`` table, shipped as data in ``scaffold/data/sizes.yaml``."""
    import yaml

    path = data_file("sizes.yaml")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader


def describe_size(size: str) -> str:
    """``small`` -> ``requests cpu 100m, memory 128Mi; limits cpu 500m, memory 256Mi``."""
    row = size_table()[size]
    return "; ".join(
        f"{kind} " + ", ".join(f"{k} {v}" for k, v in row[kind].items()) for kind in ("requests", "limits")
    )


def _ordered(resources: dict[str, str]) -> dict[str, str]:
    known = [k for k in RESOURCE_NAMES if k in resources]
    return {**{k: resources[k] for k in known}, **{k: v for k, v in resources.items() if k not in known}}


def _fill_resources(container: dict[str, Any], where: tuple[str | int, ...], notices: list[Issue]) -> None:
    size = container.pop("size", None)
    explicit = container.get("resources")
    if size is None and explicit is not None:
        if not explicit.get("requests") and not explicit.get("limits"):
            # "none", on purpose: the resources-set rule warns about it (once, at this path).
            container.pop("resources")
        return
    if size is None:
        size = DEFAULT_SIZE
        notices.append(
            Issue(
                format_path(where),
                f"no resources given; using size {size} ({describe_size(size)})",
                severity="notice",
                rule="default-size",
            )
        )
    row = size_table()[size]
    merged: dict[str, Any] = {}
    for kind in ("requests", "limits"):
        values = {**row[kind], **((explicit or {}).get(kind) or {})}
        merged[kind] = _ordered(values)
    container["resources"] = merged


def _default_service_ports(preset: dict[str, Any]) -> list[dict[str, Any]]:
    ports = []
    for port in preset["containers"][0].get("ports", []):
        entry: dict[str, Any] = {}
        if "name" in port:
            entry["name"] = port["name"]
        entry["port"] = port["containerPort"]
        entry["targetPort"] = port["containerPort"]
        if "protocol" in port:
            entry["protocol"] = port["protocol"]
        ports.append(entry)
    return ports


def _with_target_port(port: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """targetPort defaults to port; ``"http:80"`` targets the containerPort named http when one
    of ``names`` is http, else 80; keys stay in the order people write them."""
    target = port.get("targetPort", port["port"])
    if isinstance(target, NamedTarget):
        target = str(target) if str(target) in names else target.fallback
    full = {**port, "targetPort": target}
    return {k: full[k] for k in ("name", "port", "targetPort", "protocol", "nodePort") if k in full}


def normalize(shaped: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
    """Fill sizes, default Service ports and other defaults. Returns (preset, notices).

    Works in place on ``shaped``, which :func:`scaffold.preset.schema.validate_shape` built fresh.
    """
    preset = shaped
    issues: list[Issue] = []
    preset.pop("apiVersion", None)
    for group in ("initContainers", "containers"):
        for index, container in enumerate(preset.get(group, [])):
            _fill_resources(container, (group, index), issues)
    for volume in preset.get("volumes", []):
        if "emptyDir" in volume and volume["emptyDir"] is None:
            volume["emptyDir"] = {}
    # -- kinds and pod fields (issue 10): spread -> a topology spread constraint on the app label.
    spread = preset.pop("spread", None)
    if spread is not None:
        constraint = {
            "maxSkew": spread.get("maxSkew", 1),
            "topologyKey": spread["topologyKey"],
            "whenUnsatisfiable": spread.get("whenUnsatisfiable", "ScheduleAnyway"),
            "labelSelector": {"matchLabels": {"app": preset["name"]}},
        }
        preset["topologySpreadConstraints"] = [*preset.get("topologySpreadConstraints", []), constraint]
    # -- end issue 10
    service = preset.get("service")
    if service is not None:
        service.setdefault("name", preset["name"])
        if "ports" not in service:
            service["ports"] = _default_service_ports(preset)
        else:
            names = {p["name"] for c in preset["containers"] for p in c.get("ports", []) if "name" in p}
            service["ports"] = [_with_target_port(port, names) for port in service["ports"]]
    return preset, issues
