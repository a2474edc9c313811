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
    try:
        import importlib.resources

        import kubernetes_validate  # noqa: F401  (the package ships the schemas)
    except ImportError as err:
        raise SchemaUnavailable(f"the schema extra is not installed; {INSTALL_HINT}") from err
    return importlib.resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")


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
    defs = _definitions(directory)
    out: list[tuple[Path, str]] = []
    _walk(obj, schema, defs, (), out)
    return out


def _walk(value: Any, node: Any, defs: dict[str, Any], path: Path, out: list[tuple[Path, str]]) -> None:
    node = _resolve(node, defs)
    if node.get("x-kubernetes-preserve-unknown-fields"):
        return
    if isinstance(value, dict):
        properties = node.get("properties")
        extra = node.get("additionalProperties")
        for key, sub in value.items():
            if isinstance(properties, dict) and key in properties:
                _walk(sub, properties[key], defs, (*path, key), out)
            elif extra is False and isinstance(properties, dict):
                hint = _suggest(str(key), properties, defs)
                out.append(((*path, key), f"unknown field {key!r}" + (f"; {hint}" if hint else "")))
            elif isinstance(extra, dict):
                _walk(sub, extra, defs, (*path, key), out)
    elif isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            _walk(item, node["items"], defs, (*path, i), out)
