"""How the cross-object rules match objects: only within one namespace.

Kept free of rules (it is not in ``RULE_MODULES``). A small local helper on purpose: when a
shared namespace-aware index of the stream exists, these functions are the one place to swap.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..k8s.kinds import dig, kind_of
from . import Workload, as_dict, as_list
from .index import label_selector_matches

DEFAULT_NAMESPACE = "default"


def namespace_of(obj: Any) -> str:
    """The object's namespace; no namespace means ``default`` (what kubectl applies to)."""
    namespace = as_dict(as_dict(obj).get("metadata")).get("namespace")
    return namespace if isinstance(namespace, str) and namespace else DEFAULT_NAMESPACE


def name_of(obj: Any) -> Any:
    return as_dict(as_dict(obj).get("metadata")).get("name")


def same_namespace(a: Any, b: Any) -> bool:
    return namespace_of(a) == namespace_of(b)


def selected_workloads(obj: dict[str, Any], selector: Any, pods: list[Workload]) -> list[Workload]:
    """The workloads in ``obj``'s namespace whose pods ``selector`` matches."""
    return [w for w in pods if same_namespace(obj, w.obj) and label_selector_matches(selector, w.labels)]


def scale_target(hpa: dict[str, Any], pods: list[Workload]) -> Workload | None:
    """The workload an autoscaler's scaleTargetRef names, in the same namespace."""
    ref = as_dict(dig(hpa, ("spec", "scaleTargetRef")))
    for w in pods:
        if w.kind == ref.get("kind") and w.name == ref.get("name") and same_namespace(hpa, w.obj):
            return w
    return None


def autoscalers(objects: list[Any], w: Workload) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(index, HPA)`` of the autoscalers in the stream that scale ``w``."""
    for index, obj in enumerate(objects):
        if isinstance(obj, dict) and obj.get("kind") == "HorizontalPodAutoscaler" and same_namespace(obj, w.obj):
            ref = as_dict(dig(obj, ("spec", "scaleTargetRef")))
            if ref.get("kind") == w.kind and ref.get("name") == w.name:
                yield index, obj


def services_in(obj: dict[str, Any], objects: list[Any]) -> list[dict[str, Any]]:
    """The Services in ``obj``'s namespace."""
    out = []
    for other in objects:
        info = kind_of(other)
        if info is not None and info.ports is not None and same_namespace(obj, other):
            out.append(other)
    return out
