"""The round-trip property of ``scaffold import``: rendering an imported preset gives back the
input objects, compared semantically (key order, quoting and API defaults aside)."""

from __future__ import annotations

import copy
from collections import Counter

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold
from conftest import PRESETS
from scaffold.importer import Source, import_objects, import_text, render_unchecked
from scaffold.importer.canonical import canonical
from scaffold.importer.result import preset_yaml


def _key(obj: dict) -> tuple:
    meta = obj.get("metadata") or {}
    return (obj.get("kind"), meta.get("namespace"), meta.get("name"))


def _frozen(value):
    """A hashable form of canonical data, for comparing multisets of objects."""
    return yaml.safe_dump(value, sort_keys=True)


def rendered_back(result) -> list[dict]:
    """Every object the import's output stands for: rendered presets, then pass-through."""
    out: list[dict] = []
    for imported in result.presets:
        text = preset_yaml(imported.preset)
        assert yaml.safe_load(text) == imported.preset  # the written preset is the preset
        out.extend(render_unchecked(yaml.safe_load(text)))
    out.extend(p.obj for p in result.passthrough)
    return out


def assert_round_trip(objects: list[dict]) -> None:
    result = import_objects([Source(copy.deepcopy(o)) for o in objects])
    assert not [i for i in result.report if "cannot be imported" in i.message], result.report
    back = rendered_back(result)
    assert Counter(_frozen(canonical(o)) for o in back) == Counter(_frozen(canonical(o)) for o in objects)


# ------------------------------------------------------------------ built-in presets


@pytest.mark.parametrize("name", PRESETS)
def test_render_import_render_gives_the_same_objects_for_every_builtin(name):
    first = scaffold.render(name)
    result = import_text(scaffold.render_yaml(name), source=name)
    assert len(result.presets) == 1 and not result.passthrough
    second = render_unchecked(result.presets[0].preset)
    assert [canonical(o) for o in second] == [canonical(o) for o in first]


@pytest.mark.parametrize("name", PRESETS)
def test_builtin_output_imports_without_patches(name):
    # The format can say everything it renders: no field needs the escape hatch.
    (imported,) = import_text(scaffold.render_yaml(name)).presets
    assert "patches" not in imported.preset


@pytest.mark.parametrize("name", PRESETS)
def test_import_is_a_fixed_point_after_one_round(name):
    once = import_text(scaffold.render_yaml(name)).presets[0].preset
    rendered = scaffold.render(once)
    twice = import_text(scaffold.render_yaml(once)).presets[0].preset
    assert twice == once
    assert scaffold.render(twice) == rendered  # exactly, not only semantically


@pytest.mark.parametrize("name", PRESETS)
def test_imported_builtin_passes_validate(name):
    (imported,) = import_text(scaffold.render_yaml(name)).presets
    scaffold.validate(imported.preset)  # raises on an error


# ------------------------------------------------------------------ generated manifests

_names = st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True)
_text = st.lists(st.sampled_from(list("ab1:-/#' \"{}[],\n") + ["é", "---", "key: v"]), max_size=8).map("".join)
_label_values = st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True)
_images = st.sampled_from(["nginx:1.27", "busybox", "ghcr.io/acme/api:2.1.0", "registry:5000/team/app@sha256:" + "a" * 64])
_maybe = st.booleans()


def _opt(strategy):
    return st.one_of(st.none(), strategy)


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


@st.composite
def _probe(draw, port_names):
    handler = draw(
        st.sampled_from(
            [{"exec": {"command": ["cat", "/tmp/ok"]}}, {"tcpSocket": {"port": 80}}, {"httpGet": {"path": "/healthz", "port": 80}}]
            + ([{"httpGet": {"path": "/", "port": port_names[0], "scheme": "HTTP"}}] if port_names else [])
        )
    )
    timing = {k: draw(_opt(st.sampled_from(values))) for k, values in {
        "initialDelaySeconds": [0, 5],
        "periodSeconds": [10, 3],
        "timeoutSeconds": [1, 2],
        "successThreshold": [1],
        "failureThreshold": [3, 30],
    }.items()}
    return {**copy.deepcopy(handler), **_drop_none(timing)}


@st.composite
def _container(draw, name, *, mounts, plain=False):
    ports = []
    used = set()
    for i in range(draw(st.integers(0, 3))):
        number = draw(st.integers(1, 65535).filter(lambda n: n not in used))
        used.add(number)
        port = {"containerPort": number}
        if draw(_maybe):
            port["name"] = f"p{i}x"
        if draw(_maybe):
            port["protocol"] = draw(st.sampled_from(["TCP", "UDP"]))
        if draw(st.integers(0, 5)) == 0:
            port["hostPort"] = number
        ports.append(port)
    names = [p["name"] for p in ports if "name" in p]
    container = {"name": name, "image": draw(_images)}
    optional = {
        "imagePullPolicy": _opt(st.sampled_from(["Always", "IfNotPresent"])),
        "command": _opt(st.lists(_text, min_size=1, max_size=3)),
        "args": _opt(st.lists(_text, max_size=3)),
        "workingDir": _opt(st.just("/app")),
        "env": _opt(
            st.lists(
                st.one_of(
                    st.builds(lambda n, v: {"name": n.upper(), "value": v}, _names, _text),
                    st.builds(lambda n: {"name": n.upper(), "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}, _names),
                    st.builds(lambda n: {"name": n.upper()}, _names),
                ),
                max_size=3,
            )
        ),
        "resources": _opt(
            st.one_of(
                st.just({"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}}),
                st.just({"limits": {"cpu": 1, "memory": "1Gi"}}),
                st.just({}),
                st.just({"requests": {"cpu": "250m"}, "limits": {}}),
            )
        ),
        "livenessProbe": _opt(_probe(names)),
        "readinessProbe": _opt(_probe(names)),
        "lifecycle": _opt(st.just({"preStop": {"sleep": {"seconds": 5}}})),
        "securityContext": _opt(st.sampled_from([{}, {"runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}}, {"privileged": False}])),
        "terminationMessagePath": _opt(st.just("/dev/termination-log")),  # the default
    }
    if not plain:  # fields the format does not model
        optional.update(
            {
                "resources": _opt(st.just({"requests": {"cpu": "250m"}, "claims": [{"name": "gpu"}]})),
                "securityContext": _opt(st.just({"seLinuxOptions": {"level": "s0"}, "procMount": "Default", "sysctls": [{"name": "a", "value": "1"}]})),
                "tty": _opt(st.booleans()),
                "stdin": _opt(st.booleans()),
                "terminationMessagePolicy": _opt(st.sampled_from(["File", "FallbackToLogsOnError"])),
            }
        )
    for key, strategy in optional.items():
        value = draw(strategy)
        if value is not None:
            container[key] = value
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


@st.composite
def _pod_spec(draw, plain=False):
    sources = _VOLUME_SOURCES[:-2] if plain else _VOLUME_SOURCES
    volumes = [
        {"name": f"v{i}", **copy.deepcopy(draw(st.sampled_from(sources)))} for i in range(draw(st.integers(0, 3)))
    ]
    mounts = [v["name"] for v in volumes]
    count = draw(st.integers(1, 3))
    spec = {"containers": [draw(_container(f"c{i}", mounts=mounts if i == 0 else [], plain=plain)) for i in range(count)]}
    if draw(st.integers(0, 3)) == 0:
        spec["initContainers"] = [draw(_container("init", mounts=[], plain=plain))]
    if volumes:
        spec["volumes"] = volumes
    optional = {
        "restartPolicy": _opt(st.just("Always")),
        "terminationGracePeriodSeconds": _opt(st.sampled_from([30, 60])),
        "serviceAccountName": _opt(st.sampled_from(["default", "app-sa"])),
        "imagePullSecrets": _opt(st.just([{"name": "regcred"}])),
        "nodeSelector": _opt(st.just({"disktype": "ssd"})),
        "dnsPolicy": _opt(st.just("ClusterFirst")),  # the default
        "schedulerName": _opt(st.just("default-scheduler")),  # the default
    }
    if not plain:  # not modelled
        optional.update(
            {
                "dnsPolicy": _opt(st.sampled_from(["ClusterFirst", "Default"])),
                "hostname": _opt(_names),
                "tolerations": _opt(st.just([{"key": "dedicated", "operator": "Equal", "value": "batch", "effect": "NoSchedule"}])),
                "priorityClassName": _opt(st.just("high")),
            }
        )
    for key, strategy in optional.items():
        value = draw(strategy)
        if value is not None:
            spec[key] = value
    return spec


@st.composite
def _metadata(draw, name, namespace, app):
    labels = {}
    if app is not None:
        labels["app"] = app
    labels.update(draw(st.dictionaries(st.sampled_from(["tier", "team", "example.com/x"]), _label_values, max_size=2)))
    meta = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    if labels or draw(_maybe):
        meta["labels"] = labels
    annotations = draw(st.dictionaries(st.sampled_from(["note", "example.com/owner"]), _text, max_size=2))
    if annotations:
        meta["annotations"] = annotations
    if draw(st.integers(0, 4)) == 0:
        meta["uid"] = "0b5e5d0b-1111-2222-3333-444455556666"
        meta["creationTimestamp"] = "2024-01-01T00:00:00Z"
    return meta


@st.composite
def _app(draw, plain=False):
    """A workload (Deployment, Pod, or numbered Pods) and maybe a Service that selects it.

    ``plain``: only what the preset format models, wired the way the format wires it."""
    name = draw(_names)
    namespace = draw(_opt(st.sampled_from(["default", "web"])))
    app = name if plain else draw(st.sampled_from([name, name, None, "other"]))
    kind = draw(st.sampled_from(["Deployment", "Pod", "Pods"]))
    meta = draw(_metadata(name, namespace, app))
    pod_labels = dict(meta.get("labels") or {"app": name})
    objects = []
    if kind == "Deployment":
        template_labels = pod_labels if plain or draw(_maybe) else {**pod_labels, "extra": "yes"}
        selector = {"matchLabels": {"app": name} if plain else dict(list(template_labels.items())[:1])}
        spec = {"selector": selector, "template": {"metadata": {"labels": template_labels}, "spec": draw(_pod_spec(plain))}}
        if not plain and draw(_maybe):
            spec["template"]["metadata"]["annotations"] = {"prometheus.io/scrape": "true"}
        extra = {"replicas": draw(_opt(st.integers(0, 5))), "strategy": draw(_opt(st.sampled_from([{"type": "RollingUpdate"}, {}])))}
        if not plain:
            extra.update({"strategy": draw(_opt(st.sampled_from([{"type": "Recreate"}, {}]))), "minReadySeconds": draw(_opt(st.just(5)))})
        for key, value in extra.items():
            if value is not None:
                spec[key] = value
        objects.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": spec})
        pod_labels = template_labels
    else:
        spec = draw(_pod_spec(plain))
        count = draw(st.integers(2, 3)) if kind == "Pods" else 1
        for i in range(1, count + 1):
            pod_meta = copy.deepcopy(meta)
            if count > 1:
                pod_meta["name"] = f"{name}{i}"
            objects.append({"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": copy.deepcopy(spec)})
    if draw(_maybe):
        ports = [{"port": draw(st.integers(1, 65535)), "name": "web"}]
        if draw(_maybe):
            ports[0]["targetPort"] = draw(st.sampled_from([8080, "http"]))
        svc_spec = {"selector": {"app": name} if plain else dict(list(pod_labels.items())[:1]), "ports": ports}
        extra = {
            "type": draw(_opt(st.sampled_from(["ClusterIP", "NodePort"]))),
            "sessionAffinity": draw(_opt(st.just("None"))),
            "clusterIP": draw(_opt(st.just("10.96.0.12"))),  # assigned by the server
        }
        if not plain:
            extra.update({"sessionAffinity": draw(_opt(st.sampled_from(["None", "ClientIP"]))), "clusterIP": draw(_opt(st.sampled_from(["None", "10.96.0.12"])))})
        for key, value in extra.items():
            if value is not None:
                svc_spec[key] = value
        svc_name = draw(st.sampled_from([name, name + "svc"]))
        if plain:
            svc_meta = {"name": svc_name, **({"namespace": namespace} if namespace else {}), "labels": pod_labels}
            if draw(_maybe):
                svc_meta["annotations"] = {"note": draw(_text)}
        else:
            svc_meta = draw(_metadata(svc_name, namespace, app))
        objects.append({"apiVersion": "v1", "kind": "Service", "metadata": svc_meta, "spec": svc_spec})
    return objects


_others = st.sampled_from(
    [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "conf"}, "data": {"a": "1"}},
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"}, "spec": {"serviceName": "db"}, "status": {"replicas": 1}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "external"}, "spec": {"type": "ExternalName", "externalName": "example.com"}},
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(apps=st.lists(_app(), min_size=1, max_size=3), others=st.lists(_others, max_size=2, unique_by=lambda o: o["kind"]))
def test_generated_manifests_come_back_the_same(apps, others):
    objects = [o for group in apps for o in group] + copy.deepcopy(others)
    keys = [_key(o) for o in objects]
    if len(set(keys)) != len(keys):  # two objects of one kind and name: not a valid input
        return
    assert_round_trip(objects)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=_app())
def test_every_generated_workload_becomes_a_preset(group):
    result = import_objects([Source(copy.deepcopy(o)) for o in group])
    workloads = [o for o in group if o["kind"] in ("Deployment", "Pod")]
    assert len(result.presets) == 1
    assert result.presets[0].sources[: len(workloads)] == [f"{o['kind']}/{o['metadata']['name']}" for o in workloads]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(group=_app(plain=True))
def test_what_the_format_models_imports_without_patches(group):
    result = import_objects([Source(copy.deepcopy(o)) for o in group])
    (imported,) = result.presets
    assert "patches" not in imported.preset, preset_yaml(imported.preset)
    assert_round_trip(group)
