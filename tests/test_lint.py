"""``scaffold lint``: real manifest shapes in, located findings and exit codes out."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from scaffold.cli import main
from scaffold.lint import lint, lint_report, lint_text, to_sarif

# The article's manifests, as printed in pod-advanced.zh.txt (sections 2.2, 3 and 4).
NGINX_TEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: nginx-test
  name: nginx-test
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx-test
  template:
    metadata:
      labels:
        app: nginx-test
    spec:
      containers:
      - image: nginx:latest
        name: nginx
        resources:
          requests:
            memory: "128Mi"
            cpu: "250m"
          limits:
            memory: "1Gi"
            cpu: "1"
        imagePullPolicy: IfNotPresent
      restartPolicy: Always
"""

MYAPP_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels:
     app: myapp
spec:
  containers:
  - name: myapp
    image: soscscs/myapp:v1
    ports:
    - name: http
      containerPort: 80
    readinessProbe:
      httpGet:
        port: 80
        path: /index.html
      initialDelaySeconds: 5
      periodSeconds: 5
      timeoutSeconds: 10
"""

MYAPP_SERVICE = """\
apiVersion: v1
kind: Service
metadata:
  name: myapp
spec:
  selector:
    app: myapp
  type: ClusterIP
  ports:
  - name: http
    port: 80
    targetPort: {target}
"""

MYAPP = "---\n".join([*(MYAPP_POD.format(name=f"myapp{i}") for i in (1, 2, 3)), MYAPP_SERVICE.format(target=80)])

LIFECYCLE_DEMO = """\
apiVersion: v1
kind: Pod
metadata:
  name: lifecycle-demo
spec:
  containers:
  - name: lifecycle-demo-container
    image: soscscs/myapp:v1
    lifecycle:
      postStart:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the postStart handler >> /var/log/nginx/message"]
      preStop:
        exec:
          command: ["/bin/sh", "-c", "echo Hello from the prestop handler >> /var/log/nginx/message"]
    volumeMounts:
    - name: message-log
      mountPath: /var/log/nginx/
      readOnly: false
  initContainers:
  - name: init-myservice
    image: soscscs/myapp:v1
    command: ["/bin/sh", "-c", "echo 'Hello initContainers'   >> /var/log/nginx/message"]
    volumeMounts:
    - name: message-log
      mountPath: /var/log/nginx/
      readOnly: false
  volumes:
  - name: message-log
    hostPath:
      path: /data/volumes/nginx/log/
      type: DirectoryOrCreate
"""


def rules_of(issues, severity=None):
    return sorted({i.rule for i in issues if severity is None or i.severity == severity})


def by_rule(issues, rule):
    return [i for i in issues if i.rule == rule]


# ---------------------------------------------------------------- kubectl's own output


@pytest.fixture(scope="module")
def kubectl_deployment(tmp_path_factory) -> Path:
    """The exact output of the command the article used to start its manifest."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: cannot generate `kubectl create --dry-run` output")
    out = subprocess.run(
        [kubectl, "create", "deployment", "web", "--image=nginx:latest", "--dry-run=client", "-o", "yaml"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    path = tmp_path_factory.mktemp("kubectl") / "web.yaml"
    path.write_text(out)
    return path


def test_kubectl_dry_run_output_gets_the_latest_tag_and_missing_resources_warnings(kubectl_deployment):
    issues = lint([kubectl_deployment])
    assert rules_of(issues, "error") == []
    assert {"image-tag-pinned", "resources-set"} <= set(rules_of(issues, "warning"))
    (tag,) = by_rule(issues, "image-tag-pinned")
    lines = kubectl_deployment.read_text().splitlines()
    assert tag.obj == "Deployment/web" and tag.path == "spec.template.spec.containers[0].image"
    assert lines[tag.line - 1][tag.column - 1:].startswith("image: nginx:latest")
    (res,) = by_rule(issues, "resources-set")
    assert lines[res.line - 1][res.column - 1:].startswith("resources: {}")


def test_kubectl_dry_run_output_exits_0_by_default_and_1_with_fail_on_warning(kubectl_deployment, runner):
    assert runner.invoke(main, ["lint", str(kubectl_deployment)]).exit_code == 0
    assert runner.invoke(main, ["lint", "--fail-on", "warning", str(kubectl_deployment)]).exit_code == 1


# ---------------------------------------------------------------- the article's manifests


def test_article_nginx_test_deployment_only_warns_about_latest():
    issues = lint_text(NGINX_TEST, source="test.yaml")
    assert rules_of(issues, "error") == []
    assert rules_of(issues, "warning") == ["image-tag-pinned"]
    assert "IfNotPresent" in by_rule(issues, "image-tag-pinned")[0].message


def test_article_myapp_pods_and_service_are_wired_correctly():
    issues = lint_text(MYAPP, source="readiness-myapp.yaml")
    assert rules_of(issues, "error") == []
    assert not by_rule(issues, "service-selects-workload") and not by_rule(issues, "service-target-resolves")
    assert {i.obj for i in issues} <= {"Pod/myapp1", "Pod/myapp2", "Pod/myapp3"}


def test_article_lifecycle_demo_is_flagged_for_its_hostpath_only_under_pss_baseline():
    assert not by_rule(lint_text(LIFECYCLE_DEMO, source="post.yaml"), "pss-baseline")
    issues = lint_text(LIFECYCLE_DEMO, source="post.yaml", pss="baseline")
    (hostpath,) = by_rule(issues, "pss-baseline")
    assert hostpath.path == "spec.volumes[0].hostPath" and 'control "HostPath Volumes"' in hostpath.message
    assert (hostpath.line, hostpath.column) == (30, 5)
    assert rules_of(issues, "error") == ["pss-baseline"]


# ---------------------------------------------------------------- deliberately broken manifests


def test_service_target_port_name_that_no_pod_declares_is_an_error_at_its_line():
    text = "---\n".join([MYAPP_POD.format(name="myapp1"), MYAPP_SERVICE.format(target="htpp")])
    (issue,) = by_rule(lint_text(text, source="svc.yaml"), "service-target-resolves")
    assert issue.severity == "error" and issue.obj == "Service/myapp" and "'htpp'" in issue.message
    assert issue.path == "spec.ports[0].targetPort" and issue.file == "svc.yaml"
    assert text.splitlines()[issue.line - 1].strip() == "targetPort: htpp"


def test_deployment_selector_that_does_not_match_its_template_is_an_error():
    text = NGINX_TEST.replace("      app: nginx-test\n  template", "      app: nginx\n  template")
    (issue,) = by_rule(lint_text(text, source="d.yaml"), "deployment-selector")
    assert issue.severity == "error" and issue.path == "spec.selector.matchLabels.app"
    assert text.splitlines()[issue.line - 1].strip() == "app: nginx"


def test_service_selecting_no_pod_of_the_stream_is_a_warning():
    text = "---\n".join([MYAPP_POD.format(name="myapp1"), MYAPP_SERVICE.format(target=80).replace("app: myapp", "app: my-app")])
    (issue,) = by_rule(lint_text(text, source="s.yaml"), "service-selects-workload")
    assert issue.severity == "warning" and issue.obj == "Service/myapp"


def test_cross_object_rules_work_across_files(tmp_path):
    (tmp_path / "pod.yaml").write_text(MYAPP_POD.format(name="myapp1"))
    (tmp_path / "svc.yaml").write_text(MYAPP_SERVICE.format(target="web"))
    (issue,) = by_rule(lint([tmp_path / "pod.yaml", tmp_path / "svc.yaml"]), "service-target-resolves")
    assert issue.file == str(tmp_path / "svc.yaml")


def test_finding_on_a_missing_field_points_at_its_nearest_parent():
    issues = lint_text(NGINX_TEST, source="t.yaml", pss="restricted")
    (seccomp,) = [i for i in by_rule(issues, "pss-restricted") if "Seccomp" in i.message]
    assert seccomp.path == "spec.template.spec.securityContext.seccompProfile"
    assert NGINX_TEST.splitlines()[seccomp.line - 1].strip() == "spec:"  # the pod spec: securityContext is absent
    assert seccomp.line == 17


# ---------------------------------------------------------------- stream shapes


def test_kind_list_items_are_checked_with_marks_inside_the_item():
    text = textwrap.dedent("""\
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: a, labels: {app: a}}
          spec:
            containers:
            - name: a
              image: nginx:1.27
              livenessProbe: {httpGet: {path: /, port: htpp}}
        - apiVersion: v1
          kind: Secret
          metadata: {name: c}
        """)
    issues = lint_text(text, source="list.yaml")
    (probe,) = by_rule(issues, "probe-port-declared")
    assert probe.obj == "Pod/a" and probe.path == "spec.containers[0].livenessProbe.httpGet.port"
    assert (probe.line, probe.column) == (11, text.splitlines()[10].index("port: htpp") + 1)
    (skipped,) = by_rule(issues, "skipped")
    assert skipped.obj == "Secret/c" and skipped.line == 13


def test_other_kinds_are_skipped_with_a_notice_not_an_error(runner, tmp_path):
    path = tmp_path / "cm.yaml"
    path.write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: settings}\ndata: {a: Yg==}\n")
    result = runner.invoke(main, ["lint", "--fail-on", "warning", str(path)])
    assert result.exit_code == 0
    assert "Secret/settings" in result.output and "notice" in result.output and "[skipped]" in result.output
    quiet = runner.invoke(main, ["lint", "-q", str(path)])
    assert quiet.exit_code == 0 and "[skipped]" not in quiet.output


@pytest.mark.parametrize(
    ("doc", "expected"),
    [("- a\n- b\n", "found a list"), ("just text\n", "found the value 'just text'"), ("metadata: {name: x}\n", "has no kind")],
)
def test_documents_that_are_not_objects_are_errors_with_their_line(doc, expected):
    text = MYAPP_POD.format(name="ok") + "---\n" + doc
    (issue,) = by_rule(lint_text(text, source="m.yaml"), "manifest")
    assert expected in issue.message and issue.severity == "error"
    assert issue.line == MYAPP_POD.count("\n") + 2


def test_empty_documents_are_ignored():
    assert rules_of(lint_text("---\n---\n" + NGINX_TEST + "---\n", source="e.yaml"), "error") == []


# ---------------------------------------------------------------- output formats and exit codes


BROKEN = "---\n".join([MYAPP_POD.format(name="myapp1"), MYAPP_SERVICE.format(target="htpp"),
                       "apiVersion: v1\nkind: Secret\nmetadata: {name: c}\n"])
#: Line and column of the broken targetPort (the key's position: marks point at keys).
TARGET_LINE = BROKEN.splitlines().index("    targetPort: htpp") + 1
TARGET_COLUMN = 5


@pytest.fixture
def broken(tmp_path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    return path


def test_text_output_has_file_line_column_object_path_rule_and_prevents(runner, broken):
    result = runner.invoke(main, ["lint", str(broken)])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "[service-target-resolves]" in x)
    assert line.startswith(f"{broken}:{TARGET_LINE}:{TARGET_COLUMN}: ")
    assert " Service/myapp spec.ports[0].targetPort: " in line
    assert "-> prevents: a Service whose traffic silently goes nowhere" in line
    assert result.output.splitlines()[-1].startswith("2 objects checked, 1 skipped: 1 error")


def test_json_output_lists_every_finding_with_location(runner, broken):
    result = runner.invoke(main, ["lint", "-o", "json", str(broken)])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["summary"]["objects"] == 2 and doc["summary"]["skipped"] == 1 and doc["summary"]["errors"] == 1
    (target,) = [i for i in doc["issues"] if i["rule"] == "service-target-resolves"]
    assert target == {**target, "file": str(broken), "line": TARGET_LINE, "column": TARGET_COLUMN, "object": "Service/myapp", "severity": "error",
                      "path": "spec.ports[0].targetPort"}


# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that code-scanning UIs rely on.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object", "required": ["tool", "results"],
                "properties": {
                    "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                        "type": "object", "required": ["name", "rules"],
                        "properties": {"rules": {"type": "array", "items": {
                            "type": "object", "required": ["id", "help", "shortDescription"],
                            "properties": {"help": {"type": "object", "required": ["text"]},
                                           "defaultConfiguration": {"properties": {"level": {"enum": ["none", "note", "warning", "error"]}}}},
                        }}},
                    }}},
                    "results": {"type": "array", "items": {
                        "type": "object", "required": ["ruleId", "level", "message", "locations"],
                        "properties": {
                            "level": {"enum": ["none", "note", "warning", "error"]},
                            "message": {"type": "object", "required": ["text"]},
                            "ruleIndex": {"type": "integer", "minimum": 0},
                            "locations": {"type": "array", "minItems": 1, "items": {
                                "type": "object", "required": ["physicalLocation"],
                                "properties": {"physicalLocation": {
                                    "type": "object", "required": ["artifactLocation"],
                                    "properties": {
                                        "artifactLocation": {"type": "object", "required": ["uri"], "properties": {"uri": {"type": "string", "pattern": "^[^<> ]+$"}}},
                                        "region": {"type": "object", "required": ["startLine"], "properties": {
                                            "startLine": {"type": "integer", "minimum": 1}, "startColumn": {"type": "integer", "minimum": 1}}},
                                    },
                                }},
                            }},
                        },
                    }},
                },
            },
        },
    },
}


def test_sarif_output_is_sarif_2_1_0_with_rules_levels_and_regions(runner, broken):
    result = runner.invoke(main, ["lint", "-o", "sarif", str(broken)])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    jsonschema.validate(doc, SARIF_SUBSET)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and {"service-target-resolves", "pss-baseline", "skipped"} <= set(ids)
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["service-target-resolves"] == "error" and levels["skipped"] == "note"
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    (target,) = [r for r in run["results"] if r["ruleId"] == "service-target-resolves"]
    assert target["locations"][0]["physicalLocation"]["region"] == {"startLine": TARGET_LINE, "startColumn": TARGET_COLUMN}


def test_sarif_uri_for_stdin_and_for_input_errors_is_a_valid_reference():
    report = lint_report([])
    report.issues = lint_text("a: [", source="<stdin>")
    doc = json.loads(to_sarif(report))
    jsonschema.validate(doc, SARIF_SUBSET)
    (result,) = doc["runs"][0]["results"]
    assert result["ruleId"] == "yaml" and result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "stdin"


@pytest.mark.parametrize(
    ("text", "fail_on", "code"),
    [
        (MYAPP_POD.format(name="clean").replace("soscscs/myapp:v1", "soscscs/myapp:v1") , "error", 0),
        (NGINX_TEST, "error", 0),
        (NGINX_TEST, "warning", 1),
        (BROKEN, "error", 1),
    ],
)
def test_exit_code_follows_fail_on(runner, tmp_path, text, fail_on, code):
    path = tmp_path / "m.yaml"
    path.write_text(text)
    assert runner.invoke(main, ["lint", "--fail-on", fail_on, str(path)]).exit_code == code


def test_pss_option_turns_on_the_level(runner, tmp_path):
    path = tmp_path / "post.yaml"
    path.write_text(LIFECYCLE_DEMO)
    assert runner.invoke(main, ["lint", str(path)]).exit_code == 0
    result = runner.invoke(main, ["lint", "--pss", "baseline", str(path)])
    assert result.exit_code == 1 and 'control "HostPath Volumes"' in result.output


def test_stdin_is_read_with_dash(runner):
    result = runner.invoke(main, ["lint", "-"], input=BROKEN)
    assert result.exit_code == 1 and result.output.startswith("<stdin>:")


# ---------------------------------------------------------------- bad input: a message, never a traceback


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "No such file"),
        (b"\x00\x01binary", "binary data"),
        (b"a: [1, 2\n", "YAML syntax error"),
        (b'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
         b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
         b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n", "alias"),
        (b"a: b\n" * 300_000, "limit"),
        (b"kind: Pod\nkind: Pod\n", "duplicate key"),
    ],
    ids=["missing", "binary", "syntax", "alias-bomb", "too-big", "duplicate-key"],
)
def test_bad_input_is_a_message_and_exit_1_in_a_real_process(tmp_path, content, expected):
    path = tmp_path / "in.yaml"
    if content is not None:
        path.write_bytes(content)
    proc = run_cli("lint", str(path))
    assert proc.returncode == 1
    assert expected in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_one_bad_file_does_not_hide_the_findings_of_the_others(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(NGINX_TEST)
    issues = lint([tmp_path / "missing.yaml", good])
    assert {"input", "image-tag-pinned"} <= set(rules_of(issues))


def test_a_directory_argument_is_an_input_error(tmp_path):
    (issue,) = lint([tmp_path])
    assert issue.rule == "input" and "directory" in issue.message


def test_lint_command_is_listed_and_render_does_not_import_it():
    proc = run_cli("--help")
    assert "lint" in proc.stdout and "explain" in proc.stdout
    import subprocess as sp
    import sys

    code = ("import sys; from click.testing import CliRunner; from scaffold.cli import main; "
            "CliRunner().invoke(main, ['render', 'nginx']); "
            "print(sorted(m for m in sys.modules if m in ('scaffold.lint', 'scaffold.explain')))")
    out = sp.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["kind", "spec", "metadata", "containers", "securityContext", "ports", "selector", "items",
                         "template", "volumes", "name", "hostPath", "capabilities", "add"]), inner, max_size=4),
    max_leaves=20,
), st.sampled_from([None, "baseline", "restricted"]))
def test_any_yaml_data_gives_issues_never_an_exception(data, pss):
    for kind in ("Pod", "Deployment", "Service", "List"):
        doc = {"kind": kind, **data} if isinstance(data, dict) else data
        text = json.dumps(doc)
        issues = lint_text(text, source="fuzz.yaml", pss=pss)
        assert all(i.file == "fuzz.yaml" for i in issues)


# --- the shape `helm create` + `helm template` produces (helm itself is not installed here) ---

HELM = Path(__file__).resolve().parent / "fixtures" / "manifests" / "helm-create-template.yaml"


def test_helm_template_output_is_linted_with_real_locations_and_no_errors():
    from scaffold.lint import lint

    issues = lint([HELM])
    by_rule = {}
    for issue in issues:
        by_rule.setdefault(issue.rule, []).append(issue)
    assert not [i for i in issues if i.severity == "error"], [str(i) for i in issues]
    # The chart's ServiceAccount is checked (a kind scaffold knows), and, defined beside the
    # Deployment, is not reported as an object that must exist before apply.
    assert "skipped" not in by_rule
    assert not [i for i in by_rule.get("referenced-objects", []) if "ServiceAccount" in i.message]
    # `resources: {}` on the chart's container: BestEffort.
    (res,) = [i for i in by_rule["resources-set"] if i.obj == "Deployment/release-name-mychart"]
    assert res.path == "spec.template.spec.containers[0].resources" and res.line == 84
    # The test Pod's bare `busybox` image floats.
    pinned = [i for i in by_rule["image-tag-pinned"] if i.obj == "Pod/release-name-mychart-test-connection"]
    assert pinned and pinned[0].line == 103
    # The Service's named targetPort resolves on the Deployment's pods: no finding about it.
    assert "service-target-resolves" not in by_rule and "service-selects-workload" not in by_rule


def test_helm_output_with_a_broken_target_port_is_caught():
    from scaffold.lint import lint_text

    text = HELM.read_text().replace("targetPort: http", "targetPort: web")
    found = [i for i in lint_text(text, source="chart.yaml") if i.rule == "service-target-resolves"]
    assert [(i.obj, i.path, i.severity, i.line) for i in found] == [
        ("Service/release-name-mychart", "spec.ports[0].targetPort", "error", 30)
    ]


def test_objects_defined_in_the_same_stream_need_not_exist_beforehand():
    from scaffold.lint import lint, lint_text

    assert not [i for i in lint([HELM]) if i.rule == "referenced-objects"]  # its ServiceAccount is in the file
    alone = HELM.read_text().split("# Source: mychart/templates/service.yaml")[1]
    (notice,) = [i for i in lint_text("---\n# Source: x" + alone, source="x.yaml") if i.rule == "referenced-objects"]
    assert "ServiceAccount 'release-name-mychart' must exist" in notice.message


# ---------------------------------------------------------------- every kind of the kinds registry

KINDS_DIR = Path(__file__).resolve().parent / "fixtures" / "manifests" / "kinds"


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_kinds_fixtures_are_valid_kubernetes_objects():
    """The fixtures below are real manifests: the strict Kubernetes schemas accept them."""
    import yaml

    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    for path in sorted(KINDS_DIR.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)


def test_daemonset_with_the_runtime_socket_as_hostpath_is_an_error_at_its_line():
    path = KINDS_DIR / "daemonset-hostpath.yaml"
    issues = lint([path])
    (sock,) = [i for i in by_rule(issues, "hostpath-sensitive") if i.severity == "error"]
    assert (sock.obj, sock.path) == ("DaemonSet/log-agent", "spec.template.spec.volumes[0].hostPath.path")
    assert sock.line == _line_of(path, "path: /var/run/docker.sock")
    assert not by_rule(issues, "skipped")
    baseline = by_rule(lint_text(path.read_text(), source="ds.yaml", pss="baseline"), "pss-baseline")
    assert [i.path for i in baseline] == ["spec.template.spec.volumes[0].hostPath"]


def test_cronjob_with_an_untagged_image_gets_the_pinning_warning_in_its_job_template():
    path = KINDS_DIR / "cronjob-untagged.yaml"
    issues = lint([path])
    (tag,) = by_rule(issues, "image-tag-pinned")
    assert (tag.obj, tag.path, tag.severity) == ("CronJob/nightly-report", "spec.jobTemplate.spec.template.spec.containers[0].image", "warning")
    assert tag.line == _line_of(path, "image: busybox")
    # Its pods run to completion: no "must be Always", no "no livenessProbe" notice.
    assert rules_of(issues) == ["image-tag-pinned"]


def test_statefulset_selected_by_its_service_is_a_workload_of_the_stream():
    path = KINDS_DIR / "statefulset-service.yaml"
    text = path.read_text()
    # Beside another workload, the Service used to "match no workload's pod labels".
    issues = lint_text(text + "---\n" + NGINX_TEST, source="db.yaml")
    assert not by_rule(issues, "service-selects-workload") and not by_rule(issues, "service-target-resolves")
    assert not by_rule(issues, "skipped") and rules_of(issues, "error") == []
    # And its pods' ports resolve the Service's targetPort: a wrong name is caught.
    broken = text.replace("targetPort: pg", "targetPort: pgsql")
    (target,) = by_rule(lint_text(broken, source="db.yaml"), "service-target-resolves")
    assert (target.obj, target.path, target.severity) == ("Service/db", "spec.ports[0].targetPort", "error")
    assert "(declared: pg)" in target.message


def test_statefulset_selector_that_misses_its_template_is_an_error():
    text = (KINDS_DIR / "statefulset-service.yaml").read_text().replace("      app: db\n  template", "      app: database\n  template")
    (issue,) = by_rule(lint_text(text, source="db.yaml"), "deployment-selector")
    assert (issue.obj, issue.path) == ("StatefulSet/db", "spec.selector.matchLabels.app")
    assert "the StatefulSet would manage no pods" in issue.message


@pytest.fixture(scope="module")
def kubectl_jobs(tmp_path_factory) -> Path:
    """``kubectl create job`` and ``kubectl create cronjob`` output, as people start them."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    out = []
    for args in (["job", "once", "--image=busybox"], ["cronjob", "nightly", "--image=busybox:1.36", "--schedule=0 3 * * *"]):
        out.append(subprocess.run([kubectl, "create", *args, "--dry-run=client", "-o", "yaml"],
                                  capture_output=True, text=True, timeout=60, check=True).stdout)
    path = tmp_path_factory.mktemp("kubectl") / "jobs.yaml"
    path.write_text("---\n".join(out))
    return path


def test_kubectl_jobs_are_checked_and_their_restart_policy_is_accepted(kubectl_jobs):
    issues = lint([kubectl_jobs])
    assert rules_of(issues, "error") == []
    assert not by_rule(issues, "deployment-restart-policy") and not by_rule(issues, "job-restart-policy")
    assert {i.obj for i in by_rule(issues, "resources-set")} == {"Job/once", "CronJob/nightly"}
    (tag,) = by_rule(issues, "image-tag-pinned")
    assert tag.obj == "Job/once"


@pytest.mark.parametrize(("policy", "expected"), [("Always", ["job-restart-policy"]), (None, ["job-restart-policy"]), ("Never", [])])
def test_a_job_pod_needs_onfailure_or_never_not_always(kubectl_jobs, policy, expected):
    import yaml

    job = next(yaml.safe_load_all(kubectl_jobs.read_text()))
    spec = job["spec"]["template"]["spec"]
    spec.pop("restartPolicy")
    if policy is not None:
        spec["restartPolicy"] = policy
    issues = lint_text(json.dumps(job), source="job.yaml")
    assert rules_of(issues, "error") == expected
    if expected:
        (issue,) = by_rule(issues, "job-restart-policy")
        assert issue.path == "spec.template.spec.restartPolicy" and "OnFailure or Never" in issue.message


def test_only_kinds_outside_the_registry_are_skipped():
    from scaffold.k8s.kinds import KINDS

    docs = [f"apiVersion: v1\nkind: {kind}\nmetadata: {{name: x}}\n" for kind in (*KINDS, "Secret", "Role")]
    skipped = by_rule(lint_text("---\n".join(docs), source="k.yaml"), "skipped")
    assert sorted(i.obj for i in skipped) == ["Role/x", "Secret/x"]
