"""The round-trip property of ``scaffold import``: rendering an imported preset gives back the
input objects, compared semantically (key order, quoting and API defaults aside)."""

from __future__ import annotations

import copy
import functools
import json
from collections import Counter

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold
from conftest import PRESETS

#: Every built-in preset: its kinds and companions all come back as preset fields.
BUILTINS = list(PRESETS)
from scaffold.importer import Source, import_objects, import_text, render_unchecked
from scaffold.importer.canonical import canonical
from scaffold.importer.result import preset_yaml


def _key(obj: dict) -> tuple:
    meta = obj.get("metadata") or {}
    return (obj.get("kind"), meta.get("namespace"), meta.get("name"))


def _frozen(value):
    """A hashable form of canonical data, for comparing multisets of objects."""
    return json.dumps(value, sort_keys=True)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(text: str):
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


def rendered_back(result) -> list[dict]:
    """Every object the import's output stands for: rendered presets, then pass-through."""
    out: list[dict] = []
    for imported in result.presets:
        text = preset_yaml(imported.preset)
        loaded = _load(text)
        assert loaded == imported.preset  # the written preset is the preset
        out.extend(render_unchecked(loaded))
    out.extend(p.obj for p in result.passthrough)
    return out


def assert_round_trip(objects: list[dict]) -> None:
    result = import_objects([Source(copy.deepcopy(o)) for o in objects])
    assert not [i for i in result.report if "cannot be imported" in i.message], result.report
    back = rendered_back(result)
    assert Counter(_frozen(canonical(o)) for o in back) == Counter(_frozen(canonical(o)) for o in objects)


# ------------------------------------------------------------------ built-in presets


@pytest.mark.parametrize("name", BUILTINS)
def test_render_import_render_gives_the_same_objects_for_every_builtin(name):
    first = scaffold.render(name)
    result = import_text(scaffold.render_yaml(name), source=name)
    assert len(result.presets) == 1 and not result.passthrough
    second = render_unchecked(result.presets[0].preset)
    assert [canonical(o) for o in second] == [canonical(o) for o in first]


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_output_imports_without_patches(name):
    # The format can say everything it renders: no field needs the escape hatch.
    (imported,) = import_text(scaffold.render_yaml(name)).presets
    assert "patches" not in imported.preset


@pytest.mark.parametrize("name", BUILTINS)
def test_import_is_a_fixed_point_after_one_round(name):
    once = import_text(scaffold.render_yaml(name)).presets[0].preset
    rendered = scaffold.render(once)
    twice = import_text(scaffold.render_yaml(once)).presets[0].preset
    assert twice == once
    assert scaffold.render(twice) == rendered  # exactly, not only semantically


@pytest.mark.parametrize("name", BUILTINS)
def test_imported_builtin_passes_validate(name):
    (imported,) = import_text(scaffold.render_yaml(name)).presets
    scaffold.validate(imported.preset)  # raises on an error


# ------------------------------------------------------------------ generated manifests

# Strategies are built once, at import: hypothesis validates every strategy object it meets, and
# building them inside the composites made drawing cost more than importing.

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_names = st.builds(lambda a, b: a + b, st.sampled_from(_LOWER), st.text(alphabet=_LOWER + "0123456789", max_size=5))
_text = st.lists(st.sampled_from(list("ab1:-/#' \"{}[],\n") + ["é", "---", "key: v"]), max_size=8).map("".join)
_label_values = st.text(alphabet=_LOWER + "0123456789", min_size=1, max_size=6)
_images = st.sampled_from(["nginx:1.27", "busybox", "ghcr.io/acme/api:2.1.0", "registry:5000/team/app@sha256:" + "a" * 64])
_maybe = st.booleans()


def _optional(fields: dict) -> st.SearchStrategy:
    """A mapping with any subset of ``fields`` (name -> strategy of its value)."""
    return st.fixed_dictionaries({}, optional=fields)


_PROBE_TIMING = _optional(
    {
        "initialDelaySeconds": st.sampled_from([0, 5]),
        "periodSeconds": st.sampled_from([10, 3]),
        "timeoutSeconds": st.sampled_from([1, 2]),
        "successThreshold": st.just(1),
        "failureThreshold": st.sampled_from([3, 30]),
    }
)
_HANDLERS = [{"exec": {"command": ["cat", "/tmp/ok"]}}, {"tcpSocket": {"port": 80}}, {"httpGet": {"path": "/healthz", "port": 80}}]


@functools.lru_cache(maxsize=None)
def _probe(port_name: str | None) -> st.SearchStrategy:
    """A probe; with a named port, sometimes an httpGet on that name."""
    handlers = _HANDLERS + ([{"httpGet": {"path": "/", "port": port_name, "scheme": "HTTP"}}] if port_name else [])
    return st.builds(lambda h, t: {**copy.deepcopy(h), **t}, st.sampled_from(handlers), _PROBE_TIMING)


_ENV = st.lists(
    st.one_of(
        st.builds(lambda n, v: {"name": n.upper(), "value": v}, _names, _text),
        st.builds(lambda n: {"name": n.upper(), "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}, _names),
        st.builds(lambda n: {"name": n.upper()}, _names),
    ),
    max_size=3,
)
_CONTAINER_FIELDS = {
    "imagePullPolicy": st.sampled_from(["Always", "IfNotPresent"]),
    "command": st.lists(_text, min_size=1, max_size=3),
    "args": st.lists(_text, max_size=3),
    "workingDir": st.just("/app"),
    "env": _ENV,
    "resources": st.sampled_from(
        [
            {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
            {"limits": {"cpu": 1, "memory": "1Gi"}},
            {},
            {"requests": {"cpu": "250m"}, "limits": {}},
        ]
    ),
    "lifecycle": st.just({"preStop": {"sleep": {"seconds": 5}}}),
    "securityContext": st.sampled_from([{}, {"runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}}, {"privileged": False}]),
    "terminationMessagePath": st.just("/dev/termination-log"),  # the default
}
_CONTAINER_EXTRAS = {
    "plain": _optional(_CONTAINER_FIELDS),
    "any": _optional(
        {
            **_CONTAINER_FIELDS,
            # fields the format does not model
            "resources": st.sampled_from([{"requests": {"cpu": "250m"}, "claims": [{"name": "gpu"}]}, {"limits": {"cpu": 1, "memory": "1Gi"}}]),
            "securityContext": st.just({"seLinuxOptions": {"level": "s0"}, "procMount": "Default", "sysctls": [{"name": "a", "value": "1"}]}),
            "tty": st.booleans(),
            "stdin": st.booleans(),
            "terminationMessagePolicy": st.sampled_from(["File", "FallbackToLogsOnError"]),
        }
    ),
}
_PORT = st.fixed_dictionaries(
    {"containerPort": st.integers(1, 65535)},
    optional={"named": st.just(True), "protocol": st.sampled_from(["TCP", "UDP"]), "hostPort": st.just(True)},
)


@st.composite
def _container(draw, name, *, mounts, plain=False):
    ports = []
    for i, port in enumerate(draw(st.lists(_PORT, max_size=3, unique_by=lambda p: p["containerPort"]))):
        if port.pop("named", False):
            port = {"name": f"p{i}x", **port}
        if port.pop("hostPort", False):
            port["hostPort"] = port["containerPort"]
        ports.append(port)
    names = [p["name"] for p in ports if "name" in p]
    container = {"name": name, "image": draw(_images), **draw(_CONTAINER_EXTRAS["plain" if plain else "any"])}
    probes = _probe(names[0] if names else None)
    for key in ("livenessProbe", "readinessProbe"):
        if draw(_maybe):
            container[key] = draw(probes)
    if ports:
        container["ports"] = ports
    if mounts:
        container["volumeMounts"] = [{"name": m, "mountPath": f"/mnt/{m}", **({"readOnly": True} if draw(_maybe) else {})} for m in mounts]
    return container


_VOLUME_SOURCES = [
    {"emptyDir": {}},
    {"emptyDir": {"medium": "Memory"}},
    {"hostPath": {"path": "/data", "type": ""}},
    {"configMap": {"name": "conf", "defaultMode": 420}},
    {"secret": {"secretName": "tls"}},
    {"persistentVolumeClaim": {"claimName": "data"}},
    {"projected": {"sources": [{"configMap": {"name": "conf"}}]}},  # not modelled
    {"downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},  # not modelled
]
_VOLUMES = {
    "plain": st.lists(st.sampled_from(_VOLUME_SOURCES[:-2]), max_size=3),
    "any": st.lists(st.sampled_from(_VOLUME_SOURCES), max_size=3),
}
_POD_FIELDS = {
    "restartPolicy": st.just("Always"),
    "terminationGracePeriodSeconds": st.sampled_from([30, 60]),
    "serviceAccountName": st.sampled_from(["default", "app-sa"]),
    "imagePullSecrets": st.just([{"name": "regcred"}]),
    "nodeSelector": st.just({"disktype": "ssd"}),
    "dnsPolicy": st.just("ClusterFirst"),  # the default
    "schedulerName": st.just("default-scheduler"),  # the default
}
_POD_EXTRAS = {
    "plain": _optional(_POD_FIELDS),
    "any": _optional(
        {
            **_POD_FIELDS,
            # not modelled
            "dnsPolicy": st.sampled_from(["ClusterFirst", "Default"]),
            "hostname": _names,
            "tolerations": st.just([{"key": "dedicated", "operator": "Equal", "value": "batch", "effect": "NoSchedule"}]),
            "priorityClassName": st.just("high"),
        }
    ),
}


@st.composite
def _pod_spec(draw, plain=False):
    key = "plain" if plain else "any"
    volumes = [{"name": f"v{i}", **copy.deepcopy(source)} for i, source in enumerate(draw(_VOLUMES[key]))]
    mounts = [v["name"] for v in volumes]
    count = draw(st.integers(1, 3))
    spec = {"containers": [draw(_container(f"c{i}", mounts=mounts if i == 0 else [], plain=plain)) for i in range(count)]}
    if draw(st.integers(0, 3)) == 0:
        spec["initContainers"] = [draw(_container("init", mounts=[], plain=plain))]
    if volumes:
        spec["volumes"] = volumes
    spec.update(draw(_POD_EXTRAS[key]))
    return spec


_EXTRA_LABELS = st.dictionaries(st.sampled_from(["tier", "team", "example.com/x"]), _label_values, max_size=2)
_ANNOTATIONS = st.dictionaries(st.sampled_from(["note", "example.com/owner"]), _text, max_size=2)


@st.composite
def _metadata(draw, name, namespace, app):
    labels = {}
    if app is not None:
        labels["app"] = app
    labels.update(draw(_EXTRA_LABELS))
    meta = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    if labels or draw(_maybe):
        meta["labels"] = labels
    annotations = draw(_ANNOTATIONS)
    if annotations:
        meta["annotations"] = annotations
    if draw(st.integers(0, 4)) == 0:
        meta["uid"] = "0b5e5d0b-1111-2222-3333-444455556666"
        meta["creationTimestamp"] = "2024-01-01T00:00:00Z"
    return meta


_NAMESPACE = st.sampled_from([None, "default", "web"])
_DEPLOYMENT_EXTRAS = {
    "plain": _optional({"replicas": st.integers(0, 5), "strategy": st.sampled_from([{"type": "RollingUpdate"}, {}])}),
    "any": _optional({"replicas": st.integers(0, 5), "strategy": st.sampled_from([{"type": "Recreate"}, {}]), "minReadySeconds": st.just(5)}),
}
_SERVICE_EXTRAS = {
    "plain": _optional({"type": st.sampled_from(["ClusterIP", "NodePort"]), "sessionAffinity": st.just("None"), "clusterIP": st.just("10.96.0.12")}),
    "any": _optional(
        {"type": st.sampled_from(["ClusterIP", "NodePort"]), "sessionAffinity": st.sampled_from(["None", "ClientIP"]), "clusterIP": st.sampled_from(["None", "10.96.0.12"])}
    ),
}


_WORKLOAD_KINDS = ["Deployment", "Pod", "Pods", "StatefulSet", "DaemonSet", "Job", "CronJob"]
_JOB_EXTRAS = _optional({"completions": st.integers(1, 3), "backoffLimit": st.sampled_from([6, 2]), "parallelism": st.just(1)})
_CRON_EXTRAS = _optional(
    {"concurrencyPolicy": st.sampled_from(["Allow", "Forbid"]), "successfulJobsHistoryLimit": st.sampled_from([3, 5]), "suspend": st.just(False)}
)
_STRATEGY = {
    "StatefulSet": st.sampled_from([{"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}, {"type": "OnDelete"}]),
    "DaemonSet": st.sampled_from([{"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}, {"type": "OnDelete"}]),
}


def _meta_like(name, namespace, labels):
    """Companion metadata as a preset renders it: the app's labels, its namespace."""
    return {"name": name, **({"namespace": namespace} if namespace else {}), "labels": dict(labels)}


@st.composite
def _companions(draw, *, plain, name, namespace, kind, labels, pod_labels, service):
    """Objects that travel with the app: an HPA (of a Deployment or StatefulSet), a PDB, an
    Ingress (when there is a Service). ``plain``: named and labelled as a preset renders them,
    fields the format models only; else other names, no labels, fields it does not model."""
    out = []
    selector = {"app": name} if plain else dict(list(pod_labels.items())[:1])

    def meta(suffix):
        return _meta_like(name, namespace, labels) if plain else draw(_metadata(name + suffix, namespace, None))

    if kind in ("Deployment", "StatefulSet") and draw(_maybe):
        metrics = [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": draw(st.integers(50, 90))}}}]
        if draw(_maybe):
            metrics.append({"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}})
        spec = {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind, "name": name}, "maxReplicas": draw(st.integers(3, 9)), "metrics": metrics}
        if draw(_maybe):
            spec["minReplicas"] = draw(st.integers(1, 3))
        if not plain and draw(_maybe):
            spec["behavior"] = {"scaleDown": {"stabilizationWindowSeconds": 60}}
        out.append({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta("hpa"), "spec": spec})
    if draw(_maybe):
        spec = {draw(st.sampled_from(["maxUnavailable", "minAvailable"])): draw(st.sampled_from([1, 2, "50%"])), "selector": {"matchLabels": selector}}
        if not plain and draw(_maybe):
            spec["unhealthyPodEvictionPolicy"] = "AlwaysAllow"
        out.append({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta("pdb"), "spec": spec})
    if service is not None and draw(_maybe):
        host = f"{name}.example.com"
        path = {"path": draw(st.sampled_from(["/", "/api"])), "pathType": draw(st.sampled_from(["Prefix", "Exact"]))}
        port = service["spec"]["ports"][0]
        path["backend"] = {"service": {"name": service["metadata"]["name"], "port": draw(st.sampled_from([{"number": port["port"]}, {"name": port["name"]}]))}}
        spec = {"rules": [{"host": host, "http": {"paths": [path]}}]}
        if draw(_maybe):
            spec["ingressClassName"] = "nginx"
        if draw(_maybe):
            spec["tls"] = [{"hosts": [host], "secretName": draw(st.sampled_from([f"{name}-tls", "wildcard"]))}]
        ingress_meta = meta("ing")
        if draw(_maybe):
            ingress_meta["annotations"] = {"nginx.ingress.kubernetes.io/rewrite-target": "/"}
        out.append({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": ingress_meta, "spec": spec})
    return out


def _headless_ports(container):
    """The governing Service's ports a preset renders from the first container's ports."""
    out = []
    for port in container.get("ports") or []:
        entry = {k: port[k] for k in ("name",) if k in port}
        entry.update(port=port["containerPort"], targetPort=port["containerPort"])
        if "protocol" in port:
            entry["protocol"] = port["protocol"]
        out.append(entry)
    return out


@st.composite
def _app(draw, plain=False):
    """A workload (Deployment, Pod, numbered Pods, StatefulSet with its governing Service and
    claim templates, DaemonSet, Job, CronJob), maybe a Service that selects it, maybe a
    ConfigMap its first container reads, and maybe an HPA, a PDB and an Ingress.

    ``plain``: only what the preset format models, wired the way the format wires it
    (a ``clusterIP`` address is assigned by the server, so it counts as plain)."""
    key = "plain" if plain else "any"
    name = draw(_names)
    namespace = draw(_NAMESPACE)
    app = name if plain else [name, name, None, "other"][draw(st.integers(0, 3))]
    kind = draw(st.sampled_from(_WORKLOAD_KINDS))
    meta = draw(_metadata(name, namespace, app))
    pod_labels = dict(meta.get("labels") or {"app": name})
    labels = dict(meta.get("labels") or {})
    pod = draw(_pod_spec(plain))
    if kind in ("Job", "CronJob"):
        pod["restartPolicy"] = draw(st.sampled_from(["OnFailure", "Never"]))
    objects = []
    if draw(st.integers(0, 2)) == 0:  # a ConfigMap the first container reads
        config = {"apiVersion": "v1", "kind": "ConfigMap", "data": {"LEVEL": draw(_text)}}
        config["metadata"] = _meta_like(f"{name}-cfg", namespace, labels) if plain else draw(_metadata(f"{name}-cfg", namespace, None))
        if not plain and draw(_maybe):
            config["binaryData"] = {"blob": "AAEC"}
        pod["containers"][0]["envFrom"] = [{"configMapRef": {"name": f"{name}-cfg"}}]
        objects.append(config)
    if kind in ("Deployment", "StatefulSet", "DaemonSet"):
        template_labels = pod_labels if plain or draw(_maybe) else {**pod_labels, "extra": "yes"}
        selector = {"matchLabels": {"app": name} if plain else dict(list(template_labels.items())[:1])}
        spec = {"selector": selector, "template": {"metadata": {"labels": template_labels}, "spec": pod}}
        if not plain and draw(_maybe):
            spec["template"]["metadata"]["annotations"] = {"prometheus.io/scrape": "true"}
        if kind == "Deployment":
            spec.update(draw(_DEPLOYMENT_EXTRAS[key]))
        elif kind == "StatefulSet":
            governing = draw(st.sampled_from([f"{name}-headless", f"{name}-peers"]))
            spec = {"serviceName": governing, **spec}
            if draw(_maybe):
                spec["replicas"] = draw(st.integers(0, 5))
            claim = {"metadata": {"name": "data", "labels": {"app": name}}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}
            if not plain and draw(_maybe):
                claim["spec"]["volumeMode"] = "Block"
            if draw(_maybe):
                spec["volumeClaimTemplates"] = [claim]
            headless_spec = {"clusterIP": "None", "selector": {"app": name}}
            ports = _headless_ports(pod["containers"][0])
            if ports:
                headless_spec["ports"] = ports
            objects.append(
                {"apiVersion": "v1", "kind": "Service", "metadata": _meta_like(governing, namespace, labels if plain else pod_labels), "spec": headless_spec}
            )
        if kind in _STRATEGY and draw(_maybe):
            spec["updateStrategy"] = draw(_STRATEGY[kind])
        objects.append({"apiVersion": "apps/v1", "kind": kind, "metadata": meta, "spec": spec})
        pod_labels = template_labels
    elif kind in ("Job", "CronJob"):
        template_labels = pod_labels if plain or draw(_maybe) else {**pod_labels, "extra": "yes"}
        job = {**draw(_JOB_EXTRAS), "template": {"metadata": {"labels": template_labels}, "spec": pod}}
        if kind == "Job":
            objects.append({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": job})
        else:
            spec = {"schedule": draw(st.sampled_from(["*/5 * * * *", "@daily"])), **draw(_CRON_EXTRAS)}
            spec["jobTemplate"] = {"metadata": {"labels": template_labels}, "spec": job}
            objects.append({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta, "spec": spec})
        pod_labels = template_labels
    else:
        count = draw(st.integers(2, 3)) if kind == "Pods" else 1
        for i in range(1, count + 1):
            pod_meta = copy.deepcopy(meta)
            if count > 1:
                pod_meta["name"] = f"{name}{i}"
            objects.append({"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": copy.deepcopy(pod)})
    service = None
    if kind not in ("Job", "CronJob") and draw(_maybe):
        ports = [{"port": draw(st.integers(1, 65535)), "name": "web"}]
        if draw(_maybe):
            ports[0]["targetPort"] = draw(st.sampled_from([8080, "http"]))
        svc_spec = {"selector": {"app": name} if plain else dict(list(pod_labels.items())[:1]), "ports": ports}
        svc_spec.update(draw(_SERVICE_EXTRAS[key]))
        svc_name = name + "svc" if draw(_maybe) else name
        if plain:
            svc_meta = {"name": svc_name, **({"namespace": namespace} if namespace else {}), "labels": pod_labels}
            if draw(_maybe):
                svc_meta["annotations"] = {"note": draw(_text)}
        else:
            svc_meta = draw(_metadata(svc_name, namespace, app))
        service = {"apiVersion": "v1", "kind": "Service", "metadata": svc_meta, "spec": svc_spec}
        objects.append(service)
    companions = draw(_companions(plain=plain, name=name, namespace=namespace, kind=kind, labels=labels, pod_labels=pod_labels, service=service))
    if plain and any(c["kind"] == "HorizontalPodAutoscaler" for c in companions):
        objects[-1 if service is None else -2]["spec"].pop("replicas", None)  # the preset leaves them to the autoscaler
    return objects + companions


_others = st.sampled_from(
    [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "conf"}, "data": {"a": "1"}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "db"}, "rules": [], "status": {"x": 1}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "external"}, "spec": {"type": "ExternalName", "externalName": "example.com"}},
    ]
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(apps=st.lists(_app(), min_size=1, max_size=3), others=st.lists(_others, max_size=2, unique_by=lambda o: o["kind"]))
def test_generated_manifests_come_back_the_same(apps, others):
    objects = [o for group in apps for o in group] + copy.deepcopy(others)
    keys = [_key(o) for o in objects]
    if len(set(keys)) != len(keys):  # two objects of one kind and name: not a valid input
        return
    assert_round_trip(objects)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=_app())
def test_every_generated_workload_becomes_a_preset(group):
    result = import_objects([Source(copy.deepcopy(o)) for o in group])
    kinds = set(_WORKLOAD_KINDS) - {"Pods"}
    workloads = [f"{o['kind']}/{o['metadata']['name']}" for o in group if o["kind"] in kinds]
    assert len(result.presets) == 1
    assert [s for s in result.presets[0].sources if s.split("/")[0] in kinds] == workloads
    # every object is accounted for: in the preset, or passed through with a word
    assert sorted(result.presets[0].sources + [p.label for p in result.passthrough]) == sorted(
        f"{o['kind']}/{o['metadata']['name']}" for o in group
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=_app(plain=True))
def test_what_the_format_models_imports_without_patches(group):
    result = import_objects([Source(copy.deepcopy(o)) for o in group])
    (imported,) = result.presets
    assert "patches" not in imported.preset, preset_yaml(imported.preset)
    assert not result.passthrough, [p.reason for p in result.passthrough]  # every companion became a field
    assert_round_trip(group)
