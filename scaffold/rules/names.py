"""Names and labels: what the API server checks before anything is stored.

JSON schemas have no name patterns, so ``kubeconform`` passes ``name: My_App`` and the
apply fails; these rules say so first, with a spelling that works.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..k8s.kinds import KNOWN, dig, kind_of
from ..k8s.validators import dns1035_label, dns1123_label, dns1123_subdomain, label_key, label_value
from ..k8s.vocab import CONTAINER_GROUPS
from . import CheckConfig, Finding, Workload, as_dict, as_list, before_render, rule
from .common import containers, pod_spec, show


@rule(
    "name-format",
    severity="error",
    scope="object",
    kinds=KNOWN,
    summary="Workload names are DNS subdomains (a CronJob's at most 52 characters), Service names DNS-1035 labels, "
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
    info = kind_of(obj)
    meta = as_dict(obj.get("metadata"))
    name = meta.get("name")
    if name is None:
        if not meta.get("generateName"):
            yield Finding(("metadata", "name"), f"the {kind} has no name; set metadata.name")
    else:
        dns1035 = info is not None and info.name_format == "dns1035"
        problem = (dns1035_label if dns1035 else dns1123_subdomain)(name)
        if problem:
            yield Finding(("metadata", "name"), f"{kind} {problem}")
        elif info is not None and len(name) > info.name_max:
            yield Finding(("metadata", "name"), f"{kind} name {name!r} has {len(name)} characters; a {kind} name has at most {info.name_max}")
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
    info = kind_of(obj)
    if info is not None and info.selector is not None:
        selector = dig(obj, info.selector)
        if info.selector_style == "map":
            yield from _check_labels(selector, info.selector, "selector")
        else:
            yield from _check_labels(as_dict(selector).get("matchLabels"), (*info.selector, "matchLabels"), "selector")
    if info is not None and info.pod_labels is not None and info.pod_labels != ("metadata", "labels"):
        yield from _check_labels(dig(obj, info.pod_labels), info.pod_labels, "pod label")
    found = pod_spec(obj)
    if found is not None:
        prefix, pod = found
        yield from _check_labels(pod.get("nodeSelector"), (*prefix, "nodeSelector"), "nodeSelector")


@before_render("label-format")
def app_label_is_the_name(preset: dict[str, Any]) -> Iterator[Finding]:
    """``app`` wires the selector and the Service to the preset name: a preset cannot change it."""
    labels = preset.get("labels", {})
    if "app" in labels and labels["app"] != preset["name"]:
        yield Finding(
            ("labels", "app"),
            f"the app label is always the preset name {preset['name']!r} (it wires the selector "
            "and the Service); remove labels.app",
        )


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
