"""Structure-aware fuzzing: presets built field by field, valid and broken at every level.

The contract: a preset either raises PresetError with issues, or renders objects that pass
kubernetes-validate's strict schema (for k8s 1.30 and the newest it knows) and the project's
own rules at error level. And no rule ever crashes on what it is given.
"""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import scaffold
from scaffold.errors import Issue, PresetError
from scaffold.rules import run

VERSIONS = ("1.30.0", kubernetes_validate.latest_version())
DIGEST = "sha256:" + "ab" * 32

JUNK = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.just([]), st.just({}), st.just([1]), st.just({"x": 1}), st.text(max_size=3))


def pick(draw: st.DrawFn, bad: bool, valid: st.SearchStrategy[Any], broken: st.SearchStrategy[Any] | None = None) -> Any:
    """A valid value; in a broken preset sometimes a plausible mistake, rarely junk of the wrong type."""
    if not bad:
        return draw(valid)
    choices = [valid, valid, valid, valid, JUNK]
    if broken is not None:
        choices += [broken, broken]
    return draw(st.one_of(*choices))


def chance(draw: st.DrawFn, one_in: int) -> bool:
    return draw(st.integers(0, one_in - 1)) == 0


NAMES = (st.sampled_from(["web", "my-app", "a", "app1", "x" * 63, "web.v2"]), st.sampled_from(["Web_App", "", "-web", "1web", "x" * 64, "web app", "wEb"]))
CNAMES = (st.sampled_from(["web", "sidecar", "log-shipper", "a1"]), st.sampled_from(["Web", "web_1", "", "a.b", "-x"]))
IMAGES = (
    st.sampled_from(["nginx:1.27", "registry.k8s.io/liveness:v1.0", "localhost:5000/team/app:1.4", f"nginx@{DIGEST}", "busybox:1.36", "nginx", "nginx:latest"]),
    st.sampled_from(["Nginx:1.27", "nginx 1.27", "", "nginx:", "nginx@sha256:12", "https://x.io/a", "a//b"]),
)
CPU = (st.sampled_from(["100m", "250m", "0.5", "1", "2", 1, 0.5]), st.sampled_from(["1 core", "0.0001", "1Gi", "-1", "500 m", "100", "x", 1e-9]))
MEMORY = (st.sampled_from(["64Mi", "128Mi", "1Gi", "512Mi", 1048576, "128M"]), st.sampled_from(["128m", "128mi", "1GB", "1 Gi", "-1Mi", "300Gi", "1.5", "0.5Ki"]))
PORT_NUMBERS = (st.sampled_from([80, 443, 8080, 9090, 53]), st.sampled_from([0, -1, 65536, 80800]))
PORT_NAMES = (st.sampled_from(["http", "https", "metrics", "liveness-port", "grpc"]), st.sampled_from(["HTTP", "http_alt", "a--b", "-http", "x" * 16, "80", ""]))
SECONDS = (st.integers(1, 40), st.integers(-2, 0))
PROTOCOLS = (st.sampled_from(["TCP", "UDP", "SCTP"]), st.sampled_from(["tcp", "HTTP", ""]))


def ports(draw: st.DrawFn, bad: bool, index: int) -> Any:
    """Clean ports get distinct numbers and names; broken ones anything."""
    number = pick(draw, bad, st.just(8080 + index), PORT_NUMBERS[1]) if not bad else pick(draw, bad, *PORT_NUMBERS)
    name = f"port{index}" if not bad else pick(draw, bad, *PORT_NAMES)
    form = draw(st.integers(0, 3))
    if form == 0:
        return number
    if form == 1:
        return f"{name}:{number}"
    port: dict[str, Any] = {"containerPort": number, "name": name}
    if chance(draw, 4):
        port["protocol"] = pick(draw, bad, *PROTOCOLS)
    if bad and chance(draw, 3):
        port["hostPort"] = pick(draw, bad, *PORT_NUMBERS)
    return port


def handler(draw: st.DrawFn, bad: bool, refs: list[Any]) -> dict[str, Any]:
    if refs and (not bad or draw(st.booleans())):
        port = draw(st.sampled_from(refs))
    else:
        port = draw(st.sampled_from([80, 8080, "htp", "x", 0, 70000])) if bad else None
    kind = draw(st.sampled_from(["exec", "httpGet", "tcpSocket", "grpc"]))
    if kind == "exec" or port is None:
        return {"exec": {"command": draw(st.sampled_from([["cat", "/tmp/healthy"], ["true"]]))}}
    if kind == "httpGet":
        get: dict[str, Any] = {"port": port, "path": draw(st.sampled_from(["/healthz", "/"]))}
        if bad and chance(draw, 3):
            get.pop("path") if draw(st.booleans()) else get.update(scheme=draw(st.sampled_from(["http", "FTP"])))
        elif chance(draw, 4):
            get["scheme"] = draw(st.sampled_from(["HTTP", "HTTPS"]))
        return {"httpGet": get}
    if kind == "grpc":
        return {"grpc": {"port": port if isinstance(port, int) else 9090}} if bad or isinstance(port, int) else {"tcpSocket": {"port": port}}
    return {"tcpSocket": {"port": port}}


def probe(draw: st.DrawFn, bad: bool, refs: list[Any], kind: str) -> Any:
    p: dict[str, Any] = handler(draw, bad, refs)
    if bad and chance(draw, 5):
        p.update(handler(draw, bad, refs))  # maybe two handlers
    if bad and chance(draw, 8):
        p = {}
    for field in ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold", "terminationGracePeriodSeconds"):
        if not bad and ((field == "successThreshold" and kind != "readinessProbe") or (field == "terminationGracePeriodSeconds" and kind == "readinessProbe")):
            continue
        if chance(draw, 3):
            p[field] = pick(draw, bad, *SECONDS)
    return pick(draw, bad, st.just(p))


def lifecycle(draw: st.DrawFn, bad: bool) -> Any:
    good = [{"exec": {"command": ["/bin/sh", "-c", "echo hi"]}}, {"sleep": {"seconds": 5}}, {"httpGet": {"path": "/stop", "port": 80}}]
    wrong = [{"sleep": {"seconds": 100}}, {"tcpSocket": {"port": 80}}, {}, {"exec": {"command": ["sh"]}, "sleep": {"seconds": 1}}]
    out = {}
    for hook in ("postStart", "preStop"):
        if draw(st.booleans()):
            out[hook] = pick(draw, bad, st.sampled_from(good), st.sampled_from(wrong))
    return out


def resources(draw: st.DrawFn, bad: bool) -> Any:
    if not bad:  # requests within limits by construction
        cpu, memory = draw(st.sampled_from([("100m", "500m"), ("1", "1"), (0.5, 2)])), draw(st.sampled_from([("64Mi", "128Mi"), ("1Gi", "1Gi"), ("128M", "1Gi")]))
        out: dict[str, Any] = {"requests": {"cpu": cpu[0], "memory": memory[0]}}
        if draw(st.booleans()):
            out["limits"] = {"cpu": cpu[1], "memory": memory[1]}
        return out
    out = {}
    for kind in ("requests", "limits"):
        if draw(st.booleans()):
            values = {}
            if draw(st.booleans()):
                values["cpu"] = pick(draw, bad, *CPU)
            if draw(st.booleans()):
                values["memory"] = pick(draw, bad, *MEMORY)
            if chance(draw, 6):
                values[draw(st.sampled_from(["memroy", "hugepages-2Mi", "ephemeral-storage", "nvidia.com/gpu"]))] = draw(st.sampled_from(["1", "2Mi", "1Gi", "0.5"]))
            out[kind] = values
    return pick(draw, bad, st.just(out))


def container(draw: st.DrawFn, bad: bool, index: int, volume_names: list[str], init: bool = False) -> Any:
    c: dict[str, Any] = {
        "name": pick(draw, bad, *CNAMES) if bad else f"{'init' if init else 'c'}{index}",
        "image": pick(draw, bad, *IMAGES),
    }
    if chance(draw, 4):
        c["imagePullPolicy"] = pick(draw, bad, st.sampled_from(["Always", "IfNotPresent", "Never"]), st.just("ifnotpresent"))
    declared = [ports(draw, bad, i) for i in range(draw(st.integers(0, 3)))]
    if declared:
        c["ports"] = declared
    refs: list[Any] = []
    for p in declared:
        if isinstance(p, int):
            refs.append(p)
        elif isinstance(p, str):
            refs.append(p.split(":")[0])
        elif isinstance(p, dict):
            refs.append(p.get("name") or p.get("containerPort"))
    choice = draw(st.integers(0, 3))
    if choice == 1:
        c["size"] = pick(draw, bad, st.sampled_from(["tiny", "small", "large"]), st.just("huge"))
    elif choice == 2:
        c["resources"] = resources(draw, bad)
    sidecar = init and (bad and chance(draw, 3) or not bad and chance(draw, 2))
    if not init or sidecar or bad:
        for name in ("livenessProbe", "readinessProbe", "startupProbe"):
            if chance(draw, 3):
                c[name] = probe(draw, bad, refs, name)
        if chance(draw, 4):
            c["lifecycle"] = lifecycle(draw, bad)
    if chance(draw, 4):
        if bad:
            c["env"] = draw(
                st.one_of(
                    st.dictionaries(st.sampled_from(["LOG_LEVEL", "PORT", "MY VAR", "1X", "a.b"]), st.one_of(st.text(max_size=5), st.integers(), st.booleans()), max_size=3),
                    st.just([{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]),
                )
            )
        else:
            c["env"] = draw(
                st.one_of(
                    st.dictionaries(st.sampled_from(["LOG_LEVEL", "PORT", "a.b"]), st.one_of(st.text(max_size=5), st.integers(), st.booleans()), max_size=3),
                    st.just([{"name": "S", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}}]),
                )
            )
    if volume_names and draw(st.booleans()):
        if bad:
            c["volumeMounts"] = [
                {"name": draw(st.sampled_from([*volume_names, "missing"])), "mountPath": draw(st.sampled_from(["/data", "/cache", "data"]))}
                for _ in range(draw(st.integers(1, 2)))
            ]
        else:
            c["volumeMounts"] = [{"name": n, "mountPath": f"/mnt/{n}", "readOnly": True} for n in volume_names]
    if sidecar:
        c["restartPolicy"] = "Always"
    elif init and bad and chance(draw, 4):
        c["restartPolicy"] = "Never"
    return pick(draw, bad, st.just(c))


GOOD_SOURCES = [
    {"emptyDir": {}},
    {"emptyDir": {"sizeLimit": "64Mi"}},
    {"emptyDir": {"medium": "Memory"}},
    {"configMap": {"name": "conf"}},
    {"secret": {"secretName": "tls"}},
    {"persistentVolumeClaim": {"claimName": "data"}},
    {"hostPath": {"path": "/data/x", "type": "DirectoryOrCreate"}},
]
BAD_SOURCES = [
    {"emptyDir": {"sizeLimit": "64mb"}},
    {"hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}},
    {"hostPath": {"path": "data/x"}},
    {"hostPath": {"path": "/data/x", "type": "directory"}},
    {"emptyDir": {}, "configMap": {"name": "conf"}},
]


def volume(draw: st.DrawFn, bad: bool, index: int) -> Any:
    name = draw(st.sampled_from(["data", "cache", "Data_1"])) if bad else f"vol{index}"
    source = pick(draw, bad, st.sampled_from(GOOD_SOURCES), st.sampled_from(BAD_SOURCES))
    return pick(draw, bad, st.just({"name": name, **source}) if isinstance(source, dict) else st.just(source))


@st.composite
def presets(draw: st.DrawFn) -> dict[str, Any]:
    """Half the presets are meant to be clean; the others have mistakes anywhere."""
    bad = draw(st.booleans())
    vols = [volume(draw, bad, i) for i in range(draw(st.integers(0, 2)))]
    names = [v["name"] for v in vols if isinstance(v, dict) and isinstance(v.get("name"), str)]
    count = draw(st.integers(0 if bad else 1, 2))
    p: dict[str, Any] = {
        "name": pick(draw, bad, *NAMES),
        "containers": pick(draw, bad, st.just([container(draw, bad, i, names) for i in range(count)])),
    }
    if draw(st.booleans()):
        p["kind"] = draw(st.sampled_from(["Deployment", "Pod"]))
    if draw(st.booleans()):
        p["replicas"] = pick(draw, bad, st.integers(1, 4), st.integers(-2, 0))
    if chance(draw, 4):
        policies = ["Always"] if p.get("kind", "Deployment") == "Deployment" and not bad else ["Always", "OnFailure", "Never"]
        p["restartPolicy"] = pick(draw, bad, st.sampled_from(policies), st.just("always"))
    if chance(draw, 4):
        p["labels"] = pick(draw, bad, st.dictionaries(st.sampled_from(["tier", "team"]), st.sampled_from(["web", "", "x" * 63]), max_size=2), st.dictionaries(st.sampled_from(["Bad Key", "app"]), st.sampled_from(["front end", "x" * 64]), max_size=2))
    if chance(draw, 5):
        p["namespace"] = pick(draw, bad, st.sampled_from(["web", "team-a"]), NAMES[1])
    if chance(draw, 5):
        p["terminationGracePeriodSeconds"] = draw(st.integers(10, 60) if not bad else st.integers(0, 60))
    if chance(draw, 4):
        p["initContainers"] = [container(draw, bad, i, names, init=True) for i in range(draw(st.integers(1, 2)))]
    if vols:
        p["volumes"] = vols
    if chance(draw, 5):
        p["serviceAccountName"] = "app-sa"
    if chance(draw, 5):
        p["imagePullSecrets"] = ["regcred"]
    service = draw(st.integers(0, 3))
    if service == 1:
        p["service"] = True
    elif service == 2:
        svc: dict[str, Any] = {"type": pick(draw, bad, st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer"]), st.sampled_from(["Nodeport", "ExternalName"]))}
        if bad and draw(st.booleans()):
            svc["ports"] = draw(
                st.lists(
                    st.one_of(
                        PORT_NUMBERS[0],
                        PORT_NUMBERS[1],
                        st.builds(lambda n, t: {"name": n, "port": 80, "targetPort": t}, PORT_NAMES[0] | PORT_NAMES[1], PORT_NUMBERS[0] | PORT_NAMES[0]),
                        st.just({"port": 80, "nodePort": 30080}),
                        st.just({"port": 80, "nodePort": 8080}),
                    ),
                    max_size=3,
                )
            )
        p["service"] = svc
    elif service == 3 and bad:
        p["service"] = draw(JUNK)
    return p


def _check_objects(objects: list[dict[str, Any]]) -> None:
    for obj in objects:
        for version in VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as err:  # pragma: no cover - a finding
                pytest.fail(f"{obj.get('kind')} fails the k8s {version} schema: {err.message} at {list(err.path)}\n{obj}")
    raws = run(objects)
    crashes = [(r.rule.id, r.message) for r in raws if r.message.startswith("could not check")]
    assert not crashes
    errors = [(r.rule.id, r.message) for r in raws if r.severity == "error"]
    assert not errors


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(p=presets())
def test_a_preset_renders_schema_valid_objects_or_raises_preset_error(p: dict[str, Any]) -> None:
    try:
        result = scaffold.build(p)
    except PresetError as err:
        event("refused")
        assert err.issues and all(isinstance(i, Issue) and i.message for i in err.issues)
        assert any(i.severity == "error" for i in err.issues)
        return
    event("rendered")
    _check_objects(result.objects)


@settings(max_examples=150, deadline=None)
@given(p=presets())
def test_rules_never_crash_on_what_a_preset_renders(p: dict[str, Any]) -> None:
    """Even when the result has errors, every rule judged every object without falling over."""
    try:
        objects = scaffold.build(p).objects
    except PresetError as err:
        assert not [i for i in err.issues + err.warnings if i.message.startswith("could not check")]
        return
    assert not [r for r in run(objects) if r.message.startswith("could not check")]
