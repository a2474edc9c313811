"""The preset format as JSON Schema (draft 2020-12), generated from the cerberus SCHEMA.

Editors (yaml-language-server, JetBrains) complete and check presets with JSON Schema; the
format itself is defined once, by :data:`scaffold.preset.schema.SCHEMA`. This module walks
that dict generically (every field, at any depth), so a field added there appears here
without any change. What cerberus expresses as code is translated by name:

* ``coerce`` functions are the short forms (``ports: [80]``, ``env: {NAME: value}``,
  ``service: true``): the field becomes ``oneOf`` [the full form, the short forms], described
  in :data:`SHORT_FORMS`;
* every cerberus rule the schema uses must be known to :func:`convert`
  (``tests/test_jsonschema.py`` fails on a rule or a coercer it cannot translate).

The JSON Schema checks the shape only, as cerberus does: values (image references, names,
quantities) are judged by the rule engine, which editors do not run.

Not on the render path; it imports no JSON Schema library.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from .schema import API_VERSION, SCHEMA

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://scaffold.invalid/schema/preset-v1.json"

#: cerberus type -> JSON Schema type.
TYPES: dict[str, str] = {
    "string": "string",
    "integer": "integer",
    "boolean": "boolean",
    "dict": "object",
    "list": "array",
    "number": "number",
    "float": "number",
}

# The short forms, by the name of the coercer that reads them: what the coercer accepts
# besides the full form. Every alternative has a JSON type the full form does not have, so
# exactly one branch of ``oneOf`` matches.
_PORT_PATTERN = r"^\s*(?:[^:/\s]+:)?\d+(?:/[A-Za-z]+)?\s*$"
SHORT_FORMS: dict[str, list[dict[str, Any]]] = {
    "_number_text": [{"type": "number", "description": "Short form: a number, read as its text."}],
    "_scalar_text": [
        {"type": ["number", "boolean", "null"], "description": "Short form: a number, true/false or null (empty), read as text."}
    ],
    "_port_short": [
        {"type": "integer", "description": "Short form: the port number, e.g. 80."},
        {"type": "string", "pattern": _PORT_PATTERN, "description": 'Short form: "8080", "http:8080", "8080/UDP" or "http:8080/UDP".'},
    ],
    "_service_port_short": [
        {"type": "integer", "description": "Short form: the port number (port and targetPort), e.g. 80."},
        {"type": "string", "pattern": _PORT_PATTERN, "description": 'Short form: "80", "http:80" or "http:80/UDP" (port and targetPort).'},
    ],
    "_env_short": [],  # see _env_map: its shape depends on the list form's items
    "_name_ref": [{"type": "string", "description": "Short form: the name alone."}],
    "_service_short": [{"type": "boolean", "description": "Short form: true for a ClusterIP Service with default ports, false for none."}],
    "_strategy_short": [
        {"type": "string", "enum": ["Recreate", "RollingUpdate", "OnDelete"], "description": "Short form: the strategy type alone."}
    ],
    "_spread_short": [
        {"type": "string", "enum": ["node", "zone"], "description": "Short form: node (kubernetes.io/hostname) or zone (topology.kubernetes.io/zone)."}
    ],
    "_version_text": [{"type": "number", "not": {"type": "integer"},
                       "description": "Short form: the version as a YAML number, e.g. 1.29 (quote 1.30: as a number it reads 1.3)."}],
}

#: The cerberus rules :func:`convert` translates (or knowingly leaves to the rule engine).
HANDLED_RULES = frozenset({
    "type", "meta", "required", "default", "allowed", "nullable", "empty", "minlength", "maxlength",
    "min", "max", "regex", "schema", "keysrules", "valuesrules", "allow_unknown", "coerce",
    "anyof", "oneof", "allof", "noneof", "forbidden", "readonly",
})


def _env_map(full: dict[str, Any]) -> list[dict[str, Any]]:
    """``{NAME: value}`` or ``{NAME: {valueFrom: ...}}``: an item of the list form keyed by its name."""
    item = dict(full.get("items") or {})
    item["required"] = [k for k in item.get("required", []) if k != "name"]
    if not item["required"]:
        del item["required"]
    return [{
        "type": "object",
        "description": "Short form: a mapping NAME: value (numbers and booleans become strings), "
                       "or NAME: {valueFrom: ...}.",
        "additionalProperties": {"oneOf": [{"type": ["string", "number", "boolean", "null"]}, item]},
    }]


#: Short forms whose shape is derived from the full form's (by coercer name).
_DERIVED: dict[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = {"_env_short": _env_map}


def _short_forms(coerce: Any, full: dict[str, Any]) -> list[dict[str, Any]] | None:
    chain = coerce if isinstance(coerce, (list, tuple)) else [coerce]
    out: list[dict[str, Any]] = []
    for fn in chain:
        name = getattr(fn, "__name__", str(fn))
        if name in _DERIVED:
            out.extend(_DERIVED[name](full))
        elif name in SHORT_FORMS:
            out.extend(SHORT_FORMS[name])
        else:
            return None
    return out


def _types(rules: dict[str, Any]) -> list[str]:
    wanted = rules.get("type")
    if wanted is None:
        return []
    names = [str(n) for n in (wanted if isinstance(wanted, list) else [wanted])]
    if any(n not in TYPES for n in names):
        return []  # a custom cerberus type this module does not know: no type constraint
    return [TYPES[n] for n in names]


def _full(rules: dict[str, Any]) -> dict[str, Any]:
    """The full (long) form of a field: everything but its description, default and short forms."""
    node: dict[str, Any] = {}
    types = _types(rules)
    # cerberus fills a null with the field's default, so a field with a default takes null.
    nullable = bool(rules.get("nullable")) or "default" in rules
    if nullable and types:
        types = [*types, "null"]
    if len(types) == 1:
        node["type"] = types[0]
    elif types:
        node["type"] = types
    if "allowed" in rules:
        node["enum"] = list(rules["allowed"]) + ([None] if nullable else [])
    if "forbidden" in rules:
        node["not"] = {"enum": list(rules["forbidden"])}
    if rules.get("empty") is False:
        if "string" in types:
            node["minLength"] = 1
        if "array" in types:
            node["minItems"] = 1
        if "object" in types:
            node["minProperties"] = 1
    for rule, on_array, on_string in (("minlength", "minItems", "minLength"), ("maxlength", "maxItems", "maxLength")):
        if rule in rules:
            if "array" in types or not types:
                node[on_array] = max(rules[rule], node.get(on_array, 0)) if rule == "minlength" else rules[rule]
            if "string" in types:
                node[on_string] = rules[rule]
    if "min" in rules:
        node["minimum"] = rules["min"]
    if "max" in rules:
        node["maximum"] = rules["max"]
    if "regex" in rules:
        node["pattern"] = f"^(?:{rules['regex']})$"  # cerberus matches the whole value
    sub = rules.get("schema")
    if isinstance(sub, dict) and ("object" in types or (not types and "type" not in sub)):
        # A mapping of fields (cerberus also reads a bare field mapping under a dict type).
        node.update(_mapping(sub, allow_unknown=bool(rules.get("allow_unknown", False))))
    elif isinstance(sub, dict):
        node["items"] = convert(sub)
    if "keysrules" in rules:
        node["propertyNames"] = convert(rules["keysrules"])
    if "valuesrules" in rules:
        node["additionalProperties"] = convert(rules["valuesrules"])
    for rule, keyword in (("anyof", "anyOf"), ("oneof", "oneOf"), ("allof", "allOf")):
        if rule in rules:
            node[keyword] = [convert({**r}) for r in rules[rule]]
    if "noneof" in rules:
        node["not"] = {"anyOf": [convert({**r}) for r in rules["noneof"]]}
    return node


def _mapping(fields: dict[str, Any], *, allow_unknown: bool) -> dict[str, Any]:
    node: dict[str, Any] = {"properties": {key: convert(rules) for key, rules in fields.items()}}
    required = [key for key, rules in fields.items() if rules.get("required")]
    if required:
        node["required"] = required
    node["additionalProperties"] = allow_unknown
    return node


def convert(rules: dict[str, Any]) -> dict[str, Any]:
    """One cerberus field definition as a JSON Schema node."""
    node: dict[str, Any] = {}
    doc = (rules.get("meta") or {}).get("doc")
    if doc:
        node["description"] = doc
    if "default" in rules:
        node["default"] = rules["default"]
    full = _full(rules)
    if "coerce" in rules:
        shorts = _short_forms(rules["coerce"], full)
        if shorts is None:  # a short form this module does not know: accept anything there
            full = {"anyOf": [full, {}]}
        else:
            node["oneOf"] = [full, *shorts]
            return node
    node.update(full)
    return node


def preset_json_schema(schema: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON Schema of a preset file (of ``schema``, default the format's SCHEMA)."""
    root: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": f"scaffold preset ({API_VERSION})",
        "description": "A scaffold preset: one app rendered to validated Kubernetes manifests by "
                       "`scaffold render`. Generated by `scaffold schema` from the format's own schema.",
        "type": "object",
    }
    root.update(_mapping(SCHEMA if schema is None else schema, allow_unknown=False))
    if schema is None:
        root["allOf"] = _kind_conditions()
    return root


def _kind_conditions() -> list[dict[str, Any]]:
    """Which kinds take which fields (the kinds registry), as ``if kind is K then ...``: a
    field of other kinds may only be absent, null or false, and a CronJob needs a schedule."""
    from ..k8s.kinds import KIND_FIELDS, KINDS, PRESET_KINDS

    default = SCHEMA["kind"].get("default", "Deployment")
    out: list[dict[str, Any]] = []
    for kind in PRESET_KINDS:
        named = {"properties": {"kind": {"const": kind}}, "required": ["kind"]}
        when = {"anyOf": [named, {"not": {"required": ["kind"]}}]} if kind == default else named
        then: dict[str, Any] = {
            "properties": {field: {"enum": [None, False]} for field, kinds in KIND_FIELDS.items() if kind not in kinds}
        }
        if "schedule" in KINDS[kind].fields:
            then["required"] = ["schedule"]
        out.append({"if": when, "then": then})
    return out


def schema_text() -> str:
    """:func:`preset_json_schema` as the JSON text ``scaffold schema`` prints."""
    return json.dumps(preset_json_schema(), indent=2, ensure_ascii=False) + "\n"


def rules_used(schema: dict[str, Any] | None = None) -> tuple[set[str], list[Callable[..., Any]], set[str]]:
    """Every cerberus rule name, coercer and type a schema uses (for the completeness tests)."""
    names: set[str] = set()
    coercers: list[Callable[..., Any]] = []
    types: set[str] = set()

    def walk_field(rules: dict[str, Any]) -> None:
        names.update(rules)
        wanted = rules.get("type")
        if wanted is not None:
            types.update(str(t) for t in (wanted if isinstance(wanted, list) else [wanted]))
        coerce = rules.get("coerce")
        if coerce is not None:
            coercers.extend(coerce if isinstance(coerce, (list, tuple)) else [coerce])
        sub = rules.get("schema")
        if isinstance(sub, dict):
            if "array" in _types(rules):
                walk_field(sub)
            else:
                for child in sub.values():
                    walk_field(child)
        for key in ("keysrules", "valuesrules"):
            if isinstance(rules.get(key), dict):
                walk_field(rules[key])
        for key in ("anyof", "oneof", "allof", "noneof"):
            for alt in rules.get(key) or ():
                walk_field(alt)

    for field in (SCHEMA if schema is None else schema).values():
        walk_field(field)
    return names, coercers, types
