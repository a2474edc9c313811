"""The rule engine: one set of checks for rendered presets and for any manifest (lint).

Rules are written against Kubernetes objects, never against preset syntax, so that
``scaffold render``/``validate`` and ``scaffold lint`` judge the same fields the same way.
A rule is a small generator registered with :func:`rule`; it yields :class:`Finding` objects
whose paths are relative to what the rule looks at:

- scope ``pod``: the pod spec of every pod-bearing object (a Pod's ``spec``, a Deployment's
  ``spec.template.spec``, a CronJob's ``spec.jobTemplate.spec.template.spec``: the kinds
  registry, :mod:`scaffold.k8s.kinds`, knows where); the rule receives a :class:`Workload`.
- scope ``object``: one whole object of a kind the rule's capability (``kinds=``) covers;
  paths from its root.
- scope ``stream``: all objects at once, for cross-object checks; it yields
  ``(object_index, Finding)`` with paths from that object's root.

A rule names the kinds it judges by capability (``POD_BEARING``, ``HAS_SELECTOR``, ...), never
by a list, so a kind added to the registry is judged by every rule that applies to it.

A rule may also judge the preset itself before it is rendered (:func:`before_render`), for
what the objects cannot show: how many bare Pods to emit, a reserved label. Those checks guard
the render, so ``checks.ignore`` does not turn them off.

The engine turns findings into :class:`~scaffold.errors.Issue` objects with paths from the
object root (lint) or, through :func:`preset_path`, from the preset (render/validate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from ..errors import Issue, Severity
from ..k8s.kinds import ANY, POD_BEARING, Capability, Kind, dig, kind_of
from ..paths import Path, format_path

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "notice")
SCOPES = ("pod", "object", "stream")


# Records here are NamedTuples and plain classes, not dataclasses: every render imports this
# module, and a dataclass costs about a millisecond to create at import.


class Finding(NamedTuple):
    """What a rule reports: where (relative to its scope), what, and how bad if not the default."""

    path: Path
    message: str
    severity: Severity | None = None


class Rule(NamedTuple):
    id: str
    severity: Severity
    scope: str
    summary: str
    func: Callable[..., Iterable[Any]]
    prevents: str | None = None
    mark: str = "API"
    fix: str = ""
    #: The kinds of object the rule judges (pod rules: the pod-bearing ones).
    kinds: Capability = ANY
    #: A small preset (YAML) that trips the rule, for docs/validation.md and the tests.
    example: str = ""
    #: The rule's check of the normalized preset, run before render (see :func:`before_render`).
    preset_check: Callable[[dict[str, Any]], Iterable[Finding]] | None = None


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    *,
    severity: Severity,
    scope: str,
    summary: str,
    prevents: str | None = None,
    mark: str = "API",
    fix: str = "",
    kinds: Capability | None = None,
    example: str = "",
) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Register a rule function under a stable id.

    ``kinds`` is the capability of the objects it judges; pod rules always judge the
    pod-bearing kinds, object and stream rules default to every kind.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    if scope == "pod" and kinds not in (None, POD_BEARING):
        raise ValueError(f"pod rule {id!r} judges the pod-bearing kinds; it takes no kinds=")
    capability = POD_BEARING if scope == "pod" else kinds or ANY

    def register(func: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        if id in REGISTRY:
            raise ValueError(f"rule id {id!r} registered twice")
        REGISTRY[id] = Rule(id, severity, scope, summary, func, prevents, mark, fix, capability, example)
        return func

    return register


def before_render(
    id: str,
) -> Callable[[Callable[[dict[str, Any]], Iterable[Finding]]], Callable[[dict[str, Any]], Iterable[Finding]]]:
    """Attach a check of the normalized preset to the rule ``id`` (registered before it).

    For what the rendered objects cannot show (``replicas: 0`` of a bare Pod renders no Pod
    at all) or must not be rendered (10^11 Pods). Findings carry preset paths; an error stops
    the render, and ``checks.ignore`` does not apply (these checks guard the render).
    """

    def attach(func: Callable[[dict[str, Any]], Iterable[Finding]]) -> Callable[[dict[str, Any]], Iterable[Finding]]:
        if id not in REGISTRY:
            raise ValueError(f"before_render({id!r}): no such rule (register the rule first)")
        if REGISTRY[id].preset_check is not None:
            raise ValueError(f"rule {id!r} already has a preset check")
        REGISTRY[id] = REGISTRY[id]._replace(preset_check=func)
        return func

    return attach


class CheckConfig(NamedTuple):
    """Knobs of the checks: node size for node-fit, rules to skip, hostPaths allowed."""

    node_cpu: str = "64"
    node_memory: str = "256Gi"
    ignore: frozenset[str] = frozenset()
    allow_host_paths: frozenset[str] = frozenset()
    #: Pod Security Standards level to enforce in lint: None, "baseline" or "restricted".
    pss: str | None = None
    #: ``(kind, name)`` of the objects in the same stream (lint): a ServiceAccount, ConfigMap,
    #: Secret or PVC defined beside the pod need not exist beforehand.
    present: frozenset[tuple[str, str]] = frozenset()
    #: The namespace of objects that name none (lint's --namespace; kubectl's default).
    namespace: str = "default"
    #: Objects of the stream the rules do not check (HPAs, claims, custom kinds): cross-object
    #: rules look them up through the index (an HPA's minReplicas, a claim's access modes).
    context: tuple[Any, ...] = ()
    #: True when the user edits manifests (lint): fixes are written in manifest syntax.
    manifest: bool = False
    #: Target Kubernetes version ("1.30") for version-dependent rules; None: the newest known.
    kube_version: str | None = None
    #: Check fields against the strict OpenAPI schema (the optional ``schema`` extra).
    schema: bool = False
    #: The stream's :class:`~scaffold.rules.index.StreamIndex`, built by :func:`run`.
    index: Any = None


class Workload:
    """A pod-bearing object (any kind with a pod template) and where its pod spec sits."""

    __slots__ = ("index", "obj", "kind", "info", "name", "spec", "labels", "prefix", "config", "services", "namespace")

    def __init__(
        self,
        index: int,
        obj: dict[str, Any],
        info: Kind,
        name: str,
        spec: dict[str, Any],
        labels: dict[str, Any],
        prefix: Path,
        config: CheckConfig,
        services: list[dict[str, Any]] | None = None,
        namespace: str = "default",
    ) -> None:
        self.index = index
        self.namespace = namespace
        self.obj = obj
        self.kind = info.name
        #: What the kinds registry knows about the object's kind.
        self.info = info
        self.name = name
        self.spec = spec
        self.labels = labels
        self.prefix = prefix
        self.config = config
        #: Services in the same stream whose selector matches this workload's pod labels.
        self.services: list[dict[str, Any]] = services if services is not None else []


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one (lint sees malformed objects)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def selector_matches(selector: Any, labels: Any) -> bool:
    """A Service-style equality selector matches when every pair is in ``labels``."""
    selector, labels = as_dict(selector), as_dict(labels)
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def routes(obj: Any) -> bool:
    """A Service-like object: it routes traffic to the pods its selector matches."""
    info = kind_of(obj)
    return info is not None and info.ports is not None


def route_selector(obj: dict[str, Any]) -> Any:
    """The selector of a routing object (a Service's ``spec.selector``)."""
    info = kind_of(obj)
    return dig(obj, info.selector) if info is not None and info.selector is not None else None


def workloads(objects: list[dict[str, Any]], config: CheckConfig) -> list[Workload]:
    """Every pod-bearing object of the stream, with the Services (of its namespace) that
    select its pods; the config's index learns them as pod sources."""
    from .index import PodSource, StreamIndex

    index = config.index if config.index is not None else StreamIndex(objects, config.namespace, config.context)
    out = []
    for position, obj in enumerate(objects):
        info = kind_of(obj)
        if info is None or info.pod_spec is None or info.pod_labels is None:
            continue
        labels = as_dict(dig(obj, info.pod_labels))
        name = str(as_dict(obj.get("metadata")).get("name", ""))
        ns = index.namespace_of(obj)
        w = Workload(position, obj, info, name, as_dict(dig(obj, info.pod_spec)), labels, info.pod_spec, config, [], ns)
        index.add(PodSource(info.name, name, ns, labels, obj, w))
        out.append(w)
    for obj in objects:
        if routes(obj):
            for source in index.select(index.namespace_of(obj), route_selector(obj)):
                if source.workload is not None:
                    source.workload.services.append(obj)
    return out


class Raw:
    """A finding placed on an object: index in the stream, path from the object's root."""

    __slots__ = ("index", "path", "rule", "severity", "message")

    def __init__(self, index: int, path: Path, rule: Rule, severity: Severity, message: str) -> None:
        self.index = index
        self.path = path
        self.rule = rule
        self.severity = severity
        self.message = message

    def __repr__(self) -> str:
        return f"Raw({self.index}, {self.path!r}, {self.rule.id!r}, {self.severity!r}, {self.message!r})"


#: Modules whose import registers rules; together they are the catalogue (docs/validation.md).
RULE_MODULES = (
    "core", "manifest", "names", "ports", "workload", "images", "resources", "probes", "volumes", "env", "security",
    "ranges", "controllers", "podfields", "companions",
)


def _load_rule_modules() -> None:
    import importlib

    for name in RULE_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def run(objects: list[dict[str, Any]], config: CheckConfig | None = None, only: frozenset[str] | None = None) -> list[Raw]:
    """Every rule (or the rules ``only`` names) over every object; rules that crash on a
    malformed object report it."""
    from .index import StreamIndex

    _load_rule_modules()
    config = config or CheckConfig()
    if config.index is None:
        config = config._replace(index=StreamIndex(objects, config.namespace, config.context))
    found: list[Raw] = []
    pods = workloads(objects, config)
    # The objects grouped by kind, once: a rule asks its capability once per kind, not once
    # per object (69 rules x thousands of objects was a tenth of lint's time).
    by_kind: dict[Kind | None, list[int]] = {}
    for index, obj in enumerate(objects):
        if isinstance(obj, dict):
            by_kind.setdefault(kind_of(obj), []).append(index)
    for r in REGISTRY.values():
        if r.id in config.ignore or (only is not None and r.id not in only):
            continue
        if r.scope == "pod":
            found.extend(_guard_each(r, [(w.index, w.prefix, (w,)) for w in pods]))
        elif r.scope == "object":
            judged = sorted(i for info, indexes in by_kind.items() if r.kinds.test(info) for i in indexes)
            found.extend(_guard_each(r, [(index, (), (objects[index], config)) for index in judged]))
        else:
            found.extend(_guard_stream(r, objects, pods, config))
    return found


def _guard_each(r: Rule, calls: list[tuple[int, Path, tuple[Any, ...]]]) -> list[Raw]:
    """The rule over every ``(index, prefix, args)``, in one loop; when it crashes on one of
    them (a malformed object), each call again on its own so that only that one reports it.
    Rules are pure, so a second run finds the same. One guard per call cost a sixth of the
    engine's time on large inputs."""
    func, severity = r.func, r.severity
    try:
        return [Raw(index, prefix + f.path, r, f.severity or severity, f.message) for index, prefix, args in calls for f in func(*args)]
    except (TypeError, AttributeError, KeyError, ValueError, IndexError):
        return [raw for index, prefix, args in calls for raw in _guard(r, index, prefix, func, *args)]


def _guard(r: Rule, index: int, prefix: Path, func: Callable[..., Iterable[Finding]], *args: Any) -> list[Raw]:
    try:
        return [Raw(index, prefix + f.path, r, f.severity or r.severity, f.message) for f in func(*args)]
    except (TypeError, AttributeError, KeyError, ValueError, IndexError) as err:
        return [Raw(index, prefix, r, "warning", f"could not check this object ({type(err).__name__}: {err}); is it well-formed?")]


def _guard_stream(r: Rule, objects: list[dict[str, Any]], pods: list[Workload], config: CheckConfig) -> list[Raw]:
    try:
        return [
            Raw(index, f.path, r, f.severity or r.severity, f.message)
            for index, f in r.func(objects, pods, config)
        ]
    except (TypeError, AttributeError, KeyError, ValueError, IndexError) as err:
        return [Raw(0, (), r, "warning", f"could not check the stream ({type(err).__name__}: {err})")]


def object_label(obj: Any) -> str:
    obj = as_dict(obj)
    return f"{obj.get('kind', '?')}/{as_dict(obj.get('metadata')).get('name', '?')}"


def manifest_issues(objects: list[dict[str, Any]], raws: list[Raw]) -> list[Issue]:
    """Issues for lint: paths from each object's root, the object named."""
    return [
        Issue(format_path(r.path), r.message, r.severity, r.rule.id, prevents=r.rule.prevents, obj=object_label(objects[r.index]))
        for r in raws
    ]


def preset_path(obj: dict[str, Any], path: Path) -> Path:
    """Where a field of a rendered object comes from in the preset (the kinds registry knows)."""
    info = kind_of(obj)
    return info.preset_path(path) if info is not None else ()


def preset_issues(objects: list[dict[str, Any]], raws: list[Raw]) -> list[Issue]:
    """Issues for a preset: preset paths, and one issue where several Pods repeat it."""
    out: list[Issue] = []
    seen: set[tuple[str, str, str]] = set()
    for r in raws:
        path = format_path(preset_path(objects[r.index], r.path))
        key = (path, r.rule.id, r.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(Issue(path, r.message, r.severity, r.rule.id, prevents=r.rule.prevents))
    return out


#: Issue ids a preset may skip that are not rules: the notice of a filled-in default size.
IGNORABLE_NOTICES = ("default-size",)


def unknown_rule_ids(ids: Any) -> list[tuple[int, str]]:
    """``(index, message)`` for each id of ``ids`` that names no rule, with did-you-mean.

    A typo in ``checks.ignore`` must not silently skip nothing (issue 9 item 2).
    """
    _load_rule_modules()
    known = [*REGISTRY, *IGNORABLE_NOTICES]
    out = []
    for index, rid in enumerate(ids if isinstance(ids, (list, tuple)) else ()):
        if rid in known:
            continue
        import difflib  # only for a typo: off every render's import time

        close = difflib.get_close_matches(str(rid), known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        out.append((index, f"{rid!r} is not a rule id{hint} (docs/validation.md lists them)"))
    return out


def check_preset(preset: dict[str, Any], checks: dict[str, Any] | None = None) -> list[Issue]:
    """The rules' checks of a normalized preset, before render (paths are preset paths), and
    of its ``checks:`` settings (``checks``, which the pipeline takes out of the preset)."""
    _load_rule_modules()
    out: list[Issue] = [
        Issue(format_path(("checks", "ignore", index)), message, "error", "schema")
        for index, message in unknown_rule_ids((checks or {}).get("ignore"))
    ]
    for r in REGISTRY.values():
        if r.preset_check is not None:
            out.extend(
                Issue(format_path(f.path), f.message, f.severity or r.severity, r.id, prevents=r.prevents)
                for f in r.preset_check(preset)
            )
    return out
