"""How the cross-object rules of the companions match objects: through the stream's index.

Kept free of rules (it is not in ``RULE_MODULES``). Every question goes to the
:class:`~scaffold.rules.index.StreamIndex` on the config, so matching is by hash lookups, never
by scanning the stream once per object (that was quadratic: a corpus of 1,000 files spent
most of its time here), and always within one namespace, where an object without
``metadata.namespace`` is in ``CheckConfig.namespace`` (lint's ``--namespace``, else default).
"""

from __future__ import annotations

from typing import Any

from ..k8s.kinds import dig
from . import CheckConfig, Workload, as_dict
from .index import StreamIndex

__all__ = ["index_of", "name_of", "scale_target", "selected_workloads"]


def index_of(config: CheckConfig, objects: list[Any]) -> StreamIndex:
    """The run's index; a rule called on its own (as in a unit test) gets a fresh one that
    knows the stream's workloads."""
    if config.index is not None:
        index: StreamIndex = config.index
        return index
    from . import workloads

    config = config._replace(index=StreamIndex(objects, config.namespace, config.context))
    workloads(objects, config)
    return config.index  # type: ignore[no-any-return]


def name_of(obj: Any) -> Any:
    return as_dict(as_dict(obj).get("metadata")).get("name")


def selected_workloads(index: StreamIndex, obj: dict[str, Any], selector: Any) -> list[Workload]:
    """The workloads in ``obj``'s namespace whose pods ``selector`` (a LabelSelector) matches."""
    return index.select_workloads(index.namespace_of(obj), selector)


def scale_target(index: StreamIndex, hpa: dict[str, Any]) -> Workload | None:
    """The workload an autoscaler's scaleTargetRef names, in the same namespace."""
    ref = as_dict(dig(hpa, ("spec", "scaleTargetRef")))
    return index.find_workload(ref.get("kind"), index.namespace_of(hpa), ref.get("name"))
