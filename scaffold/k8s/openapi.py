"""Unknown fields, from the strict OpenAPI schemas that ``kubernetes-validate`` ships.

The optional ``schema`` extra (``pip install 'scaffold-k8s[schema]'``) installs the schemas of
every Kubernetes release; this module walks an object along its kind's schema and reports each
key the schema does not know (``readinesProbe``, ``resource``, ``requests`` directly under a
container), with a did-you-mean: a close property name, or the property it belongs under.

It walks the schema itself rather than running a JSON-schema validator: one pass over the
object, every unknown field at once (a validator stops at the first), and no jsonschema import.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from ..paths import Path

INSTALL_HINT = "pip install 'scaffold-k8s[schema]'"


class SchemaUnavailable(Exception):
    """The optional schema extra (kubernetes-validate) is not installed."""


def available() -> bool:
    """True when the strict schemas can be read."""
    try:
        _root()
    except SchemaUnavailable:
        return False
    return True


@lru_cache(maxsize=1)
def _root() -> Any:
    """The schema folder of kubernetes-validate, found without importing the package (its
    import pulls in jsonschema: a fifth of a second lint does not need)."""
    import importlib.util
    import pathlib

    try:
        spec = importlib.util.find_spec("kubernetes_validate")
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise SchemaUnavailable(f"the schema extra is not installed; {INSTALL_HINT}")
    for location in spec.submodule_search_locations or ():
        folder = pathlib.Path(location, "kubernetes-json-schema")
        if folder.is_dir():
            return folder
    try:  # an unusual install (a zip): let the package say where its data is
        import importlib.resources

        return importlib.resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    except ImportError as err:  # pragma: no cover - found by find_spec but not importable
        raise SchemaUnavailable(f"the schema extra is not installed; {INSTALL_HINT}") from err


@lru_cache(maxsize=1)
def schema_versions() -> tuple[tuple[int, int], ...]:
    """Minor versions with strict schemas, oldest first."""
    found = set()
    for entry in _root().iterdir():
        m = re.match(r"^v(\d+)\.(\d+)\.\d+-local-strict$", entry.name)
        if m:
            found.add((int(m.group(1)), int(m.group(2))))
    return tuple(sorted(found))


def _directory(version: tuple[int, int]) -> str:
    """The schema directory for ``version``: the newest not newer than it (else the oldest)."""
    versions = schema_versions()
    older = [v for v in versions if v <= version]
    major, minor = older[-1] if older else versions[0]
    return f"v{major}.{minor}.0-local-strict"


@lru_cache(maxsize=4)
def _definitions(directory: str) -> dict[str, Any]:
    with _root().joinpath(directory, "_definitions.json").open(encoding="utf-8") as f:
        defs: dict[str, Any] = json.load(f)["$defs"]
    return defs


@lru_cache(maxsize=256)
def _kind_schema(directory: str, kind: str, api_version: str) -> dict[str, Any] | None:
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    entry = _root().joinpath(directory, f"{kind.lower()}-{group_version}.json")
    try:
        with entry.open(encoding="utf-8") as f:
            schema: dict[str, Any] = json.load(f)
    except (FileNotFoundError, OSError):
        return None
    return schema


def _resolve(node: Any, defs: dict[str, Any]) -> dict[str, Any]:
    for _ in range(20):
        if not isinstance(node, dict) or "$ref" not in node:
            break
        node = defs.get(node["$ref"].rsplit("/", 1)[-1], {})
    return node if isinstance(node, dict) else {}


def _suggest(key: str, properties: dict[str, Any], defs: dict[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(properties), n=1, cutoff=0.75)
    if close:
        return f"did you mean {close[0]!r}?"
    for name, sub in properties.items():  # misplaced: a field of a child object
        inner = _resolve(sub, defs)
        if key in inner.get("properties", {}):
            return f"it belongs under {name} ({name}.{key})"
    return ""


def unknown_fields(obj: dict[str, Any], version: tuple[int, int]) -> list[tuple[Path, str]] | None:
    """``(path, message)`` for every field the strict schema of ``version`` does not know;
    None when there is no schema for the object's kind and apiVersion (a custom resource)."""
    kind, api_version = obj.get("kind"), obj.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(api_version, str):
        return None
    directory = _directory(version)
    schema = _kind_schema(directory, kind, api_version)
    if schema is None:
        return None
    out: list[tuple[Path, str]] = []
    _Walker.of(directory).walk(obj, schema, [], out)
    return out


class _Node:
    """A schema node with its ``$ref`` chain followed and the fields the walk asks about
    pulled out, once: lint walks thousands of objects through the same few hundred nodes."""

    __slots__ = ("preserve", "properties", "closed", "extra", "items")

    def __init__(self, node: dict[str, Any]) -> None:
        properties = node.get("properties")
        extra = node.get("additionalProperties")
        self.preserve = bool(node.get("x-kubernetes-preserve-unknown-fields"))
        self.properties: dict[str, Any] | None = properties if isinstance(properties, dict) else None
        #: Unknown keys are errors (the strict schemas say ``additionalProperties: false``).
        self.closed = extra is False and self.properties is not None
        #: The schema of every value of a map (``labels``, ``resources.limits``).
        self.extra: dict[str, Any] | None = extra if isinstance(extra, dict) else None
        self.items: Any = node.get("items")


class _Walker:
    """Walks objects along the schemas of one version's folder; caches the prepared nodes."""

    def __init__(self, directory: str) -> None:
        self.defs = _definitions(directory)
        # Keyed by id: the raw nodes live in the cached schemas for as long as this walker,
        # which keeps a reference to the definitions (the kind schemas are cached for good).
        self.nodes: dict[int, tuple[Any, _Node]] = {}

    @staticmethod
    @lru_cache(maxsize=4)
    def of(directory: str) -> _Walker:
        return _Walker(directory)

    def node(self, raw: Any) -> _Node:
        entry = self.nodes.get(id(raw))
        if entry is None or entry[0] is not raw:
            entry = (raw, _Node(_resolve(raw, self.defs)))
            self.nodes[id(raw)] = entry
        return entry[1]

    def walk(self, value: Any, raw: Any, path: list[Any], out: list[tuple[Path, str]]) -> None:
        node = self.node(raw)
        if node.preserve:
            return
        if isinstance(value, dict):
            properties = node.properties
            for key, sub in value.items():
                if properties is not None and key in properties:
                    if isinstance(sub, (dict, list)):
                        path.append(key)
                        self.walk(sub, properties[key], path, out)
                        path.pop()
                elif node.closed:
                    assert properties is not None
                    hint = _suggest(str(key), properties, self.defs)
                    out.append(((*path, key), f"unknown field {key!r}" + (f"; {hint}" if hint else "")))
                elif node.extra is not None and isinstance(sub, (dict, list)):
                    path.append(key)
                    self.walk(sub, node.extra, path, out)
                    path.pop()
        elif isinstance(value, list) and node.items is not None:
            for i, item in enumerate(value):
                if isinstance(item, (dict, list)):
                    path.append(i)
                    self.walk(item, node.items, path, out)
                    path.pop()
