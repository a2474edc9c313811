"""Is it a valid Kubernetes object at all: required fields, served API versions, known fields.

Presets always render complete objects with current API versions; manifests written by hand or
by an old chart often are not. These rules judge every kind (lint also runs them on the kinds it
does not otherwise check), so an ``extensions/v1beta1`` Ingress is reported like a Deployment.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..k8s.kinds import ANY, kind_of
from ..k8s.versions import DEFAULT_VERSION, removal, version_key
from . import CheckConfig, Finding, as_dict, as_list, rule
from .common import containers, pod_spec

#: The rules lint runs on every object, also of kinds it does not otherwise check.
EVERY_KIND_RULES = frozenset({"required-fields", "removed-api", "unknown-field"})


@rule(
    "required-fields",
    severity="error",
    scope="object",
    kinds=ANY,
    summary="apiVersion, kind and metadata.name (or generateName) are set; a pod spec lists at least one container.",
    prevents="the API server rejects it",
    fix="Add the missing field (apiVersion: apps/v1 for a Deployment, v1 for a Pod or Service; spec.containers for a pod).",
    example="""\
kind: Pod
metadata: {name: web}
spec: {}
""",
)
def required_fields(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    api_version = obj.get("apiVersion")
    if not isinstance(api_version, str) or not api_version:
        info = kind_of(obj)
        hint = f" (apiVersion: {info.api_version} for a {info.name})" if info is not None else ""
        yield Finding(("apiVersion",) if "apiVersion" in obj else (), f"the object has no apiVersion; set it{hint}")
    metadata = as_dict(obj.get("metadata"))
    if not metadata.get("name") and not metadata.get("generateName"):
        if kind_of(obj) is None:  # names.py reports the kinds it knows
            yield Finding(("metadata",) if "metadata" in obj else (), "the object has no metadata.name; set one")
    found = pod_spec(obj)
    if found is None:
        return
    prefix, spec = found
    if not as_list(spec.get("containers")) or not any(True for _ in containers(spec, ("containers",))):
        yield Finding(
            (*prefix, "containers") if "containers" in spec else prefix,
            "the pod spec has no containers; list at least one (name and image)",
        )


@rule(
    "removed-api",
    severity="error",
    scope="object",
    kinds=ANY,
    summary="The apiVersion is still served by the target Kubernetes version (lint --kube-version, default the newest "
    "scaffold knows); names the release that removed it and the replacement.",
    prevents="the API server rejects it (no such resource)",
    fix="Change apiVersion to the replacement (extensions/v1beta1 Deployment -> apps/v1) and adapt the fields it changed.",
    example="""\
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
""",
)
def removed_api(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return
    target = config.kube_version or DEFAULT_VERSION
    gone = removal(api_version, kind, target)
    if gone is None:
        return
    instead = gone.replacement if gone.replacement.startswith("none") else f"use apiVersion: {gone.replacement}"
    yield Finding(
        ("apiVersion",),
        f"{api_version} {kind} was removed in Kubernetes {gone.removed_in} (target {target}); {instead}",
    )


@rule(
    "unknown-field",
    severity="error",
    scope="object",
    kinds=ANY,
    summary="Every field is known to the strict OpenAPI schema of the target version (lint --schema; needs "
    "pip install 'scaffold-k8s[schema]'); misspelt and misplaced fields get a did-you-mean.",
    prevents="kubectl apply refuses it (strict field validation) or silently drops the field",
    fix="Fix the field name, or move it where it belongs (requests goes under resources).",
    example="""\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: nginx:1.27
      readinesProbe: {httpGet: {path: /, port: 80}}
""",
)
def unknown_field(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    if not config.schema:
        return
    from ..k8s.openapi import available, unknown_fields

    if not available():
        return  # lint --schema says how to install the extra; here there is nothing to compare with

    target = config.kube_version or DEFAULT_VERSION
    found = unknown_fields(obj, version_key(target))
    for path, message in found or ():
        yield Finding(path, message)
