"""The rule engine: one set of checks for rendered presets and for any manifest (lint).

Rules are written against Kubernetes objects, never against preset syntax, so that
``scaffold render``/``validate`` and ``scaffold lint`` judge the same fields the same way.
A rule is a small generator registered with :func:`rule`; it yields :class:`Finding` objects
whose paths are relative to what the rule looks at:

- scope ``pod``: one pod spec (a Pod's ``spec``, a Deployment's ``spec.template.spec``);
  the rule receives a :class:`Workload`.
- scope ``object``: one whole object (any kind listed in ``kinds``); paths from its root.
- scope ``stream``: all objects at once, for cross-object checks; it yields
  ``(object_index, Finding)`` with paths from that object's root.

The engine turns findings into :class:`~scaffold.errors.Issue` objects with paths from the
object root (lint) or, through :func:`preset_path`, from the preset (render/validate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from ..errors import Issue
from ..paths import Path, format_path

SEVERITIES = ("error", "warning", "notice")


# Records here are NamedTuples and plain classes, not dataclasses: every render imports this
# module, and a dataclass costs about a millisecond to create at import.


class Finding(NamedTuple):
    """What a rule reports: where (relative to its scope), what, and how bad if not the default."""

    path: Path
    message: str
    severity: str | None = None


class Rule(NamedTuple):
    id: str
    severity: str
    scope: str
    summary: str
    func: Callable[..., Iterable[Any]]
    prevents: str | None = None
    mark: str = "API"
    fix: str = ""
    kinds: tuple[str, ...] = ()
    #: A small preset (YAML) that trips the rule, for docs/validation.md and the tests.
    example: str = ""


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    *,
    severity: str,
    scope: str,
    summary: str,
    prevents: str | None = None,
    mark: str = "API",
    fix: str = "",
    kinds: tuple[str, ...] = (),
    example: str = "",
) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Register a rule function under a stable id."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if scope not in ("pod", "object", "stream"):
        raise ValueError(f"unknown scope {scope!r}")

    def register(func: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        if id in REGISTRY:
            raise ValueError(f"rule id {id!r} registered twice")
        REGISTRY[id] = Rule(id, severity, scope, summary, func, prevents, mark, fix, kinds, example)
        return func

    return register


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


class Workload:
    """A pod-bearing object (Pod or Deployment) and where its pod spec sits."""

    __slots__ = ("index", "obj", "kind", "name", "spec", "labels", "prefix", "config", "services")

    def __init__(
        self,
        index: int,
        obj: dict[str, Any],
        kind: str,
        name: str,
        spec: dict[str, Any],
        labels: dict[str, Any],
        prefix: Path,
        config: CheckConfig,
        services: list[dict[str, Any]] | None = None,
    ) -> None:
        self.index = index
        self.obj = obj
        self.kind = kind
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


POD_KINDS = {"Pod": ("spec",), "Deployment": ("spec", "template", "spec")}


def selector_matches(selector: Any, labels: Any) -> bool:
    """A Service-style equality selector matches when every pair is in ``labels``."""
    selector, labels = as_dict(selector), as_dict(labels)
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def workloads(objects: list[dict[str, Any]], config: CheckConfig) -> list[Workload]:
    out = []
    services = [o for o in objects if isinstance(o, dict) and o.get("kind") == "Service"]
    for index, obj in enumerate(objects):
        if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str) or obj["kind"] not in POD_KINDS:
            continue
        kind = obj["kind"]
        prefix = POD_KINDS[kind]
        spec: Any = obj
        for part in prefix:
            spec = as_dict(spec).get(part)
        if kind == "Pod":
            labels = as_dict(as_dict(obj.get("metadata")).get("labels"))
        else:
            labels = as_dict(as_dict(as_dict(as_dict(obj.get("spec")).get("template")).get("metadata")).get("labels"))
        name = str(as_dict(obj.get("metadata")).get("name", ""))
        selected = [s for s in services if selector_matches(as_dict(s.get("spec")).get("selector"), labels)]
        out.append(Workload(index, obj, kind, name, as_dict(spec), labels, prefix, config, selected))
    return out


class Raw:
    """A finding placed on an object: index in the stream, path from the object's root."""

    __slots__ = ("index", "path", "rule", "severity", "message")

    def __init__(self, index: int, path: Path, rule: Rule, severity: str, message: str) -> None:
        self.index = index
        self.path = path
        self.rule = rule
        self.severity = severity
        self.message = message

    def __repr__(self) -> str:
        return f"Raw({self.index}, {self.path!r}, {self.rule.id!r}, {self.severity!r}, {self.message!r})"


#: Modules whose import registers rules; together they are the catalogue (docs/validation.md).
RULE_MODULES = ("core", "names", "ports", "workload", "images", "resources", "probes", "volumes", "env", "security", "ranges")


def _load_rule_modules() -> None:
    import importlib

    for name in RULE_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def run(objects: list[dict[str, Any]], config: CheckConfig | None = None) -> list[Raw]:
    """Every rule over every object; rules that crash on a malformed object report it."""
    _load_rule_modules()
    config = config or CheckConfig()
    found: list[Raw] = []
    pods = workloads(objects, config)
    for r in REGISTRY.values():
        if r.id in config.ignore:
            continue
        if r.scope == "pod":
            for w in pods:
                found.extend(_guard(r, w.index, w.prefix, r.func, w))
        elif r.scope == "object":
            for index, obj in enumerate(objects):
                if isinstance(obj, dict) and (not r.kinds or obj.get("kind") in r.kinds):
                    found.extend(_guard(r, index, (), r.func, obj, config))
        else:
            found.extend(_guard_stream(r, objects, pods, config))
    return found


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
        Issue(format_path(r.path), r.message, r.severity, r.rule.id, prevents=r.rule.prevents, obj=object_label(objects[r.index]))  # type: ignore[arg-type]
        for r in raws
    ]


def preset_path(obj: dict[str, Any], path: Path) -> Path:
    """Where a field of a rendered object comes from in the preset."""
    kind = obj.get("kind")
    if kind == "Service":
        if path[:2] == ("spec", "ports"):
            return ("service", *path[1:])
        if path[:2] == ("spec", "type"):
            return ("service", "type")
        if path[:2] == ("metadata", "name"):
            return ("service", "name")
        if path[:2] == ("metadata", "annotations"):
            return ("service", *path[1:])
        if path[:2] == ("metadata", "labels"):
            return ("labels", *path[2:])
        return ("service",)
    prefix = POD_KINDS.get(str(kind), ("spec",))
    if path[: len(prefix)] == prefix:
        return path[len(prefix):]
    if path[:2] == ("spec", "replicas"):
        return ("replicas",)
    if path[:2] == ("metadata", "name"):
        return ("name",)
    if path[:2] == ("metadata", "namespace"):
        return ("namespace",)
    if path[:2] in (("metadata", "labels"), ("metadata", "annotations")):
        return path[1:]
    if path[:4] == ("spec", "template", "metadata", "labels"):
        return path[3:]
    return ()


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
        out.append(Issue(path, r.message, r.severity, r.rule.id, prevents=r.rule.prevents))  # type: ignore[arg-type]
    return out
