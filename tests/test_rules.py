"""Every rule of the catalogue: a preset (or manifest) that trips it, and a neighbour that does not.

Each case asserts the rule id *and* the path it reports, so a rule that fires somewhere else,
or a different rule firing, fails the test.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import scaffold
from scaffold.errors import Issue, PresetError
from scaffold.rules import REGISTRY, CheckConfig, _load_rule_modules, manifest_issues, run
from scaffold.docgen.validation import example_issues, render
from scaffold.rules.summary import qos_class, summarize

ROOT = Path(__file__).resolve().parent.parent
DIGEST = "sha256:" + "0123456789abcdef" * 4


def preset(container: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """A valid preset with one container; ``container`` keys override its fields."""
    c: dict[str, Any] = {"name": "web", "image": "nginx:1.27", "size": "small"}
    c.update(container or {})
    p: dict[str, Any] = {"name": "web", "containers": [c]}
    p.update(top)
    return p


def issues_of(p: Any) -> list[Issue]:
    """Every issue of a preset, whether it renders or not."""
    try:
        return scaffold.build(p).issues
    except PresetError as err:
        return err.issues + err.warnings


def found(p: Any, rule: str) -> list[tuple[str, str]]:
    """(path, severity) of the issues of ``rule``."""
    return [(i.path, i.severity) for i in issues_of(p) if i.rule == rule]


def lint(objects: list[dict[str, Any]], config: CheckConfig | None = None) -> list[Issue]:
    return manifest_issues(objects, run(objects, config))


def lint_found(objects: list[dict[str, Any]], rule: str, config: CheckConfig | None = None) -> list[tuple[str, str]]:
    return [(i.path, i.severity) for i in lint(objects, config) if i.rule == rule]


def pod_manifest(spec: dict[str, Any], **meta: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}, **meta}, "spec": spec}


def container(**fields: Any) -> dict[str, Any]:
    c = {"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}}}
    c.update(fields)
    return c


def hostpath_volume(path: str, **extra: Any) -> dict[str, Any]:
    return {"name": "v", "hostPath": {"path": path, **extra}}


MOUNT_V = {"volumeMounts": [{"name": "v", "mountPath": "/v", "readOnly": True}]}

# (rule, failing preset, path, severity, passing neighbour)
CASES: list[tuple[str, dict[str, Any], str, str, dict[str, Any]]] = [
    ("name-format", preset({"name": "Web_Server"}), "containers[0].name", "error", preset({"name": "web-server"})),
    ("name-format", preset(name="My.App"), "name", "error", preset(name="my.app")),
    ("name-format", preset({"ports": [80]}, service={"name": "1web"}), "service.name", "error", preset({"ports": [80]}, service={"name": "web1"})),
    ("name-format", preset(namespace="Team_A"), "namespace", "error", preset(namespace="team-a")),
    ("name-format", preset(volumes=[{"name": "Cache", "emptyDir": {}}]), "volumes[0].name", "error", preset(volumes=[{"name": "cache", "emptyDir": {}}])),
    ("label-format", preset(labels={"tier": "front end"}), "labels.tier", "error", preset(labels={"tier": "front-end"})),
    ("label-format", preset(labels={"Bad Key": "x"}), "labels['Bad Key']", "error", preset(labels={"bad-key": "x"})),
    ("label-format", preset(nodeSelector={"disk": "-ssd"}), "nodeSelector.disk", "error", preset(nodeSelector={"disk": "ssd"})),
    (
        "unique-names",
        preset(containers=[{"name": "web", "image": "nginx:1.27"}, {"name": "web", "image": "busybox:1.36"}]),
        "containers[1].name",
        "error",
        preset(containers=[{"name": "web", "image": "nginx:1.27"}, {"name": "log", "image": "busybox:1.36"}]),
    ),
    (
        "unique-names",
        preset(initContainers=[{"name": "web", "image": "busybox:1.36"}]),
        "containers[0].name",
        "error",
        preset(initContainers=[{"name": "init", "image": "busybox:1.36"}]),
    ),
    (
        "unique-names",
        preset({"volumeMounts": [{"name": "a", "mountPath": "/a"}]}, volumes=[{"name": "a", "emptyDir": {}}, {"name": "a", "emptyDir": {}}]),
        "volumes[1].name",
        "error",
        preset({"volumeMounts": [{"name": "a", "mountPath": "/a"}, {"name": "b", "mountPath": "/b"}]}, volumes=[{"name": "a", "emptyDir": {}}, {"name": "b", "emptyDir": {}}]),
    ),
    ("port-range", preset({"ports": [80800]}), "containers[0].ports[0].containerPort", "error", preset({"ports": [8080]})),
    ("port-range", preset({"ports": [{"containerPort": 80, "hostPort": 70000}]}), "containers[0].ports[0].hostPort", "error", preset({"ports": [{"containerPort": 80, "hostPort": 80}]})),
    ("port-range", preset({"ports": [80]}, service={"ports": [{"port": 0, "targetPort": 80}]}), "service.ports[0].port", "error", preset({"ports": [80]}, service={"ports": [{"port": 1, "targetPort": 80}]})),
    (
        "port-range",
        preset({"ports": [80]}, service={"ports": [{"port": 80, "nodePort": 30080}]}),
        "service.ports[0].nodePort",
        "error",
        preset({"ports": [80]}, service={"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}),
    ),
    (
        "port-range",
        preset({"ports": [80]}, service={"type": "NodePort", "ports": [{"port": 80, "nodePort": 8080}]}),
        "service.ports[0].nodePort",
        "error",
        preset({"ports": [80]}, service={"type": "NodePort", "ports": [{"port": 80, "nodePort": 32767}]}),
    ),
    (
        "port-range",
        preset(containers=[{"name": "a", "image": "nginx:1.27", "ports": [{"containerPort": 80, "hostPort": 80}]}, {"name": "b", "image": "nginx:1.27", "ports": [{"containerPort": 81, "hostPort": 80}]}]),
        "containers[1].ports[0].hostPort",
        "error",
        preset(containers=[{"name": "a", "image": "nginx:1.27", "ports": [{"containerPort": 80, "hostPort": 80}]}, {"name": "b", "image": "nginx:1.27", "ports": [{"containerPort": 81, "hostPort": 80, "protocol": "UDP"}]}]),
    ),
    ("port-range", preset({"ports": [80], "livenessProbe": {"tcpSocket": {"port": 0}}}), "containers[0].livenessProbe.tcpSocket.port", "error", preset({"ports": [80], "livenessProbe": {"tcpSocket": {"port": 80}}})),
    ("port-name", preset({"ports": ["HTTP_Main:80"]}), "containers[0].ports[0].name", "error", preset({"ports": ["http-main:80"]})),
    ("port-name", preset({"ports": ["http:80", "http:81"]}), "containers[0].ports[1].name", "error", preset({"ports": ["http:80", "alt:81"]})),
    ("port-name", preset({"ports": ["liveness-port-x1:80"]}), "containers[0].ports[0].name", "error", preset({"ports": ["liveness-port:80"]})),
    ("port-name", preset({"ports": ["http:80"]}, service={"ports": [{"port": 80, "targetPort": "8080"}]}), "service.ports[0].targetPort", "error", preset({"ports": ["http:80"]}, service={"ports": [{"port": 80, "targetPort": "http"}]})),
    ("service-port-names", preset({"ports": [80, 443]}, service={"ports": [80, 443]}), "service.ports[0]", "error", preset({"ports": [80, 443]}, service={"ports": ["http:80", "https:443"]})),
    ("service-port-names", preset({"ports": [80, 443]}, service=True), "service.ports[0]", "error", preset({"ports": ["http:80", "https:443"]}, service=True)),
    ("service-port-names", preset({"ports": [80]}, service={"ports": ["a:80", "a:81"]}), "service.ports[1].name", "error", preset({"ports": [80]}, service={"ports": ["a:80", "b:81"]})),
    ("service-port-names", preset({"ports": [80]}, service={"ports": ["a:80", "b:80"]}), "service.ports[1].port", "error", preset({"ports": [80]}, service={"ports": ["a:80", "b:80/UDP"]})),
    ("service-port-names", preset({"ports": [80]}, service={"ports": ["Web:80"]}), "service.ports[0].name", "error", preset({"ports": [80]}, service={"ports": ["web:80"]})),
    ("service-ports", preset(service=True), "service", "error", preset({"ports": [80]}, service=True)),
    ("service-ports", preset({"ports": [80]}, service={"ports": []}), "service", "error", preset({"ports": [80]}, service={"ports": [80]})),
    ("label-format", preset(labels={"app": "other"}), "labels.app", "error", preset(labels={"app": "web"})),
    ("replicas-range", preset(kind="Pod", replicas=101), "replicas", "error", preset(kind="Pod", replicas=100)),
    ("host-port", preset({"ports": [{"containerPort": 80, "hostPort": 80}]}), "containers[0].ports[0].hostPort", "warning", preset({"ports": [{"containerPort": 80}]})),
    ("deployment-restart-policy", preset(restartPolicy="Never"), "restartPolicy", "error", preset(kind="Pod", restartPolicy="Never")),
    ("restart-policy-enum", preset(kind="Pod", restartPolicy="OnFaliure"), "restartPolicy", "error", preset(kind="Pod", restartPolicy="OnFailure")),
    ("image-pull-policy-enum", preset({"imagePullPolicy": "ifNotPresent"}), "containers[0].imagePullPolicy", "error", preset({"imagePullPolicy": "IfNotPresent"})),
    ("service-type-enum", preset({"ports": [80]}, service={"type": "Nodeport"}), "service.type", "error", preset({"ports": [80]}, service={"type": "NodePort"})),
    ("service-type-enum", preset({"ports": [80]}, service={"type": "ExternalName"}), "service.type", "error", preset({"ports": [80]}, service={"type": "LoadBalancer"})),
    (
        "volume-enum",
        preset({"volumeMounts": [{"name": "c", "mountPath": "/c"}]}, volumes=[{"name": "c", "emptyDir": {"medium": "memory"}}]),
        "volumes[0].emptyDir.medium",
        "error",
        preset({"volumeMounts": [{"name": "c", "mountPath": "/c"}]}, volumes=[{"name": "c", "emptyDir": {"medium": "Memory"}}]),
    ),
    ("protocol-enum", preset({"ports": [{"containerPort": 53, "protocol": "DNS"}]}), "containers[0].ports[0].protocol", "error", preset({"ports": ["53/udp"]})),
    ("replicas-range", preset(replicas=-1), "replicas", "error", preset(replicas=0)),
    ("replicas-range", preset(kind="Pod", replicas=0), "replicas", "error", preset(kind="Pod", replicas=2)),
    ("replicas-range", preset({"ports": [80], "readinessProbe": {"tcpSocket": {"port": 80}}}, service=True), "replicas", "warning", preset({"ports": [80], "readinessProbe": {"tcpSocket": {"port": 80}}}, service=True, replicas=2)),
    ("image-required", preset({"image": ""}), "containers[0].image", "error", preset({"image": "nginx:1.27"})),
    ("image-format", preset({"image": "Nginx:1.27"}), "containers[0].image", "error", preset({"image": "nginx:1.27"})),
    ("image-format", preset({"image": "nginx 1.27"}), "containers[0].image", "error", preset({"image": "nginx:1.27"})),
    ("image-tag-pinned", preset({"image": "nginx"}), "containers[0].image", "warning", preset({"image": "nginx@" + DIGEST})),
    ("image-tag-pinned", preset({"image": "nginx:latest"}), "containers[0].image", "warning", preset({"image": "nginx:latest@" + DIGEST})),
    ("quantity-format", preset({"resources": {"requests": {"cpu": "250m", "memory": "128mi"}}}), "containers[0].resources.requests.memory", "error", preset({"resources": {"requests": {"cpu": "250m", "memory": "128Mi"}}})),
    ("quantity-format", preset({"resources": {"limits": {"memory": "128m"}}}), "containers[0].resources.limits.memory", "error", preset({"resources": {"limits": {"memory": "128Mi"}}})),
    ("quantity-format", preset({"resources": {"limits": {"cpu": "1 core"}}}), "containers[0].resources.limits.cpu", "error", preset({"resources": {"limits": {"cpu": "1"}}})),
    ("quantity-format", preset({"resources": {"limits": {"memory": "1GB"}}}), "containers[0].resources.limits.memory", "error", preset({"resources": {"limits": {"memory": "1Gi"}}})),
    ("quantity-format", preset({"resources": {"limits": {"memory": "128M"}}}), "containers[0].resources.limits.memory", "warning", preset({"resources": {"limits": {"memory": "128Mi"}}})),
    ("quantity-format", preset({"resources": {"limits": {"memroy": "1Gi"}}}), "containers[0].resources.limits.memroy", "error", preset({"resources": {"limits": {"memory": "1Gi"}}})),
    ("quantity-format", preset({"resources": {"limits": {"nvidia.com/gpu": "0.5"}}}), "containers[0].resources.limits['nvidia.com/gpu']", "error", preset({"resources": {"limits": {"nvidia.com/gpu": "1"}}})),
    ("quantity-format", preset(volumes=[{"name": "t", "emptyDir": {"sizeLimit": "64mb"}}], containers=[{"name": "web", "image": "nginx:1.27", "volumeMounts": [{"name": "t", "mountPath": "/t"}]}]), "volumes[0].emptyDir.sizeLimit", "error", preset(volumes=[{"name": "t", "emptyDir": {"sizeLimit": "64Mi"}}], containers=[{"name": "web", "image": "nginx:1.27", "volumeMounts": [{"name": "t", "mountPath": "/t"}]}])),
    ("requests-within-limits", preset({"resources": {"requests": {"cpu": "1500m"}, "limits": {"cpu": "1"}}}), "containers[0].resources.requests.cpu", "error", preset({"resources": {"requests": {"cpu": "1000m"}, "limits": {"cpu": "1"}}})),
    ("requests-within-limits", preset({"resources": {"requests": {"memory": "1Gi"}, "limits": {"memory": "1G"}}}), "containers[0].resources.requests.memory", "error", preset({"resources": {"requests": {"memory": "512Mi"}, "limits": {"memory": "1G"}}})),
    ("requests-within-limits", preset({"resources": {"requests": {"example.com/dongle": "1"}}}), "containers[0].resources.requests['example.com/dongle']", "error", preset({"resources": {"requests": {"example.com/dongle": "1"}, "limits": {"example.com/dongle": "1"}}})),
    (
        "hugepages",
        preset({"resources": {"requests": {"memory": "128Mi", "hugepages-2Mi": "4Mi"}, "limits": {"memory": "1Gi", "hugepages-2Mi": "8Mi"}}}),
        "containers[0].resources.requests.hugepages-2Mi",
        "error",
        preset({"resources": {"requests": {"memory": "128Mi", "hugepages-2Mi": "8Mi"}, "limits": {"memory": "1Gi", "hugepages-2Mi": "8Mi"}}}),
    ),
    (
        "hugepages",
        {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27", "resources": {"limits": {"hugepages-2Mi": "8Mi"}}}]},
        "containers[0].resources",
        "error",
        {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27", "resources": {"limits": {"memory": "1Gi", "hugepages-2Mi": "8Mi"}}}]},
    ),
    ("hugepages", preset({"resources": {"limits": {"hugepages-2Mi": "3Mi"}}}), "containers[0].resources.limits.hugepages-2Mi", "warning", preset({"resources": {"limits": {"hugepages-2Mi": "4Mi"}}})),
    ("resources-set", {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27", "resources": {}}]}, "containers[0].resources", "warning", preset()),
    ("resources-set", {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "1"}}}]}, "containers[0].resources.requests", "warning", {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}}]}),
    ("node-fit", preset({"resources": {"requests": {"cpu": "100"}}}), "containers[0].resources.requests.cpu", "warning", preset({"resources": {"requests": {"cpu": "64"}}})),
    ("node-fit", preset({"resources": {"requests": {"memory": "300Gi"}, "limits": {"memory": "300Gi"}}}), "containers[0].resources.requests.memory", "warning", preset({"resources": {"requests": {"memory": "200Gi"}, "limits": {"memory": "300Gi"}}})),
    ("handler-exactly-one", preset({"ports": [80], "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "tcpSocket": {"port": 80}}}), "containers[0].livenessProbe", "error", preset({"ports": [80], "livenessProbe": {"tcpSocket": {"port": 80}}})),
    ("handler-exactly-one", preset({"livenessProbe": {"periodSeconds": 5}}), "containers[0].livenessProbe", "error", preset({"livenessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 5}})),
    ("handler-exactly-one", preset({"lifecycle": {"preStop": {"tcpSocket": {"port": 80}}}}), "containers[0].lifecycle.preStop.tcpSocket", "error", preset({"lifecycle": {"preStop": {"sleep": {"seconds": 5}}}})),
    ("handler-exactly-one", preset({"lifecycle": {"postStart": {"exec": {"command": ["true"]}, "sleep": {"seconds": 1}}}}), "containers[0].lifecycle.postStart", "error", preset({"lifecycle": {"postStart": {"exec": {"command": ["true"]}}}})),
    ("http-path", preset({"ports": [80], "readinessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "http"}}}), "containers[0].readinessProbe.httpGet.scheme", "error", preset({"ports": [80], "readinessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "HTTPS"}}})),
    ("http-path", preset({"ports": [80], "readinessProbe": {"httpGet": {"port": 80}}}), "containers[0].readinessProbe.httpGet", "warning", preset({"ports": [80], "readinessProbe": {"httpGet": {"port": 80, "path": "/"}}})),
    ("http-path", preset({"ports": [80], "readinessProbe": {"httpGet": {"port": 80, "path": "/", "httpHeaders": [{"name": "X Y", "value": "1"}]}}}), "containers[0].readinessProbe.httpGet.httpHeaders[0].name", "error", preset({"ports": [80], "readinessProbe": {"httpGet": {"port": 80, "path": "/", "httpHeaders": [{"name": "X-Y", "value": "1"}]}}})),
    ("probe-thresholds", preset({"livenessProbe": {"exec": {"command": ["true"]}, "successThreshold": 3}}), "containers[0].livenessProbe.successThreshold", "error", preset({"readinessProbe": {"exec": {"command": ["true"]}, "successThreshold": 3}})),
    ("probe-thresholds", preset({"readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 0}}), "containers[0].readinessProbe.periodSeconds", "error", preset({"readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 1}})),
    ("probe-thresholds", preset({"readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": -1}}), "containers[0].readinessProbe.initialDelaySeconds", "error", preset({"readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 0}})),
    ("readiness-grace", preset({"readinessProbe": {"exec": {"command": ["true"]}, "terminationGracePeriodSeconds": 10}}), "containers[0].readinessProbe.terminationGracePeriodSeconds", "error", preset({"livenessProbe": {"exec": {"command": ["true"]}, "terminationGracePeriodSeconds": 10}})),
    ("init-container-probes", preset(initContainers=[{"name": "init", "image": "busybox:1.36", "readinessProbe": {"exec": {"command": ["true"]}}}]), "initContainers[0].readinessProbe", "error", preset(initContainers=[{"name": "init", "image": "busybox:1.36", "restartPolicy": "Always", "readinessProbe": {"exec": {"command": ["true"]}}}])),
    ("init-container-probes", preset(initContainers=[{"name": "init", "image": "busybox:1.36", "lifecycle": {"preStop": {"sleep": {"seconds": 1}}}}]), "initContainers[0].lifecycle", "error", preset(initContainers=[{"name": "init", "image": "busybox:1.36"}])),
    ("init-container-probes", preset(initContainers=[{"name": "init", "image": "busybox:1.36", "restartPolicy": "Never"}]), "initContainers[0].restartPolicy", "error", preset(initContainers=[{"name": "init", "image": "busybox:1.36", "restartPolicy": "Always"}])),
    ("startup-budget", preset({"livenessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 1, "failureThreshold": 2}}), "containers[0].livenessProbe", "warning", preset({"livenessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 1, "failureThreshold": 2}, "startupProbe": {"exec": {"command": ["true"]}, "failureThreshold": 30}})),
    ("startup-budget", preset({"livenessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 3}}), "containers[0].livenessProbe", "warning", preset({"livenessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 3, "initialDelaySeconds": 1}})),
    ("probe-timeout", preset({"readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 5, "timeoutSeconds": 10}}), "containers[0].readinessProbe.timeoutSeconds", "warning", preset({"readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 5, "timeoutSeconds": 4}})),
    ("liveness-equals-readiness", preset({"livenessProbe": {"exec": {"command": ["true"]}}, "readinessProbe": {"exec": {"command": ["true"]}}}), "containers[0].livenessProbe", "warning", preset({"livenessProbe": {"exec": {"command": ["true"]}, "failureThreshold": 6}, "readinessProbe": {"exec": {"command": ["true"]}}})),
    ("probes-present", preset({"ports": ["http:80"], "livenessProbe": {"tcpSocket": {"port": 80}}}, service=True, replicas=2), "containers[0]", "warning", preset({"ports": ["http:80"], "livenessProbe": {"tcpSocket": {"port": 80}}, "readinessProbe": {"tcpSocket": {"port": 80}}}, service=True, replicas=2)),
    ("probes-present", preset(), "containers[0]", "notice", preset({"livenessProbe": {"exec": {"command": ["true"]}}})),
    ("prestop-within-grace", preset({"lifecycle": {"preStop": {"sleep": {"seconds": 20}}}}, terminationGracePeriodSeconds=10), "containers[0].lifecycle.preStop.sleep.seconds", "error", preset({"lifecycle": {"preStop": {"sleep": {"seconds": 5}}}}, terminationGracePeriodSeconds=10)),
    ("prestop-within-grace", preset({"lifecycle": {"preStop": {"sleep": {"seconds": 30}}}}), "containers[0].lifecycle.preStop.sleep.seconds", "warning", preset({"lifecycle": {"preStop": {"sleep": {"seconds": 29}}}})),
    ("prestop-within-grace", preset({"lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "sleep 45"]}}}}), "containers[0].lifecycle.preStop.exec.command", "warning", preset({"lifecycle": {"preStop": {"exec": {"command": ["sh", "-c", "sleep 45"]}}}}, terminationGracePeriodSeconds=60)),
    ("volume-one-source", preset(MOUNT_V, volumes=[{"name": "v", "emptyDir": {}, "persistentVolumeClaim": {"claimName": "d"}}]), "volumes[0]", "error", preset(MOUNT_V, volumes=[{"name": "v", "persistentVolumeClaim": {"claimName": "d"}}])),
    ("volume-mount-defined", preset({"volumeMounts": [{"name": "cahce", "mountPath": "/c"}]}, volumes=[{"name": "cache", "emptyDir": {}}]), "containers[0].volumeMounts[0].name", "error", preset({"volumeMounts": [{"name": "cache", "mountPath": "/c"}]}, volumes=[{"name": "cache", "emptyDir": {}}])),
    ("volume-mount-defined", preset({"volumeMounts": [{"name": "v", "mountPath": "/c"}, {"name": "v", "mountPath": "/c/"}]}, volumes=[{"name": "v", "emptyDir": {}}]), "containers[0].volumeMounts[1].mountPath", "error", preset({"volumeMounts": [{"name": "v", "mountPath": "/c"}, {"name": "v", "mountPath": "/d"}]}, volumes=[{"name": "v", "emptyDir": {}}])),
    ("volume-mount-defined", preset({"volumeMounts": [{"name": "v", "mountPath": "/c", "subPath": "/etc"}]}, volumes=[{"name": "v", "emptyDir": {}}]), "containers[0].volumeMounts[0].subPath", "error", preset({"volumeMounts": [{"name": "v", "mountPath": "/c", "subPath": "etc"}]}, volumes=[{"name": "v", "emptyDir": {}}])),
    ("volume-mount-defined", preset({"volumeMounts": [{"name": "v", "mountPath": "/c", "subPath": "a/../../x"}]}, volumes=[{"name": "v", "emptyDir": {}}]), "containers[0].volumeMounts[0].subPath", "error", preset({"volumeMounts": [{"name": "v", "mountPath": "/c", "subPath": "a/..x"}]}, volumes=[{"name": "v", "emptyDir": {}}])),
    ("hostpath", preset(MOUNT_V, volumes=[hostpath_volume("/data/logs", type="directory")]), "volumes[0].hostPath.type", "error", preset(MOUNT_V, volumes=[hostpath_volume("/data/logs", type="Directory")])),
    ("hostpath", preset(MOUNT_V, volumes=[hostpath_volume("data/logs")]), "volumes[0].hostPath.path", "error", preset(MOUNT_V, volumes=[hostpath_volume("/data/logs")])),
    ("hostpath", preset(MOUNT_V, volumes=[hostpath_volume("/data/../etc")]), "volumes[0].hostPath.path", "error", preset(MOUNT_V, volumes=[hostpath_volume("/data/..etc")])),
    ("hostpath-sensitive", preset(MOUNT_V, volumes=[hostpath_volume("/var/run/docker.sock")]), "volumes[0].hostPath.path", "error", preset(MOUNT_V, volumes=[hostpath_volume("/var/run/docker.sock")], checks={"allowHostPaths": ["/var/run/docker.sock"]})),
    ("hostpath-sensitive", preset(MOUNT_V, volumes=[hostpath_volume("/etc/ssl/")]), "volumes[0].hostPath.path", "error", preset(MOUNT_V, volumes=[hostpath_volume("/etcd-data")])),
    ("hostpath-sensitive", preset(MOUNT_V, volumes=[hostpath_volume("/var")]), "volumes[0].hostPath.path", "error", preset(MOUNT_V, volumes=[hostpath_volume("/var/data")])),
    ("volume-unused", preset(volumes=[{"name": "cache", "emptyDir": {}}]), "volumes[0]", "warning", preset({"volumeMounts": [{"name": "cache", "mountPath": "/c"}]}, volumes=[{"name": "cache", "emptyDir": {}}])),
    ("env-name", preset({"env": {"LOG LEVEL": "info"}}), "containers[0].env[0].name", "error", preset({"env": {"LOG_LEVEL": "info"}})),
    ("env-name", preset({"env": [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]}), "containers[0].env[1].name", "warning", preset({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]})),
    (
        "env-name",
        preset({"env": [{"name": "A", "value": "1", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}),
        "containers[0].env[0].valueFrom",
        "error",
        preset({"env": [{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}),
    ),
    ("referenced-objects", preset({"volumeMounts": [{"name": "c", "mountPath": "/c"}]}, volumes=[{"name": "c", "configMap": {"name": "conf"}}]), "volumes[0].configMap.name", "notice", preset({"volumeMounts": [{"name": "c", "mountPath": "/c"}]}, volumes=[{"name": "c", "configMap": {"name": "conf", "optional": True}}])),
    ("referenced-objects", preset(imagePullSecrets=["regcred"]), "imagePullSecrets[0].name", "notice", preset()),
    ("referenced-objects", preset(serviceAccountName="app-sa"), "serviceAccountName", "notice", preset(serviceAccountName="default")),
    ("referenced-objects", preset({"env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}}]}), "containers[0].env[0].valueFrom.secretKeyRef.name", "notice", preset({"env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw", "optional": True}}}]})),
]


def workload(kind: str, spec: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A manifest of a workload kind other than Pod and Deployment (presets cannot render those)."""
    from scaffold.k8s.kinds import KINDS

    info = KINDS[kind]
    obj: dict[str, Any] = {"apiVersion": info.api_version, "kind": kind, "metadata": {"name": "web"}}
    template = {"metadata": {"labels": {"app": "web"}}, "spec": spec}
    if kind == "CronJob":
        obj["spec"] = {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": template}}}
    else:
        obj["spec"] = {"template": template}
        if info.selector is not None:
            obj["spec"]["selector"] = {"app": "web"} if info.selector_style == "map" else {"matchLabels": {"app": "web"}}
    obj["spec"].update(extra)
    return obj


JOB_OK = {"restartPolicy": "Never", "containers": [container()]}

# Rules that only manifests can trip (no preset renders these kinds): (rule, bad, path, severity, good).
MANIFEST_CASES: list[tuple[str, list[dict[str, Any]], str, str, list[dict[str, Any]]]] = [
    ("job-restart-policy", [workload("Job", {**JOB_OK, "restartPolicy": "Always"})], "spec.template.spec.restartPolicy", "error", [workload("Job", JOB_OK)]),
    ("job-restart-policy", [workload("Job", {"containers": [container()]})], "spec.template.spec.restartPolicy", "error", [workload("Job", {**JOB_OK, "restartPolicy": "OnFailure"})]),
    ("job-restart-policy", [workload("CronJob", {**JOB_OK, "restartPolicy": "Always"})], "spec.jobTemplate.spec.template.spec.restartPolicy", "error", [workload("CronJob", JOB_OK)]),
    ("deployment-restart-policy", [workload("StatefulSet", JOB_OK, serviceName="web")], "spec.template.spec.restartPolicy", "error", [workload("StatefulSet", {**JOB_OK, "restartPolicy": "Always"}, serviceName="web")]),
    ("deployment-restart-policy", [workload("DaemonSet", JOB_OK)], "spec.template.spec.restartPolicy", "error", [workload("DaemonSet", {"containers": [container()]})]),
    ("deployment-selector", [workload("ReplicationController", {"containers": [container()]}, selector={"app": "db"})], "spec.selector.app", "error", [workload("ReplicationController", {"containers": [container()]})]),
    ("deployment-selector", [workload("DaemonSet", {"containers": [container()]}, selector={})], "spec.selector", "error", [workload("DaemonSet", {"containers": [container()]})]),
    ("replicas-range", [workload("StatefulSet", {"containers": [container()]}, replicas=-2, serviceName="web")], "spec.replicas", "error", [workload("StatefulSet", {"containers": [container()]}, replicas=0, serviceName="web")]),
    ("label-format", [workload("ReplicaSet", {"containers": [container()]}, selector={"matchLabels": {"app": "-web"}})], "spec.selector.matchLabels.app", "error", [workload("ReplicaSet", {"containers": [container()]})]),
    ("name-format", [{**workload("CronJob", JOB_OK), "metadata": {"name": "n" * 53}}], "metadata.name", "error", [{**workload("CronJob", JOB_OK), "metadata": {"name": "n" * 52}}]),
    ("service-ports", [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}}}], "spec.ports", "error",
     [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"clusterIP": "None", "selector": {"app": "web"}}}]),
]


@pytest.mark.parametrize(("rule", "bad", "path", "severity", "good"), MANIFEST_CASES, ids=[f"{c[0]}:{c[1][0]['kind']}:{i}" for i, c in enumerate(MANIFEST_CASES)])
def test_rule_trips_on_the_bad_manifest_at_its_path_and_not_on_the_neighbour(rule: str, bad: list[dict[str, Any]], path: str, severity: str, good: list[dict[str, Any]]) -> None:
    assert (path, severity) in lint_found(bad, rule), lint(bad)
    assert not lint_found(good, rule), lint(good)


@pytest.mark.parametrize(("rule", "bad", "path", "severity", "good"), CASES, ids=[f"{c[0]}:{c[2]}:{i}" for i, c in enumerate(CASES)])
def test_rule_trips_on_the_bad_preset_at_its_path_and_not_on_the_neighbour(rule: str, bad: dict[str, Any], path: str, severity: str, good: dict[str, Any]) -> None:
    assert (path, severity) in found(bad, rule), issues_of(bad)
    assert (path, severity) not in found(good, rule), issues_of(good)


def test_every_catalogue_rule_of_this_issue_has_cases() -> None:
    covered = {c[0] for c in CASES} | {c[0] for c in MANIFEST_CASES}
    mine = {r.id for r in REGISTRY.values() if r.func.__module__.rsplit(".", 1)[-1] in ("names", "ports", "workload", "images", "resources", "probes", "volumes", "env")}
    assert mine and mine <= covered, sorted(mine - covered)


def test_resources_empty_gives_exactly_one_clear_warning() -> None:
    p = {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27", "resources": {}}]}
    hits = [i for i in issues_of(p) if i.rule == "resources-set"]
    assert len(hits) == 1
    assert hits[0].path == "containers[0].resources" and "BestEffort" in hits[0].message


def test_several_bare_pods_report_a_preset_problem_once() -> None:
    hits = found(preset({"image": "nginx"}, kind="Pod", replicas=3), "image-tag-pinned")
    assert hits == [("containers[0].image", "warning")]


def test_quantity_messages_name_the_value_and_the_fix() -> None:
    messages = {i.message for i in issues_of(preset({"resources": {"limits": {"cpu": "1 core", "memory": "128m"}}})) if i.rule == "quantity-format"}
    assert "'1 core' is not a CPU quantity; use 1 or 1000m" in messages
    assert any("did you mean 128Mi?" in m for m in messages)


def test_decimal_memory_warning_shows_the_mi_equivalent() -> None:
    [issue] = [i for i in issues_of(preset({"resources": {"limits": {"memory": "128M"}}})) if i.rule == "quantity-format"]
    assert "122.07Mi" in issue.message and "128Mi" in issue.message


def test_enum_rules_suggest_the_closest_value() -> None:
    [issue] = [i for i in issues_of(preset(kind="Pod", restartPolicy="always")) if i.rule == "restart-policy-enum"]
    assert "did you mean 'Always'?" in issue.message


def test_node_fit_follows_the_configured_node_size() -> None:
    pod = pod_manifest({"containers": [container(resources={"requests": {"cpu": "100", "memory": "1Gi"}, "limits": {"memory": "1Gi"}})]})
    assert lint_found([pod], "node-fit") == [("spec.containers[0].resources.requests.cpu", "warning")]
    assert lint_found([pod], "node-fit", CheckConfig(node_cpu="128")) == []


def test_node_fit_adds_up_the_containers_of_a_pod() -> None:
    half = {"requests": {"cpu": "40", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}
    pod = pod_manifest({"containers": [container(resources=half), container(name="b", resources=half)]})
    assert lint_found([pod], "node-fit") == [("spec.containers", "warning")]


def test_hostpath_any_path_is_a_baseline_warning_and_writable_mounts_are_warned() -> None:
    p = preset({"volumeMounts": [{"name": "v", "mountPath": "/v"}]}, volumes=[hostpath_volume("/data/x")])
    assert found(p, "hostpath-sensitive") == [("containers[0].volumeMounts[0]", "warning"), ("volumes[0].hostPath.path", "warning")]


# ----------------------------------------------------------------- manifests (lint input)


def test_label_value_that_is_a_number_is_reported_on_a_manifest() -> None:
    pod = pod_manifest({"containers": [container()]}, labels={"app": "web", "version": 2})
    assert ("metadata.labels.version", "error") in lint_found([pod], "label-format")


def test_service_external_name_is_fine_with_an_external_name() -> None:
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"}, "spec": {"type": "ExternalName", "externalName": "db.example.com"}}
    assert lint_found([svc], "service-type-enum") == []
    svc["spec"].pop("externalName")
    assert lint_found([svc], "service-type-enum") == [("spec.type", "error")]


def test_a_regular_container_may_not_have_a_restart_policy() -> None:
    pod = pod_manifest({"containers": [container(restartPolicy="Always")]})
    assert lint_found([pod], "init-container-probes") == [("spec.containers[0].restartPolicy", "error")]


def test_deployment_without_replicas_behind_a_service_gets_the_redundancy_warning() -> None:
    dep = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container()]}}},
    }
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}
    assert lint_found([dep, svc], "replicas-range") == [("spec.replicas", "warning")]
    assert lint_found([dep], "replicas-range") == []
    dep["spec"]["replicas"] = "3"
    assert lint_found([dep], "replicas-range") == [("spec.replicas", "error")]


def test_volume_without_source_is_an_implicit_empty_dir_warning() -> None:
    pod = pod_manifest({"containers": [container(volumeMounts=[{"name": "v", "mountPath": "/v"}])], "volumes": [{"name": "v"}]})
    assert lint_found([pod], "volume-one-source") == [("spec.volumes[0]", "warning")]
    pod["spec"]["volumes"] = [{"name": "v", "hostpath": {"path": "/x"}}]
    issues = [i for i in lint([pod]) if i.rule == "volume-one-source"]
    assert [(i.path, i.severity) for i in issues] == [("spec.volumes[0].hostpath", "error")]
    assert "did you mean 'hostPath'?" in issues[0].message


def test_envfrom_needs_exactly_one_source() -> None:
    pod = pod_manifest({"containers": [container(envFrom=[{"configMapRef": {"name": "a"}, "secretRef": {"name": "b"}}])]})
    assert lint_found([pod], "env-name") == [("spec.containers[0].envFrom[0]", "error")]


MALFORMED: list[Any] = [None, 5, "x", [], {}, [5], {"a": 1}, [{"name": 5}], True, 1.5]


@pytest.mark.parametrize("junk", MALFORMED, ids=repr)
def test_no_rule_crashes_on_malformed_fields(junk: Any) -> None:
    """Every field of a full pod replaced by junk: rules report, they never fall over."""
    base = pod_manifest(
        {
            "containers": [
                container(
                    ports=[{"containerPort": 80, "name": "http", "hostPort": 80}],
                    env=[{"name": "A", "value": "1"}],
                    livenessProbe={"httpGet": {"path": "/", "port": "http"}},
                    readinessProbe={"tcpSocket": {"port": 80}},
                    startupProbe={"exec": {"command": ["true"]}},
                    lifecycle={"preStop": {"sleep": {"seconds": 1}}},
                    volumeMounts=[{"name": "v", "mountPath": "/v"}],
                )
            ],
            "initContainers": [container(name="init")],
            "volumes": [{"name": "v", "hostPath": {"path": "/x", "type": "Directory"}}],
            "imagePullSecrets": [{"name": "r"}],
        }
    )
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http", "nodePort": 30000}]}}

    def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        out = [prefix] if prefix else []
        if isinstance(node, dict):
            for k, v in node.items():
                out += paths(v, (*prefix, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                out += paths(v, (*prefix, i))
        return out

    for obj in (base, svc):
        for path in paths(obj):
            broken = copy.deepcopy(obj)
            node: Any = broken
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = copy.deepcopy(junk)
            other = svc if obj is base else base
            raws = run([broken, other])
            crashed = [(r.rule.id, r.message) for r in raws if r.message.startswith("could not check")]
            assert not crashed, (path, crashed)


# ----------------------------------------------------------------- the registry and its docs


_load_rule_modules()


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_every_rule_is_documented_and_its_example_trips_it(rule_id: str) -> None:
    r = REGISTRY[rule_id]
    assert r.summary and r.fix and r.prevents
    assert r.mark in ("API", "RUN", "PRACTICE")
    assert r.example, f"{rule_id} has no failing example"
    issues = example_issues(r.example)
    assert any(i.rule == rule_id for i in issues), [str(i) for i in issues]


def test_docs_list_every_rule_id() -> None:
    text = render()
    for rule_id in REGISTRY:
        assert f"### {rule_id}\n" in text


# ----------------------------------------------------------------- builtin presets and the summary


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "presets").glob("*.yaml")))
def test_builtin_presets_render_without_errors(name: str) -> None:
    result = scaffold.build(name)
    assert result.objects


def test_builtin_presets_show_the_intended_warnings() -> None:
    assert ("containers[0].image", "warning") in found("nginx", "image-tag-pinned")
    assert ("containers[0].ports[0].hostPort", "warning") in found("startup-probe", "host-port")
    assert ("volumes[0].hostPath.path", "warning") in found("lifecycle-demo", "hostpath-sensitive")


def _pod_spec(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"containers": [{"name": f"c{i}", "resources": r} for i, r in enumerate(resources)]}


@pytest.mark.parametrize(
    ("resources", "qos"),
    [
        ([{}], "BestEffort"),
        ([{"requests": {"cpu": "0"}}], "BestEffort"),
        ([{"limits": {"cpu": "1", "memory": "1Gi"}}], "Guaranteed"),
        ([{"requests": {"cpu": "1000m", "memory": "1024Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}}], "Guaranteed"),
        ([{"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}], "Burstable"),
        ([{"limits": {"cpu": "1", "memory": "1Gi"}}, {}], "Burstable"),
        ([{"requests": {"memory": "1Gi"}}], "Burstable"),
        ([{"limits": {"cpu": "1"}}], "Burstable"),
        ([{"limits": {"cpu": "1", "memory": "1Gi", "ephemeral-storage": "1Gi"}, "requests": {"ephemeral-storage": "1Mi"}}], "Guaranteed"),
    ],
)
def test_qos_class_follows_kubernetes(resources: list[dict[str, Any]], qos: str) -> None:
    assert qos_class(_pod_spec(*resources)) == qos


def test_qos_counts_init_containers() -> None:
    spec = _pod_spec({"limits": {"cpu": "1", "memory": "1Gi"}})
    spec["initContainers"] = [{"name": "i", "resources": {"requests": {"cpu": "100m"}}}]
    assert qos_class(spec) == "Burstable"


def test_summary_reports_qos_startup_budget_and_objects_to_create_first() -> None:
    p = preset(
        {
            "ports": ["http:8080"],
            "startupProbe": {"httpGet": {"path": "/", "port": "http"}, "failureThreshold": 30, "periodSeconds": 10},
            "envFrom": [{"secretRef": {"name": "db"}}],
            "volumeMounts": [{"name": "c", "mountPath": "/c"}, {"name": "d", "mountPath": "/d"}],
        },
        serviceAccountName="app-sa",
        imagePullSecrets=["regcred"],
        volumes=[{"name": "c", "configMap": {"name": "conf"}}, {"name": "d", "persistentVolumeClaim": {"claimName": "data"}}],
    )
    lines = summarize(scaffold.build(p).objects)
    assert lines == [
        "Deployment/web: QoS Burstable",
        "  startup budget of web: 30 x 10 s = 300 s",
        "  must exist in the namespace before apply: ServiceAccount app-sa; pull Secret regcred; ConfigMap conf; Secret db; PersistentVolumeClaim data",
    ]


def test_summary_groups_identical_bare_pods() -> None:
    lines = summarize(scaffold.build("myapp").objects)
    assert lines[0] == "Pod/myapp1, Pod/myapp2, Pod/myapp3: QoS Burstable"
    assert lines[-1] == "  must exist in the namespace before apply: nothing"
