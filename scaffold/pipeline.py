"""The pipeline: load -> overrides -> schema -> normalize -> preset checks -> render -> rules -> emit.

Pure in the middle: a preset dict goes in, objects and issues come out. Only :func:`resolve`
touches the filesystem (to read a preset file or a built-in), and only when given a name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

from .errors import Issue, Located, PresetError, sort_issues
from .preset.overrides import Layer, Origin, Override, apply_layers_traced
from .paths import parse_path

if TYPE_CHECKING:  # pragma: no cover
    from .output import Report

PresetLike = Union[Mapping[str, Any], str, "os.PathLike[str]"]
Overrides = Union[Mapping[str, Any], Iterable[str], None]


class Rendered:
    """What a render produced: the objects, and the warnings and notices found on the way."""

    __slots__ = ("objects", "issues", "preset")

    def __init__(
        self, objects: list[dict[str, Any]], issues: list[Issue] | None = None, preset: dict[str, Any] | None = None
    ) -> None:
        self.objects = objects
        self.issues: list[Issue] = issues if issues is not None else []
        #: The normalized preset the objects were rendered from.
        self.preset: dict[str, Any] = preset if preset is not None else {}

    def __repr__(self) -> str:
        return f"Rendered({len(self.objects)} objects, {len(self.issues)} issues)"

    def yaml(self) -> str:
        from .rendering.emit import to_yaml_stream

        return to_yaml_stream(self.objects)

    def json(self) -> str:
        from .rendering.emit import to_json_list

        return to_json_list(self.objects)


def _looks_like_path(name: str) -> bool:
    return name == "-" or os.sep in name or "/" in name or name.endswith((".yaml", ".yml", ".json"))


def resolve(preset: PresetLike) -> tuple[Any, Located | None]:
    """A preset dict, or the loaded file/built-in with its line/column marks."""
    from .loader import load_yaml, read_source
    from .preset.builtins import builtin, is_builtin

    if isinstance(preset, Mapping):
        # Not copied: no stage modifies its input (the schema builds new containers).
        return preset, None
    if not isinstance(preset, (str, os.PathLike)):
        raise TypeError(f"a preset is a mapping, a path or a built-in name, not {type(preset).__name__}")
    name = os.fspath(preset)
    if not _looks_like_path(name) and is_builtin(name):
        raw, source = read_source(builtin(name).path)
        source = f"{name} (built-in)"
    elif _looks_like_path(name) or os.path.exists(name):
        raw, source = read_source(name)
    else:
        builtin(name)  # raises PresetNotFoundError with the list of names
        raise AssertionError("unreachable")
    located = load_yaml(raw, source=source)
    return located.data, located


def preset_text(preset: str | os.PathLike[str]) -> str:
    """The preset as written (``scaffold presets show``): a built-in by name, or a file (``-``
    for stdin), chosen as :func:`resolve` chooses; a file must read as a preset does (text,
    size limit, valid YAML)."""
    from .loader import load_yaml, read_source
    from .preset.builtins import builtin, is_builtin

    name = os.fspath(preset)
    if not _looks_like_path(name) and is_builtin(name):
        return builtin(name).text()
    if _looks_like_path(name) or os.path.exists(name):
        raw, source = read_source(name)
        load_yaml(raw, source=source)  # refuse what render refuses to read
        return raw.decode("utf-8-sig")
    builtin(name)  # raises PresetNotFoundError with the list of names
    raise AssertionError("unreachable")


def load_preset(name_or_path: str | os.PathLike[str]) -> dict[str, Any]:
    """The preset as written (not normalized): a file, ``-`` for stdin, or a built-in name."""
    data, located = resolve(name_or_path)
    if not isinstance(data, dict):
        where = located.source if located else None
        raise PresetError([Issue("", "a preset must be a mapping of fields", rule="schema", file=where, line=1, column=1)])
    return data


def _layers(overrides: Overrides, values: Sequence[Layer | Override]) -> list[Layer]:
    layers: list[Layer] = list(values)
    if isinstance(overrides, Mapping):
        layers.extend(Override(parse_path(k), v) for k, v in overrides.items())
    elif overrides is not None:
        layers.extend(o if isinstance(o, Override) else Override.parse(o) for o in overrides)
    return layers


def _locate(issues: list[Issue], located: Located | None, origins: Sequence[Origin] = ()) -> list[Issue]:
    """File, line and column for each issue: from the layer that set the field (--set, -f),
    or else from the preset file (the field itself, or its nearest ancestor)."""
    if located is None and not origins:
        return issues
    out = []
    for issue in issues:
        if issue.line is not None or issue.file is not None:
            out.append(issue)
            continue
        try:
            path = parse_path(issue.path) if issue.path else ()
        except ValueError:
            out.append(issue)
            continue
        origin = next((o for o in reversed(origins) if path[: len(o.path)] == o.path), None)
        if origin is not None:
            if origin.located is not None:
                line, column = origin.located.mark(path)
                out.append(issue.with_location(file=origin.located.source, line=line, column=column))
            else:
                out.append(issue.with_location(file=origin.label))
        elif located is not None:
            line, column = located.mark(path)
            out.append(issue.with_location(file=located.source, line=line, column=column))
        else:
            out.append(issue)
    return out


def _check_config(normalized: dict[str, Any]) -> Any:
    """The preset's own ``checks:`` section (never emitted) as the rule engine's settings."""
    from .rules import CheckConfig

    checks = normalized.pop("checks", {}) or {}
    return CheckConfig(
        ignore=frozenset(checks.get("ignore", ()) or ()),
        allow_host_paths=frozenset(checks.get("allowHostPaths", ()) or ()),
    )


def _with_companions(config: Any, normalized: dict[str, Any], objects: list[dict[str, Any]]) -> Any:
    """Objects rendered beside the workload need not exist before apply; a ``security``
    profile asks the Pod Security rules to judge the pod at that level (errors name it)."""
    present = frozenset(
        (o["kind"], o["metadata"]["name"]) for o in objects if o.get("kind") not in ("Deployment", "Pod", "Service")
    )
    profile = normalized.get("security")
    pss = profile if profile in ("baseline", "restricted") else config.pss
    return config._replace(present=config.present | present, pss=pss)


# ---------------------------------------------------------------------------------------
# ConfigMap files: the one place a render reads files besides the preset itself.


def _base_dir(preset: PresetLike) -> str:
    """Where ``configMaps[].files`` are read from: the preset file's directory (a built-in's
    too); for a dict preset or stdin, the current directory."""
    if isinstance(preset, Mapping):
        return os.getcwd()
    name = os.fspath(preset)
    if name == "-":
        return os.getcwd()
    if not _looks_like_path(name):
        from .preset.builtins import builtin, is_builtin

        if is_builtin(name):
            return os.path.dirname(builtin(name).path)
    return os.path.dirname(os.path.abspath(name))


def _read_text_file(base: str, relative: str) -> str:
    """One ConfigMap file, with the loader's size limit; ``ValueError`` says what is wrong."""
    from .loader import read_source

    if not relative or os.path.isabs(relative):
        raise ValueError(f"{relative!r}: write a path relative to the preset's directory")
    root = os.path.realpath(base)
    full = os.path.realpath(os.path.join(root, relative))
    if os.path.commonpath([root, full]) != root:
        raise ValueError(f"{relative!r} is outside the preset's directory ({root})")
    if not os.path.isfile(full):
        raise ValueError(f"file {relative!r} not found in {root}")
    try:
        raw, _ = read_source(full)
    except PresetError as err:
        raise ValueError(f"{relative!r}: {err.issues[0].message if err.issues else err}") from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{relative!r} is not UTF-8 text; put binary data in a Secret") from err
    if "\x00" in text:
        raise ValueError(f"{relative!r} is binary (it contains NUL bytes); put binary data in a Secret")
    return text


def read_config_files(shaped: dict[str, Any], base: str) -> list[Issue]:
    """Replace each ``configMaps[i].files`` by its files' contents in ``data`` (key: the base
    name), in place. Returns the problems (a missing file, a key given twice), located by the
    caller at the ``files`` entry."""
    issues: list[Issue] = []
    for i, cm in enumerate(shaped.get("configMaps") or []):
        files = cm.pop("files", None)
        if not files:
            continue
        data = dict(cm.get("data") or {})
        for j, relative in enumerate(files):
            where = f"configMaps[{i}].files[{j}]"
            key = os.path.basename(relative.rstrip("/\\"))
            if key in data:
                issues.append(Issue(where, f"key {key!r} is already in the ConfigMap's data", rule="configmap-size"))
                continue
            try:
                data[key] = _read_text_file(base, relative)
            except ValueError as err:
                issues.append(Issue(where, str(err), rule="input"))
        cm["data"] = data
    return issues


def _fail(found: list[Issue], located: Located | None, origins: Sequence[Origin], failing: set[str]) -> PresetError:
    """The error that carries every problem: those of ``failing`` severity, then the rest."""
    return PresetError(
        _locate([i for i in found if i.severity in failing], located, origins),
        warnings=_locate([i for i in found if i.severity not in failing], located, origins),
    )


def _stages(shaped: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]] | None, list[Issue], Any]:
    """normalize -> the rules' preset checks -> render -> rules, on a well-shaped preset.

    Returns the normalized preset, the objects (None when a preset check stopped the render),
    every issue with preset paths (not yet located, ``checks.ignore`` not yet applied) and the
    preset's check settings.
    """
    from .preset.normalize import normalize
    from .rendering.templates import render_objects
    from .rules import check_preset, preset_issues, run

    normalized, notes = normalize(shaped)
    config = _check_config(normalized)
    stops = check_preset(normalized)
    if any(i.severity == "error" for i in stops):  # e.g. 10^11 bare Pods: never render those
        return normalized, None, notes + stops, config
    objects = render_objects(normalized)
    config = _with_companions(config, normalized, objects)
    return normalized, objects, notes + stops + preset_issues(objects, run(objects, config)), config


def _on_the_rest(data: Any, problems: list[Issue]) -> list[Issue]:
    """The rules' findings on the well-shaped rest of a preset whose shape is wrong, so one
    report lists every problem: the same stages as a valid preset, on what
    :func:`~scaffold.preset.schema.salvage` keeps.

    Best effort: when too little of the preset is usable, or anything goes wrong, only the
    shape problems are reported. Findings at, above or below a field with a shape problem
    are left out (they would only repeat it), and so are the notices of filled-in defaults.
    """
    from .preset.schema import salvage

    try:
        rest = salvage(data, problems)
        if rest is None:
            return []
        _, objects, found, config = _stages(rest)
    except Exception:  # noqa: BLE001 - a bonus; the shape problems are the report
        return []
    bad = [parse_path(p.path) if p.path else () for p in problems]

    def related(path: str) -> bool:
        mine = parse_path(path) if path else ()
        return any(mine[: len(b)] == b or b[: len(mine)] == mine for b in bad)

    if objects is not None:
        found = [i for i in found if i.rule not in config.ignore]
    return [i for i in found if i.rule != "default-size" and not related(i.path)]


def build(
    preset: PresetLike,
    *,
    overrides: Overrides = None,
    values: Sequence[Layer | Override] = (),
    strict: bool = False,
) -> Rendered:
    """Run the whole pipeline; raise :class:`PresetError` with every problem if any is an error.

    ``values`` are files or mappings deep-merged in order (``Override`` objects may be mixed
    in, to keep a command line's order); ``overrides`` (``PATH=VALUE`` strings or a mapping
    of paths) are applied last. With ``strict``, warnings count as errors.
    """
    from .preset.schema import validate_shape

    data, located = resolve(preset)
    data, origins = apply_layers_traced(data, _layers(overrides, values))
    shaped, problems = validate_shape(data)
    if shaped is None:
        raise _fail(problems + _on_the_rest(data, problems), located, origins, {"error"})
    unread = read_config_files(shaped, _base_dir(preset)) if shaped.get("configMaps") else []
    if unread:
        raise _fail(unread, located, origins, {"error"})
    normalized, objects, found, config = _stages(shaped)
    if objects is None:  # a preset check stopped the render: its errors are the report
        raise _fail(found, located, origins, {"error"})
    issues = [i for i in _locate(found, located, origins) if i.rule not in config.ignore]
    failing = {"error", "warning"} if strict else {"error"}
    if any(i.severity in failing for i in issues):
        raise _fail(issues, located, origins, failing)
    return Rendered(objects, sort_issues(issues), normalized)


def render(
    preset: PresetLike, *, overrides: Overrides = None, values: Sequence[Layer | Override] = ()
) -> list[dict[str, Any]]:
    """The manifest objects of a preset (dict, path or built-in name), as Python data."""
    return build(preset, overrides=overrides, values=values).objects


def render_yaml(
    preset: PresetLike, *, overrides: Overrides = None, values: Sequence[Layer | Override] = ()
) -> str:
    """The manifests as one YAML stream, ready for ``kubectl apply -f -``."""
    return build(preset, overrides=overrides, values=values).yaml()


def validate(
    preset: PresetLike, *, overrides: Overrides = None, values: Sequence[Layer | Override] = ()
) -> list[Issue]:
    """The warnings and notices of a preset; errors raise :class:`PresetError`."""
    return build(preset, overrides=overrides, values=values).issues


def check(
    preset: PresetLike,
    *,
    overrides: Overrides = None,
    values: Sequence[Layer | Override] = (),
    strict: bool = False,
) -> Report:
    """:func:`build` as ``scaffold validate`` reports it, never raising for a bad preset: every
    issue, the number of problems (the issues that stop a render), and for a good preset the
    object count and the summary lines (QoS class, startup budget, objects that must exist).
    Errors that are not about the preset (a missing built-in name) still raise."""
    from .output import Report

    given = {"preset": os.fspath(preset) if isinstance(preset, (str, os.PathLike)) else None}
    try:
        result = build(preset, overrides=overrides, values=values, strict=strict)
    except PresetError as exc:
        return Report(
            "validate", sort_issues(exc.issues + exc.warnings), ok=False, inputs=given,
            counts={"objects": 0, "problems": len(exc.issues)}, notes=[], problems_on_stderr=True,
        )
    from .rules.summary import summarize

    return Report(
        "validate", result.issues, ok=True, inputs=given, counts={"objects": len(result.objects), "problems": 0},
        notes=summarize(result.objects), problems_on_stderr=True,
    )
