"""``scaffold import`` of Kubernetes manifests: presets, patches, pass-through, the report, the CLI."""

from __future__ import annotations

import json
import shutil
from collections import Counter
import subprocess
import textwrap

import pytest
import yaml

import scaffold
from conftest import ROOT
from scaffold.errors import PresetError
from scaffold.importer import PASSTHROUGH_FILE, import_manifests, import_text, render_unchecked
from scaffold.importer.canonical import canonical, same

HELM = ROOT / "tests" / "fixtures" / "manifests" / "helm-create-template.yaml"


def docs(text: str) -> list:
    return [d for d in yaml.safe_load_all(text) if d is not None]


def rules(result) -> list[str]:
    return [i.rule for i in result.report]


def one(text: str) -> dict:
    (imported,) = import_text(textwrap.dedent(text)).presets
    return imported.preset


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{name: http, containerPort: 80, protocol: TCP}]
          env: [{name: LOG_LEVEL, value: info}]
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          readinessProbe:
            httpGet: {path: /, port: http, scheme: HTTP}
            timeoutSeconds: 1
            periodSeconds: 10
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 80, protocol: TCP}]
"""


# ------------------------------------------------------------------ short forms and defaults


def test_a_plain_deployment_and_service_become_a_short_preset():
    preset = one(DEPLOYMENT)
    assert preset == {
        "apiVersion": "scaffold/v1",
        "name": "web",
        "replicas": 2,
        "containers": [
            {
                "name": "web",
                "image": "nginx:1.27",
                "env": {"LOG_LEVEL": "info"},
                "ports": ["http:80"],
                "size": "small",
                "readinessProbe": {"httpGet": {"path": "/", "port": "http"}},
            }
        ],
        "service": True,
    }


def test_the_imported_preset_renders_the_input_objects():
    objects = docs(DEPLOYMENT)
    rendered = render_unchecked(one(DEPLOYMENT))
    assert [canonical(o) for o in rendered] == [canonical(o) for o in objects]


def test_kubectl_create_output_imports_without_patches():
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is not installed")

    def kubectl(*args: str) -> str:
        return subprocess.run(["kubectl", *args, "--dry-run=client", "-o", "yaml"], check=True, capture_output=True, text=True).stdout

    text = kubectl("create", "deployment", "web", "--image=nginx:1.27", "--port=8080", "--replicas=3")
    text += "---\n" + kubectl("create", "service", "clusterip", "web", "--tcp=80:8080")
    result = import_text(text)
    (imported,) = result.presets
    assert "patches" not in imported.preset
    assert imported.preset["replicas"] == 3
    assert imported.preset["service"] == {"ports": [{"name": "80-8080", "port": 80, "targetPort": 8080}]}
    assert imported.preset["containers"][0]["resources"] == {}  # none, as kubectl wrote it
    assert "import-server-fields" not in rules(result)  # creationTimestamp: null and status: {} say nothing
    rendered = render_unchecked(imported.preset)
    assert all(same(a, b) for a, b in zip(rendered, docs(text)))


def test_a_container_without_resources_keeps_none_rather_than_the_default_size():
    preset = one(DEPLOYMENT.replace("requests: {cpu: 100m, memory: 128Mi}", "").replace("limits: {cpu: 500m, memory: 256Mi}", "").replace("resources:", "resources: {}"))
    assert preset["containers"][0]["resources"] == {}
    assert "size" not in preset["containers"][0]


def test_resources_that_are_no_size_stay_explicit():
    preset = one(DEPLOYMENT.replace("cpu: 500m", "cpu: 600m"))
    assert preset["containers"][0]["resources"] == {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "600m", "memory": "256Mi"}}


def test_service_ports_that_differ_from_the_default_are_written_out_as_port_strings():
    text = DEPLOYMENT.replace("port: 80, targetPort: 80", "port: 8080, targetPort: http")
    preset = one(text)
    assert preset["service"] == {"ports": ["http:8080"]}  # name http, port 8080, targetPort http
    (service,) = [o for o in render_unchecked(preset) if o["kind"] == "Service"]
    (original,) = [o for o in docs(text) if o["kind"] == "Service"]
    assert service["spec"]["ports"] == [{"name": "http", "port": 8080, "targetPort": "http"}]
    assert same(service, original)  # protocol TCP is the API's default


def test_a_port_string_is_not_used_where_it_would_read_differently():
    # "80-8080:80:8080" would not parse back (a name must not start with a digit), and a UDP
    # port needs the long form's protocol... the long form stays.
    text = DEPLOYMENT.replace("name: http, port: 80, targetPort: 80, protocol: TCP", "name: 80-dns, port: 53, targetPort: 53, protocol: UDP")
    text = text.replace("containerPort: 80, protocol: TCP", "containerPort: 53, protocol: UDP")
    preset = one(text)
    assert preset["service"] == {"ports": [{"name": "80-dns", "port": 53, "protocol": "UDP"}]}  # targetPort = port: the default


def test_a_service_with_another_name_and_type_keeps_them():
    preset = one(DEPLOYMENT.replace("  name: web\n  labels: {app: web}\nspec:\n  selector", "  name: web-lb\n  labels: {app: web}\nspec:\n  type: LoadBalancer\n  selector"))
    assert preset["service"]["name"] == "web-lb" and preset["service"]["type"] == "LoadBalancer"


def test_identical_numbered_pods_become_one_preset_with_replicas():
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {{name: app{n}, labels: {{app: app}}}}\nspec: {{containers: [{{name: a, image: 'busybox:1.36', resources: {{}}}}]}}\n"
    result = import_text("---\n".join(pod.format(n=n) for n in (2, 1, 3)))
    (imported,) = result.presets
    assert (imported.preset["kind"], imported.preset["replicas"], imported.name) == ("Pod", 3, "app")
    assert [o["metadata"]["name"] for o in render_unchecked(imported.preset)] == ["app1", "app2", "app3"]


def test_numbered_pods_that_differ_stay_separate_presets():
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {{name: app{n}, labels: {{app: app}}}}\nspec: {{containers: [{{name: a, image: 'busybox:1.3{n}'}}]}}\n"
    result = import_text("---\n".join(pod.format(n=n) for n in (1, 2)))
    assert [p.name for p in result.presets] == ["app1", "app2"]


# ------------------------------------------------------------------ what the format does not model


def test_fields_the_format_does_not_model_become_patches_and_are_reported():
    text = DEPLOYMENT.replace("    spec:\n      containers:", "    spec:\n      hostname: web\n      containers:").replace(
        "          image: nginx:1.27\n", "          image: nginx:1.27\n          tty: true\n"
    )
    result = import_text(text)
    preset = result.presets[0].preset
    assert preset["patches"] == [
        {"target": {"kind": "Deployment"}, "merge": {"spec": {"template": {"spec": {"hostname": "web"}}}}},
        {"target": {"kind": "Deployment"}, "json": [{"op": "add", "path": "/spec/template/spec/containers/0/tty", "value": True}]},
    ]
    (note,) = [i for i in result.report if i.rule == "import-patches"]
    assert "spec.template.spec.hostname" in note.message and "containers[0].tty" in note.message
    rendered = scaffold.render(preset)  # the checks pass on the patched objects
    assert rendered[0]["spec"]["template"]["spec"]["hostname"] == "web"


def test_a_volume_of_a_source_the_format_does_not_know_is_patched_in_whole():
    text = DEPLOYMENT.replace(
        "    spec:\n      containers:",
        "    spec:\n      volumes:\n        - {name: cache, emptyDir: {}}\n        - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}\n      containers:",
    )
    preset = one(text)
    assert preset["volumes"] == [{"name": "cache", "emptyDir": {}}]
    (patch,) = preset["patches"]
    assert patch["json"] == [
        {"op": "add", "path": "/spec/template/spec/volumes/1", "value": {"name": "info", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}}
    ]


def test_helm_labels_without_app_are_kept_by_patches():
    result = import_manifests([str(HELM)])
    deployment = next(p for p in result.presets if p.name == "release-name-mychart")
    rendered = render_unchecked(deployment.preset)
    source = [d for d in docs(HELM.read_text()) if d["kind"] in ("Deployment", "Service", "ServiceAccount")]
    # the chart's ServiceAccount is the one the Deployment's pods run as: it travels with the app
    assert sorted(canonical(o)["kind"] for o in rendered) == ["Deployment", "Service", "ServiceAccount"]
    for obj in rendered:
        match = next(s for s in source if s["kind"] == obj["kind"])
        assert same(obj, match)
        assert "app" not in obj["metadata"]["labels"]


# ------------------------------------------------------------------ nothing dropped without a word


def test_kinds_the_format_cannot_render_are_passed_through_and_reported():
    text = DEPLOYMENT + "---\n" + textwrap.dedent(
        """\
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: reader, uid: abc}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
        status: {phase: x}
        """
    )
    result = import_text(text, source="all.yaml")
    assert [p.label for p in result.passthrough] == ["Role/reader"]
    assert result.passthrough[0].obj == {
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "reader"},
        "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}],
    }
    (note,) = [i for i in result.report if i.rule == "import-passthrough"]
    assert (note.obj, note.file, note.line, note.severity) == ("Role/reader", "all.yaml", DEPLOYMENT.count("\n") + 2, "warning")
    assert "cannot render a Role" in note.message
    (server,) = [i for i in result.report if i.rule == "import-server-fields"]
    assert "status" in server.message and "metadata.uid" in server.message


def test_a_service_that_selects_nothing_imported_is_passed_through():
    text = DEPLOYMENT.replace("selector: {app: web}\n  ports", "selector: {app: other}\n  ports")
    result = import_text(text)
    assert "service" not in result.presets[0].preset
    assert [p.label for p in result.passthrough] == ["Service/web"]
    assert any("selects no Deployment or Pod" in i.message for i in result.report)


def test_a_second_service_for_the_same_pods_is_passed_through():
    second = "---\napiVersion: v1\nkind: Service\nmetadata: {name: web-admin}\nspec: {selector: {app: web}, ports: [{port: 9000}]}\n"
    result = import_text(DEPLOYMENT + second)
    assert result.presets[0].preset["service"] is True
    assert [p.label for p in result.passthrough] == ["Service/web-admin"]
    assert any("already (Service/web)" in i.message for i in result.report)


def test_objects_owned_by_a_controller_are_skipped_with_a_warning():
    text = DEPLOYMENT + textwrap.dedent(
        """\
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-7d4b9-x2x9z
          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d4b9, uid: u}]
        spec: {containers: [{name: web, image: "nginx:1.27"}]}
        """
    )
    result = import_text(text)
    assert [p.name for p in result.presets] == ["web"] and not result.passthrough
    (note,) = [i for i in result.report if i.rule == "import-skipped"]
    assert note.severity == "warning" and "ReplicaSet/web-7d4b9" in note.message


def test_every_input_object_is_accounted_for():
    result = import_manifests([str(HELM)])
    accounted = {s for p in result.presets for s in p.sources} | {p.label for p in result.passthrough}
    accounted |= {i.obj for i in result.report if i.rule == "import-skipped"}
    assert accounted == {f"{d['kind']}/{d['metadata']['name']}" for d in docs(HELM.read_text())}


# ------------------------------------------------------------------ input forms


def test_a_json_list_as_kubectl_get_prints_it_imports_like_yaml():
    items = docs(DEPLOYMENT)
    text = json.dumps({"apiVersion": "v1", "kind": "List", "items": items})
    assert import_text(text).presets[0].preset == one(DEPLOYMENT)


def test_a_directory_is_read_recursively(tmp_path):
    (tmp_path / "a").mkdir()
    deployment, service = DEPLOYMENT.split("---\n")
    (tmp_path / "a" / "deploy.yaml").write_text(deployment)
    (tmp_path / "svc.yml").write_text(service)
    (tmp_path / "notes.txt").write_text("not yaml: [")
    result = import_manifests([str(tmp_path)])
    assert [p.sources for p in result.presets] == [["Deployment/web", "Service/web"]]
    assert result.presets[0].files == sorted([str(tmp_path / "a" / "deploy.yaml"), str(tmp_path / "svc.yml")])


def test_unreadable_input_is_one_error_naming_every_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Deployment\nmetadata: {name: x\n")
    nokind = tmp_path / "nokind.yaml"
    nokind.write_text("metadata: {name: x}\n")
    with pytest.raises(PresetError) as exc:
        import_manifests([str(bad), str(nokind), str(tmp_path / "missing.yaml")])
    assert sorted(i.rule for i in exc.value.issues) == ["input", "manifest", "yaml"]


# ------------------------------------------------------------------ values stay data


def test_names_and_values_with_line_breaks_cannot_change_the_output_structure():
    text = DEPLOYMENT.replace("labels: {app: web}\nspec:\n  replicas", 'labels: {app: web}\n  annotations: {note: "a\\n---\\nkind: Secret\\n# x"}\nspec:\n  replicas')
    text += '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: "x\\n---\\nkind: Secret"}\n'
    result = import_text(text, source="in\nput.yaml")
    stream = result.stream()
    loaded = docs(stream)
    assert [d.get("kind") for d in loaded] == [None, "ConfigMap"]  # one preset, one object
    assert loaded[0]["annotations"]["note"] == "a\n---\nkind: Secret\n# x"
    assert all(line.startswith("#") or not line.startswith(" #") for line in stream.splitlines())


# ------------------------------------------------------------------ the command


def test_cli_writes_one_stream_and_a_report(cli, tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(DEPLOYMENT + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {a: b}\n")
    proc = cli("import", str(path))
    assert proc.returncode == 0, proc.stderr
    loaded = docs(proc.stdout)
    assert loaded[0]["name"] == "web" and loaded[1]["kind"] == "ConfigMap"
    assert "# ---- not presets" in proc.stdout
    assert "Deployment/web, Service/web -> preset web" in proc.stderr
    assert "ConfigMap/conf" in proc.stderr and "[import-passthrough]" in proc.stderr
    assert "imported 1 preset; passed through 1 object" in proc.stderr


def test_cli_reads_stdin(cli):
    proc = cli("import", "-", input=DEPLOYMENT.encode())
    assert proc.returncode == 0, proc.stderr
    assert docs(proc.stdout)[0]["service"] is True


def test_cli_output_directory_gets_one_file_per_app_and_the_passthrough(cli, tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(DEPLOYMENT + "---\n" + DEPLOYMENT.replace("web", "api") + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\n")
    out = tmp_path / "out"
    proc = cli("import", str(source), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [PASSTHROUGH_FILE, "api.yaml", "web.yaml"]
    assert proc.stdout == ""
    for name in ("web", "api"):
        rendered = cli("render", str(out / f"{name}.yaml"))
        assert rendered.returncode == 0, rendered.stderr
        assert [d["kind"] for d in docs(rendered.stdout)] == ["Deployment", "Service"]
    assert docs((out / PASSTHROUGH_FILE).read_text()) == [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "conf"}}]
    again = cli("import", str(source), "-o", str(out))
    assert again.returncode == 1 and "--force" in again.stderr
    forced = cli("import", str(source), "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr


def test_cli_reports_what_validate_finds_in_the_imported_presets(cli, tmp_path):
    path = tmp_path / "in.yaml"
    path.write_text(DEPLOYMENT.replace("nginx:1.27", "nginx"))
    out = tmp_path / "out"
    proc = cli("import", str(path), "-o", str(out))
    assert proc.returncode == 0
    assert f"{out / 'web.yaml'}:" in proc.stderr and "[image-tag-pinned]" in proc.stderr


def test_same_names_in_two_namespaces_get_two_files(tmp_path, cli):
    text = DEPLOYMENT.split("---\n")[0]
    both = text.replace("name: web\n", "name: web\n  namespace: a\n", 1) + "---\n" + text.replace("name: web\n", "name: web\n  namespace: b\n", 1)
    (tmp_path / "in.yaml").write_text(both)
    proc = cli("import", str(tmp_path / "in.yaml"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["web.b.yaml", "web.yaml"]


@pytest.mark.parametrize(
    ("args", "stdin", "code", "words"),
    [
        (("import",), None, 2, "Missing argument"),
        (("import", "/nonexistent/x.yaml"), None, 1, "cannot read"),
        (("import", "-"), b"a: [", 1, "[yaml]"),
        (("import", "-"), b"# nothing\n", 1, "nothing to import"),
        (("import", "--from", "helm", "x"), None, 2, "Invalid value"),
    ],
)
def test_cli_bad_input_and_usage(cli, args, stdin, code, words):
    proc = cli(*args, input=stdin)
    assert proc.returncode == code
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


# ------------------------------------------------------------------ docs/import.md stays true


def _yaml_blocks(path) -> list[str]:
    parts = path.read_text(encoding="utf-8").split("```yaml\n")[1:]
    return [p.split("```")[0] for p in parts]


def test_the_manifest_example_in_the_docs_is_what_import_prints():
    before, after, *_ = _yaml_blocks(ROOT / "docs" / "import.md")
    result = import_text(before, source="app.yaml")
    assert result.preset_text(0) == after
    assert not result.passthrough


def test_the_statefulset_example_in_the_docs_is_what_import_prints():
    blocks = _yaml_blocks(ROOT / "docs" / "import.md")
    before, after = blocks[2], blocks[3]
    result = import_text(before, source="db.yaml")
    assert result.preset_text(0) == after
    assert [p.label for p in result.passthrough] == ["Role/db-reader"]
    assert Counter(json.dumps(canonical(o), sort_keys=True) for o in render_unchecked(result.presets[0].preset)) == Counter(
        json.dumps(canonical(o), sort_keys=True) for o in docs(before) if o["kind"] != "Role"
    )


def test_the_compose_example_in_the_docs_is_what_import_prints():
    from scaffold.importer.compose import import_compose

    blocks = _yaml_blocks(ROOT / "docs" / "import.md")
    assert import_compose(blocks[4], source="compose.yaml").stream() == blocks[5]


def test_the_docs_list_every_default_the_comparison_ignores():
    from scaffold.importer.canonical import DEFAULTS_DOC

    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for where, fields in DEFAULTS_DOC:
        assert f"| {where} | {fields} |" in text


def test_the_patches_doc_example_renders():
    example = _yaml_blocks(ROOT / "docs" / "patches.md")[0]
    objects = scaffold.render(yaml.safe_load(example))
    assert objects[0]["spec"]["template"]["spec"]["hostname"] == "web"
    assert objects[1]["metadata"]["annotations"] == {"example.com/team": "payments"}


@pytest.mark.parametrize(
    "spread",
    ["zone", "node", {"topologyKey": "example.com/rack"}, {"topologyKey": "kubernetes.io/hostname", "maxSkew": 2, "whenUnsatisfiable": "DoNotSchedule"}],
)
def test_a_topology_spread_on_the_app_label_imports_as_spread(spread):
    preset = {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27"}], "spread": spread}
    (imported,) = import_text(scaffold.render_yaml(preset)).presets
    assert imported.preset.get("spread") == spread
    assert "topologySpreadConstraints" not in imported.preset and "patches" not in imported.preset
    assert scaffold.render(imported.preset) == scaffold.render(preset)


def test_a_topology_spread_the_short_form_cannot_say_stays_in_the_kubernetes_form():
    constraint = {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
                  "labelSelector": {"matchLabels": {"app": "web", "tier": "front"}}}
    preset = {"name": "web", "containers": [{"name": "web", "image": "nginx:1.27"}], "topologySpreadConstraints": [constraint]}
    (imported,) = import_text(scaffold.render_yaml(preset)).presets
    assert "spread" not in imported.preset
    assert imported.preset["topologySpreadConstraints"] == [constraint]


@pytest.mark.parametrize(("kind", "field", "value"), [("Deployment", "strategy", "Recreate"), ("StatefulSet", "updateStrategy", "OnDelete"), ("DaemonSet", "updateStrategy", "OnDelete")])
def test_a_strategy_that_is_only_a_type_imports_as_its_name(kind, field, value):
    preset = {"name": "web", "kind": kind, "containers": [{"name": "web", "image": "nginx:1.27"}], field: value}
    (imported,) = import_text(scaffold.render_yaml(preset)).presets
    assert imported.preset[field] == value and "patches" not in imported.preset
    assert scaffold.render(imported.preset) == scaffold.render(preset)
