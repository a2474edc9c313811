"""The built-in presets reproduce the article's manifests field for field."""

from __future__ import annotations

import pytest

import scaffold
from conftest import PRESETS


def _containers(obj):
    spec = obj["spec"]["template"]["spec"] if obj["kind"] == "Deployment" else obj["spec"]
    return spec


def test_every_spec_preset_is_shipped():
    expected = {
        "nginx", "myapp", "liveness-exec", "liveness-httpget", "liveness-tcp",
        "readiness-httpget", "startup-probe", "lifecycle-demo", "web-app",
    }
    assert expected <= set(scaffold.list_presets())


@pytest.mark.parametrize("name", PRESETS)
def test_preset_file_starts_with_a_comment_saying_what_it_demonstrates(name):
    from scaffold.preset.builtins import builtin

    first = builtin(name).text().splitlines()[0]
    assert first.startswith("# ") and len(first) > 20


@pytest.mark.parametrize("name", PRESETS)
def test_every_builtin_preset_renders_without_errors(name):
    objects = scaffold.render(name)
    assert objects and all(o["metadata"]["name"] for o in objects)


def test_nginx_is_the_articles_deployment():
    # Section 2.2 of the article, as written by hand there.
    (dep,) = scaffold.render("nginx")
    assert dep["apiVersion"] == "apps/v1" and dep["kind"] == "Deployment"
    assert dep["metadata"]["name"] == "nginx-test"
    assert dep["metadata"]["labels"] == {"app": "nginx-test"}
    assert dep["spec"]["replicas"] == 3
    assert dep["spec"]["selector"] == {"matchLabels": {"app": "nginx-test"}}
    assert dep["spec"]["template"]["metadata"]["labels"] == {"app": "nginx-test"}
    pod = dep["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Always"
    (c,) = pod["containers"]
    assert c["name"] == "nginx" and c["image"] == "nginx:latest"
    assert c["imagePullPolicy"] == "IfNotPresent"
    assert c["resources"] == {"requests": {"memory": "128Mi", "cpu": "250m"}, "limits": {"memory": "1Gi", "cpu": "1"}}


def test_myapp_is_three_pods_behind_a_clusterip_service():
    objects = scaffold.render("myapp")
    pods, (svc,) = objects[:-1], objects[-1:]
    assert [p["metadata"]["name"] for p in pods] == ["myapp1", "myapp2", "myapp3"]
    for pod in pods:
        assert pod["kind"] == "Pod" and pod["metadata"]["labels"]["app"] == "myapp"
        (c,) = pod["spec"]["containers"]
        assert c["name"] == "myapp" and c["image"] == "soscscs/myapp:v1"
        assert c["ports"] == [{"name": "http", "containerPort": 80}]
        assert c["readinessProbe"] == {
            "httpGet": {"port": 80, "path": "/index.html"},
            "initialDelaySeconds": 5,
            "periodSeconds": 5,
            "timeoutSeconds": 10,
        }
    assert svc["kind"] == "Service" and svc["metadata"]["name"] == "myapp"
    assert svc["spec"]["selector"] == {"app": "myapp"}
    assert svc["spec"]["type"] == "ClusterIP"
    assert svc["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": 80}]


def test_startup_probe_gives_a_slow_starter_300_seconds():
    (pod,) = scaffold.render("startup-probe")
    (c,) = pod["spec"]["containers"]
    assert {"name": "liveness-port", "containerPort": 8080, "hostPort": 8080} in c["ports"]
    assert c["livenessProbe"] == {"httpGet": {"path": "/healthz", "port": "liveness-port"}, "failureThreshold": 1, "periodSeconds": 10}
    assert c["startupProbe"] == {"httpGet": {"path": "/healthz", "port": "liveness-port"}, "failureThreshold": 30, "periodSeconds": 10}
    assert c["startupProbe"]["failureThreshold"] * c["startupProbe"]["periodSeconds"] == 300


def test_lifecycle_demo_has_hooks_init_container_and_hostpath():
    (pod,) = scaffold.render("lifecycle-demo")
    assert pod["metadata"]["name"] == "lifecycle-demo"
    spec = pod["spec"]
    (c,) = spec["containers"]
    assert c["name"] == "lifecycle-demo-container" and c["image"] == "soscscs/myapp:v1"
    assert c["lifecycle"]["postStart"] == {
        "exec": {"command": ["/bin/sh", "-c", "echo Hello from the postStart handler >> /var/log/nginx/message"]}
    }
    assert c["lifecycle"]["preStop"] == {
        "exec": {"command": ["/bin/sh", "-c", "echo Hello from the prestop handler >> /var/log/nginx/message"]}
    }
    assert c["volumeMounts"] == [{"name": "message-log", "mountPath": "/var/log/nginx/"}]
    (init,) = spec["initContainers"]
    assert init["name"] == "init-myservice" and init["image"] == "soscscs/myapp:v1"
    assert init["command"] == ["/bin/sh", "-c", "echo 'Hello initContainers'   >> /var/log/nginx/message"]
    assert init["volumeMounts"] == [{"name": "message-log", "mountPath": "/var/log/nginx/"}]
    assert spec["volumes"] == [{"name": "message-log", "hostPath": {"path": "/data/volumes/nginx/log/", "type": "DirectoryOrCreate"}}]


def test_presets_without_resources_get_the_small_size_and_say_so():
    result = scaffold.build("myapp")
    (c,) = result.objects[0]["spec"]["containers"]
    assert c["resources"] == {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}}
    notes = [i for i in result.issues if i.rule == "default-size"]
    assert notes and notes[0].severity == "notice" and "size small" in notes[0].message
    assert notes[0].line is not None


def test_web_app_is_production_minded():
    objects = scaffold.render("web-app")
    assert [o["kind"] for o in objects] == [
        "ServiceAccount", "ConfigMap", "ConfigMap", "Deployment", "Service",
        "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
    ]
    dep, svc, hpa = objects[3], objects[4], objects[6]
    assert "replicas" not in dep["spec"] and hpa["spec"]["minReplicas"] >= 2  # the HPA owns the count
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    assert "@sha256:" in c["image"] and not c["image"].endswith(":latest")
    assert {"livenessProbe", "readinessProbe", "startupProbe"} <= set(c)
    assert c["lifecycle"]["preStop"] == {"sleep": {"seconds": 5}}
    assert c["resources"]["limits"]["memory"]
    assert svc["spec"]["ports"][0]["targetPort"] == "http"
