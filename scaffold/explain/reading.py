"""Reading pod documents: ``kubectl get pod -o json|yaml`` output, Lists, and other clients' dumps.

Every field the diagnosis reads is checked against the shape the API server writes, so a
diagnosis never trips over a wrong type: ``null`` is read as absent (other clients than
kubectl write it), the Python client's snake_case ``to_dict()`` names are read as the API's
camelCase ones, and any other mismatch (a string where a mapping belongs, ``restartCount:
abc``) is a :class:`PodInputError` that names the field with its line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, Union

from ..errors import Issue, PresetError, ScaffoldError
from ..paths import format_path

Path = tuple[Union[str, int], ...]

# Leaf types of the shape below; a dict is a mapping with known fields, a list a list of one shape.
STR, INT, BOOL, TIME, MAP, ANY = "string", "integer", "boolean", "time", "map", "any"

_KEY_REF = {"name": STR, "key": STR, "optional": BOOL}
_OBJ_REF = {"name": STR, "optional": BOOL}
_PROBE = {
    "httpGet": MAP, "tcpSocket": MAP, "exec": MAP, "grpc": MAP, "initialDelaySeconds": INT,
    "periodSeconds": INT, "timeoutSeconds": INT, "failureThreshold": INT, "successThreshold": INT,
}
_CONTAINER: dict[str, Any] = {
    "name": STR,
    "image": STR,
    "imagePullPolicy": STR,
    "command": [STR],
    "args": [STR],
    "resources": {"limits": MAP, "requests": MAP},
    "env": [{"name": STR, "valueFrom": {"configMapKeyRef": _KEY_REF, "secretKeyRef": _KEY_REF}}],
    "envFrom": [{"configMapRef": _OBJ_REF, "secretRef": _OBJ_REF, "prefix": STR}],
    "ports": [{"name": STR, "containerPort": INT, "hostPort": INT, "protocol": STR}],
    "volumeMounts": [{"name": STR, "mountPath": STR, "subPath": STR}],
    "livenessProbe": _PROBE,
    "readinessProbe": _PROBE,
    "startupProbe": _PROBE,
    "lifecycle": MAP,
    "securityContext": MAP,
    "restartPolicy": STR,
}
_SPEC = {
    "containers": [_CONTAINER],
    "initContainers": [_CONTAINER],
    "volumes": [{
        "name": STR,
        "persistentVolumeClaim": {"claimName": STR},
        "configMap": {"name": STR},
        "secret": {"secretName": STR},
        "emptyDir": {"sizeLimit": ANY, "medium": STR},
    }],
    "nodeName": STR,
    "nodeSelector": MAP,
    "affinity": {"nodeAffinity": MAP, "podAffinity": MAP, "podAntiAffinity": MAP},
    "tolerations": [{"key": STR, "operator": STR, "value": STR, "effect": STR, "tolerationSeconds": INT}],
    "topologySpreadConstraints": [MAP],
    "schedulingGates": [{"name": STR}],
    "readinessGates": [{"conditionType": STR}],
    "restartPolicy": STR,
    "activeDeadlineSeconds": INT,
    "terminationGracePeriodSeconds": INT,
    "priorityClassName": STR,
    "priority": INT,
    "imagePullSecrets": [MAP],
}
_STATE = {
    "waiting": {"reason": STR, "message": STR},
    "running": {"startedAt": TIME},
    "terminated": {"exitCode": INT, "signal": INT, "reason": STR, "message": STR, "startedAt": TIME, "finishedAt": TIME},
}
_CONTAINER_STATUS = {
    "name": STR, "image": STR, "imageID": STR, "containerID": STR, "ready": BOOL, "started": BOOL,
    "restartCount": INT, "state": _STATE, "lastState": _STATE,
}
STATUS: dict[str, Any] = {
    "phase": STR,
    "reason": STR,
    "message": STR,
    "nominatedNodeName": STR,
    "hostIP": STR,
    "podIP": STR,
    "qosClass": STR,
    "startTime": TIME,
    "conditions": [{"type": STR, "status": STR, "reason": STR, "message": STR, "lastTransitionTime": TIME, "lastProbeTime": TIME}],
    "initContainerStatuses": [_CONTAINER_STATUS],
    "containerStatuses": [_CONTAINER_STATUS],
}
POD: dict[str, Any] = {
    "apiVersion": STR,
    "kind": STR,
    "metadata": {
        "name": STR,
        "namespace": STR,
        "uid": STR,
        "creationTimestamp": TIME,
        "deletionTimestamp": TIME,
        "deletionGracePeriodSeconds": INT,
        "finalizers": [STR],
        "ownerReferences": [{"kind": STR, "name": STR, "controller": BOOL}],
        "labels": MAP,
        "annotations": MAP,
    },
    "spec": _SPEC,
    "status": STATUS,
}

_WANT = {
    STR: "a string",
    INT: "an integer",
    BOOL: "true or false",
    TIME: "a time (RFC 3339, e.g. 2024-03-05T10:00:00Z)",
    MAP: "a mapping",
}


class PodInputError(ScaffoldError):
    """The input is not shaped like a pod the API server writes; ``.issues`` names every field."""

    def __init__(self, issues: list[Issue], source: str | None = None) -> None:
        self.issues = issues
        head = f"{source}: " if source else ""
        lines = [f"{head}cannot diagnose: not the shape of `kubectl get pod NAME -o yaml` output:"]
        lines += [f"  {i.format()}" for i in issues]
        if any("got 'None'" in i.message or "got 'True'" in i.message for i in issues):
            lines.append("  (this looks like Python's print() of the client's to_dict(); save it with "
                         "json.dumps(pod.to_dict(), default=str), or use `kubectl get pod NAME -o yaml`)")
        super().__init__("\n".join(lines))


def _snake(key: str) -> str:
    """The Python client's attribute name of an API field: ``restartCount`` -> ``restart_count``."""
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key).lower()


def _aliases(key: str) -> tuple[str, ...]:
    snake = _snake(key)
    return (key, snake, "_" + snake) if snake != key else (key, "_" + key)  # exec -> _exec


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Normalizer:
    """Walks one pod along the shape, building a clean copy and collecting every mismatch."""

    def __init__(self, where: Callable[[Path], tuple[int | None, int | None]] | None, source: str | None) -> None:
        self.where = where
        self.source = source
        self.issues: list[Issue] = []

    def problem(self, path: Path, message: str) -> None:
        line, column = self.where(path) if self.where else (None, None)
        self.issues.append(Issue(format_path(path), message, "error", "input", line, column, self.source))

    def value(self, value: Any, shape: Any, path: Path) -> Any:
        """The clean value, or None (absent) after recording why it does not fit."""
        if value is None:
            return None
        if isinstance(shape, dict):
            if not isinstance(value, dict):
                fields = ", ".join(list(shape)[:3])
                self.problem(path, f"expected a mapping (with {fields} ...), got {_shown(value)}")
                return None
            out = {}
            for key, sub in shape.items():
                for name in _aliases(key):
                    if name in value:
                        clean = self.value(value[name], sub, (*path, name))
                        if clean is not None:
                            out[key] = clean
                        break
            return out
        if isinstance(shape, list):
            if not isinstance(value, list):
                self.problem(path, f"expected a list, got {_shown(value)}")
                return None
            item_shape = shape[0]
            items = []
            for i, item in enumerate(value):
                clean = self.value(item, item_shape, (*path, i))
                if clean is None and isinstance(item_shape, dict):
                    clean = {}  # keep the indexes of the file: spec.containers[2] stays [2]
                if clean is not None:
                    items.append(clean)
            return items
        if shape == ANY:
            return value
        if shape == MAP:
            if not isinstance(value, dict):
                self.problem(path, f"expected a mapping, got {_shown(value)}")
                return None
            return {k: v for k, v in value.items() if v is not None}
        if shape == STR and isinstance(value, str):
            return value
        if shape == INT and isinstance(value, int) and not isinstance(value, bool):
            return value
        if shape == BOOL and isinstance(value, bool):
            return value
        if shape == TIME and isinstance(value, (str, datetime)):
            return value if isinstance(value, str) else value.isoformat()
        self.problem(path, f"expected {_WANT[shape]}, got {_shown(value)}")
        return None


def normalize(
    obj: Any,
    shape: Any = None,
    *,
    path: Path = (),
    where: Callable[[Path], tuple[int | None, int | None]] | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """A clean copy of one pod (camelCase names, no nulls, right types), or :class:`PodInputError`.

    ``path`` is where the object sits in its file (``items[3]`` in a List), ``where`` gives
    the line and column of a path in that file.
    """
    norm = _Normalizer(where, source)
    if not isinstance(obj, dict):
        norm.problem(path, f"expected a pod (a mapping), got {_shown(obj)}")
        raise PodInputError(norm.issues, source)
    clean = norm.value(obj, shape or POD, path)
    if norm.issues:
        raise PodInputError(norm.issues, source)
    return clean  # type: ignore[no-any-return]


def _kind(obj: dict[str, Any]) -> str | None:
    kind = obj.get("kind")
    return kind if isinstance(kind, str) else None


def _is_bare_status(obj: dict[str, Any]) -> bool:
    """The output of ``kubectl get pod NAME -o jsonpath='{.status}'``: a status without the pod."""
    keys = set(obj)
    return _kind(obj) is None and "spec" not in keys and "status" not in keys and bool(
        keys & {"phase", "containerStatuses", "container_statuses", "conditions"})


def pods_from_text(text: str | bytes, *, source: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The pods of a ``kubectl get pod -o json|yaml`` output (a Pod, a List, several documents).

    Returns ``(pods, notes)``, each pod normalized (see :func:`normalize`); notes name the
    documents that are not pods. Raises :class:`PodInputError` naming every malformed field
    of every pod with its line and column, and :class:`ScaffoldError` for unreadable YAML.
    """
    from ..loader import load_yaml_all

    try:
        docs = load_yaml_all(text, source=source)
    except PresetError as exc:  # the loader's report, without render's "nothing was rendered"
        hint = ""
        raw = text if isinstance(text, str) else text.decode("utf-8", "replace")
        if "datetime.datetime(" in raw or "{'api_version'" in raw:
            hint = ("; this looks like Python's print() of the client's to_dict(): save it with "
                    "json.dumps(pod.to_dict(), default=str), or use `kubectl get pod NAME -o yaml`")
        raise ScaffoldError("; ".join(str(i) for i in exc.issues) + hint) from None
    pods: list[dict[str, Any]] = []
    notes: list[str] = []
    issues: list[Issue] = []

    for n, doc in enumerate(docs, 1):
        label = f"{source} document {n}" if len(docs) > 1 else source

        def add(obj: Any, path: Path, mark: Callable[[Path], tuple[int | None, int | None]] = doc.mark) -> None:
            where = f"{label} {format_path(path)}" if path else label
            if isinstance(obj, dict) and (_kind(obj) or "").endswith("List") and isinstance(obj.get("items"), list):
                for i, item in enumerate(obj["items"]):
                    add(item, (*path, "items", i))
            elif isinstance(obj, dict) and (_kind(obj) == "Pod" or (_kind(obj) is None and "status" in obj and "spec" in obj)):
                try:
                    pods.append(normalize(obj, path=path, where=mark, source=source))
                except PodInputError as exc:
                    issues.extend(exc.issues)
            elif isinstance(obj, dict) and _is_bare_status(obj):
                try:
                    pods.append({"status": normalize(obj, STATUS, path=path, where=mark, source=source)})
                    notes.append(f"{where}: a bare pod status (no metadata or spec): names and spec fields are unknown")
                except PodInputError as exc:
                    issues.extend(exc.issues)
            elif isinstance(obj, dict):
                notes.append(f"{where}: skipped {_kind(obj) or 'an object without kind'} (only Pods are diagnosed)")
            else:
                notes.append(f"{where}: skipped a document that is not an object")

        add(doc.data, ())
    if issues:
        raise PodInputError(issues, source)
    return pods, notes
