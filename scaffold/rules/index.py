"""The stream index: who selects whom, within a namespace, in linear time.

Cross-object rules ask the same questions: which pods does this Service (or HPA, PDB,
NetworkPolicy) select, which object does this reference name, which workloads are nearest to
a selector that matches nothing. Asked naively (every Service against every workload) that is
quadratic: 2,800 Services and 2,800 workloads took 16 s. The index answers them from hash
lookups, and always within one namespace, because a selector never reaches across namespaces.

How to use it from a rule (the index is built once per run and handed over on the config)::

    index = config.index                      # a StreamIndex
    ns = index.namespace_of(obj)              # metadata.namespace, else the default one
    pods = index.select(ns, {"app": "web"})   # PodSources whose pod labels match (equality)
    pods = index.select_label_selector(ns, spec["selector"])  # matchLabels + matchExpressions
    near = index.nearest(ns, selector)        # at most 3 candidates, best first, for messages
    target = index.find("Deployment", ns, "web")  # an object of the stream by kind and name
    hpa = index.find_scaler(workload)         # the HPA whose scaleTargetRef names a Workload
    w = index.find_workload("Deployment", ns, "web")       # a checked workload (a scaleTargetRef's)
    ws = index.select_workloads(ns, pdb["spec"]["selector"])  # checked workloads a LabelSelector picks
    hits = index.named("Service", ns, "web")  # (position, object) of checked objects, for findings

Pod sources are the pod-bearing objects the rules check (each with its ``Workload``) and, from
``CheckConfig.context`` (the objects lint does not check), any object with a pod template
(``spec.template.metadata.labels``: an Argo Rollout, a custom controller's kind), so a Service
that selects those is not reported as selecting nothing.

The namespace of an object without ``metadata.namespace`` is ``CheckConfig.namespace`` (lint's
``--namespace``, "default" otherwise), as it is for ``kubectl apply``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..k8s.kinds import dig, kind_of
from . import as_dict, as_list

if TYPE_CHECKING:  # pragma: no cover
    from . import Workload

#: How many candidates a message names at most.
MAX_NAMED = 3


class PodSource:
    """Something that makes pods with these labels: a checked workload or a context object."""

    __slots__ = ("kind", "name", "namespace", "labels", "workload", "obj")

    def __init__(self, kind: str, name: str, namespace: str, labels: dict[str, Any], obj: dict[str, Any], workload: Workload | None = None) -> None:
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.obj = obj
        #: The rule engine's view of it; None for an object the rules do not check.
        self.workload = workload

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.name}"


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


class StreamIndex:
    """Objects of one stream by (namespace, kind, name) and pod sources by (namespace, label)."""

    def __init__(self, objects: Iterable[Any], default_namespace: str = "default", context: Iterable[Any] = ()) -> None:
        self.default_namespace = default_namespace
        self._objects: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._by_label: dict[tuple[str, str, Any], list[PodSource]] = {}
        self._by_namespace: dict[str, list[PodSource]] = {}
        self._scalers: dict[tuple[str, str, str], dict[str, Any]] | None = None
        self._workloads: dict[tuple[str, str, str], Workload] = {}
        self._checked = list(objects)
        self._named: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] | None = None
        for obj in (*self._checked, *context):
            if not isinstance(obj, dict):
                continue
            kind, name = obj.get("kind"), as_dict(obj.get("metadata")).get("name")
            if isinstance(kind, str) and isinstance(name, str):
                self._objects.setdefault((self.namespace_of(obj), kind, name), obj)
        for obj in context:
            if isinstance(obj, dict) and kind_of(obj) is None:
                labels = dig(obj, ("spec", "template", "metadata", "labels"))
                if isinstance(labels, dict) and labels:
                    self.add(PodSource(str(obj.get("kind")), self._name(obj), self.namespace_of(obj), labels, obj))

    @staticmethod
    def _name(obj: dict[str, Any]) -> str:
        name = as_dict(obj.get("metadata")).get("name")
        return name if isinstance(name, str) else "?"

    def namespace_of(self, obj: Any) -> str:
        """The object's namespace; the default one when it names none."""
        ns = as_dict(as_dict(obj).get("metadata")).get("namespace")
        return ns if isinstance(ns, str) and ns else self.default_namespace

    def add(self, source: PodSource) -> None:
        if source.workload is not None:
            self._workloads.setdefault((source.namespace, source.kind, source.name), source.workload)
        self._by_namespace.setdefault(source.namespace, []).append(source)
        for key, value in source.labels.items():
            if isinstance(key, str) and _hashable(value):
                self._by_label.setdefault((source.namespace, key, value), []).append(source)

    def sources(self, namespace: str) -> list[PodSource]:
        """Every pod source of the namespace."""
        return self._by_namespace.get(namespace, [])

    def select(self, namespace: str, selector: Any) -> list[PodSource]:
        """Pod sources whose labels contain every pair of an equality selector (a Service's)."""
        pairs = [(k, v) for k, v in as_dict(selector).items()]
        if not pairs or not all(isinstance(k, str) and _hashable(v) for k, v in pairs):
            return []
        buckets = [self._by_label.get((namespace, k, v), []) for k, v in pairs]
        smallest = min(buckets, key=len)
        return [s for s in smallest if all(s.labels.get(k) == v for k, v in pairs)]

    def select_label_selector(self, namespace: str, selector: Any) -> list[PodSource]:
        """Pod sources a ``LabelSelector`` (matchLabels and matchExpressions) matches.

        An empty selector matches every pod of the namespace, as the API defines it.
        """
        selector = as_dict(selector)
        match = as_dict(selector.get("matchLabels"))
        candidates = self.select(namespace, match) if match else self.sources(namespace)
        expressions = as_list(selector.get("matchExpressions"))
        return [s for s in candidates if all(_expression(e, s.labels) for e in expressions)]

    def nearest(self, namespace: str, selector: Any, limit: int = MAX_NAMED) -> list[PodSource]:
        """Up to ``limit`` pod sources of the namespace sharing the most selector pairs (for
        "did you mean" in a message); sources sharing a key come first. Linear in the pairs'
        buckets, never in the whole stream."""
        pairs = [(k, v) for k, v in as_dict(selector).items() if isinstance(k, str) and _hashable(v)]
        score: dict[int, tuple[int, PodSource]] = {}
        for k, v in pairs:
            for s in self._by_label.get((namespace, k, v), []):
                hits, _ = score.get(id(s), (0, s))
                score[id(s)] = (hits + 1, s)
        ranked = sorted(score.values(), key=lambda hs: (-hs[0], hs[1].label))
        out = [s for _, s in ranked[:limit]]
        if len(out) < limit:
            keys = {k for k, _ in pairs}
            for s in self.sources(namespace):
                if len(out) >= limit:
                    break
                if s not in out and keys & s.labels.keys():
                    out.append(s)
        return out

    def find_scaler(self, workload: Any) -> dict[str, Any] | None:
        """The HorizontalPodAutoscaler of the namespace whose scaleTargetRef names the workload."""
        if self._scalers is None:
            self._scalers = {}
            for (ns, kind, _), obj in self._objects.items():
                if kind == "HorizontalPodAutoscaler":
                    ref = as_dict(dig(obj, ("spec", "scaleTargetRef")))
                    if isinstance(ref.get("kind"), str) and isinstance(ref.get("name"), str):
                        self._scalers.setdefault((ns, ref["kind"], ref["name"]), obj)
        return self._scalers.get((workload.namespace, workload.kind, workload.name))

    def find(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        """The object of the stream (checked or context) with this kind, namespace and name."""
        return self._objects.get((namespace, kind, name))

    def find_workload(self, kind: Any, namespace: str, name: Any) -> Workload | None:
        """The checked workload with this kind, namespace and name (a scaleTargetRef's)."""
        if not (isinstance(kind, str) and isinstance(name, str)):
            return None
        return self._workloads.get((namespace, kind, name))

    def select_workloads(self, namespace: str, selector: Any) -> list[Workload]:
        """The checked workloads whose pods a ``LabelSelector`` matches (a PDB's, a
        NetworkPolicy's). ``{}`` matches every pod of the namespace; None (or a non-mapping)
        none, as :func:`label_selector_matches` says."""
        if not isinstance(selector, dict):
            return []
        return [s.workload for s in self.select_label_selector(namespace, selector) if s.workload is not None]

    def named(self, kind: str, namespace: str, name: Any) -> list[tuple[int, dict[str, Any]]]:
        """``(position, object)`` of the checked objects with this kind, namespace and name, in
        stream order (more than one only in a stream that repeats an object); built on first use."""
        if self._named is None:
            self._named = {}
            for position, obj in enumerate(self._checked):
                if isinstance(obj, dict) and isinstance(obj.get("kind"), str):
                    found = as_dict(obj.get("metadata")).get("name")
                    if isinstance(found, str):
                        self._named.setdefault((self.namespace_of(obj), obj["kind"], found), []).append((position, obj))
        return self._named.get((namespace, kind, name), []) if isinstance(name, str) else []


def _expression(expression: Any, labels: dict[str, Any]) -> bool:
    """One matchExpressions entry (In, NotIn, Exists, DoesNotExist) against pod labels."""
    e = as_dict(expression)
    key, op, values = e.get("key"), e.get("operator"), as_list(e.get("values"))
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    return False


def label_selector_matches(selector: Any, labels: Any) -> bool:
    """A ``LabelSelector`` (matchLabels and matchExpressions) against a set of labels: the one
    matcher of the rules and the graph. ``{}`` matches every pod (as in a NetworkPolicy or a
    PodDisruptionBudget); None (or a non-mapping) matches none; an unknown operator never matches."""
    if not isinstance(selector, dict):
        return False
    labels = as_dict(labels)
    for key, value in as_dict(selector.get("matchLabels")).items():
        if labels.get(key) != value:
            return False
    return all(_expression(e, labels) for e in as_list(selector.get("matchExpressions")))


def label_list(sources: Iterable[Any], limit: int = MAX_NAMED) -> str:
    """``Deployment/a, StatefulSet/b and 4 more``: a few objects (anything with ``kind`` and
    ``name``: pod sources, workloads) named, never all of them."""
    items = list(sources)
    shown = ", ".join(f"{s.kind}/{s.name}" for s in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
