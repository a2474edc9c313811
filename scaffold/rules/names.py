"""Names and labels: what the API server checks before anything is stored.

JSON schemas have no name patterns, so ``kubeconform`` passes ``name: My_App`` and the
apply fails; these rules say so first, with a spelling that works.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..k8s.validators import dns1035_label, dns1123_label, dns1123_subdomain, label_key, label_value
from . import CheckConfig, Finding, Workload, as_dict, as_list, rule
from .common import CONTAINER_GROUPS, containers, pod_spec, show


@rule(
    "name-format",
    severity="error",
    scope="object",
    kinds=("Pod", "Deployment", "Service"),
    summary="Pod and Deployment names are DNS subdomains, Service names DNS-1035 labels, "
    "container, volume and namespace names DNS-1123 labels.",
    prevents="the API server rejects it",
    fix="Use lowercase letters, digits and '-' (Services: start with a letter), at most 63 characters.",
    example="""\
name: web
containers:
  - name: Web_Server
    image: nginx:1.27
""",
)
def name_format(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    kind = obj.get("kind")
    meta = as_dict(obj.get("metadata"))
    name = meta.get("name")
    if name is None:
        if not meta.get("generateName"):
            yield Finding(("metadata", "name"), f"the {kind} has no name; set metadata.name")
    else:
        problem = (dns1035_label if kind == "Service" else dns1123_subdomain)(name)
        if problem:
            yield Finding(("metadata", "name"), f"{kind} {problem}")
    if "namespace" in meta:
        problem = dns1123_label(meta["namespace"])
        if problem:
            yield Finding(("metadata", "namespace"), f"namespace {problem}")
    found = pod_spec(obj)
    if found is None:
        return
    prefix, spec = found
    for path, container in containers(spec, CONTAINER_GROUPS):
        if "name" not in container:
            yield Finding((*prefix, *path), "the container has no name; give it a DNS-1123 label such as 'app'")
            continue
        problem = dns1123_label(container["name"])
        if problem:
            yield Finding((*prefix, *path, "name"), f"container {problem}")
    for i, volume in enumerate(as_list(spec.get("volumes"))):
        if isinstance(volume, dict) and "name" in volume:
            problem = dns1123_label(volume["name"])
            if problem:
                yield Finding((*prefix, "volumes", i, "name"), f"volume {problem}")


def _check_labels(labels: Any, path: tuple[str | int, ...], what: str) -> Iterator[Finding]:
    if labels is None:
        return
    if not isinstance(labels, dict):
        yield Finding(path, f"{what} must be a mapping of key: value, not {show(labels)}")
        return
    for key, value in labels.items():
        problem = label_key(key)
        if problem:
            yield Finding((*path, str(key)), f"{what}: {problem}")
            continue
        problem = label_value(value)
        if problem:
            yield Finding((*path, key), f"{what} {key}: {problem.replace('label value', 'value', 1)}")


@rule(
    "label-format",
    severity="error",
    scope="object",
    summary="Label keys are [prefix/]name (name <= 63); values <= 63 characters, alphanumeric at both ends.",
    prevents="the API server rejects it",
    fix="Use letters, digits, '-', '_' and '.', starting and ending with a letter or digit; quote numbers.",
    example="""\
name: web
labels: {tier: front end}
containers:
  - name: web
    image: nginx:1.27
""",
)
def label_format(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    meta = as_dict(obj.get("metadata"))
    yield from _check_labels(meta.get("labels"), ("metadata", "labels"), "label")
    annotations = meta.get("annotations")
    if isinstance(annotations, dict):
        for key, value in annotations.items():
            problem = label_key(key)
            if problem:
                yield Finding(("metadata", "annotations", str(key)), f"annotation {problem.replace('label key', 'key')}")
            elif not isinstance(value, str):
                yield Finding(("metadata", "annotations", key), f"annotation {key}: the value must be a string, not {show(value)}; quote it")
    spec = as_dict(obj.get("spec"))
    kind = obj.get("kind")
    if kind == "Deployment":
        yield from _check_labels(as_dict(spec.get("selector")).get("matchLabels"), ("spec", "selector", "matchLabels"), "selector")
        template_meta = as_dict(as_dict(spec.get("template")).get("metadata"))
        yield from _check_labels(template_meta.get("labels"), ("spec", "template", "metadata", "labels"), "pod label")
    elif kind == "Service":
        yield from _check_labels(spec.get("selector"), ("spec", "selector"), "selector")
    found = pod_spec(obj)
    if found is not None:
        prefix, pod = found
        yield from _check_labels(pod.get("nodeSelector"), (*prefix, "nodeSelector"), "nodeSelector")


@rule(
    "unique-names",
    severity="error",
    scope="pod",
    summary="Container names are unique across containers and initContainers; volume names are unique.",
    prevents="the API server rejects it",
    fix="Rename one of the two.",
    example="""\
name: web
containers:
  - {name: web, image: nginx:1.27}
  - {name: web, image: busybox:1.36}
""",
)
def unique_names(w: Workload) -> Iterator[Finding]:
    seen: dict[Any, tuple[str | int, ...]] = {}
    for path, container in containers(w.spec, CONTAINER_GROUPS):
        name = container.get("name")
        if not isinstance(name, str):
            continue
        if name in seen:
            yield Finding((*path, "name"), f"container name {name!r} is already used by {_where(seen[name])}; names must be unique in the pod")
        else:
            seen[name] = path
    volumes: dict[str, int] = {}
    for i, volume in enumerate(as_list(w.spec.get("volumes"))):
        name = as_dict(volume).get("name")
        if not isinstance(name, str):
            continue
        if name in volumes:
            yield Finding(("volumes", i, "name"), f"volume name {name!r} is already used by volumes[{volumes[name]}]")
        else:
            volumes[name] = i


def _where(path: tuple[str | int, ...]) -> str:
    return f"{path[0]}[{path[1]}]"
