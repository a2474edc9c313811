"""Kubernetes versions scaffold knows, and the API versions each release removed.

One table for every command that needs it: ``lint`` reports an object whose apiVersion the
target cluster no longer serves (``removed-api``), and ``render``/``validate`` can check a
preset's ``kubeVersion`` against the same facts. Kept as plain data (no imports) so the render
path may read it for free.

Sources: the Kubernetes deprecated API migration guide
(https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
"""

from __future__ import annotations

from typing import NamedTuple

#: Minor versions scaffold knows, oldest first; the last one is the default target.
KNOWN_VERSIONS: tuple[str, ...] = tuple(f"1.{minor}" for minor in range(16, 38))
DEFAULT_VERSION: str = KNOWN_VERSIONS[-1]


class Removed(NamedTuple):
    """An API version of a kind that a Kubernetes release stopped serving."""

    api_version: str
    kind: str
    #: The first minor version that no longer serves it ("1.16").
    removed_in: str
    #: The apiVersion to use instead (same kind), or a short hint when the kind itself went away.
    replacement: str


_R = Removed
#: Every removal of the migration guide, by (apiVersion, kind).
REMOVED: dict[tuple[str, str], Removed] = {
    (r.api_version, r.kind): r
    for r in (
        # 1.16
        *(_R("extensions/v1beta1", k, "1.16", "apps/v1") for k in ("Deployment", "DaemonSet", "ReplicaSet")),
        _R("extensions/v1beta1", "NetworkPolicy", "1.16", "networking.k8s.io/v1"),
        _R("extensions/v1beta1", "PodSecurityPolicy", "1.16", "policy/v1beta1"),
        *(_R("apps/v1beta1", k, "1.16", "apps/v1") for k in ("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet")),
        *(_R("apps/v1beta2", k, "1.16", "apps/v1") for k in ("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet")),
        # 1.22
        _R("extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"),
        _R("networking.k8s.io/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"),
        _R("networking.k8s.io/v1beta1", "IngressClass", "1.22", "networking.k8s.io/v1"),
        _R("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22", "apiextensions.k8s.io/v1"),
        _R("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "1.22", "admissionregistration.k8s.io/v1"),
        _R("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "1.22", "admissionregistration.k8s.io/v1"),
        _R("apiregistration.k8s.io/v1beta1", "APIService", "1.22", "apiregistration.k8s.io/v1"),
        _R("authentication.k8s.io/v1beta1", "TokenReview", "1.22", "authentication.k8s.io/v1"),
        _R("authorization.k8s.io/v1beta1", "SubjectAccessReview", "1.22", "authorization.k8s.io/v1"),
        _R("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", "1.22", "authorization.k8s.io/v1"),
        _R("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", "1.22", "authorization.k8s.io/v1"),
        _R("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "1.22", "certificates.k8s.io/v1"),
        _R("coordination.k8s.io/v1beta1", "Lease", "1.22", "coordination.k8s.io/v1"),
        *(_R("rbac.authorization.k8s.io/v1beta1", k, "1.22", "rbac.authorization.k8s.io/v1")
          for k in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")),
        _R("scheduling.k8s.io/v1beta1", "PriorityClass", "1.22", "scheduling.k8s.io/v1"),
        *(_R("storage.k8s.io/v1beta1", k, "1.22", "storage.k8s.io/v1")
          for k in ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment")),
        # 1.25
        _R("batch/v1beta1", "CronJob", "1.25", "batch/v1"),
        _R("discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", "discovery.k8s.io/v1"),
        _R("events.k8s.io/v1beta1", "Event", "1.25", "events.k8s.io/v1"),
        _R("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25", "autoscaling/v2"),
        _R("policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1"),
        _R("policy/v1beta1", "PodSecurityPolicy", "1.25", "none: PodSecurityPolicy was removed; use Pod Security Admission"),
        _R("node.k8s.io/v1beta1", "RuntimeClass", "1.25", "node.k8s.io/v1"),
        # 1.26
        _R("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26", "flowcontrol.apiserver.k8s.io/v1"),
        _R("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", "1.26", "flowcontrol.apiserver.k8s.io/v1"),
        _R("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2"),
        # 1.27
        _R("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", "storage.k8s.io/v1"),
        # 1.29
        _R("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
        _R("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
        # 1.32
        _R("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32", "flowcontrol.apiserver.k8s.io/v1"),
        _R("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", "1.32", "flowcontrol.apiserver.k8s.io/v1"),
    )
}


def version_key(version: str) -> tuple[int, int]:
    """``"1.30"`` -> ``(1, 30)``; also takes ``v1.30.2``. Raises ValueError on anything else."""
    text = version[1:] if version.startswith("v") else version
    parts = text.split(".")
    if len(parts) < 2 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ValueError(f"{version!r} is not a Kubernetes version such as 1.30")
    return int(parts[0]), int(parts[1])


def normalize_version(version: str) -> str:
    """``"v1.30.2"`` -> ``"1.30"``; ValueError when it is not a version scaffold knows."""
    major, minor = version_key(version)
    text = f"{major}.{minor}"
    if text not in KNOWN_VERSIONS:
        raise ValueError(f"Kubernetes {text} is not a version scaffold knows ({KNOWN_VERSIONS[0]} to {DEFAULT_VERSION})")
    return text


def removal(api_version: str, kind: str, version: str = DEFAULT_VERSION) -> Removed | None:
    """The removal record when ``version`` no longer serves ``apiVersion`` for ``kind``."""
    found = REMOVED.get((api_version, kind))
    if found is None or version_key(version) < version_key(found.removed_in):
        return None
    return found
