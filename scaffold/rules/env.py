"""Environment variables and the objects a pod refers to by name.

A misspelled variable name fails at apply; a ConfigMap or Secret that does not exist yet
applies fine and leaves the pod in ContainerCreating or CreateContainerConfigError, so
every reference is listed as something that must exist before apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..paths import Path
from ..k8s.validators import env_name
from ..k8s.vocab import CONTAINER_GROUPS
from . import Finding, Workload, as_dict, as_list, rule
from .common import containers, show

VALUE_FROM = ("configMapKeyRef", "secretKeyRef", "fieldRef", "resourceFieldRef", "fileKeyRef")
ENV_FROM = ("configMapRef", "secretRef")

#: What each reference is called in messages and in the validate summary, in summary order.
REFERENCE_KINDS = ("ServiceAccount", "pull Secret", "ConfigMap", "Secret", "PersistentVolumeClaim")
_WHAT_FAILS = {
    "ConfigMap": "CreateContainerConfigError or ContainerCreating",
    "Secret": "CreateContainerConfigError or ContainerCreating",
    "PersistentVolumeClaim": "Pending",
    "ServiceAccount": "the pod is not created",
    "pull Secret": "ImagePullBackOff",
}


@rule(
    "env-name",
    severity="error",
    scope="pod",
    summary="Environment variable names are valid ([-._a-zA-Z][-._a-zA-Z0-9]*); value and valueFrom exclude each other; duplicates are warned about.",
    prevents="the API server rejects it (duplicates: the last one silently wins)",
    fix="Use names like LOG_LEVEL; give each variable once, with either value or valueFrom.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    env:
      LOG LEVEL: info
""",
)
def env_name_rule(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec, CONTAINER_GROUPS):
        env = container.get("env")
        if env is not None and not isinstance(env, list):
            yield Finding((*path, "env"), f"env must be a list of {{name, value}} mappings, not {show(env)}")
            continue
        seen: dict[Any, int] = {}
        for j, var in enumerate(as_list(env)):
            where = (*path, "env", j)
            if not isinstance(var, dict):
                yield Finding(where, f"an env entry must be a mapping with name and value, not {show(var)}")
                continue
            name = var.get("name")
            problem = env_name(name)
            if problem:
                yield Finding((*where, "name"), problem)
            elif name in seen:
                yield Finding(
                    (*where, "name"),
                    f"{name} is already set by env[{seen[name]}]; the last one silently wins, so remove one",
                    severity="warning",
                )
            else:
                seen[name] = j
            source = var.get("valueFrom")
            if source is None:
                continue
            if var.get("value") not in (None, ""):
                yield Finding((*where, "valueFrom"), f"{name} has both value and valueFrom; keep one")
            kinds = [k for k in VALUE_FROM if as_dict(source).get(k) is not None]
            if len(kinds) != 1:
                what = "none" if not kinds else ", ".join(kinds)
                yield Finding((*where, "valueFrom"), f"valueFrom needs exactly one of {', '.join(VALUE_FROM[:4])} (has {what})")
        for j, item in enumerate(as_list(container.get("envFrom"))):
            where = (*path, "envFrom", j)
            kinds = [k for k in ENV_FROM if as_dict(item).get(k) is not None]
            if len(kinds) != 1:
                yield Finding(where, f"an envFrom entry needs exactly one of configMapRef, secretRef (has {', '.join(kinds) or 'none'})")
            prefix = as_dict(item).get("prefix")
            if prefix not in (None, ""):
                problem = env_name(prefix)
                if problem:
                    yield Finding((*where, "prefix"), f"prefix: {problem}")


def _optional(ref: Any) -> bool:
    return as_dict(ref).get("optional") is True


def references(spec: dict[str, Any]) -> Iterator[tuple[Path, str, str]]:
    """``(path, kind, name)`` of every object the pod spec needs to exist (optional ones left out)."""
    account = spec.get("serviceAccountName", spec.get("serviceAccount"))
    if isinstance(account, str) and account and account != "default":
        field = "serviceAccountName" if "serviceAccountName" in spec else "serviceAccount"
        yield (field,), "ServiceAccount", account
    for i, secret in enumerate(as_list(spec.get("imagePullSecrets"))):
        name = as_dict(secret).get("name")
        if isinstance(name, str) and name:
            yield ("imagePullSecrets", i, "name"), "pull Secret", name
    for i, volume in enumerate(as_list(spec.get("volumes"))):
        volume = as_dict(volume)
        for source, kind, field in (
            ("configMap", "ConfigMap", "name"),
            ("secret", "Secret", "secretName"),
            ("persistentVolumeClaim", "PersistentVolumeClaim", "claimName"),
        ):
            ref = volume.get(source)
            name = as_dict(ref).get(field)
            if isinstance(name, str) and name and not _optional(ref):
                yield ("volumes", i, source, field), kind, name
        for k, item in enumerate(as_list(as_dict(volume.get("projected")).get("sources"))):
            for source, kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                ref = as_dict(item).get(source)
                name = as_dict(ref).get("name")
                if isinstance(name, str) and name and not _optional(ref):
                    yield ("volumes", i, "projected", "sources", k, source, "name"), kind, name
    for path, container in containers(spec, CONTAINER_GROUPS):
        for j, var in enumerate(as_list(container.get("env"))):
            value_from = as_dict(as_dict(var).get("valueFrom"))
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                ref = value_from.get(key)
                name = as_dict(ref).get("name")
                if isinstance(name, str) and name and not _optional(ref):
                    yield (*path, "env", j, "valueFrom", key, "name"), kind, name
        for j, item in enumerate(as_list(container.get("envFrom"))):
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = as_dict(item).get(key)
                name = as_dict(ref).get("name")
                if isinstance(name, str) and name and not _optional(ref):
                    yield (*path, "envFrom", j, key, "name"), kind, name


@rule(
    "referenced-objects",
    severity="notice",
    scope="pod",
    mark="RUN",
    summary="ConfigMaps, Secrets, PVCs, the ServiceAccount and imagePullSecrets the pod refers to must exist in the namespace before apply.",
    prevents="CreateContainerConfigError / ContainerCreating (missing ConfigMap or Secret), ImagePullBackOff (pull secret)",
    fix="Create them first (kubectl get configmap,secret,pvc,serviceaccount -n NAMESPACE), or mark optional references optional: true.",
    example="""\
name: web
containers:
  - name: web
    image: nginx:1.27
    volumeMounts: [{name: conf, mountPath: /etc/nginx/conf.d}]
volumes:
  - {name: conf, configMap: {name: nginx-conf}}
""",
)
def referenced_objects(w: Workload) -> Iterator[Finding]:
    for path, kind, name in references(w.spec):
        index = w.config.index
        if w.config.manifest and index is not None:  # lint: defined in the input, in the pod's namespace
            if index.find(kind.split()[-1], w.namespace, name) is not None:
                continue
        elif (kind.split()[-1], name) in w.config.present:  # defined in the same file: applied with it
            continue
        yield Finding(path, f"{kind} {name!r} must exist in the namespace before apply (else {_WHAT_FAILS[kind]})")
