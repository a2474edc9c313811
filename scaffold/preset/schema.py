"""The preset format as a cerberus schema: the single source of truth for its shape.

This module owns the shape of a preset: field names, types, defaults and short forms. It is
the only module that imports cerberus. Values (enums, name formats, quantities, ports) are
judged by the rule engine on the rendered objects, because `scaffold lint` must judge the very
same fields in manifests that never were presets.

Every field carries ``meta: {doc: ...}`` so ``docs/preset-format.md`` is generated from here.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from ..errors import Issue
from ..k8s.kinds import PRESET_KINDS
from ..k8s.vocab import (
    EMPTY_DIR_MEDIA,
    HOOK_HANDLERS,
    HOST_PATH_TYPES,
    HTTP_SCHEMES,
    MOUNT_PROPAGATIONS,
    POD_SERVICE_TYPES,
    PROBE_HANDLERS,
    PROBES,
    PROC_MOUNT_TYPES,
    PROTOCOLS,
    PULL_POLICIES,
    RESOURCE_NAMES,
    RESTART_POLICIES,
    SECCOMP_TYPES,
    choices,
)
from ..paths import Path, format_path
from .normalize import DEFAULT_SIZE

API_VERSION = "scaffold/v1"
#: The rows of the size table (scaffold/data/sizes.yaml, which holds their values), in order.
SIZES = ("tiny", "small", "medium", "large", "xlarge")


# ---------------------------------------------------------------------------------------
# Short forms. Each coercer leaves values it does not recognise alone, so the type check
# that follows reports them; a ValueError becomes the message under the field.


def _port_short(value: Any) -> Any:
    """``80`` / ``"http:8080"`` / ``"8080/UDP"`` / ``"http:8080/UDP"`` -> the Kubernetes form."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"containerPort": value}
    if isinstance(value, str):
        m = re.fullmatch(r"(?:([^:/\s]+):)?(\d+)(?:/([A-Za-z]+))?", value.strip())
        if not m:
            raise ValueError(
                f"{value!r} is not a port; write 80, \"http:8080\", \"8080/UDP\" or "
                "{containerPort: 8080, name: http}"
            )
        port: dict[str, Any] = {"containerPort": int(m.group(2))}
        if m.group(1):
            port["name"] = m.group(1)
        if m.group(3):
            port["protocol"] = m.group(3).upper()
        return port
    return value


def _service_port_short(value: Any) -> Any:
    """``80`` / ``"http:80"`` on a Service: port and targetPort both that number."""
    short = _port_short(value)
    if isinstance(short, dict) and "containerPort" in short:
        port = short.pop("containerPort")
        return {**short, "port": port, "targetPort": port}
    return short


def _env_short(value: Any) -> Any:
    """``{NAME: value}`` -> ``[{name: NAME, value: "value"}]`` (values become strings)."""
    if isinstance(value, dict):
        out = []
        for key, val in value.items():
            if isinstance(val, dict):
                out.append({"name": key, **val})
            else:
                out.append({"name": key, "value": _scalar_text(val)})
        return out
    return value


def _scalar_text(value: Any) -> Any:
    """Numbers and booleans where Kubernetes wants a string, written as YAML would read them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _number_text(value: Any) -> Any:
    """A number where a string is wanted (``cpu: 1``, ``command: [sleep, 3600]``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _name_ref(value: Any) -> Any:
    """``regcred`` -> ``{name: regcred}`` (imagePullSecrets)."""
    return {"name": value} if isinstance(value, str) else value


def _service_short(value: Any) -> Any:
    """``service: true`` -> default ClusterIP Service; ``false``/null -> none."""
    if value is True:
        return {}
    if value is False:
        return None
    return value


# ---------------------------------------------------------------------------------------
# Schema building blocks


def _doc(text: str, **rules: Any) -> dict[str, Any]:
    rules["meta"] = {"doc": text}
    return rules


def _str(text: str, **rules: Any) -> dict[str, Any]:
    return _doc(text, type="string", **rules)


def _int(text: str, **rules: Any) -> dict[str, Any]:
    return _doc(text, type="integer", **rules)


def _bool(text: str, **rules: Any) -> dict[str, Any]:
    return _doc(text, type="boolean", **rules)


def _strlist(text: str, **rules: Any) -> dict[str, Any]:
    return _doc(text, type="list", schema={"type": "string", "coerce": _number_text}, **rules)


def _strmap(text: str, **rules: Any) -> dict[str, Any]:
    return _doc(
        text,
        type="dict",
        keysrules={"type": "string"},
        valuesrules={"type": "string", "coerce": _number_text},
        **rules,
    )


def _open_dict(text: str) -> dict[str, Any]:
    """A Kubernetes sub-object passed through as written (e.g. ``valueFrom``)."""
    return _doc(text, type="dict", allow_unknown=True)


_PORT_REF = {"type": ["integer", "string"]}

_HTTP_GET = _doc(
    "HTTP GET handler: success is a status 200-399.",
    type="dict",
    schema={
        "path": _str("URL path, e.g. /healthz."),
        "port": _doc("Port number or the name of a declared containerPort.", **_PORT_REF),
        "host": _str("Host name; defaults to the pod IP."),
        "scheme": _str(f"{choices(HTTP_SCHEMES, HTTP_SCHEMES[0], sep=' or ')}."),
        "httpHeaders": _doc(
            "Extra request headers.",
            type="list",
            schema={
                "type": "dict",
                "schema": {
                    "name": _str("Header name.", required=True),
                    "value": _str("Header value.", required=True, coerce=_number_text),
                },
            },
        ),
    },
)
_EXEC = _doc(
    "Run a command in the container: success is exit code 0.",
    type="dict",
    schema={"command": _strlist("The command and its arguments, as a list.")},
)
_TCP = _doc(
    "Open a TCP connection: success is the port accepting it.",
    type="dict",
    schema={
        "port": _doc("Port number or name.", **_PORT_REF),
        "host": _str("Host name; defaults to the pod IP."),
    },
)
_GRPC = _doc(
    "gRPC health check (grpc.health.v1).",
    type="dict",
    schema={
        "port": _int("Port number (names are not allowed for grpc)."),
        "service": _str("Service name sent in the health request."),
    },
)

_HANDLERS = {"exec": _EXEC, "httpGet": _HTTP_GET, "tcpSocket": _TCP, "grpc": _GRPC}

_PROBE = {
    "type": "dict",
    "schema": {
        **{name: _HANDLERS[name] for name in PROBE_HANDLERS},
        "initialDelaySeconds": _int("Seconds after start before the first probe (default 0)."),
        "periodSeconds": _int("Seconds between probes (default 10)."),
        "timeoutSeconds": _int("Seconds before a probe times out (default 1)."),
        "successThreshold": _int("Successes to count as passing (default 1; must be 1 except readiness)."),
        "failureThreshold": _int("Failures to count as failing (default 3)."),
        "terminationGracePeriodSeconds": _int("Probe-level grace period (not for readiness)."),
    },
}


def _probe(text: str) -> dict[str, Any]:
    return {**_PROBE, "meta": {"doc": text}}


_PROBE_DOCS = {
    "livenessProbe": "Restart the container when it fails.",
    "readinessProbe": "Take the pod out of Service endpoints while it fails.",
    "startupProbe": "Hold the other probes until the app has started.",
}


_SLEEP = _doc(
    "Pause for a number of seconds.",
    type="dict",
    schema={"seconds": _int("Seconds to sleep.", required=True)},
)
_LIFECYCLE_HANDLER = {
    "type": "dict",
    "schema": {
        **{name: {**_HANDLERS, "sleep": _SLEEP}[name] for name in HOOK_HANDLERS},
        "tcpSocket": _doc("Deprecated for hooks; rejected by the checks.", type="dict", allow_unknown=True),
    },
}

_RESOURCE_MAP = {
    "type": "dict",
    "keysrules": {"type": "string"},
    "valuesrules": {"type": "string", "coerce": _number_text},
}

_SECURITY_CONTEXT = _doc(
    "Kubernetes SecurityContext of the container, passed through (and checked).",
    type="dict",
    schema={
        "allowPrivilegeEscalation": _bool("Allow setuid binaries to gain privileges."),
        "privileged": _bool("Run as a privileged container (host root)."),
        "readOnlyRootFilesystem": _bool("Mount the root filesystem read-only."),
        "runAsNonRoot": _bool("Refuse to start as UID 0."),
        "runAsUser": _int("UID to run as."),
        "runAsGroup": _int("GID to run as."),
        "procMount": _str(f"{choices(PROC_MOUNT_TYPES, sep=' or ')}."),
        "capabilities": _doc(
            "Linux capabilities to add or drop.",
            type="dict",
            schema={"add": _strlist("Capabilities to add."), "drop": _strlist("Capabilities to drop (e.g. ALL).")},
        ),
        "seccompProfile": _doc(
            "Seccomp profile.",
            type="dict",
            schema={
                "type": _str(f"{', '.join(SECCOMP_TYPES[:-1])} or {SECCOMP_TYPES[-1]}.", required=True),
                "localhostProfile": _str("Profile file on the node."),
            },
        ),
        "appArmorProfile": _open_dict("AppArmor profile."),
        "seLinuxOptions": _open_dict("SELinux options."),
        "windowsOptions": _open_dict("Windows options."),
    },
)


def _container_schema(*, init: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": _str("Container name (DNS-1123 label), unique in the pod.", required=True),
        "image": _str("Image reference, e.g. nginx:1.27 or registry:5000/team/app@sha256:...", required=True),
        "imagePullPolicy": _str(f"{choices(PULL_POLICIES)}."),
        "command": _strlist("Entrypoint override, as a list (numbers become strings)."),
        "args": _strlist("Arguments, as a list (numbers become strings)."),
        "workingDir": _str("Working directory."),
        "env": _doc(
            "Environment: a mapping NAME: value (values become strings), or the Kubernetes list form.",
            type="list",
            coerce=_env_short,
            schema={
                "type": "dict",
                "schema": {
                    "name": _str("Variable name.", required=True),
                    "value": _str("Value (numbers and booleans become strings).", coerce=_scalar_text),
                    "valueFrom": _open_dict("Kubernetes EnvVarSource (configMapKeyRef, secretKeyRef, fieldRef, ...)."),
                },
            },
        ),
        "envFrom": _doc(
            "Kubernetes EnvFromSource list (configMapRef / secretRef).",
            type="list",
            schema={"type": "dict", "allow_unknown": True},
        ),
        "ports": _doc(
            'Ports: 80, "http:8080", "8080/UDP", "http:8080/UDP" or the Kubernetes form.',
            type="list",
            schema={
                "type": "dict",
                "coerce": _port_short,
                "schema": {
                    "name": _str("IANA service name (<= 15 chars), referable by probes and Services."),
                    "containerPort": _int("Port the container listens on.", required=True),
                    "protocol": _str(f"{choices(PROTOCOLS, PROTOCOLS[0])}."),
                    "hostPort": _int("Port on the node (ties the pod to nodes where it is free)."),
                    "hostIP": _str("Node IP to bind the hostPort to."),
                },
            },
        ),
        "resources": _doc(
            f"requests / limits of {', '.join(RESOURCE_NAMES)} "
            "(or extended resources such as nvidia.com/gpu). Wins over size, key by key. "
            "`resources: {}` means none.",
            type="dict",
            schema={
                "requests": {**_RESOURCE_MAP, "meta": {"doc": "Minimum guaranteed; used for scheduling."}},
                "limits": {**_RESOURCE_MAP, "meta": {"doc": "Maximum; memory over it is OOMKilled."}},
            },
        ),
        "size": _str(
            f"Short form for resources: {choices(SIZES)}. Default {DEFAULT_SIZE}.",
            allowed=list(SIZES),
        ),
        **{name: _probe(_PROBE_DOCS[name]) for name in PROBES},
        "lifecycle": _doc(
            "Hooks: postStart (after start) and preStop (before termination).",
            type="dict",
            schema={
                "postStart": {**_LIFECYCLE_HANDLER, "meta": {"doc": f"Exactly one of {choices(HOOK_HANDLERS)}."}},
                "preStop": {**_LIFECYCLE_HANDLER, "meta": {"doc": f"Exactly one of {choices(HOOK_HANDLERS)}."}},
            },
        ),
        "volumeMounts": _doc(
            "Mounts of this preset's volumes.",
            type="list",
            schema={
                "type": "dict",
                "schema": {
                    "name": _str("Name of a volume of this preset.", required=True),
                    "mountPath": _str("Absolute path in the container.", required=True),
                    "readOnly": _bool("Mount read-only."),
                    "subPath": _str("Relative path inside the volume."),
                    "mountPropagation": _str(f"{choices(MOUNT_PROPAGATIONS)}."),
                },
            },
        ),
        "securityContext": _SECURITY_CONTEXT,
    }
    if init:
        fields["restartPolicy"] = _str("Always makes the init container a sidecar (the only value allowed).")
    return {"type": "dict", "schema": fields}


_VOLUME = {
    "type": "dict",
    "schema": {
        "name": _str("Volume name (DNS-1123 label), unique in the pod.", required=True),
        "hostPath": _doc(
            "A directory or file of the node.",
            type="dict",
            schema={
                "path": _str("Absolute path on the node.", required=True),
                "type": _str(f"{choices(HOST_PATH_TYPES)}."),
            },
        ),
        "emptyDir": _doc(
            "Scratch space that lives as long as the pod.",
            type="dict",
            nullable=True,
            schema={
                "medium": _str(f"{choices(EMPTY_DIR_MEDIA)} (\"\" is the node's disk)."),
                "sizeLimit": _str("Maximum size, e.g. 64Mi.", coerce=_number_text),
            },
        ),
        "configMap": _doc(
            "Files from a ConfigMap (must exist before apply).",
            type="dict",
            schema={
                "name": _str("ConfigMap name.", required=True),
                "items": _doc("Keys to project.", type="list", schema={"type": "dict", "allow_unknown": True}),
                "defaultMode": _int("File mode, e.g. 0644."),
                "optional": _bool("Start even if the ConfigMap is missing."),
            },
        ),
        "secret": _doc(
            "Files from a Secret (must exist before apply).",
            type="dict",
            schema={
                "secretName": _str("Secret name.", required=True),
                "items": _doc("Keys to project.", type="list", schema={"type": "dict", "allow_unknown": True}),
                "defaultMode": _int("File mode, e.g. 0400."),
                "optional": _bool("Start even if the Secret is missing."),
            },
        ),
        "persistentVolumeClaim": _doc(
            "A PersistentVolumeClaim (must exist before apply).",
            type="dict",
            schema={"claimName": _str("PVC name.", required=True), "readOnly": _bool("Mount read-only.")},
        ),
    },
}

_SERVICE = _doc(
    "The Service in front of the workload: a mapping, `true` (ClusterIP with default ports), "
    "or absent/false for none.",
    type="dict",
    nullable=True,
    coerce=_service_short,
    schema={
        "name": _str("Service name (DNS-1035 label). Default: the preset name."),
        "type": _str(f"{choices(POD_SERVICE_TYPES, POD_SERVICE_TYPES[0])}.", default=POD_SERVICE_TYPES[0]),
        "annotations": _strmap("Annotations on the Service (e.g. for a cloud load balancer)."),
        "ports": _doc(
            "Service ports; default: one per containerPort of the first container.",
            type="list",
            schema={
                "type": "dict",
                "coerce": _service_port_short,
                "schema": {
                    "name": _str("Port name (required when there are several)."),
                    "port": _int("Port the Service listens on.", required=True),
                    "targetPort": _doc("containerPort number or name. Default: port.", **_PORT_REF),
                    "protocol": _str(f"{choices(PROTOCOLS, PROTOCOLS[0])}."),
                    "nodePort": _int("NodePort/LoadBalancer only: 30000-32767."),
                },
            },
        ),
    },
)

SCHEMA: dict[str, Any] = {
    "apiVersion": _str(f"Optional; the only version is {API_VERSION}.", allowed=[API_VERSION]),
    "name": _str("metadata.name of every object and the value of the `app` label.", required=True, empty=False),
    "kind": _str(f"{choices(PRESET_KINDS, PRESET_KINDS[0])}.", allowed=list(PRESET_KINDS), default=PRESET_KINDS[0]),
    "namespace": _str("Emitted on every object when given."),
    "replicas": _int(
        "Deployment: spec.replicas. Pod: how many bare Pods (name1..nameN when more than 1).",
        default=1,
    ),
    "labels": _strmap("Extra labels on every object; `app: <name>` is always set."),
    "annotations": _strmap("Annotations on every workload object."),
    "restartPolicy": _str(
        f"{choices(RESTART_POLICIES, RESTART_POLICIES[0])}. A Deployment accepts only Always.", default=RESTART_POLICIES[0]
    ),
    "terminationGracePeriodSeconds": _int("Seconds between SIGTERM and SIGKILL (Kubernetes default 30)."),
    "serviceAccountName": _str("ServiceAccount the pod runs as (must exist before apply)."),
    "imagePullSecrets": _doc(
        "Secrets for private registries: names, or [{name: regcred}].",
        type="list",
        schema={"type": "dict", "coerce": _name_ref, "schema": {"name": _str("Secret name.", required=True)}},
    ),
    "nodeSelector": _strmap("Node labels the pod must be scheduled on."),
    "containers": _doc(
        "The application containers (at least one).",
        type="list",
        required=True,
        minlength=1,
        schema=_container_schema(init=False),
    ),
    "initContainers": _doc(
        "Run in order, each to completion, before the containers start.",
        type="list",
        schema=_container_schema(init=True),
    ),
    "volumes": _doc("Volumes the containers mount; exactly one source each.", type="list", schema=_VOLUME),
    "service": _SERVICE,
    "checks": _doc(
        "scaffold's own settings for the checks (never emitted).",
        type="dict",
        schema={
            "ignore": _strlist("Rule ids to skip for this preset."),
            "allowHostPaths": _strlist("Sensitive hostPath paths allowed on purpose (e.g. /var/run/docker.sock)."),
        },
    ),
}


# ---------------------------------------------------------------------------------------
# Validation and the translation of cerberus errors into Issues


_local = threading.local()


def _validator() -> Any:
    """A cerberus validator for SCHEMA, one per thread (validators keep state).

    cerberus is imported here, not at module level: valid presets never need it (see the
    fast path below), and its import alone costs a fifth of a cold ``scaffold render``.
    """
    v = getattr(_local, "validator", None)
    if v is None:
        import cerberus  # type: ignore[import-untyped]

        class _Validator(cerberus.Validator):  # type: ignore[misc]
            """cerberus where ``integer`` does not accept ``true`` (bool is an int in Python)."""

            types_mapping = {
                **cerberus.Validator.types_mapping,
                "integer": cerberus.TypeDefinition("integer", (int,), (bool,)),
            }

        v = _Validator(SCHEMA, allow_unknown=False)
        _local.validator = v
    return v


def validate_shape(data: Any) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Normalize ``data`` (defaults, short forms) and check its shape.

    Returns the normalized preset, or None and the issues when the shape is wrong.
    """
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_type_name(data)}"
        return None, [Issue("", f"a preset must be a mapping of fields, got {kind}", rule="schema")]
    try:
        doc = _fast_mapping(SCHEMA, data, allow_unknown=False)
    except _Invalid:
        v = _validator()
        if not v.validate(data):
            return None, _issues_from(v._errors)
        # The fast path is conservative: cerberus has the last word. Its document may share
        # sub-objects with the caller's, and normalize works in place: copy it.
        import copy

        doc = copy.deepcopy(v.document)
    if doc.get("service", False) is None:
        del doc["service"]
    return doc, []


def salvage(data: Any, problems: list[Issue]) -> dict[str, Any] | None:
    """The well-shaped rest of a preset whose shape is wrong, or None.

    cerberus's document with every field that has a shape problem taken out (and a
    placeholder for a missing container name or image), so the rule engine can still judge
    the other fields and one report lists every problem. Best effort: None when too little
    is left (no name, no containers, a container that is not a mapping).
    """
    import copy

    from ..paths import parse_path

    if not isinstance(data, dict):
        return None
    v = _validator()
    v.validate(data)
    doc = copy.deepcopy(v.document)
    for issue in problems:
        try:
            path = parse_path(issue.path) if issue.path else ()
        except ValueError:
            return None
        if not path:
            return None
        parent: Any = doc
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        last = path[-1]
        if isinstance(parent, dict):
            if issue.message == "required field is missing" and len(path) == 3 and path[0] in ("containers", "initContainers"):
                parent[last] = f"placeholder-{last.lower()}" if last == "name" else "placeholder/image:0"
            else:
                parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
            if isinstance(parent[last], dict) or len(path) <= 2:
                return None  # a whole container or volume: the indexes after it would shift
            parent[last] = None
    if not isinstance(doc.get("name"), str) or not isinstance(doc.get("containers"), list) or not doc["containers"]:
        return None
    for group in ("containers", "initContainers"):
        if not all(isinstance(c, dict) for c in doc.get(group) or []):
            return None
    doc.setdefault("kind", "Deployment")
    doc.setdefault("replicas", 1)
    doc.setdefault("restartPolicy", "Always")
    if doc.get("service", False) is None or doc.get("service") is False:
        doc.pop("service", None)
    elif doc.get("service") is True:
        doc["service"] = {"type": "ClusterIP"}
    return doc


def validate_shape_cerberus(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Issue]]:
    """The reference: cerberus alone (tests compare the fast path against it)."""
    v = _validator()
    if v.validate(data):
        return v.document, []
    return None, _issues_from(v._errors)


# ---------------------------------------------------------------------------------------
# The fast path. cerberus takes about 30 ms for one preset (it builds a child validator per
# sub-document), which alone would make a render slower than the schema check of the
# manifests it produces. This interpreter walks the same SCHEMA dict with cerberus's
# normalization order (coerce, then sub-documents, then defaults) for the rules the schema
# uses, and only says "valid" when it is sure; anything else goes to cerberus, which writes
# the report. tests/test_schema.py checks the two agree on generated presets.


class _Invalid(Exception):
    pass


_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "dict": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, list),
}


def _fast_field(rules: dict[str, Any], value: Any) -> Any:
    coerce = rules.get("coerce")
    if coerce is not None:
        try:
            value = coerce(value)
        except Exception as err:
            raise _Invalid from err
    if value is None:
        if rules.get("nullable"):
            return None
        raise _Invalid
    wanted = rules.get("type")
    if wanted is not None:
        names = wanted if isinstance(wanted, list) else (wanted,)
        if not any(_TYPES[n](value) for n in names):
            raise _Invalid
    if "allowed" in rules and value not in rules["allowed"]:
        raise _Invalid
    if rules.get("empty") is False and len(value) == 0:
        raise _Invalid
    if "minlength" in rules and len(value) < rules["minlength"]:
        raise _Invalid
    if isinstance(value, dict):
        if "schema" in rules:
            value = _fast_mapping(rules["schema"], value, allow_unknown=rules.get("allow_unknown", False))
        else:
            keys, vals = rules.get("keysrules"), rules.get("valuesrules")
            if keys is not None or vals is not None:
                out = {}
                for k, v in value.items():
                    if keys is not None and _fast_field(keys, k) != k:
                        raise _Invalid
                    out[k] = _fast_field(vals, v) if vals is not None else v
                value = out
            elif rules.get("allow_unknown"):
                value = dict(value)
            elif value:
                raise _Invalid
    elif isinstance(value, list) and "schema" in rules:
        item_rules = rules["schema"]
        value = [_fast_field(item_rules, item) for item in value]
    return value


def _fast_mapping(schema: dict[str, Any], mapping: dict[str, Any], *, allow_unknown: bool) -> dict[str, Any]:
    """Known fields in schema order (so output is canonical however the user ordered them)."""
    out: dict[str, Any] = {}
    for key, rules in schema.items():
        # As cerberus: a null where a default exists (and null is not allowed) takes the default.
        defaulted = mapping.get(key) is None and "default" in rules and not rules.get("nullable")
        if key in mapping and not defaulted:
            out[key] = _fast_field(rules, mapping[key])
        elif "default" in rules:
            out[key] = rules["default"]
        elif rules.get("required"):
            raise _Invalid
    unknown = [key for key in mapping if key not in schema]
    if unknown:
        if not allow_unknown:
            raise _Invalid
        for key in unknown:
            out[key] = mapping[key]
    return out


def _leaves(errs: Any) -> list[Any]:
    out = []
    for err in errs:
        if err.is_group_error:
            out.extend(_leaves(err.child_errors))
        else:
            out.append(err)
    return out


def _issues_from(errs: Any) -> list[Issue]:
    from cerberus import errors as cerrors

    issues: list[Issue] = []
    seen: set[tuple[str, str]] = set()
    leaves = _leaves(errs)
    # A failed short form also fails the type check at the same place: say it once.
    coerced = {tuple(e.document_path) for e in leaves if e.code == cerrors.COERCION_FAILED.code}
    for err in leaves:
        path: Path = tuple(err.document_path)
        if path in coerced and err.code != cerrors.COERCION_FAILED.code:
            continue
        message = _message(err, path)
        key = (format_path(path), message)
        if key in seen:
            continue
        seen.add(key)
        rule = "unknown-field" if err.code == cerrors.UNKNOWN_FIELD.code else "schema"
        issues.append(Issue(format_path(path), message, rule=rule))
    return issues


_TYPE_WORDS = {
    "string": "a string",
    "integer": "a whole number",
    "boolean": "true or false",
    "dict": "a mapping",
    "list": "a list",
}


def _type_name(value: Any) -> str:
    return {
        dict: "mapping",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _message(err: Any, path: Path) -> str:
    import difflib

    from cerberus import errors as cerrors

    code = err.code
    if code == cerrors.REQUIRED_FIELD.code:
        return "required field is missing"
    if code == cerrors.UNKNOWN_FIELD.code:
        key = path[-1] if path else ""
        known = _known_keys(path[:-1])
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else (f"; known fields: {', '.join(known)}" if known and len(known) <= 12 else "")
        return f"unknown field {key!r}{hint}"
    if code == cerrors.BAD_TYPE.code:
        wanted = err.constraint if isinstance(err.constraint, (list, tuple)) else [err.constraint]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        value = err.value
        if value is None:
            return f"must be {words}, not empty (null)"
        return f"must be {words}, not {_type_name(value)} {_show(value)}"
    if code == cerrors.UNALLOWED_VALUE.code:
        allowed = [str(a) for a in err.constraint]
        close = difflib.get_close_matches(str(err.value), allowed, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{_show(err.value)} is not one of {', '.join(allowed)}{hint}"
    if code == cerrors.EMPTY_NOT_ALLOWED.code:
        return "must not be empty"
    if code == cerrors.MIN_LENGTH.code:
        return f"needs at least {err.constraint} item{'s' if err.constraint != 1 else ''}"
    if code == cerrors.NOT_NULLABLE.code:
        return "must not be empty (null)"
    if code == cerrors.COERCION_FAILED.code:
        cause = err.info[0] if err.info else None
        return str(cause) if cause else "cannot be read"
    if err.info and isinstance(err.info[0], str):
        return err.info[0]
    return f"invalid value {_show(err.value)} ({err.rule})"


def _known_keys(path: Path) -> list[str]:
    """Field names the schema allows at ``path`` (for did-you-mean)."""
    node: Any = {"type": "dict", "schema": SCHEMA}
    for part in path:
        if node is None:
            return []
        if isinstance(part, int):
            node = node.get("schema") if node.get("type") == "list" else None
        else:
            sub = node.get("schema")
            node = sub.get(part) if isinstance(sub, dict) else None
    if node and isinstance(node.get("schema"), dict):
        return list(node["schema"])
    return []
