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
from ..k8s.kinds import KIND_FIELDS, KINDS, PRESET_KINDS
from ..k8s.vocab import (
    COMPLETION_MODES,
    CONCURRENCY_POLICIES,
    DEPLOYMENT_STRATEGIES,
    DNS_POLICIES,
    EMPTY_DIR_MEDIA,
    FS_GROUP_CHANGE_POLICIES,
    HOOK_HANDLERS,
    HOST_PATH_TYPES,
    HTTP_SCHEMES,
    MOUNT_PROPAGATIONS,
    NODE_INCLUSION_POLICIES,
    POD_MANAGEMENT_POLICIES,
    POD_SERVICE_TYPES,
    PROBE_HANDLERS,
    PROBES,
    PROC_MOUNT_TYPES,
    PROTOCOLS,
    PULL_POLICIES,
    RESOURCE_NAMES,
    RESTART_POLICIES,
    SECCOMP_TYPES,
    SELINUX_CHANGE_POLICIES,
    SUPPLEMENTAL_GROUPS_POLICIES,
    TAINT_EFFECTS,
    TERMINATION_MESSAGE_POLICIES,
    TOLERATION_OPERATORS,
    UNSATISFIABLE_ACTIONS,
    UPDATE_STRATEGIES,
    choices,
)
from ..paths import Path, format_path

API_VERSION = "scaffold/v1"
#: The rows of the size table (scaffold/data/sizes.yaml, which holds their values), in order.
SIZES = ("tiny", "small", "medium", "large", "xlarge")
#: The size a container without resources gets.
DEFAULT_SIZE = "small"
#: The largest values of the API's int32 and int64 fields (``min``/``max`` below).
INT32_MAX, INT64_MAX = 2**31 - 1, 2**63 - 1


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


class NamedTarget(str):
    """The targetPort of ``"http:80"``: the containerPort named ``http`` when the workload
    declares one, else the number (``fallback``). :mod:`scaffold.preset.normalize` decides,
    since only it sees the containers; the schema only reads the string."""

    fallback: int

    def __new__(cls, name: str, fallback: int) -> NamedTarget:
        self = super().__new__(cls, name)
        self.fallback = fallback
        return self

    def __getnewargs__(self) -> tuple[str, int]:  # type: ignore[override]
        return str(self), self.fallback


_SERVICE_PORT_FORMS = (
    '80, "80:8000" (port:targetPort), "80:http", "http:80" (named; targets the containerPort '
    'named http when there is one), "http:80:8000", any of these + "/UDP", or {port: 80, targetPort: 8000}'
)
_NAME_OR_NUMBER = r"[^:/\s]+"


def _service_port_short(value: Any) -> Any:
    """The short forms of a Service port (docs/preset-format.md, "Service"), read left to right:
    a leading number is the port, a leading name is the port's name."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"port": value, "targetPort": value}
    if not isinstance(value, str):
        return value
    m = re.fullmatch(rf"({_NAME_OR_NUMBER})(?::({_NAME_OR_NUMBER}))?(?::({_NAME_OR_NUMBER}))?(?:/([A-Za-z]+))?", value.strip())
    parts = [p for p in m.groups()[:3] if p is not None] if m else []
    out: dict[str, Any] = {}
    if len(parts) == 1 and parts[0].isdigit():  # "80"
        out = {"port": int(parts[0]), "targetPort": int(parts[0])}
    elif len(parts) == 2 and parts[0].isdigit():  # "80:8000", "80:http"
        out = {"port": int(parts[0]), "targetPort": int(parts[1]) if parts[1].isdigit() else parts[1]}
    elif len(parts) == 2 and parts[1].isdigit():  # "http:80"
        out = {"name": parts[0], "port": int(parts[1]), "targetPort": NamedTarget(parts[0], int(parts[1]))}
    elif len(parts) == 3 and not parts[0].isdigit() and parts[1].isdigit():  # "http:80:8000", "http:80:web"
        out = {"name": parts[0], "port": int(parts[1]), "targetPort": int(parts[2]) if parts[2].isdigit() else parts[2]}
    else:
        raise ValueError(f"{value!r} is not a Service port; write {_SERVICE_PORT_FORMS}")
    if m and m.group(4):
        out["protocol"] = m.group(4).upper()
    return out


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


_PORT_REF = {"type": ["integer", "string"]}

_HTTP_GET = _doc(
    "HTTP GET handler: success is a status 200-399.",
    type="dict",
    schema={
        "path": _str("URL path, e.g. /healthz."),
        "port": _doc("Port number or the name of a declared containerPort.", required=True, **_PORT_REF),
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
        "port": _doc("Port number or name.", required=True, **_PORT_REF),
        "host": _str("Host name; defaults to the pod IP."),
    },
)
_GRPC = _doc(
    "gRPC health check (grpc.health.v1).",
    type="dict",
    schema={
        "port": _int("Port number (names are not allowed for grpc).", required=True),
        "service": _str("Service name sent in the health request."),
    },
)

_HANDLERS = {"exec": _EXEC, "httpGet": _HTTP_GET, "tcpSocket": _TCP, "grpc": _GRPC}

_PROBE = {
    "type": "dict",
    "schema": {
        **{name: _HANDLERS[name] for name in PROBE_HANDLERS},
        "initialDelaySeconds": _int("Seconds after start before the first probe (default 0).", max=INT32_MAX),
        "periodSeconds": _int("Seconds between probes (default 10).", max=INT32_MAX),
        "timeoutSeconds": _int("Seconds before a probe times out (default 1).", max=INT32_MAX),
        "successThreshold": _int("Successes to count as passing (default 1; must be 1 except readiness).", max=INT32_MAX),
        "failureThreshold": _int("Failures to count as failing (default 3).", max=INT32_MAX),
        "terminationGracePeriodSeconds": _int("Probe-level grace period (not for readiness).", max=INT64_MAX),
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
    schema={"seconds": _int("Seconds to sleep.", required=True, max=INT64_MAX)},
)
_LIFECYCLE_HANDLER = {
    "type": "dict",
    "schema": {
        **{name: {**_HANDLERS, "sleep": _SLEEP}[name] for name in HOOK_HANDLERS},
        "tcpSocket": {**_TCP, "meta": {"doc": "Deprecated for hooks; rejected by the checks."}},
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
        "runAsUser": _int("UID to run as.", min=0, max=INT32_MAX),
        "runAsGroup": _int("GID to run as.", min=0, max=INT32_MAX),
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
        "appArmorProfile": _doc(
            "AppArmor profile.",
            type="dict",
            schema={
                "type": _str(f"{', '.join(SECCOMP_TYPES[:-1])} or {SECCOMP_TYPES[-1]}.", required=True),
                "localhostProfile": _str("Profile loaded on the node."),
            },
        ),
        "seLinuxOptions": _doc(
            "SELinux label of the container.",
            type="dict",
            schema={k: _str(f"SELinux {k}.") for k in ("user", "role", "type", "level")},
        ),
        "windowsOptions": _doc(
            "Windows-specific options.",
            type="dict",
            schema={
                "gmsaCredentialSpecName": _str("Name of the GMSACredentialSpec."),
                "gmsaCredentialSpec": _str("GMSA credential spec contents."),
                "runAsUserName": _str("User name to run as."),
                "hostProcess": _bool("Run as a host process container."),
            },
        ),
    },
)


def _object_ref(kind: str) -> dict[str, Any]:
    return {"name": _str(f"{kind} name.", required=True), "optional": _bool(f"Start even if the {kind} is missing.")}


def _key_ref(kind: str) -> dict[str, Any]:
    return _doc(
        f"One key of a {kind}.",
        type="dict",
        schema={**_object_ref(kind), "key": _str(f"The key in the {kind}.", required=True)},
    )


# The Kubernetes sub-objects a preset passes through are typed here like any other field: a
# missing required key (configMapKeyRef without key) or a wrong type must be a located error,
# never a manifest the API server refuses (issue 9 item 1). Which source is given, and that it
# is exactly one, is for the rules (lint judges the same fields).
_VALUE_FROM = _doc(
    "Kubernetes EnvVarSource: exactly one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef.",
    type="dict",
    schema={
        "configMapKeyRef": _key_ref("ConfigMap"),
        "secretKeyRef": _key_ref("Secret"),
        "fieldRef": _doc(
            "A field of the pod, e.g. metadata.name or status.podIP.",
            type="dict",
            schema={"fieldPath": _str("Path of the field.", required=True), "apiVersion": _str("Version of fieldPath (v1).")},
        ),
        "resourceFieldRef": _doc(
            "A container's request or limit, e.g. limits.memory.",
            type="dict",
            schema={
                "resource": _str("requests.cpu, limits.memory, ...", required=True),
                "containerName": _str("The container; default this one."),
                "divisor": _doc("Unit of the value, a quantity (default 1).", type="string", coerce=_number_text),
            },
        ),
    },
)

_KEY_TO_PATH = _doc(
    "Keys to project, as files.",
    type="list",
    schema={
        "type": "dict",
        "schema": {
            "key": _str("The key.", required=True),
            "path": _str("Relative file path to write it to.", required=True),
            "mode": _int("File mode, e.g. 0400.", min=0, max=0o777),
        },
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
                    "valueFrom": _VALUE_FROM,
                },
            },
        ),
        "envFrom": _doc(
            "Kubernetes EnvFromSource list: each one of configMapRef / secretRef, and an optional prefix.",
            type="list",
            schema={
                "type": "dict",
                "schema": {
                    "prefix": _str("Prepended to every variable name."),
                    "configMapRef": _doc("Every key of a ConfigMap.", type="dict", schema=_object_ref("ConfigMap")),
                    "secretRef": _doc("Every key of a Secret.", type="dict", schema=_object_ref("Secret")),
                },
            },
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
    fields["terminationMessagePolicy"] = _str(f"{choices(TERMINATION_MESSAGE_POLICIES, TERMINATION_MESSAGE_POLICIES[0])}.")
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
                "items": _KEY_TO_PATH,
                "defaultMode": _int("File mode, e.g. 0644.", min=0, max=0o777),
                "optional": _bool("Start even if the ConfigMap is missing."),
            },
        ),
        "secret": _doc(
            "Files from a Secret (must exist before apply).",
            type="dict",
            schema={
                "secretName": _str("Secret name.", required=True),
                "items": _KEY_TO_PATH,
                "defaultMode": _int("File mode, e.g. 0400.", min=0, max=0o777),
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
            'Service ports: 80, "80:8000" (port:targetPort), "80:http", "http:80" (named; targets the '
            'containerPort named http when there is one, else 80), "http:80:8000", each optionally + "/UDP", '
            "or the Kubernetes form. Default: one per containerPort of the first container.",
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

_PATCH_OPS = ["add", "remove", "replace", "move", "copy", "test"]

_PATCH = {
    "type": "dict",
    "schema": {
        "target": _doc(
            "Which rendered objects to patch: `kind` (required) and `name` (default: every object of that kind).",
            type="dict",
            required=True,
            schema={
                "kind": _str("Kind of the rendered objects, e.g. Deployment or Service.", required=True, empty=False),
                "name": _str("metadata.name of the object; default: every object of that kind."),
            },
        ),
        "merge": _doc(
            "A JSON merge patch (RFC 7386): mappings merge, anything else replaces, null deletes a key.",
            type="dict",
            allow_unknown=True,
        ),
        "json": _doc(
            "A JSON patch (RFC 6902): a list of operations, applied in order.",
            type="list",
            schema={
                "type": "dict",
                "schema": {
                    "op": _str("The operation.", required=True, allowed=_PATCH_OPS),
                    "path": _str("JSON pointer to the field, e.g. /spec/template/spec/hostname (~1 is /, ~0 is ~).", required=True),
                    "from": _str("Source pointer (move and copy)."),
                    "value": _doc("The value (add, replace and test): any YAML data.", nullable=True, allow_unknown=True),
                },
            },
        ),
    },
}




# ---------------------------------------------------------------------------------------
# Issue 10: more workload kinds, pod fields and the target Kubernetes version. Kind-specific
# fields are refused on the other kinds by :func:`_kind_problems` (the kinds registry says
# which kind takes which field); values are judged by the rules (``scaffold.rules.controllers``
# and ``scaffold.rules.podfields``), so ``lint`` judges the same fields.


def _strategy_short(value: Any) -> Any:
    """``Recreate`` / ``RollingUpdate`` / ``OnDelete`` -> ``{type: ...}``; a mapping with only
    ``rollingUpdate`` gets ``type: RollingUpdate``."""
    if isinstance(value, str):
        if value not in ("Recreate", "RollingUpdate", "OnDelete"):
            raise ValueError(f"{value!r} is not a strategy; write Recreate, RollingUpdate or OnDelete (or leave it out)")
        return {"type": value}
    if isinstance(value, dict) and "rollingUpdate" in value and "type" not in value:
        return {"type": "RollingUpdate", **value}
    return value


_SPREAD_KEYS = {"node": "kubernetes.io/hostname", "zone": "topology.kubernetes.io/zone"}


def _spread_short(value: Any) -> Any:
    """``node`` / ``zone`` -> a topology spread constraint's key, skew and policy."""
    if isinstance(value, str):
        if value not in _SPREAD_KEYS:
            close = [k for k in _SPREAD_KEYS if k[0] == value[:1].lower()]
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"{value!r} is not node or zone{hint}; or write {{topologyKey: ..., maxSkew: 1}}")
        return {"topologyKey": _SPREAD_KEYS[value]}
    return value


def _version_text(value: Any) -> Any:
    """``kubeVersion: 1.29`` (a YAML number) -> ``"1.29"``."""
    if isinstance(value, float) and not isinstance(value, bool):
        return repr(value)
    return value


_INT_OR_PERCENT = {"type": ["integer", "string"]}

_ROLLING = {
    "maxSurge": _doc("Pods above the desired count during a rollout: a number or a percentage (25%).", **_INT_OR_PERCENT),
    "maxUnavailable": _doc("Pods below the desired count during a rollout: a number or a percentage.", **_INT_OR_PERCENT),
}

_POD_SECURITY_CONTEXT = _doc(
    "The pod's securityContext (Kubernetes PodSecurityContext), applied to every container.",
    type="dict",
    schema={
        "runAsNonRoot": _bool("Refuse to start a container as UID 0."),
        "runAsUser": _int("UID the containers run as."),
        "runAsGroup": _int("GID the containers run as."),
        "fsGroup": _int("GID that owns mounted volumes."),
        "fsGroupChangePolicy": _str(f"{choices(FS_GROUP_CHANGE_POLICIES)}."),
        "supplementalGroups": _doc("Extra GIDs.", type="list", schema={"type": "integer"}),
        "supplementalGroupsPolicy": _str(f"{choices(SUPPLEMENTAL_GROUPS_POLICIES)}."),
        "seccompProfile": _SECURITY_CONTEXT["schema"]["seccompProfile"],
        "appArmorProfile": _SECURITY_CONTEXT["schema"]["appArmorProfile"],
        "seLinuxOptions": _SECURITY_CONTEXT["schema"]["seLinuxOptions"],
        "seLinuxChangePolicy": _str(f"{choices(SELINUX_CHANGE_POLICIES)}."),
        "windowsOptions": _SECURITY_CONTEXT["schema"]["windowsOptions"],
        "sysctls": _doc(
            "Namespaced kernel parameters.",
            type="list",
            schema={"type": "dict", "schema": {"name": _str("sysctl name.", required=True), "value": _str("Value.", required=True, coerce=_number_text)}},
        ),
    },
)

def _open_dict(text: str) -> dict[str, Any]:
    """A Kubernetes sub-object passed through as written and judged by the rules (affinity,
    label selectors: the scheduling-fields rule checks their required keys)."""
    return _doc(text, type="dict", allow_unknown=True)


_LABEL_SELECTOR = _open_dict("Kubernetes LabelSelector (matchLabels / matchExpressions).")

_KIND_FIELDS_SCHEMA: dict[str, Any] = {
    # Deployment (and StatefulSet/DaemonSet where the kinds registry says so)
    "strategy": _doc(
        "Deployment: RollingUpdate (default) | Recreate, or {rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}.",
        type="dict",
        coerce=_strategy_short,
        schema={"type": _str(f"{choices(DEPLOYMENT_STRATEGIES)}."), "rollingUpdate": _doc("Rollout pace.", type="dict", schema=_ROLLING)},
    ),
    "minReadySeconds": _int("Seconds a new pod must be ready before it counts as available."),
    "revisionHistoryLimit": _int("Old revisions kept for rollback (Kubernetes default 10)."),
    "progressDeadlineSeconds": _int("Deployment: seconds before a stalled rollout is reported failed (default 600)."),
    # StatefulSet
    "serviceName": _str("StatefulSet: its governing headless Service (emitted by scaffold). Default <name>-headless."),
    "podManagementPolicy": _str(f"StatefulSet: {choices(POD_MANAGEMENT_POLICIES, POD_MANAGEMENT_POLICIES[0])}."),
    "updateStrategy": _doc(
        "StatefulSet and DaemonSet: RollingUpdate (default) | OnDelete, or the Kubernetes form.",
        type="dict",
        coerce=_strategy_short,
        schema={
            "type": _str(f"{choices(UPDATE_STRATEGIES)}."),
            "rollingUpdate": _doc(
                "Rollout pace.",
                type="dict",
                schema={**_ROLLING, "partition": _int("StatefulSet: only pods with an ordinal >= partition are updated.")},
            ),
        },
    ),
    "volumeClaimTemplates": _doc(
        "StatefulSet: a PersistentVolumeClaim per pod, mountable by name like a volume.",
        type="list",
        schema={
            "type": "dict",
            "schema": {
                "name": _str("Claim template name (DNS-1123 label); volumeMounts[].name refers to it.", required=True),
                "size": _str("Storage requested, a quantity (10Gi).", required=True, coerce=_number_text),
                "accessModes": _strlist("ReadWriteOnce (default) | ReadOnlyMany | ReadWriteMany | ReadWriteOncePod.", default=["ReadWriteOnce"]),
                "storageClassName": _str("StorageClass; default: the cluster's default class."),
            },
        },
    ),
    # Job and CronJob
    "completions": _int("Job: successful pods needed (default 1)."),
    "parallelism": _int("Job: pods running at once (default 1)."),
    "backoffLimit": _int("Job: retries before the Job fails (default 6)."),
    "activeDeadlineSeconds": _int("Job: seconds before the Job is stopped and failed."),
    "ttlSecondsAfterFinished": _int("Job: seconds after it finishes before the Job is deleted."),
    "completionMode": _str(f"Job: {choices(COMPLETION_MODES, COMPLETION_MODES[0])}."),
    # CronJob
    "schedule": _str("CronJob (required): five cron fields (`30 2 * * *`) or @hourly, @daily, @weekly, @monthly, @yearly."),
    "timeZone": _str("CronJob: IANA time zone of the schedule (Europe/Berlin); default the controller's (UTC)."),
    "concurrencyPolicy": _str(f"CronJob: {choices(CONCURRENCY_POLICIES, CONCURRENCY_POLICIES[0])}."),
    "startingDeadlineSeconds": _int("CronJob: seconds a missed run may still start late."),
    "successfulJobsHistoryLimit": _int("CronJob: finished Jobs kept (default 3)."),
    "failedJobsHistoryLimit": _int("CronJob: failed Jobs kept (default 1)."),
    "suspend": _bool("CronJob: true stops new runs."),
}

_POD_FIELDS_SCHEMA: dict[str, Any] = {
    "securityContext": _POD_SECURITY_CONTEXT,
    "tolerations": _doc(
        "Taints the pod tolerates: [{key, operator: Equal | Exists, value, effect: NoSchedule | PreferNoSchedule | NoExecute}].",
        type="list",
        schema={
            "type": "dict",
            "schema": {
                "key": _str("Taint key; empty with operator Exists tolerates everything."),
                "operator": _str(f"{choices(TOLERATION_OPERATORS, TOLERATION_OPERATORS[0])}."),
                "value": _str("Taint value (operator Equal).", coerce=_scalar_text),
                "effect": _str(f"{choices(TAINT_EFFECTS)}; empty matches all."),
                "tolerationSeconds": _int("NoExecute: seconds the pod stays after the taint appears."),
            },
        },
    ),
    "affinity": _doc(
        "Kubernetes Affinity: nodeAffinity, podAffinity, podAntiAffinity (checked).",
        type="dict",
        schema={
            "nodeAffinity": _open_dict("Which nodes the pod may (required...) or prefers to (preferred...) run on."),
            "podAffinity": _open_dict("Run near pods with these labels."),
            "podAntiAffinity": _open_dict("Run away from pods with these labels."),
        },
    ),
    "spread": _doc(
        "Short form: node | zone | {topologyKey, maxSkew: 1, whenUnsatisfiable: ScheduleAnyway}: a "
        "topologySpreadConstraint on the app label.",
        type="dict",
        coerce=_spread_short,
        schema={
            "topologyKey": _str("Node label whose values are the domains.", required=True),
            "maxSkew": _int("Largest allowed difference of pod counts between domains (default 1).", min=1),
            "whenUnsatisfiable": _str(f"{choices(UNSATISFIABLE_ACTIONS, 'ScheduleAnyway')}.", allowed=list(UNSATISFIABLE_ACTIONS)),
        },
    ),
    "topologySpreadConstraints": _doc(
        "The Kubernetes form of spread (labelSelector, maxSkew, topologyKey, whenUnsatisfiable, ...).",
        type="list",
        schema={
            "type": "dict",
            "schema": {
                "maxSkew": _int("Largest allowed difference of pod counts between domains.", required=True),
                "topologyKey": _str("Node label whose values are the domains.", required=True),
                "whenUnsatisfiable": _str(f"{choices(UNSATISFIABLE_ACTIONS)}.", required=True),
                "labelSelector": _LABEL_SELECTOR,
                "minDomains": _int("DoNotSchedule: domains to count as existing."),
                "nodeAffinityPolicy": _str(f"{choices(NODE_INCLUSION_POLICIES, 'Honor')}."),
                "nodeTaintsPolicy": _str(f"{choices(NODE_INCLUSION_POLICIES, 'Ignore')}."),
                "matchLabelKeys": _strlist("Pod label keys added to the selector."),
            },
        },
    ),
    "priorityClassName": _str("PriorityClass of the pod (must exist before apply)."),
    "automountServiceAccountToken": _bool("false keeps the API token out of the pod."),
    "hostNetwork": _bool("Use the node's network namespace (Pod Security baseline refuses it)."),
    "hostPID": _bool("Share the node's process namespace (Pod Security baseline refuses it)."),
    "hostIPC": _bool("Share the node's IPC namespace (Pod Security baseline refuses it)."),
    "dnsPolicy": _str(f"{choices(DNS_POLICIES, DNS_POLICIES[0])}."),
    "dnsConfig": _doc(
        "Extra DNS settings (required with dnsPolicy None).",
        type="dict",
        schema={
            "nameservers": _strlist("DNS server IPs (at most 3)."),
            "searches": _strlist("Search domains (at most 32)."),
            "options": _doc(
                "resolv.conf options.",
                type="list",
                schema={"type": "dict", "schema": {"name": _str("Option name.", required=True), "value": _str("Value.", coerce=_number_text)}},
            ),
        },
    ),
    "hostAliases": _doc(
        "Extra /etc/hosts entries.",
        type="list",
        schema={"type": "dict", "schema": {"ip": _str("IP address.", required=True), "hostnames": _strlist("Host names for it.", required=True)}},
    ),
    "runtimeClassName": _str("RuntimeClass (e.g. gvisor) of the pod."),
    "shareProcessNamespace": _bool("Containers see each other's processes."),
    "enableServiceLinks": _bool("Inject *_SERVICE_HOST variables of every Service (default true)."),
}


# ---------------------------------------------------------------------------------------
# Objects that travel with the app: ServiceAccount, ConfigMaps, PVCs, Ingress, HPA, PDB,
# NetworkPolicy, and the security profile. Kept together so the block merges as one.


def _flag_short(value: Any) -> Any:
    """``true`` -> ``{}`` (the defaults); ``false`` / null -> absent."""
    if value is True:
        return {}
    if value is False:
        return None
    return value


def _budget_short(value: Any) -> Any:
    """``disruptionBudget: true`` -> ``{maxUnavailable: 1}``."""
    if value is True:
        return {"maxUnavailable": 1}
    if value is False:
        return None
    return value


def _tls_short(value: Any) -> Any:
    """``tls: true`` -> ``{}`` (secretName ``<name>-tls``); ``false`` -> no TLS."""
    if value is True:
        return {}
    if value is False:
        return None
    return value



_PEER = {
    "type": "dict",
    "schema": {
        "podLabels": _strmap("Pods with these labels (in the policy's namespace, or in the namespaces below)."),
        "namespaceLabels": _strmap("Namespaces with these labels (every pod in them, or those with podLabels)."),
    },
}

_COMPANIONS: dict[str, Any] = {
    "serviceAccount": _doc(
        "A ServiceAccount for the pod: `true` (named like the preset) or {name, automountToken}.",
        type="dict",
        nullable=True,
        coerce=_flag_short,
        schema={
            "name": _str("ServiceAccount name. Default: serviceAccountName, else the preset name."),
            "automountToken": _bool("automountServiceAccountToken of the ServiceAccount (and, with a profile, of the pod)."),
        },
    ),
    "configMaps": _doc(
        "ConfigMaps emitted with the app (not reported as \"must exist before apply\").",
        type="list",
        schema={
            "type": "dict",
            "schema": {
                "name": _str("ConfigMap name.", required=True, empty=False),
                "data": _doc(
                    "Keys and string values (numbers and booleans become strings).",
                    type="dict",
                    keysrules={"type": "string"},
                    valuesrules={"type": "string", "coerce": _scalar_text},
                ),
                "files": _strlist(
                    "UTF-8 files read relative to the preset file's directory (a dict preset or stdin: "
                    "the current directory), and only inside it; the key is the file's base name."
                ),
                "immutable": _bool("Refuse later changes to the data."),
            },
        },
    ),
    "persistentVolumeClaims": _doc(
        "PersistentVolumeClaims emitted with the app; volumes use them by claimName.",
        type="list",
        schema={
            "type": "dict",
            "schema": {
                "name": _str("PVC name.", required=True, empty=False),
                "size": _str("Requested storage, a quantity such as 5Gi.", required=True, coerce=_number_text),
                "accessModes": _strlist("Default [ReadWriteOnce]."),
                "storageClassName": _str("StorageClass; default: the cluster's default class."),
            },
        },
    ),
    "ingress": _doc(
        "A networking.k8s.io/v1 Ingress to the Service (needs `service`).",
        type="dict",
        nullable=True,
        coerce=_flag_short,
        schema={
            "host": _str("Host name (a DNS name; a wildcard is allowed at the left).", required=True),
            "path": _str("URL path, starting with /. Default /.", default="/"),
            "pathType": _str("Prefix (default) | Exact | ImplementationSpecific.", default="Prefix"),
            "port": _doc("A Service port name or number. Default: the Service's first port.", **_PORT_REF),
            "className": _str("spec.ingressClassName (e.g. nginx)."),
            "tls": _doc(
                "`true` (secretName <name>-tls) or {secretName: x}.",
                type="dict",
                nullable=True,
                coerce=_tls_short,
                schema={"secretName": _str("Secret holding the certificate and key.")},
            ),
            "annotations": _strmap("Annotations on the Ingress (controller settings)."),
        },
    ),
    "autoscale": _doc(
        "An autoscaling/v2 HorizontalPodAutoscaler; the workload's spec.replicas is then left out.",
        type="dict",
        nullable=True,
        schema={
            "min": _int("minReplicas. Default: replicas."),
            "max": _int("maxReplicas (>= min).", required=True),
            "cpu": _int("Target average cpu utilization, percent of the cpu request (default 80 when no target is given)."),
            "memory": _int("Target average memory utilization, percent of the memory request."),
        },
    ),
    "disruptionBudget": _doc(
        "A policy/v1 PodDisruptionBudget on the app label: {maxUnavailable} or {minAvailable} "
        "(an integer or a percentage); `true` = maxUnavailable: 1.",
        type="dict",
        nullable=True,
        coerce=_budget_short,
        schema={
            "maxUnavailable": _doc("Pods that may be down at once (integer or percentage).", **_INT_OR_PERCENT),
            "minAvailable": _doc("Pods that must stay up (integer or percentage).", **_INT_OR_PERCENT),
        },
    ),
    "networkPolicy": _doc(
        "A networking.k8s.io/v1 NetworkPolicy for the app's pods; `true` = from the same namespace, egress all.",
        type="dict",
        nullable=True,
        coerce=_flag_short,
        schema={
            "from": _doc(
                "Who may connect to the container ports; [] = nobody; omitted = the same namespace.",
                type="list",
                schema=_PEER,
            ),
            "egress": _str("all (default: no egress rules) | dns (DNS only) | none.", allowed=["all", "dns", "none"], default="all"),
        },
    ),
    "security": _str(
        "A profile: restricted (fills the securityContexts so the pod meets the restricted Pod "
        "Security Standard) | baseline | none (default). Explicit values win and are checked "
        "against the profile at error level.",
        allowed=["restricted", "baseline", "none"],
    ),
}
#: Companion fields whose short form ``false`` (or null) means "none": dropped after the shape check.
_DROPPED_WHEN_NULL = ("service", "serviceAccount", "ingress", "autoscale", "disruptionBudget", "networkPolicy")

SCHEMA: dict[str, Any] = {
    "apiVersion": _str(f"Optional; the only version is {API_VERSION}.", allowed=[API_VERSION]),
    "name": _str("metadata.name of every object and the value of the `app` label.", required=True, empty=False),
    "kind": _str(
        f"{choices(PRESET_KINDS, PRESET_KINDS[0])}.",
        allowed=list(PRESET_KINDS),
        default=PRESET_KINDS[0],
    ),
    "namespace": _str("Emitted on every object when given."),
    "replicas": _int(
        "Deployment: spec.replicas. Pod: how many bare Pods (name1..nameN when more than 1).",
        default=1,
        max=INT32_MAX,
    ),
    "labels": _strmap("Extra labels on every object; `app: <name>` is always set."),
    "annotations": _strmap("Annotations on every workload object."),
    "restartPolicy": _str(
        f"{choices(RESTART_POLICIES, RESTART_POLICIES[0])}. A Deployment accepts only Always.", default=RESTART_POLICIES[0]
    ),
    "terminationGracePeriodSeconds": _int("Seconds between SIGTERM and SIGKILL (Kubernetes default 30).", min=0, max=INT64_MAX),
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
    # ----- Objects that travel with the app (preset-format.md), in the order they are emitted.
    **_COMPANIONS,
    "patches": _doc(
        "Changes to the rendered objects for fields the format does not model; applied in order, "
        "before the checks. Each has a `target` and exactly one of `merge` or `json`.",
        type="list",
        schema=_PATCH,
    ),
    "checks": _doc(
        "scaffold's own settings for the checks (never emitted).",
        type="dict",
        schema={
            "ignore": _strlist("Rule ids to skip for this preset (docs/validation.md); an id that names no rule is an error."),
            "allowHostPaths": _strlist("Sensitive hostPath paths allowed on purpose (e.g. /var/run/docker.sock)."),
        },
    ),
    "kubeVersion": _str(
        "The oldest Kubernetes version the output must work on (\"1.29\"); --kube-version wins. "
        "Default: the newest version scaffold knows.",
        coerce=_version_text,
    ),
    **_KIND_FIELDS_SCHEMA,
    **_POD_FIELDS_SCHEMA,
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
        import cerberus

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
    return _finish(data, doc)


def _finish(data: dict[str, Any], doc: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Issue]]:
    """What follows the shape check, whichever path checked it: sections switched off (``false``
    or null) are absent, then the kind's own fields are checked and filled."""
    for key in _DROPPED_WHEN_NULL:
        if key in doc and doc[key] is None:
            del doc[key]
    ingress = doc.get("ingress")
    if ingress is not None and ingress.get("tls", False) is None:
        del ingress["tls"]
    problems = _kind_problems(data, doc)
    if problems:
        return None, problems
    return doc, []


def _kind_problems(data: dict[str, Any], doc: dict[str, Any]) -> list[Issue]:
    """Kind-specific fields set on a kind that does not take them; the kind's defaults.

    Works on what the user wrote (``data``): the schema's defaults (``replicas: 1``) are no
    choice of theirs. Fills in place what depends on the kind (``restartPolicy: OnFailure`` for
    Jobs, a StatefulSet's ``serviceName``).
    """
    kind = doc.get("kind", "Deployment")
    info = KINDS[kind]
    issues = []
    for field, kinds in KIND_FIELDS.items():
        if field in data and kind not in kinds and data[field] is not None and data[field] is not False:
            takers = ", ".join(kinds[:-1]) + f" and {kinds[-1]}" if len(kinds) > 1 else kinds[0]
            if field == "replicas":
                why = f"a {kind} takes no replicas" + (
                    " (it runs one pod on every node it may schedule to)" if kind == "DaemonSet" else
                    " (use completions and parallelism)" if kind in ("Job", "CronJob") else ""
                )
            elif field == "service":
                why = f"a {kind} runs to completion and serves no traffic: it takes no service"
            else:
                why = f"{field} is a field of {takers}, not of a {kind}"
            if field in ("replicas", "service"):
                why += f"; {field} is a field of {takers}"
            rule = "daemonset-replicas" if (field, kind) == ("replicas", "DaemonSet") else "kind-field"
            issues.append(Issue(field, why, rule=rule))
    if "schedule" in info.fields and "schedule" not in data:
        issues.append(Issue("schedule", "required field is missing: a CronJob needs a schedule such as '0 3 * * *'", rule="schema"))
    if not issues:
        _kind_defaults(data, doc)
    return issues


def _kind_defaults(data: dict[str, Any], doc: dict[str, Any]) -> None:
    """What depends on the kind: Jobs restart OnFailure, a StatefulSet's Service name, no
    replica count for kinds that take none."""
    info = KINDS.get(doc.get("kind", "Deployment"))
    if info is None:
        return
    if "restartPolicy" not in data and "Always" not in info.restart_policies:
        doc["restartPolicy"] = info.restart_policies[0]
    if "serviceName" in info.fields and isinstance(doc.get("name"), str):
        doc.setdefault("serviceName", f"{doc['name']}-headless")
    if "replicas" not in info.fields:
        doc.pop("replicas", None)


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
    _kind_defaults(data, doc)
    for key in _DROPPED_WHEN_NULL:
        if key in doc and (doc[key] is None or doc[key] is False):
            doc.pop(key)
    if doc.get("service") is True:
        doc["service"] = {"type": "ClusterIP"}
    return doc


def validate_shape_cerberus(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Issue]]:
    """The reference: cerberus alone (tests compare the fast path against it)."""
    v = _validator()
    if v.validate(data):
        return _finish(data, v.document)
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


#: What each cerberus ``type`` name of :data:`SCHEMA` accepts (the fast path's and the
#: importer's check; cerberus itself is only imported to explain a wrong preset).
TYPE_CHECKS: dict[str, Any] = {
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
        if not any(TYPE_CHECKS[n](value) for n in names):
            raise _Invalid
    if "allowed" in rules and value not in rules["allowed"]:
        raise _Invalid
    if ("min" in rules and value < rules["min"]) or ("max" in rules and value > rules["max"]):
        raise _Invalid
    if rules.get("empty") is False and len(value) == 0:
        raise _Invalid
    if "minlength" in rules and len(value) < rules["minlength"]:
        raise _Invalid
    if "min" in rules and value < rules["min"]:
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
        if key in _kubernetes_fields(path[:-1]):
            # Not a typo: no did-you-mean for a field that merely looks alike (issue 9 item 10).
            return f"{key!r} is a Kubernetes field the preset format does not model; set it with `patches:` (docs/patches.md)"
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
    if code in (cerrors.MIN_VALUE.code, cerrors.MAX_VALUE.code):
        low = code == cerrors.MIN_VALUE.code
        bound = {INT32_MAX: f"{INT32_MAX} (2^31-1)", INT64_MAX: f"{INT64_MAX} (2^63-1)", 0o777: "511 (0777)"}.get(err.constraint, str(err.constraint))
        return f"{_show(err.value)} is {'below' if low else 'above'} {bound}, the {'smallest' if low else 'largest'} value the API server accepts"
    if code == cerrors.EMPTY_NOT_ALLOWED.code:
        return "must not be empty"
    if code == cerrors.MIN_LENGTH.code:
        return f"needs at least {err.constraint} item{'s' if err.constraint != 1 else ''}"
    if code == cerrors.MIN_VALUE.code:
        return f"must be {err.constraint} or more, not {_show(err.value)}"
    if code == cerrors.NOT_NULLABLE.code:
        return "must not be empty (null)"
    if code == cerrors.COERCION_FAILED.code:
        cause = err.info[0] if err.info else None
        return str(cause) if cause else "cannot be read"
    if err.info and isinstance(err.info[0], str):
        return err.info[0]
    return f"invalid value {_show(err.value)} ({err.rule})"


def _kubernetes_fields(path: Path) -> tuple[str, ...]:
    """The Kubernetes field names of the object a preset mapping at ``path`` stands for."""
    from ..k8s import vocab

    if path == ():
        return vocab.POD_SPEC_FIELDS + vocab.WORKLOAD_SPEC_FIELDS
    if len(path) == 2 and path[0] in ("containers", "initContainers") and isinstance(path[1], int):
        return vocab.CONTAINER_FIELDS
    if path == ("service",):
        return vocab.SERVICE_SPEC_FIELDS
    return ()


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
