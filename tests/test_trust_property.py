"""Issue 9 item 1, as a property: a preset that renders with exit 0 is accepted by the API
server. The oracle is kubernetes-validate in strict mode, on 1.30 and the newest version.

The presets are generated from one that sets every passthrough field scaffold carries into the
manifests (valueFrom's four sources, envFrom, securityContext, the probes' handlers and
httpHeaders, lifecycle handlers, volume sources and their items), then mutated: keys dropped
(partial objects), values replaced by values of other types, unknown keys added.
"""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold
from scaffold.errors import PresetError

kubernetes_validate = pytest.importorskip("kubernetes_validate")
VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]

@functools.lru_cache(maxsize=None)
def _validator(version: str, kind: str, api_version: str) -> Any:
    """kubernetes_validate.validate's strict check, built once per version and kind: the
    function itself reads the schema files (megabytes of JSON) on every call."""
    import jsonschema
    from kubernetes_validate import utils
    from referencing import Registry, Resource

    actual = [v for v in utils.all_versions() if utils.major_minor(v) <= utils.major_minor(version)][-1]
    folder = f"kubernetes-json-schema/v{actual}-local-strict"
    api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema = utils.schema_contents(f"{folder}/{kind.lower()}-{api}.json", version)
    defs = utils.schema_contents(f"{folder}/_definitions.json", version)
    registry = Resource.from_contents(defs) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


def strict_validate(obj: dict[str, Any]) -> None:
    for version in VERSIONS:
        _validator(version, obj["kind"], obj["apiVersion"]).validate(obj)


HEADERS = [{"name": "X-Probe", "value": "1"}]
FULL: dict[str, Any] = {
    "name": "web",
    "replicas": 2,
    "containers": [
        {
            "name": "web",
            "image": "nginx:1.27",
            "size": "small",
            "ports": [{"containerPort": 8080, "name": "http"}],
            "env": [
                {"name": "A", "valueFrom": {"configMapKeyRef": {"name": "conf", "key": "a", "optional": True}}},
                {"name": "B", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "b", "optional": False}}},
                {"name": "C", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name", "apiVersion": "v1"}}},
                {"name": "D", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "containerName": "web", "divisor": "1Mi"}}},
            ],
            "envFrom": [{"configMapRef": {"name": "conf", "optional": True}, "prefix": "CONF_"}, {"secretRef": {"name": "creds"}}],
            "securityContext": {
                "allowPrivilegeEscalation": False,
                "readOnlyRootFilesystem": True,
                "runAsNonRoot": True,
                "runAsUser": 10001,
                "runAsGroup": 10001,
                "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
                "seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/web.json"},
                "appArmorProfile": {"type": "Localhost", "localhostProfile": "web"},
                "seLinuxOptions": {"user": "system_u", "role": "system_r", "type": "container_t", "level": "s0:c1"},
                "windowsOptions": {"runAsUserName": "web", "hostProcess": False, "gmsaCredentialSpecName": "gmsa"},
            },
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP", "host": "localhost", "httpHeaders": HEADERS}, "periodSeconds": 10},
            "readinessProbe": {"tcpSocket": {"port": 8080, "host": "localhost"}, "failureThreshold": 3},
            "startupProbe": {"grpc": {"port": 8080, "service": "health"}, "failureThreshold": 30},
            "lifecycle": {
                "postStart": {"exec": {"command": ["sh", "-c", "true"]}},
                "preStop": {"httpGet": {"path": "/drain", "port": 8080, "httpHeaders": HEADERS}},
            },
            "volumeMounts": [
                {"name": "conf", "mountPath": "/etc/conf", "readOnly": True},
                {"name": "certs", "mountPath": "/etc/certs", "readOnly": True},
                {"name": "cache", "mountPath": "/cache"},
            ],
        }
    ],
    "volumes": [
        {"name": "conf", "configMap": {"name": "conf", "items": [{"key": "a", "path": "a.conf", "mode": 0o644}], "defaultMode": 0o644, "optional": True}},
        {"name": "certs", "secret": {"secretName": "certs", "items": [{"key": "tls.crt", "path": "tls.crt", "mode": 0o400}], "defaultMode": 0o400}},
        {"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
        {"name": "data", "persistentVolumeClaim": {"claimName": "data", "readOnly": True}},
        {"name": "host", "hostPath": {"path": "/var/lib/web", "type": "DirectoryOrCreate"}},
    ],
    "service": {"ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
}
#: Where the mutations go: the passthrough sub-objects (their parents are the container and the pod).
ROOTS = [
    ("containers", 0, "env"),
    ("containers", 0, "envFrom"),
    ("containers", 0, "securityContext"),
    ("containers", 0, "livenessProbe"),
    ("containers", 0, "readinessProbe"),
    ("containers", 0, "startupProbe"),
    ("containers", 0, "lifecycle"),
    ("volumes",),
]
JUNK = [None, 0, 7, -1, 1.5, "", "x", "80", True, False, [], ["x"], {}, {"x": 1}]


def _paths(node: Any, path: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*path, i))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


PATHS = [p for root in ROOTS for p in _paths(_get(FULL, root), root)]
MUTATIONS = st.lists(
    st.tuples(st.sampled_from(PATHS), st.sampled_from(["drop", "replace", "unknown"]), st.sampled_from(JUNK)),
    min_size=1,
    max_size=4,
)


def mutated(mutations: list[tuple[tuple[Any, ...], str, Any]]) -> dict[str, Any]:
    doc = copy.deepcopy(FULL)
    for path, op, junk in mutations:
        try:
            parent = _get(doc, path[:-1])
            if op == "unknown":
                target = _get(doc, path)
                if isinstance(target, dict):
                    target["extraField"] = copy.deepcopy(junk)
            elif op == "drop" and isinstance(parent, dict):
                del parent[path[-1]]
            elif op == "drop" and isinstance(parent, list):
                parent.pop(path[-1])
            else:
                parent[path[-1]] = copy.deepcopy(junk)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation took the path away
    return doc


def _check(preset: dict[str, Any]) -> None:
    try:
        objects = scaffold.render(preset)
    except PresetError:
        return  # refused with located issues: exit 1, nothing emitted
    for obj in objects:
        strict_validate(obj)


def test_the_full_preset_renders_and_passes_strict_schema() -> None:
    # The property below starts here: this preset must render, or every example is refused.
    for obj in scaffold.render(FULL):
        for version in VERSIONS:
            kubernetes_validate.validate(obj, version, strict=True)


def test_the_cached_validator_is_kubernetes_validate_strict() -> None:
    import jsonschema

    (dep, _) = scaffold.render(FULL)
    dep["spec"]["template"]["spec"]["containers"][0]["env"][0]["valueFrom"]["configMapKeyRef"].pop("key")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(dep, VERSIONS[0], strict=True)
    with pytest.raises(jsonschema.ValidationError):
        strict_validate(dep)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MUTATIONS)
def test_a_preset_that_renders_passes_strict_schema_validation(mutations: list[tuple[tuple[Any, ...], str, Any]]) -> None:
    _check(mutated(mutations))


def test_dropping_any_one_key_of_a_passthrough_object_is_refused_or_still_valid() -> None:
    # Exhaustive for partial objects (a missing required key), which random mutations could miss.
    for path in PATHS:
        if isinstance(_get(FULL, path[:-1]), dict):
            _check(mutated([(path, "drop", None)]))
