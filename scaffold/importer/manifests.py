"""Kubernetes manifests -> presets, one per app, with patches for what the format cannot say.

For each workload (a Deployment, StatefulSet, DaemonSet, Job or CronJob, or Pods ``name1`` ..
``nameN`` that differ only in their number) the importer:

1. takes the objects that travel with it, in its namespace: a StatefulSet's governing Service
   by name, the Service that selects its pods as ``service``, and the companions of
   :mod:`.companions` (ServiceAccount, ConfigMaps, claims, Ingress, HPA, PDB, NetworkPolicy);
2. fits the canonical workload (no server fields, no API defaults; see :mod:`.canonical`) to
   the preset schema: every field the schema knows by name is kept, in the schema's order;
3. uses the short forms where they say the same (env mapping, port strings, ``size``,
   ``service: true``, Service port strings, ``spread``, strategy names, secret names, claim
   templates, ``security: restricted``, the companions' own) and leaves out what the preset
   fills in the same anyway;
4. renders that preset and keeps what still differs from the input as patches, object by
   object (:mod:`.diff`);
5. renders the result again and compares it with the input, object by object. An app that
   does not come back the same (a bug) is passed through unchanged, with a word in the report;
   a companion the preset cannot take is passed through alone.

Objects of other kinds, companions that belong to no app (or to several), and objects owned
by a controller are passed through or skipped, each with a line in the report; nothing is
dropped silently.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from ..errors import Issue, Located, PresetError
from ..paths import Path, format_path
from ..preset.schema import API_VERSION, SCHEMA, TYPE_CHECKS
from .canonical import canonical, same, same_value, server_fields, without_server_fields
from .diff import as_patches, diff
from ..k8s.kinds import KINDS
from .companions import DEFAULTED, NotFitting, belongs, claim, field
from .kinds import COMPANIONS, NOT_PRESET_FIELDS, WORKLOADS, WorkloadKind, get, renderable_kinds
from .result import ImportedPreset, ImportResult, PassedThrough, render_unchecked

#: Preset fields the importer sets itself, never from an object's spec.
RESERVED = frozenset(
    {"apiVersion", "name", "kind", "namespace", "labels", "annotations", "checks", "patches", "security"}
    | {c.field for c in COMPANIONS.values()}
)
#: The most bare Pods one preset renders (scaffold.preset.normalize.MAX_BARE_PODS).
MAX_NUMBERED = 100
#: Lists whose items are kept whole or not at all: a volume whose source the format does not
#: know goes into a patch as a whole volume, not as a volume without a source.
_WHOLE_ITEMS = {("volumes",)}


class Source(NamedTuple):
    """One input object and where it is."""

    obj: dict[str, Any]
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def label(self) -> str:
        meta = self.obj.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        return f"{self.obj.get('kind', '?')}/{name if isinstance(name, str) else '?'}"

    def note(self, message: str, *, severity: str = "notice", rule: str = "import") -> Issue:
        return Issue("", message, severity, rule, self.line, self.column, self.file, obj=self.label)  # type: ignore[arg-type]


# ---------------------------------------------------------------- reading


def _expand(obj: Any, located: Located, prefix: Path, out: list[Source], issues: list[Issue], depth: int = 0) -> None:
    line, column = located.mark(prefix)
    if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str) or not obj["kind"]:
        what = "a list" if isinstance(obj, list) else ("an object without a kind" if isinstance(obj, dict) else repr(obj)[:40])
        issues.append(Issue("", f"expected a Kubernetes object (a mapping with apiVersion and kind), found {what}", rule="manifest", line=line, column=column, file=located.source))
        return
    items = obj.get("items")
    if obj["kind"].endswith("List") and isinstance(items, list) and depth < 3:
        for i, item in enumerate(items):
            _expand(item, located, (*prefix, "items", i), out, issues, depth + 1)
        return
    out.append(Source(obj, located.source, line, column))


def read_text(text: str | bytes, source: str = "<string>") -> list[Source]:
    """The objects of one YAML or JSON stream (``kind: List`` items included).

    Raises :class:`PresetError` when the text cannot be read or a document is no object.
    """
    from ..loader import load_yaml_all

    out: list[Source] = []
    issues: list[Issue] = []
    for doc in load_yaml_all(text, source=source):
        _expand(doc.data, doc, (), out, issues)
    if issues:
        raise PresetError(issues)
    return out


def _files(path: str) -> list[str]:
    found: list[str] = []
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, n) for n in sorted(names) if n.endswith((".yaml", ".yml", ".json")))
    return found


def read_sources(paths: Iterable[str]) -> list[Source]:
    """Every object of the files, directories (``*.yaml``, ``*.yml``, ``*.json`` below them)
    and ``-`` (stdin). Every unreadable input is reported at once, as one :class:`PresetError`."""
    from ..loader import read_source

    out: list[Source] = []
    issues: list[Issue] = []
    for path in paths:
        files = _files(path) if path != "-" and os.path.isdir(path) else [path]
        if not files:
            issues.append(Issue("", f"{path!r} has no .yaml, .yml or .json files", rule="input", file=path))
        for name in files:
            try:
                raw, shown = read_source(name)
                out.extend(read_text(raw, shown))
            except PresetError as err:
                issues.extend(err.issues)
    if issues:
        raise PresetError(issues)
    return out


# ---------------------------------------------------------------- fitting to the schema


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def fit(value: Any, rules: dict[str, Any], at: tuple[str, ...] = ()) -> Any:
    """The part of ``value`` the schema ``rules`` describe, or MISSING.

    Keys the schema does not know are left out (the diff keeps them as patches), as are
    values of the wrong type. A list item that does not fit is left out when it is a mapping
    (the diff inserts it by name); a list of scalars with one that does not fit is left out.
    """
    if value is None:
        return None if rules.get("nullable") else MISSING
    wanted = rules.get("type")
    if wanted is not None:
        names = wanted if isinstance(wanted, list) else [wanted]
        if not any(TYPE_CHECKS[n](value) for n in names):
            return MISSING
    if "allowed" in rules and value not in rules["allowed"]:
        return MISSING
    if rules.get("empty") is False and not value:
        return MISSING
    if isinstance(value, dict):
        if isinstance(rules.get("schema"), dict):
            schema = rules["schema"]
            if at in _WHOLE_ITEMS and any(k not in schema for k in value):
                return MISSING
            out = {}
            for key, sub in schema.items():
                if key in value:
                    fitted = fit(value[key], sub, (*at, key))
                    if fitted is not MISSING:
                        out[key] = fitted
            if any(sub.get("required") and key not in out for key, sub in schema.items()):
                return MISSING
            return out
        keys, vals = rules.get("keysrules"), rules.get("valuesrules")
        if keys is not None or vals is not None:
            return {k: v for k, v in value.items() if isinstance(k, str) and (vals is None or fit(v, vals) is not MISSING)}
        if rules.get("allow_unknown"):
            return value
        return value if not value else MISSING
    if isinstance(value, list) and isinstance(rules.get("schema"), dict):
        item_rules = rules["schema"]
        items = [fit(item, item_rules, at) for item in value]
        if item_rules.get("type") == "dict":
            items = [i for i in items if i is not MISSING]
        elif any(i is MISSING for i in items):
            return MISSING
        if ("minlength" in rules and len(items) < rules["minlength"]) or (value and not items):
            return MISSING  # nothing of it fits: the diff adds the whole list
        return items
    return value


# ---------------------------------------------------------------- short forms


def _size_of(resources: Any) -> str | None:
    from ..preset.normalize import size_table

    if not isinstance(resources, dict) or set(resources) != {"requests", "limits"}:
        return None
    for size, row in size_table().items():
        if resources["requests"] == row["requests"] and resources["limits"] == row["limits"]:
            return size
    return None


_PORT_NAME = re.compile(r"[^:/\s]+\Z")


def _short_port(port: dict[str, Any]) -> Any:
    """``{containerPort: 80}`` -> ``80``; ``{name: http, containerPort: 80}`` -> ``"http:80"``."""
    if set(port) - {"name", "containerPort", "protocol"}:
        return port
    name = port.get("name")
    if name is not None and not _PORT_NAME.match(name):
        return port
    protocol = port.get("protocol")
    if protocol is not None and not re.fullmatch(r"[A-Za-z]+", protocol):
        return port
    if protocol is None and name is None:
        return port["containerPort"]
    text = str(port["containerPort"])
    if name is not None:
        text = f"{name}:{text}"
    if protocol is not None:
        text += f"/{protocol.upper()}"
    return text if protocol is None or protocol == protocol.upper() else port


def _short_env(env: list[dict[str, Any]]) -> Any:
    """The mapping form when every variable has a value or a valueFrom, and names are unique."""
    out: dict[str, Any] = {}
    for var in env:
        name = var.get("name")
        if not isinstance(name, str) or name in out or set(var) not in ({"name", "value"}, {"name", "valueFrom"}):
            return env
        out[name] = var["value"] if "value" in var else {"valueFrom": var["valueFrom"]}
    return out


def _short_container(container: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in container.items():
        if key == "ports":
            value = [_short_port(p) for p in value]
        elif key == "env":
            value = _short_env(value)
        elif key == "resources":
            size = _size_of(value)
            if size is not None:
                out["size"] = size
                continue
        out[key] = value
    if "resources" not in out and "size" not in out:
        out["resources"] = {}  # none, as in the input (else the format's default size applies)
    order = list(SCHEMA["containers"]["schema"]["schema"])
    return {k: out[k] for k in sorted(out, key=lambda k: order.index(k) if k in order else len(order))}


def _short_service_port(port: dict[str, Any]) -> Any:
    return port["port"] if set(port) == {"port"} else port


def _shorter_service_port(port: Any) -> Any:
    """The string short form (preset-format: ``80``, ``"80:8000"``, ``"http:80"``,
    ``"http:80:8000"``) that may say the same as a TCP ``{name, port, targetPort}``; the
    caller keeps it only when rendering gives the same Service ports."""
    if not isinstance(port, dict) or port.get("protocol", "TCP") != "TCP" or set(port) - {"name", "port", "targetPort", "protocol"}:
        return port
    number, target, name = port.get("port"), port.get("targetPort", port.get("port")), port.get("name")
    if not isinstance(number, int) or isinstance(number, bool) or not isinstance(target, (int, str)) or isinstance(target, bool):
        return port
    if name is None:
        return number if target == number else f"{number}:{target}"
    if not isinstance(name, str) or not name or name[0].isdigit():
        return port  # a leading number would be read as the port
    return f"{name}:{number}" if target in (name, number) else f"{name}:{number}:{target}"


# ---------------------------------------------------------------- apps


class _App:
    """A workload (one object, or numbered Pods) and the objects that travel with it."""

    def __init__(self, entry: WorkloadKind, workloads: list[Source], name: str) -> None:
        self.entry = entry
        self.workloads = workloads
        self.name = name
        self.service: Source | None = None
        #: The governing Service of a StatefulSet (the preset renders it right before it).
        self.headless: Source | None = None
        #: Companion kind -> its objects, in input order (the Service is ``service``).
        self.companions: dict[str, list[Source]] = {}
        #: Companions that turned out not to fit their preset field, and why.
        self.refused: list[tuple[Source, str]] = []

    def _around(self, before: bool) -> list[Source]:
        return [
            s for kind, c in COMPANIONS.items() if c.before == before and kind != "Service" for s in self.companions.get(kind, [])
        ]

    def expected(self) -> list[Source | None]:
        """The input objects in the order the preset renders them; None where the preset
        renders an object the input does not have (a StatefulSet's governing Service)."""
        headless: list[Source | None] = [self.headless] if self.entry.service_name is not None else []
        return [*self._around(True), *headless, *self.workloads, *([self.service] if self.service else []), *self._around(False)]

    @property
    def sources(self) -> list[Source]:
        return [s for s in self.expected() if s is not None]

    def canonical_workload(self) -> Any:
        return canonical(self.workloads[0].obj)

    def pod_labels(self) -> Any:
        return get(self.workloads[0].obj, self.entry.pod_labels)

    def namespace(self) -> Any:
        return get(self.workloads[0].obj, ("metadata", "namespace"))

    def service_name(self) -> str | None:
        return _name(self.service) if self.service is not None else None

    def governing_service(self) -> Any:
        return get(self.workloads[0].obj, self.entry.service_name) if self.entry.service_name is not None else None


def _name(source: Source) -> str | None:
    name = get(source.obj, ("metadata", "name"))
    return name if isinstance(name, str) and name else None


_NUMBERED = re.compile(r"(.*[a-z0-9])([1-9][0-9]*)\Z")


def _numbered_groups(pods: list[Source]) -> list[tuple[str, list[Source]]]:
    """Pods ``base1`` .. ``baseN`` (N >= 2) that differ only in their number, as one group."""
    by_base: dict[tuple[Any, str], list[tuple[int, Source]]] = {}
    for source in pods:
        m = _NUMBERED.match(_name(source) or "")
        if m:
            key = (get(source.obj, ("metadata", "namespace")), m.group(1))
            by_base.setdefault(key, []).append((int(m.group(2)), source))
    groups: list[tuple[str, list[Source]]] = []
    for (_, base), members in by_base.items():
        members.sort(key=lambda m: m[0])
        if not 2 <= len(members) <= MAX_NUMBERED or [n for n, _ in members] != list(range(1, len(members) + 1)):
            continue
        shapes = []
        for n, source in members:
            shape = canonical(source.obj)
            shape["metadata"]["name"] = base
            shapes.append(shape)
        if all(same(shapes[0], s) for s in shapes[1:]):
            groups.append((base, [s for _, s in members]))
    return groups


def _selects(service: dict[str, Any], labels: Any) -> bool:
    selector = get(service, ("spec", "selector"))
    return (
        isinstance(selector, dict)
        and bool(selector)
        and isinstance(labels, dict)
        and all(labels.get(k) == v for k, v in selector.items())
    )


# ---------------------------------------------------------------- building one preset


def _strmap(value: Any) -> dict[str, str]:
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(value, dict) else {}


def _candidate(app: _App) -> dict[str, Any]:
    """The preset without service and patches: everything the schema can say."""
    obj = canonical(app.workloads[0].obj)
    entry = app.entry
    preset: dict[str, Any] = {"apiVersion": API_VERSION, "name": app.name}
    if entry.kind != SCHEMA["kind"].get("default"):
        preset["kind"] = entry.kind
    namespace = get(obj, ("metadata", "namespace"))
    if isinstance(namespace, str):
        preset["namespace"] = namespace
    labels = {k: v for k, v in _strmap(get(obj, ("metadata", "labels"))).items() if k != "app"}
    if labels:
        preset["labels"] = labels
    annotations = _strmap(get(obj, ("metadata", "annotations")))
    if annotations:
        preset["annotations"] = annotations
    fields: dict[str, Any] = {}
    for where in entry.fields:
        spec = get(obj, where)
        if isinstance(spec, dict):
            fields.update({k: v for k, v in spec.items() if k not in NOT_PRESET_FIELDS and k not in RESERVED})
    templates = _claim_templates(get(obj, ("spec", "volumeClaimTemplates")))
    if templates:
        fields["volumeClaimTemplates"] = templates
    pod = get(obj, entry.pod_spec)
    if isinstance(pod, dict):
        fields.update({k: v for k, v in pod.items() if k not in RESERVED})
    if entry.numbered and len(app.workloads) > 1:
        fields["replicas"] = len(app.workloads)
    schema = {k: v for k, v in SCHEMA.items() if k not in RESERVED}
    fitted = fit(fields, {"type": "dict", "schema": schema})
    if fitted is MISSING:
        raise _CannotImport("it has no containers the preset format can describe")
    preset.update(fitted)
    for group in ("initContainers", "containers"):
        if group in preset:
            preset[group] = [_short_container(c) for c in preset[group]]
    if "imagePullSecrets" in preset and all(set(s) == {"name"} for s in preset["imagePullSecrets"]):
        preset["imagePullSecrets"] = [s["name"] for s in preset["imagePullSecrets"]]
    # The kind's own defaults (schema._kind_defaults): a Job restarts OnFailure, a
    # StatefulSet's governing Service is <name>-headless.
    policies = KINDS[entry.kind].restart_policies
    if "Always" not in policies and preset.get("restartPolicy") == policies[0]:
        del preset["restartPolicy"]
    if preset.get("serviceName") == f"{app.name}-headless":
        del preset["serviceName"]
    return preset


def _claim_templates(templates: Any) -> list[dict[str, Any]] | None:
    """A StatefulSet's volumeClaimTemplates in the preset's form, or None when one of them
    does not fit it (the diff then keeps the whole list)."""
    if not isinstance(templates, list):
        return None
    try:
        return [claim(get(t, ("metadata", "name")), t.get("spec") or {}) for t in templates if isinstance(t, dict)]
    except NotFitting:
        return None


def _service_field(service: dict[str, Any], name: str) -> dict[str, Any]:
    svc = canonical(service)
    out: dict[str, Any] = {}
    svc_name = get(svc, ("metadata", "name"))
    if svc_name != name:
        out["name"] = svc_name
    spec = svc.get("spec") if isinstance(svc.get("spec"), dict) else {}
    if isinstance(spec.get("type"), str):
        out["type"] = spec["type"]
    annotations = _strmap(get(svc, ("metadata", "annotations")))
    if annotations:
        out["annotations"] = annotations
    port_rules = SCHEMA["service"]["schema"]["ports"]
    ports = fit(spec.get("ports"), port_rules) if "ports" in spec else MISSING
    if ports is not MISSING and ports:
        out["ports"] = [_short_service_port(p) for p in ports]
    return out


class _CannotImport(Exception):
    """This app cannot be a preset; the message says why."""


_ORDER = list(SCHEMA)


def _ordered(preset: dict[str, Any]) -> dict[str, Any]:
    return {k: preset[k] for k in sorted(preset, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))}


def _render(preset: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        return render_unchecked(preset)
    except PresetError as err:
        raise _CannotImport("; ".join(f"{i.path}: {i.message}" for i in err.issues[:3])) from err


def _without(preset: dict[str, Any], problems: list[Issue]) -> bool:
    """Take out the fields the schema still refused (a safety net); False if none could be."""
    from ..paths import parse_path

    changed = False
    for issue in problems:
        try:
            path = parse_path(issue.path) if issue.path else ()
        except ValueError:
            continue
        if not path or path[0] in ("name", "containers") and len(path) == 1:
            continue
        parent: Any = preset
        for part in path[:-1]:
            if isinstance(parent, dict):
                parent = parent.get(part)
            elif isinstance(parent, list) and isinstance(part, int) and 0 <= part < len(parent):
                parent = parent[part]
            else:
                parent = None
        last = path[-1]
        if isinstance(parent, dict) and last in parent:
            del parent[last]
            changed = True
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last]
            changed = True
    return changed


def _companion_fields(app: _App, preset: dict[str, Any]) -> None:
    """The companions as preset fields; one that does not fit its field goes to ``app.refused``."""
    for kind, companion in COMPANIONS.items():
        if kind == "Service":
            continue
        kept = []
        for source in app.companions.get(kind, []):
            try:
                value = field(canonical(source.obj), preset)
            except NotFitting as err:
                app.refused.append((source, f"it belongs to {app.name}, but the preset's {companion.field} cannot hold it: {err}"))
                continue
            kept.append(source)
            if companion.many:
                preset.setdefault(companion.field, []).append(value)
            else:
                preset[companion.field] = value
        app.companions[kind] = kept


def _same_objects(a: list[dict[str, Any]] | None, b: list[dict[str, Any]] | None) -> bool:
    return a is not None and b is not None and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))


def _with_profile(preset: dict[str, Any], rendered: list[dict[str, Any]]) -> dict[str, Any]:
    """``security: restricted`` instead of the securityContext fields it fills, when the
    render stays the same (the profile's values in every container, and explicit values for
    the rest)."""
    from ..preset.normalize import RESTRICTED_CONTAINER, RESTRICTED_POD

    pod = preset.get("securityContext")
    if not isinstance(pod, dict) or pod.get("runAsNonRoot") is not True:
        return preset
    candidate = copy.deepcopy(preset)
    candidate["security"] = "restricted"
    _drop_same(candidate, "securityContext", RESTRICTED_POD)
    for group in ("initContainers", "containers"):
        for container in candidate.get(group) or []:
            context = container.get("securityContext")
            if isinstance(context, dict) and isinstance(context.get("capabilities"), dict):
                caps = context["capabilities"]
                if caps.get("drop") == get(RESTRICTED_CONTAINER, ("capabilities", "drop")):
                    del caps["drop"]
            _drop_same(container, "securityContext", RESTRICTED_CONTAINER)
    account = candidate.get("serviceAccount")
    if candidate.get("automountServiceAccountToken") is False and not (isinstance(account, dict) and account.get("automountToken") is True):
        del candidate["automountServiceAccountToken"]
    candidate = _ordered(candidate)
    return candidate if _same_objects(_try_render(candidate), rendered) else preset


def _with_spread(preset: dict[str, Any], rendered: list[dict[str, Any]]) -> dict[str, Any]:
    """``spread: zone`` (or ``node``, or ``{topologyKey, maxSkew, whenUnsatisfiable}``) instead
    of one topology spread constraint on the app label, when the render stays the same."""
    constraints = preset.get("topologySpreadConstraints")
    if not isinstance(constraints, list) or len(constraints) != 1 or not isinstance(constraints[0], dict):
        return preset
    one = constraints[0]
    if set(one) - {"maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector"}:
        return preset  # minDomains, matchLabelKeys ...: only the Kubernetes form says them
    short: dict[str, Any] = {k: one[k] for k in ("topologyKey", "maxSkew", "whenUnsatisfiable") if k in one}
    # the format's defaults (maxSkew 1, ScheduleAnyway) left out when they say the same
    shortest = {k: v for k, v in short.items() if (k, v) not in (("maxSkew", 1), ("whenUnsatisfiable", "ScheduleAnyway"))}
    for value in ("zone", "node", shortest, short):
        candidate = copy.deepcopy(preset)
        del candidate["topologySpreadConstraints"]
        candidate["spread"] = value
        candidate = _ordered(candidate)
        if _same_objects(_try_render(candidate), rendered):
            return candidate
    return preset


def _with_strategy_names(preset: dict[str, Any], rendered: list[dict[str, Any]]) -> dict[str, Any]:
    """``strategy: Recreate`` (``updateStrategy: OnDelete``) instead of ``{type: Recreate}``,
    when the render stays the same."""
    for field in ("strategy", "updateStrategy"):
        value = preset.get(field)
        if isinstance(value, dict) and set(value) == {"type"} and isinstance(value["type"], str):
            candidate = copy.deepcopy(preset)
            candidate[field] = value["type"]
            if _same_objects(_try_render(candidate), rendered):
                preset = candidate
    return preset


def _drop_same(parent: dict[str, Any], key: str, values: dict[str, Any]) -> None:
    """Take out of ``parent[key]`` what equals ``values`` (and ``parent[key]`` when it is empty then)."""
    mapping = parent.get(key)
    if not isinstance(mapping, dict):
        return
    for k, v in values.items():
        if k in mapping and same_value(mapping[k], v) or mapping.get(k) == {}:
            del mapping[k]
    if not mapping:
        del parent[key]


def _without_defaults(preset: dict[str, Any], rendered: list[dict[str, Any]]) -> dict[str, Any]:
    """Leave out each companion field in :data:`DEFAULTED` that the preset fills in the same
    anyway (an Ingress's port that is the Service's first, the autoscaler's minimum that is
    ``replicas``)."""
    for path in DEFAULTED:
        parent = get(preset, path[:-1])
        if not isinstance(parent, dict) or path[-1] not in parent:
            continue
        candidate = copy.deepcopy(preset)
        del get(candidate, path[:-1])[path[-1]]
        if _same_objects(_try_render(candidate), rendered):
            preset = candidate
    return preset


def build_preset(app: _App) -> dict[str, Any]:
    """The preset of ``app``, patches included, checked to render back the input."""
    preset = _candidate(app)
    if app.service is not None:
        service = _service_field(app.service.obj, app.name)
        preset["service"] = True if not service.keys() - {"ports"} else service
        if preset["service"] is True and "ports" in service:
            rendered = _try_render(preset)
            if rendered is None or not same(_ports_only(_rendered_service(rendered)), _ports_only(app.service.obj)):
                preset["service"] = service
        if isinstance(preset["service"], dict) and "ports" in service:
            # the port strings, when they render the same ports
            shorter = [_shorter_service_port(p) for p in service["ports"]]
            if shorter != service["ports"]:
                preset["service"] = {**service, "ports": shorter}
                rendered = _try_render(preset)
                if rendered is None or not same(_ports_only(_rendered_service(rendered)), _ports_only(app.service.obj)):
                    preset["service"] = service
    _companion_fields(app, preset)
    preset = _ordered(preset)
    rendered = None
    for _ in range(5):  # the schema should accept what fit() kept; if not, drop what it refuses
        try:
            rendered = render_unchecked(preset)
            break
        except PresetError as err:
            if not _without(preset, err.issues):
                raise _CannotImport("; ".join(f"{i.path}: {i.message}" for i in err.issues[:3])) from err
    if rendered is None:
        raise _CannotImport("the preset format refuses its fields")
    preset = _with_profile(preset, rendered)
    preset = _with_spread(preset, rendered)
    preset = _with_strategy_names(preset, rendered)
    preset = _without_defaults(preset, rendered)
    expected = app.expected()
    if len(rendered) != len(expected):
        raise _CannotImport(f"its preset renders {len(rendered)} objects, not {len(expected)}")
    for got, want in zip(rendered, expected):
        if want is not None and got.get("kind") != want.obj.get("kind"):
            raise _CannotImport(f"its preset renders a {got.get('kind')} where the input has {want.label}")
    patches: list[dict[str, Any]] = []
    first = expected.index(app.workloads[0])
    workload_ops = diff(canonical(rendered[first]), canonical(expected[first].obj))  # type: ignore[union-attr]
    for index in range(first + 1, first + len(app.workloads)):
        if diff(canonical(rendered[index]), canonical(expected[index].obj)) != workload_ops:  # type: ignore[union-attr]
            raise _CannotImport("its numbered Pods differ in more than their names")
    for index, (got, want) in enumerate(zip(rendered, expected)):
        if want is None or first < index < first + len(app.workloads):
            continue
        if index == first:
            patches += as_patches({"kind": app.entry.kind}, workload_ops)
        else:
            target = {"kind": got["kind"], "name": get(got, ("metadata", "name"))}
            patches += as_patches(target, diff(canonical(got), canonical(want.obj)))
    if patches:
        preset["patches"] = patches
        rendered = _render(preset)
    for got, want in zip(rendered, expected):
        if want is not None and not same(got, want.obj):
            raise _CannotImport(f"its preset does not render {want.label} back (a bug in scaffold import; please report it)")
    return preset


def _build_leaving_out(app: _App) -> dict[str, Any]:
    """:func:`build_preset`; when it fails, again without one companion (the Service too),
    then without all, so that one object the preset cannot take does not keep the app from
    being a preset. The objects left out are in ``app.refused``, with the reason."""
    companions, refused, service = {k: list(v) for k, v in app.companions.items()}, list(app.refused), app.service

    def attempt(without: list[Source]) -> dict[str, Any]:
        app.companions = {k: [s for s in v if s not in without] for k, v in companions.items()}
        app.refused = list(refused)
        app.service = None if service is not None and service in without else service
        return build_preset(app)

    try:
        return attempt([])
    except _CannotImport as err:
        first = err
    optional = [s for v in companions.values() for s in v] + ([service] if service is not None else [])
    for candidates in [[s] for s in reversed(optional)] + ([optional] if len(optional) > 1 else []):
        try:
            preset = attempt(candidates)
        except _CannotImport:
            continue
        app.refused += [(s, f"the preset of {app.name} could not take it ({first})") for s in candidates]
        return preset
    app.companions, app.refused, app.service = companions, refused, service
    raise first


def _rendered_service(rendered: list[dict[str, Any]]) -> dict[str, Any]:
    """The app's (client) Service among the rendered objects: the last (a StatefulSet's
    governing Service comes before the workload)."""
    services = [o for o in rendered if o.get("kind") == "Service"]
    return services[-1]


def _try_render(preset: dict[str, Any]) -> list[dict[str, Any]] | None:
    try:
        return render_unchecked(_ordered(preset))
    except PresetError:
        return None


def _ports_only(service: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Service", "spec": {"ports": get(service, ("spec", "ports"))}}


def _patched_fields(preset: dict[str, Any]) -> list[str]:
    """The fields the patches of an imported preset set, for the report."""
    from ..preset.patches import pointer_parts

    out: list[str] = []

    def walk(node: Any, at: tuple[str, ...], kind: str) -> None:
        if isinstance(node, dict) and node:
            for key, value in node.items():
                walk(value, (*at, key), kind)
        else:
            out.append(f"{kind} {format_path(at)}")

    for patch in preset.get("patches") or []:
        kind = patch["target"]["kind"]
        if "merge" in patch:
            walk(patch["merge"], (), kind)
        for op in patch.get("json") or []:
            out.append(f"{kind} {format_path(tuple(int(p) if p.isdigit() else p for p in pointer_parts(op['path'])))}")
    return out


# ---------------------------------------------------------------- the whole import


def _claim_companions(apps: list[_App], usable: list[Source], taken: set[int], passthrough: Any) -> None:
    """Give each companion object to the one app it belongs to (same namespace); pass through
    those that belong to none or to several, or that the app has one of already."""
    for source in usable:
        kind = source.obj.get("kind")
        if kind not in COMPANIONS or kind == "Service" or id(source.obj) in taken:
            continue
        namespace = get(source.obj, ("metadata", "namespace"))
        owners = [
            app
            for app in apps
            if app.namespace() == namespace and belongs(canonical(source.obj), app.canonical_workload(), app.entry, app.service_name())
        ]
        if not owners:
            continue  # reported with the other leftovers
        taken.add(id(source.obj))
        if len(owners) > 1:
            names = ", ".join(a.name for a in owners)
            passthrough(source, f"it goes with several apps ({names}), and a preset holds only its own")
            continue
        (app,) = owners
        present = app.companions.setdefault(kind, [])
        if present and not COMPANIONS[kind].many:
            passthrough(source, f"it also goes with {app.name}, whose preset has its {COMPANIONS[kind].field} already ({present[0].label})")
            continue
        present.append(source)


def _not_companion(source: Source, kinds: tuple[str, ...]) -> str:
    """Why a companion object is no app's."""
    kind = source.obj.get("kind")
    what = {
        "Service": f"selects no {' or '.join(kinds)} in this input",
        "Ingress": "routes to no Service of an imported app in this input",
        "HorizontalPodAutoscaler": "scales no Deployment or StatefulSet in this input",
        "PodDisruptionBudget": "selects the pods of no imported app in this input",
        "NetworkPolicy": "selects the pods of no imported app in this input",
    }
    return what.get(str(kind), "no imported app in this input refers to it")


def import_objects(sources: list[Source]) -> ImportResult:
    """Presets for every app in ``sources``; everything else passed through or skipped, each
    with a line in the report."""
    result = ImportResult()
    kinds = renderable_kinds()
    taken: set[int] = set()

    def passthrough(source: Source, reason: str) -> None:
        result.passthrough.append(PassedThrough(without_server_fields(source.obj), source.label, reason))
        result.report.append(source.note(f"{reason}; passed through unchanged", severity="warning", rule="import-passthrough"))

    for source in sources:
        dropped = server_fields(source.obj)
        if dropped:
            result.report.append(source.note("left out what the API server wrote: " + ", ".join(dropped), rule="import-server-fields"))

    usable: list[Source] = []
    for source in sources:
        owners = get(source.obj, ("metadata", "ownerReferences"))
        if isinstance(owners, list) and owners:
            owner = owners[0] if isinstance(owners[0], dict) else {}
            result.report.append(
                source.note(
                    f"skipped: owned by {owner.get('kind', '?')}/{owner.get('name', '?')}, which creates it; import the owner instead",
                    severity="warning",
                    rule="import-skipped",
                )
            )
        else:
            usable.append(source)

    apps: list[_App] = []
    grouped: dict[int, tuple[str, list[Source]]] = {}
    pods = [s for s in usable if s.obj.get("kind") == "Pod" and "Pod" in kinds and WORKLOADS["Pod"].numbered]
    for base, members in _numbered_groups(pods):
        grouped[id(members[0].obj)] = (base, members)
        for member in members[1:]:
            grouped[id(member.obj)] = (base, [])
    for source in usable:
        kind = source.obj.get("kind")
        if kind not in kinds:
            continue
        if id(source.obj) in grouped:
            base, members = grouped[id(source.obj)]
            if members:
                apps.append(_App(WORKLOADS[kind], members, base))
                taken.update(id(m.obj) for m in members)
            continue
        name = _name(source)
        if name is None:
            continue
        apps.append(_App(WORKLOADS[kind], [source], name))
        taken.add(id(source.obj))

    services = [s for s in usable if s.obj.get("kind") == "Service"]
    for app in apps:  # a StatefulSet's governing Service, by name
        governing = app.governing_service()
        for service in services:
            if id(service.obj) not in taken and _name(service) == governing and get(service.obj, ("metadata", "namespace")) == app.namespace():
                app.headless = service
                taken.add(id(service.obj))
    for app in apps:
        for service in services:
            if id(service.obj) in taken:
                continue
            if get(service.obj, ("metadata", "namespace")) == app.namespace() and _selects(service.obj, app.pod_labels()):
                if app.service is None:
                    app.service = service
                    taken.add(id(service.obj))
                else:
                    passthrough(service, f"also selects the pods of {app.name}, whose preset has its Service already ({app.service.label})")
                    taken.add(id(service.obj))
    _claim_companions(apps, usable, taken, passthrough)

    for app in apps:
        try:
            preset = _build_leaving_out(app)
        except _CannotImport as err:
            for source in app.sources:
                passthrough(source, f"cannot be imported as a preset: {err}")
            for source, reason in app.refused:
                passthrough(source, reason)
            continue
        for source, reason in app.refused:
            passthrough(source, reason)
        files = sorted({s.file for s in app.sources if s.file})
        result.presets.append(ImportedPreset(app.name, app.namespace(), preset, [s.label for s in app.sources], files))
        first = app.workloads[0]
        what = ", ".join(s.label for s in app.sources)
        result.report.append(first.note(f"{what} -> preset {app.name}", rule="import-preset"))
        if app.entry.service_name is not None and app.headless is None:
            governing = preset.get("serviceName", f"{app.name}-headless")
            result.report.append(
                first.note(
                    f"the preset also renders its governing Service {governing} (headless), which is not in this input; "
                    "if it is defined elsewhere, import it together with the StatefulSet",
                    severity="warning",
                    rule="import-added",
                )
            )
        fields = _patched_fields(preset)
        if fields:
            shown = ", ".join(fields[:8]) + (f" and {len(fields) - 8} more" if len(fields) > 8 else "")
            result.report.append(first.note(f"kept as patches (the format has no field for them): {shown}", rule="import-patches"))

    for source in usable:
        if id(source.obj) in taken:
            continue
        kind = source.obj.get("kind")
        if kind in WORKLOADS and kind in kinds and _name(source) is None:
            passthrough(source, f"a {kind} without metadata.name cannot be a preset")
        elif kind in COMPANIONS:
            passthrough(source, _not_companion(source, kinds))
        else:
            passthrough(source, f"the preset format cannot render a {kind} yet")
    return result


def import_manifests(paths: Iterable[str]) -> ImportResult:
    """Read manifests (files, directories, ``-``) and import them."""
    return import_objects(read_sources(paths))


def import_text(text: str | bytes, *, source: str = "<string>") -> ImportResult:
    """Import the manifests of one YAML or JSON stream."""
    return import_objects(read_text(text, source))
