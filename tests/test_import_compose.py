"""``scaffold import --from compose``: compose services -> presets that pass ``scaffold validate``."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import scaffold
from conftest import ROOT
from scaffold.errors import PresetError
from scaffold.importer.compose import (
    UNTRANSLATED,
    cpu_quantity,
    duration_seconds,
    import_compose,
    import_compose_files,
    memory_quantity,
    parse_port,
)
from scaffold.k8s.quantities import parse_cpu, parse_memory

FIXTURE = ROOT / "tests" / "fixtures" / "compose" / "docker-compose.yaml"


def compose(text: str, base_dir: str = "."):
    return import_compose(textwrap.dedent(text), source="compose.yaml", base_dir=base_dir)


def preset_of(result, name: str) -> dict:
    return next(p.preset for p in result.presets if p.name == name)


def container(result, name: str) -> dict:
    return preset_of(result, name)["containers"][0]


def notes(result, rule: str | None = None) -> list:
    return [i for i in result.report if rule is None or i.rule == rule]


# ------------------------------------------------------------------ the whole fixture


def test_every_preset_of_the_fixture_passes_validate():
    result = import_compose_files([str(FIXTURE)])
    assert [p.name for p in result.presets] == ["web", "api", "my-db", "migrate"]
    for imported in result.presets:
        scaffold.validate(imported.preset)  # raises PresetError on any error


def test_cli_writes_presets_that_scaffold_validate_accepts(cli, tmp_path):
    out = tmp_path / "out"
    proc = cli("import", "--from", "compose", str(FIXTURE), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    # each named volume is mounted by one service: its claim is in that service's preset
    assert sorted(p.name for p in out.iterdir()) == ["api.yaml", "migrate.yaml", "my-db.yaml", "web.yaml"]
    for name in ("web", "api", "my-db", "migrate"):
        checked = cli("validate", str(out / f"{name}.yaml"))
        assert checked.returncode == 0, checked.stdout + checked.stderr
    claims = {name: yaml.safe_load((out / f"{name}.yaml").read_text()).get("persistentVolumeClaims") for name in ("web", "my-db")}
    assert claims == {"web": [{"name": "static", "size": "1Gi"}], "my-db": [{"name": "dbdata", "size": "1Gi"}]}
    assert "[compose-untranslated]" in proc.stderr and "depends_on: not translated" in proc.stderr


def test_the_report_places_each_untranslated_key_on_its_line():
    result = import_compose_files([str(FIXTURE)])
    lines = FIXTURE.read_text().splitlines()
    for issue in notes(result, "compose-untranslated"):
        key = issue.message.split(":")[0].split(".")[-1]
        assert lines[issue.line - 1].strip().startswith(key), (issue, lines[issue.line - 1])


# ------------------------------------------------------------------ keys


def test_command_is_args_and_entrypoint_is_command():
    result = compose(
        """\
        services:
          app:
            image: busybox:1.36
            entrypoint: /bin/sh -c
            command: ["echo", "hello world", 3]
        """
    )
    c = container(result, "app")
    assert c["command"] == ["/bin/sh", "-c"] and c["args"] == ["echo", "hello world", "3"]


def test_a_command_string_is_split_as_a_shell_would():
    c = container(compose("services:\n  app: {image: 'busybox:1.36', command: \"sh -c 'echo a b'\"}\n"), "app")
    assert c["args"] == ["sh", "-c", "echo a b"]


def test_environment_as_a_list_and_as_a_mapping():
    result = compose(
        """\
        services:
          a: {image: "busybox:1.36", environment: [X=1, Y=a=b, EMPTY=, FROM_SHELL]}
          b: {image: "busybox:1.36", environment: {X: 1, ENABLED: true, NOTHING: null, "bad name": v, ON: 1}}
        """
    )
    assert container(result, "a")["env"] == {"X": "1", "Y": "a=b", "EMPTY": ""}
    assert container(result, "b")["env"] == {"X": "1", "ENABLED": "true"}
    messages = " ".join(i.message for i in result.report)
    assert "FROM_SHELL has no value" in messages and "NOTHING has no value" in messages and "'bad name'" in messages
    assert "variable name True is not text" in messages  # ON, read as a boolean by YAML 1.1


def test_env_file_is_inlined_and_environment_wins(tmp_path):
    (tmp_path / "app.env").write_text("# settings\nA=from-file\nexport B='quoted value'\nC=3\n")
    result = compose("services:\n  app: {image: 'busybox:1.36', env_file: app.env, environment: {A: from-environment}}\n", str(tmp_path))
    assert container(result, "app")["env"] == {"A": "from-environment", "B": "quoted value", "C": "3"}
    assert any("3 variables written" in i.message for i in result.report)


def test_a_missing_env_file_is_reported():
    result = compose("services:\n  app: {image: 'busybox:1.36', env_file: [missing.env]}\n")
    assert "env" not in container(result, "app")
    assert any("missing.env: cannot read it" in i.message and i.severity == "warning" for i in result.report)


def test_ports_become_container_ports_and_a_service_on_the_container_ports():
    result = compose(
        """\
        services:
          web:
            image: nginx:1.27
            ports: ["8080:80", "127.0.0.1:8443:443", 9000, "53:53/udp", {target: 7000, published: "17000", protocol: tcp}]
            expose: ["9100"]
        """
    )
    preset = preset_of(result, "web")
    assert preset["containers"][0]["ports"] == ["port-80:80", "port-443:443", "port-9000:9000", "port-53-udp:53/UDP", "port-7000:7000", "port-9100:9100"]
    assert preset["service"] is True
    services = [o for o in scaffold.render(preset) if o["kind"] == "Service"]
    assert [(p["port"], p["targetPort"], p.get("protocol", "TCP")) for p in services[0]["spec"]["ports"]] == [
        (80, 80, "TCP"), (443, 443, "TCP"), (9000, 9000, "TCP"), (53, 53, "UDP"), (7000, 7000, "TCP"), (9100, 9100, "TCP")
    ]
    forward = [i.message for i in result.report if "port-forward" in i.message]
    assert any("kubectl port-forward svc/web 8080:80" in m for m in forward)
    assert any("host_ip 127.0.0.1 is not translated" in m for m in forward)


def test_one_port_needs_no_name():
    preset = preset_of(compose("services:\n  web: {image: 'nginx:1.27', ports: ['8080:80']}\n"), "web")
    assert preset["containers"][0]["ports"] == [80] and preset["service"] is True


def test_without_ports_there_is_no_service_and_the_report_says_so():
    result = compose("services:\n  worker: {image: 'busybox:1.36'}\n")
    assert "service" not in preset_of(result, "worker")
    assert any("cannot reach this one by name" in i.message for i in result.report)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("3000", ([(3000, "TCP")], [])),
        ("3000-3002", ([(3000, "TCP"), (3001, "TCP"), (3002, "TCP")], [])),
        ("8000:8000", ([(8000, "TCP")], ["8000"])),
        ("9090-9091:8080-8081", ([(8080, "TCP"), (8081, "TCP")], ["9090-9091"])),
        ("127.0.0.1:8001:8001", ([(8001, "TCP")], ["8001"])),
        ("6060:6060/udp", ([(6060, "UDP")], ["6060"])),
        ("[::1]:6001:6001", ([(6001, "TCP")], ["6001"])),
        (49100, ([(49100, "TCP")], [])),
        ({"target": 80, "published": 8080, "protocol": "udp"}, ([(80, "UDP")], ["8080"])),
        ("80:", None),
        ("http", None),
        (True, None),
    ],
)
def test_compose_port_syntax(spec, expected):
    assert parse_port(spec) == expected


def test_a_named_volume_two_services_mount_is_passed_through_with_a_warning():
    result = compose(
        """\
        services:
          a: {image: "busybox:1.36", volumes: ["shared:/data"]}
          b: {image: "busybox:1.36", volumes: ["shared:/data"]}
        volumes: {shared: {}}
        """
    )
    assert [p.obj["metadata"]["name"] for p in result.passthrough] == ["shared"]
    assert all("persistentVolumeClaims" not in p.preset for p in result.presets)
    assert any("mounted by a, b" in i.message and "pass-through" in i.message for i in result.report)


def test_named_volumes_become_claims_and_bind_mounts_host_paths(tmp_path):
    result = compose(
        """\
        services:
          db:
            image: postgres:16
            volumes:
              - data:/var/lib/postgresql/data
              - ./init:/docker-entrypoint-initdb.d:ro
              - /cache
              - {type: tmpfs, target: /run, tmpfs: {size: 64m}}
              - {type: volume, source: shared, target: /shared, read_only: true}
        volumes:
          data: {}
          shared: {external: true}
        """,
        str(tmp_path),
    )
    preset = preset_of(result, "db")
    assert preset["volumes"] == [
        {"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
        {"name": "init", "hostPath": {"path": str(tmp_path / "init")}},
        {"name": "cache", "emptyDir": {}},
        {"name": "tmpfs", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
        {"name": "shared", "persistentVolumeClaim": {"claimName": "shared"}},
    ]
    mounts = preset["containers"][0]["volumeMounts"]
    assert [m.get("readOnly", False) for m in mounts] == [False, True, False, False, True]
    # the claim only db mounts travels with db's preset; external: it must exist already
    assert preset["persistentVolumeClaims"] == [{"name": "data", "size": "1Gi"}]
    assert result.passthrough == []
    rendered = scaffold.render(preset)
    claims = [o for o in rendered if o["kind"] == "PersistentVolumeClaim"]
    assert [(c["metadata"]["name"], c["spec"]["accessModes"], c["spec"]["resources"]["requests"]["storage"]) for c in claims] == [
        ("data", ["ReadWriteOnce"], "1Gi")
    ]
    assert any("hostPath" in i.message and i.severity == "warning" for i in result.report)
    scaffold.validate(preset)


def test_a_sensitive_bind_mount_is_allowed_explicitly_and_warned_about():
    result = compose("services:\n  agent: {image: 'busybox:1.36', volumes: ['/var/run/docker.sock:/var/run/docker.sock:ro']}\n")
    preset = preset_of(result, "agent")
    assert preset["checks"] == {"allowHostPaths": ["/var/run/docker.sock"]}
    assert any("control of the node" in i.message for i in result.report)
    scaffold.validate(preset)
    with pytest.raises(PresetError):  # without the allowance the check refuses it
        scaffold.validate({k: v for k, v in preset.items() if k != "checks"})


def test_a_volume_shared_by_two_services_is_warned_about():
    result = compose("services:\n  a: {image: 'busybox:1.36', volumes: ['v:/v']}\n  b: {image: 'busybox:1.36', volumes: ['v:/v']}\nvolumes: {v: {}}\n")
    assert len(result.passthrough) == 1
    assert any("mounted by a, b" in i.message for i in result.report)


@pytest.mark.parametrize(
    ("test", "command"),
    [
        (["CMD", "curl", "-f", "http://localhost"], ["curl", "-f", "http://localhost"]),
        (["CMD-SHELL", "pg_isready || exit 1"], ["/bin/sh", "-c", "pg_isready || exit 1"]),
        ("wget -q -O- localhost", ["/bin/sh", "-c", "wget -q -O- localhost"]),
    ],
)
def test_a_healthcheck_becomes_readiness_and_liveness_with_the_same_timings(test, command):
    body = {"image": "busybox:1.36", "healthcheck": {"test": test, "interval": "1m30s", "timeout": "10s", "retries": 5, "start_period": "40s"}}
    c = container(import_compose(yaml.safe_dump({"services": {"app": body}})), "app")
    expected = {"exec": {"command": command}, "initialDelaySeconds": 40, "periodSeconds": 90, "timeoutSeconds": 10, "failureThreshold": 5}
    assert c["readinessProbe"] == expected and c["livenessProbe"] == expected


def test_healthcheck_defaults_are_dockers():
    c = container(compose("services:\n  app: {image: 'busybox:1.36', healthcheck: {test: [CMD, 'true']}}\n"), "app")
    assert c["livenessProbe"] == {"exec": {"command": ["true"]}, "periodSeconds": 30, "timeoutSeconds": 30, "failureThreshold": 3}


@pytest.mark.parametrize("healthcheck", [{"test": ["NONE"]}, {"disable": True, "test": ["CMD", "x"]}])
def test_a_disabled_healthcheck_makes_no_probe(healthcheck):
    c = container(import_compose(yaml.safe_dump({"services": {"app": {"image": "busybox:1.36", "healthcheck": healthcheck}}})), "app")
    assert "livenessProbe" not in c and "readinessProbe" not in c


def test_deploy_replicas_and_resources():
    result = compose(
        """\
        services:
          api:
            image: ghcr.io/acme/api:2.1.0
            deploy:
              replicas: 4
              resources:
                limits: {cpus: "1.5", memory: 1.5g}
                reservations: {cpus: 0.25, memory: 256M, devices: [{capabilities: [gpu]}]}
        """
    )
    preset = preset_of(result, "api")
    assert preset["replicas"] == 4
    assert preset["containers"][0]["resources"] == {"limits": {"cpu": "1500m", "memory": "1536Mi"}, "requests": {"cpu": "250m", "memory": "256Mi"}}
    assert any("reservations.devices" in i.message or "devices: not translated" in i.message for i in notes(result, "compose-untranslated"))
    scaffold.validate(preset)


@pytest.mark.parametrize(
    ("restart", "kind", "policy"),
    [("always", "Deployment", None), ("unless-stopped", "Deployment", None), ('"no"', "Pod", "Never"), ("no", "Pod", "Never"), ("on-failure:3", "Pod", "OnFailure"), (None, "Deployment", None)],
)
def test_restart_chooses_the_workload(restart, kind, policy):
    line = f", restart: {restart}" if restart else ""
    preset = preset_of(compose(f"services:\n  app: {{image: 'busybox:1.36'{line}}}\n"), "app")
    assert preset.get("kind", "Deployment") == kind and preset.get("restartPolicy") == policy
    scaffold.validate(preset)


def test_depends_on_is_reported_with_what_to_do_instead():
    result = compose("services:\n  web: {image: 'nginx:1.27', depends_on: {db: {condition: service_healthy}}}\n  db: {image: 'postgres:16'}\n")
    (note,) = [i for i in notes(result, "compose-untranslated") if i.message.startswith("depends_on")]
    assert note.severity == "warning" and note.line == 2
    assert "retry" in note.message and "readinessProbe" in note.message


@pytest.mark.parametrize("key", sorted(UNTRANSLATED))
def test_every_untranslated_key_gets_a_warning_at_its_line(key):
    text = f"services:\n  app:\n    image: busybox:1.36\n    {key}: x\n"
    result = import_compose(text)
    assert [(i.line, i.rule, i.severity) for i in result.report if i.message.startswith(f"{key}:")] == [(4, "compose-untranslated", "warning")]


def test_an_unknown_key_is_reported_too():
    result = compose("services:\n  app: {image: 'busybox:1.36', frobnicate: 1}\nfrobs: {}\n")
    assert sorted(i.message.split(":")[0] for i in notes(result, "compose-untranslated")) == ["frobnicate", "frobs"]


def test_names_become_kubernetes_names_and_the_rename_is_reported():
    result = compose("services:\n  My_DB: {image: 'postgres:16', expose: [5432]}\n  my-db: {image: 'postgres:16'}\n")
    assert [p.name for p in result.presets] == ["my-db", "my-db-2"]
    assert any("My_DB -> preset my-db" in i.message for i in result.report)


def test_container_fields_the_format_lacks_go_into_patches():
    preset = preset_of(compose("services:\n  app: {image: 'busybox:1.36', tty: true, stdin_open: true, hostname: box, extra_hosts: ['a.local:10.0.0.1', 'b.local=10.0.0.1']}\n"), "app")
    (dep,) = scaffold.render(preset)
    spec = dep["spec"]["template"]["spec"]
    assert spec["containers"][0]["tty"] is True and spec["containers"][0]["stdin"] is True
    assert spec["hostname"] == "box"
    assert spec["hostAliases"] == [{"ip": "10.0.0.1", "hostnames": ["a.local", "b.local"]}]


def test_build_without_image_uses_the_service_name_and_says_so():
    result = compose("services:\n  api: {build: ./api}\n")
    assert container(result, "api")["image"] == "api:latest"
    assert any(i.message.startswith("build: not translated") for i in result.report)


def test_a_file_without_services_is_an_error():
    with pytest.raises(PresetError):
        compose("version: '3'\n")


def test_cli_takes_one_compose_file(cli):
    proc = cli("import", "--from", "compose", str(FIXTURE), str(FIXTURE))
    assert proc.returncode == 1 and "one compose file" in proc.stderr


# ------------------------------------------------------------------ units


@pytest.mark.parametrize(("text", "seconds"), [("10s", 10), ("1m30s", 90), ("1h", 3600), ("500ms", 1), ("1.5s", 2), (5, 5), ("0s", 0), ("10", None), ("s", None), ("1x", None)])
def test_durations(text, seconds):
    assert duration_seconds(text) == seconds


@given(st.integers(1, 10**6), st.sampled_from(["b", "k", "m", "g", "K", "M", "G", "kb", "MB"]))
def test_docker_memory_units_are_binary_and_exact(n, unit):
    power = "bkmg".index(unit[0].lower())
    assert parse_memory(memory_quantity(f"{n}{unit}")).value == n * 1024**power


@given(st.integers(1, 64000))
def test_docker_cpus_become_exact_millicores(millis):
    text = str(millis / 1000)
    assert parse_cpu(cpu_quantity(text)).value * 1000 == pytest.approx(float(text) * 1000, abs=1)
