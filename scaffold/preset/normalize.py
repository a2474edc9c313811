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
from ..k8s.ports import service_ports
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
            service["ports"] = service_ports(preset["containers"][0].get("ports", []))
        else:
            names = {p["name"] for c in preset["containers"] for p in c.get("ports", []) if "name" in p}
            service["ports"] = [_with_target_port(port, names) for port in service["ports"]]
    _companions(preset, issues)
    return preset, issues


# ---------------------------------------------------------------------------------------
# Objects that travel with the app, and the security profile (preset-format.md).

#: What the restricted profile puts in the pod's securityContext (explicit values win).
RESTRICTED_POD = {"runAsNonRoot": True, "runAsUser": 10001, "seccompProfile": {"type": "RuntimeDefault"}}
#: What the restricted profile puts in every container's securityContext (explicit values win).
RESTRICTED_CONTAINER = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}
#: Key order of a container securityContext, as people write it.
_CONTAINER_SC_ORDER = (
    "runAsNonRoot", "runAsUser", "runAsGroup", "allowPrivilegeEscalation", "privileged",
    "readOnlyRootFilesystem", "capabilities", "seccompProfile", "procMount",
)


def _restricted_container(explicit: dict[str, Any] | None) -> dict[str, Any]:
    explicit = explicit or {}
    merged: dict[str, Any] = {**RESTRICTED_CONTAINER, **explicit}
    caps = explicit.get("capabilities")
    if isinstance(caps, dict):
        merged["capabilities"] = {"drop": ["ALL"], **caps} if "drop" not in caps else {**caps}
    order = [k for k in _CONTAINER_SC_ORDER if k in merged]
    return {**{k: merged[k] for k in order}, **{k: v for k, v in merged.items() if k not in order}}


def _apply_profile(preset: dict[str, Any]) -> None:
    """``security: restricted`` fills the pod and container securityContexts; explicit values
    win (the pss rules then judge them at error level, naming the profile)."""
    if preset.get("security") != "restricted":
        return
    explicit_pod = preset.get("securityContext") or {}
    preset["securityContext"] = {**RESTRICTED_POD, **explicit_pod}
    for group in ("initContainers", "containers"):
        for container in preset.get(group, []):
            container["securityContext"] = _restricted_container(container.get("securityContext"))
    account = preset.get("serviceAccount")
    needs_token = account is not None and account.get("automountToken") is True
    if "automountServiceAccountToken" not in preset and not needs_token:
        preset["automountServiceAccountToken"] = False


def _service_port_ref(service: dict[str, Any]) -> Any:
    """The Service's first port, by name when it has one (what the Ingress points at)."""
    ports = service.get("ports") or []
    if not ports:
        return None
    first = ports[0]
    return first.get("name", first.get("port"))


def _container_ports(preset: dict[str, Any]) -> list[dict[str, Any]]:
    """Every containerPort of the pod (NetworkPolicy ports), each once."""
    out: list[dict[str, Any]] = []
    for container in preset.get("containers", []):
        for port in container.get("ports", []) or []:
            entry = {"protocol": port.get("protocol", "TCP"), "port": port["containerPort"]}
            if entry not in out:
                out.append(entry)
    return out


def _companions(preset: dict[str, Any], notices: list[Issue]) -> None:
    name = preset["name"]
    account = preset.get("serviceAccount")
    if account is not None:
        account.setdefault("name", preset.get("serviceAccountName") or name)
        preset.setdefault("serviceAccountName", account["name"])
    for claim in preset.get("persistentVolumeClaims", []):
        claim.setdefault("accessModes", ["ReadWriteOnce"])
    ingress = preset.get("ingress")
    if ingress is not None:
        tls = ingress.pop("tls", None)
        if tls is not None:
            ingress["tls"] = {"secretName": tls.get("secretName") or f"{name}-tls"}
        if "port" not in ingress and preset.get("service") is not None:
            port = _service_port_ref(preset["service"])
            if port is not None:
                ingress["port"] = port
        if preset.get("service") is not None:
            ingress["serviceName"] = preset["service"]["name"]
    autoscale = preset.get("autoscale")
    if autoscale is not None:
        autoscale.setdefault("min", preset.get("replicas", 1))
        if autoscale.get("cpu") is None and autoscale.get("memory") is None:
            autoscale["cpu"] = 80
            notices.append(
                Issue("autoscale", "no target given; scaling on 80% of the cpu request", severity="notice", rule="hpa-requests")
            )
    budget = preset.get("disruptionBudget")
    if budget is not None and not budget:
        budget["maxUnavailable"] = 1
    policy = preset.get("networkPolicy")
    if policy is not None:
        policy.setdefault("egress", "all")
        policy["ports"] = _container_ports(preset)
    _apply_profile(preset)
