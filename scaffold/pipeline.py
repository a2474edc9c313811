"""The pipeline: load -> overrides -> schema -> normalize -> preset checks -> render -> rules -> emit.

Pure in the middle: a preset dict goes in, objects and issues come out. Only :func:`resolve`
touches the filesystem (to read a preset file or a built-in), and only when given a name.

The public functions are the library's boundary: they check their arguments' types
(:class:`ArgumentTypeError`), give Python data the limits YAML input has (depth, size, no
cycles, string keys; see :func:`scaffold.loader.check_data`), and raise nothing but
:class:`ScaffoldError` subclasses (a bug surfaces as :class:`InternalError`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

from .errors import ArgumentTypeError, InternalError, Issue, Located, PresetError, ScaffoldError, sort_issues
from .preset.overrides import Layer, Origin, Override, apply_layers_traced
from .paths import format_path, parse_path

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


class _Boundary:
    """Around each public function: whatever escapes is a :class:`ScaffoldError`.

    The arguments are checked and the data is limited before any stage runs, so an error
    of another kind is a bug; it becomes :class:`InternalError` with the original as cause.
    (A ``with`` block rather than a decorator, so a call with a wrong signature is still
    Python's own TypeError.)
    """

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, err: Any, tb: Any) -> None:
        if err is None or isinstance(err, ScaffoldError) or not isinstance(err, Exception):
            return None  # nothing, or already a ScaffoldError (or KeyboardInterrupt): let it go
        if isinstance(err, RecursionError):
            raise PresetError([Issue("", "the input is nested too deeply to process", rule="input")]) from err
        try:
            detail = f"{type(err).__name__}: {err}"
        except Exception:  # noqa: BLE001 - an error whose message cannot be built
            detail = type(err).__name__
        raise InternalError(f"internal error: {detail} (a bug in scaffold)") from err


def _type_name(value: Any) -> str:
    return type(value).__name__


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
        raise ArgumentTypeError(f"a preset is a mapping, a path or a built-in name, not {_type_name(preset)}")
    name = os.fspath(preset)
    if not isinstance(name, str):  # a bytes path
        raise ArgumentTypeError(f"a preset path must be text (str), not {_type_name(name)}")
    if not _looks_like_path(name) and is_builtin(name):
        raw, source = read_source(builtin(name).path)
        source = f"{name} (built-in)"
    elif _looks_like_path(name) or os.path.exists(name):
        raw, source = read_source(name)
    else:
        builtin(name)  # raises PresetNotFoundError with the list of names
        raise AssertionError("unreachable")
    located = load_yaml(raw, source=source, string_keys=True)
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
    with _Boundary():
        data, located = resolve(name_or_path)
        if not isinstance(data, dict):
            where = located.source if located else None
            raise PresetError([Issue("", "a preset must be a mapping of fields", rule="schema", file=where, line=1, column=1)])
        _refuse_bad_data(data, located, (), "")
        return data


def _override_path(key: Any, what: str) -> Any:
    """The parsed path of an ``overrides`` mapping key."""
    from .loader import MAX_DEPTH

    if not isinstance(key, str):
        raise ArgumentTypeError(f"{what}: the keys are paths such as 'containers[0].image' (str), not {_type_name(key)}")
    try:
        path = parse_path(key)
    except ValueError as err:
        raise PresetError([Issue("", f"{what} {key!r}: {err}", rule="override")]) from err
    if len(path) > MAX_DEPTH:
        raise PresetError([Issue("", f"{what}: the path has {len(path)} parts; the limit is {MAX_DEPTH}", rule="override")])
    return path


def _layers(overrides: Overrides, values: Sequence[Layer | Override]) -> list[Layer]:
    """The layers in order, every argument type checked and every mapping's data limited."""
    from .loader import MAX_DEPTH

    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise ArgumentTypeError(
            f"values is a list of files and mappings, not {_type_name(values)}; wrap a single one in a list"
        )
    layers: list[Layer] = []
    for layer in values:
        if isinstance(layer, Override):
            if len(layer.path) > MAX_DEPTH:
                raise PresetError([Issue("", f"--set: the path has {len(layer.path)} parts; the limit is {MAX_DEPTH}", rule="override")])
            _refuse_bad_data(layer.value, None, (), "--set", layer.path)
        elif isinstance(layer, Mapping):
            _refuse_bad_data(layer, None, (), "values")
        elif not isinstance(layer, (str, os.PathLike)):
            raise ArgumentTypeError(f"each of values is a file path or a mapping, not {_type_name(layer)}")
        layers.append(layer)
    if overrides is None:
        return layers
    if isinstance(overrides, Mapping):
        for key, value in overrides.items():
            path = _override_path(key, "overrides")
            _refuse_bad_data(value, None, (), "overrides", path)
            layers.append(Override(path, value))
    elif isinstance(overrides, (str, bytes)) or not isinstance(overrides, Iterable):
        raise ArgumentTypeError(
            f"overrides is a mapping of paths to values or a list of 'PATH=VALUE' strings, not {_type_name(overrides)}"
            + (f"; write [{overrides!r}]" if isinstance(overrides, str) and len(overrides) < 200 else "")
        )
    else:
        for item in overrides:
            if isinstance(item, Override):
                layers.extend(_layers(None, [item]))
            elif isinstance(item, str):
                layers.append(Override.parse(item))
            else:
                raise ArgumentTypeError(f"each of overrides is a 'PATH=VALUE' string, not {_type_name(item)}")
    return layers


def _place(path: tuple[Any, ...], located: Located | None, origins: Sequence[Origin]) -> tuple[str | None, int | None, int | None]:
    """File, line and column of ``path``: the layer that set it (--set, -f), or else the
    preset file (the field itself, or its nearest ancestor)."""
    origin = next((o for o in reversed(origins) if path[: len(o.path)] == o.path), None)
    if origin is not None:
        if origin.located is not None:
            line, column = origin.located.mark(path)
            return origin.located.source, line, column
        return origin.label, None, None
    if located is not None:
        line, column = located.mark(path)
        return located.source, line, column
    return None, None, None


def _locate(issues: list[Issue], located: Located | None, origins: Sequence[Origin] = ()) -> list[Issue]:
    """File, line and column for each issue that has none yet (see :func:`_place`)."""
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
        file, line, column = _place(path, located, origins)
        out.append(issue if file is None else issue.with_location(file=file, line=line, column=column))
    return out


def _refuse_bad_data(
    data: Any, located: Located | None, origins: Sequence[Origin], label: str = "", prefix: tuple[Any, ...] = ()
) -> None:
    """Raise :class:`PresetError` (every problem, located) if ``data`` breaks the input limits
    or has a non-string key; see :func:`scaffold.loader.check_data`. ``label`` and ``prefix``
    say where data that is not the preset came from (``--set`` and its path, ``values``)."""
    from .loader import check_data

    problems = check_data(data)
    if not problems:
        return
    issues = []
    for raw, text, message, rule in problems:
        if prefix:
            text = format_path(prefix) + (text if text.startswith("[") else f".{text}" if text else "")
        file, line, column = _place(prefix + raw, located, origins)
        if file is None and label:
            file = label
        issues.append(Issue(text, message, rule=rule, file=file, line=line, column=column))
    raise PresetError(issues)


def _check_config(normalized: dict[str, Any]) -> Any:
    """The preset's own ``checks:`` section (never emitted) as the rule engine's settings."""
    from .rules import CheckConfig

    checks = normalized.pop("checks", {}) or {}
    return CheckConfig(
        ignore=frozenset(checks.get("ignore", ()) or ()),
        allow_host_paths=frozenset(checks.get("allowHostPaths", ()) or ()),
        kube_version=normalized.get("kubeVersion"),
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
    checks = normalized.get("checks")
    config = _check_config(normalized)
    stops = check_preset(normalized, checks)
    if any(i.severity == "error" for i in stops):  # e.g. 10^11 bare Pods: never render those
        return normalized, None, notes + stops, config
    objects = render_objects(normalized)
    to_issues: Any = preset_issues
    if normalized.get("patches"):  # the escape hatch: after rendering, before the checks
        from .preset.patches import apply_patches

        objects, to_issues, patch_problems = apply_patches(objects, normalized["patches"], preset_issues)
        if patch_problems:
            return normalized, None, notes + stops + patch_problems, config
    config = _with_companions(config, normalized, objects)
    return normalized, objects, notes + stops + to_issues(objects, run(objects, config)), config


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
    with _Boundary():
        if not isinstance(strict, bool):
            raise ArgumentTypeError(f"strict is True or False, not {_type_name(strict)}")
        layers = _layers(overrides, values)
        data, located = resolve(preset)
        return _build_loaded(data, located, layers, strict, preset)


def _build_loaded(data: Any, located: Located | None, layers: list[Layer], strict: bool, preset: PresetLike) -> Rendered:
    """:func:`build` of a preset already read (a batch reads each file once); ``preset`` is
    what was named, for the directory ``configMaps[].files`` are read from."""
    from .preset.schema import validate_shape

    _refuse_bad_data(data, located, (), "")
    data, origins = apply_layers_traced(data, layers)
    if layers:
        _refuse_bad_data(data, located, origins, "")
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


# ---------------------------------------------------------------------------------------
# Many presets in one call (``scaffold render A B dir/``, ``scaffold validate A B``)


def _label(preset: PresetLike, index: int) -> str:
    """What names a preset in a batch's report: its path or built-in name, else its place."""
    if isinstance(preset, (str, os.PathLike)):
        return os.fspath(preset)
    return f"presets[{index}]"


def is_preset_document(data: Any) -> bool:
    """Whether a YAML document found in a directory is a preset (not a manifest, a values
    file or a kustomization): a mapping of ``apiVersion: scaffold/v1``, or without
    ``apiVersion`` one with ``name`` or ``containers`` and no ``metadata``/``spec``."""
    from .preset.schema import API_VERSION

    if not isinstance(data, dict):
        return False
    if "apiVersion" in data:
        return data["apiVersion"] == API_VERSION
    return ("name" in data or "containers" in data) and "metadata" not in data and "spec" not in data


def expand_presets(presets: Iterable[PresetLike], loaded: dict[str, Located] | None = None) -> list[PresetLike]:
    """``presets`` with every directory replaced by the presets under it: each ``*.yaml`` /
    ``*.yml`` file, recursively, in name order, that :func:`is_preset_document` accepts
    (hidden files and directories are skipped). Files that do not read as YAML are skipped
    too: a directory may hold templates of other tools. ``loaded`` (when given) receives the
    files read on the way, so they need not be read twice."""
    out: list[PresetLike] = []
    for preset in presets:
        if not isinstance(preset, (str, os.PathLike)) or not os.path.isdir(preset):
            out.append(preset)
            continue
        for root, dirs, files in os.walk(preset):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                    continue
                path = os.path.join(root, name)
                try:
                    from .loader import load_yaml, read_source

                    raw, source = read_source(path)
                    located = load_yaml(raw, source=source)
                except ScaffoldError:
                    continue
                if is_preset_document(located.data):
                    out.append(path)
                    if loaded is not None:
                        loaded[path] = located
    return out


def _with_file(issues: list[Issue], label: str) -> list[Issue]:
    return [i if i.file is not None else i.with_location(file=label) for i in issues]


def render_many(
    presets: Iterable[PresetLike],
    *,
    overrides: Overrides = None,
    values: Sequence[Layer | Override] = (),
    strict: bool = False,
) -> list[Rendered]:
    """:func:`build` for many presets (directories expand to the presets under them), in order.

    All or nothing: every preset is built, and if any fails one :class:`PresetError` carries
    the problems of all of them (each issue's ``file`` names its preset; an unreadable file or
    an unknown name is an issue too), with the warnings of the rest. ``overrides`` and
    ``values`` apply to every preset.
    """
    loaded: dict[str, Located] = {}
    expanded = expand_presets(presets, loaded)
    if not expanded:
        raise PresetError([Issue("", "no presets to render (the directories hold no preset files)", rule="input")])
    results: list[Rendered] = []
    problems: list[Issue] = []
    warnings: list[Issue] = []
    for index, preset in enumerate(expanded):
        label = _label(preset, index)
        try:
            found = loaded.get(preset) if isinstance(preset, str) else None
            if found is not None:
                with _Boundary():
                    result = _build_loaded(found.data, found, _layers(overrides, values), strict, preset)
            else:
                result = build(preset, overrides=overrides, values=values, strict=strict)
        except PresetError as exc:
            problems.extend(_with_file(exc.issues, label))
            warnings.extend(_with_file(exc.warnings, label))
            continue
        except ScaffoldError as exc:
            problems.append(Issue("", str(exc), rule="input", file=label))
            continue
        result.issues = _with_file(result.issues, label)
        results.append(result)
    if problems:
        raise PresetError(problems, warnings=warnings + [i for r in results for i in r.issues])
    return results


def check_many(
    presets: Iterable[PresetLike],
    *,
    overrides: Overrides = None,
    values: Sequence[Layer | Override] = (),
    strict: bool = False,
) -> Report:
    """:func:`check` for several presets in one report (``scaffold validate A B``, pre-commit):
    every preset is checked, each issue's ``file`` names its preset, and the report is ok
    only when all are. One preset gives exactly :func:`check`'s report."""
    from .output import Report

    expanded = expand_presets(presets)
    if len(expanded) == 1 and isinstance(expanded[0], (str, os.PathLike)) and not os.path.isdir(expanded[0]):
        return check(expanded[0], overrides=overrides, values=values, strict=strict)
    issues: list[Issue] = []
    notes: list[str] = []
    objects = problems = 0
    ok = bool(expanded)
    if not expanded:
        issues.append(Issue("", "no presets to check (the directories hold no preset files)", rule="input"))
        problems += 1
    for index, preset in enumerate(expanded):
        label = _label(preset, index)
        try:
            one = check(preset, overrides=overrides, values=values, strict=strict)
        except ScaffoldError as exc:
            issues.append(Issue("", str(exc), rule="input", file=label))
            problems += 1
            ok = False
            continue
        issues.extend(_with_file(one.issues, label))
        objects += one.counts.get("objects", 0)
        problems += one.counts.get("problems", 0)
        ok = ok and one.ok
        if one.notes:
            notes.append(f"{label}:")
            notes.extend(f"  {note}" for note in one.notes)
    return Report(
        "validate", issues, ok=ok, inputs={"presets": [_label(p, i) for i, p in enumerate(expanded)]},
        counts={"objects": objects, "problems": problems}, notes=notes, problems_on_stderr=True,
    )
