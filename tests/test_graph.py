"""``scaffold graph``: inputs, wiring edges, broken-wiring markers, both text formats, SVG.

Golden graphs of the built-in presets live in tests/golden/graph/. Regenerate after an
intended change, then read the diff:

    SCAFFOLD_UPDATE_GOLDEN=1 python -m pytest tests/test_graph.py
    git diff tests/golden/graph/

Outside oracles: Graphviz's ``dot`` parses and lays out every DOT text (skipped when ``dot``
is not installed), and, when SCAFFOLD_MERMAID_DIR names a folder with the ``mermaid`` and
``jsdom`` npm packages, the real Mermaid parser reads every Mermaid text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scaffold
from conftest import PRESETS, ROOT, run_cli
from scaffold.graph import WIRING_RULES, build_graph, draw, read_objects, to_dot, to_mermaid
from scaffold.graph.inputs import is_preset_document
from scaffold.graph.model import Graph, Node
from scaffold.lint import lint_text

GOLDEN = Path(__file__).parent / "golden" / "graph"
FIXTURES = Path(__file__).parent / "fixtures" / "graph"
EXTENSIONS = {"mermaid": "mmd", "dot": "dot"}
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz's dot is not installed (Debian: apt-get install graphviz)")
MERMAID_DIR = os.environ.get("SCAFFOLD_MERMAID_DIR")
needs_mermaid = pytest.mark.skipif(
    not (MERMAID_DIR and shutil.which("node")),
    reason="set SCAFFOLD_MERMAID_DIR to a folder with the npm packages mermaid and jsdom (and have node) to run the Mermaid parser",
)


def load(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def nodes_of(graph: Graph, title: str) -> list[Node]:
    return [n for n in graph.nodes if n.title == title]


def one(graph: Graph, title: str) -> Node:
    found = nodes_of(graph, title)
    assert len(found) == 1, f"{title}: {len(found)} nodes"
    return found[0]


def edge_labels(graph: Graph, src: str, dst: str) -> list[list[str]]:
    s, d = one(graph, src).id, one(graph, dst).id
    return [e.labels for e in graph.edges if e.src == s and e.dst == d]


def dot_layout(text: str) -> dict[str, Any]:
    """Graphviz's own reading of the DOT text (``dot -Tjson``): fails on a syntax error."""
    assert DOT is not None
    proc = subprocess.run([DOT, "-Tjson"], input=text.encode("utf-8"), capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def rendered_text(obj: dict[str, Any]) -> str:
    """The label Graphviz drew for a node or cluster, lines joined by newlines."""
    return "\n".join(op["text"] for op in obj.get("_ldraw_", []) if op["op"] == "T")


_MERMAID_ENTITY = re.compile("\ufb02\u00b0\u00b0(\\d+)\u00b6\u00df")


def mermaid_parse(text: str) -> dict[str, Any]:
    """The real Mermaid parser's reading (tests/tools/mermaid_parse.mjs); entities decoded."""
    proc = subprocess.run(
        ["node", str(Path(__file__).parent / "tools" / "mermaid_parse.mjs")],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=120,
        env={**os.environ, "SCAFFOLD_MERMAID_DIR": MERMAID_DIR or ""},
    )
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    for v in data["vertices"]:
        v["text"] = _MERMAID_ENTITY.sub(lambda m: chr(int(m.group(1))), v["text"])
    return data


# ---------------------------------------------------------------- golden graphs


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
@pytest.mark.parametrize("name", PRESETS)
def test_graph_of_builtin_preset_matches_golden_file(name, fmt):
    text = draw([name], fmt=fmt)
    path = GOLDEN / f"{name}.{EXTENSIONS[fmt]}"
    if os.environ.get("SCAFFOLD_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden graph for {name}; run SCAFFOLD_UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(encoding="utf-8")


def test_every_golden_graph_belongs_to_a_preset():
    stems = sorted({p.stem for p in GOLDEN.iterdir()})
    assert stems == PRESETS
    assert sorted(p.suffix for p in GOLDEN.iterdir()) == sorted([".dot", ".mmd"] * len(PRESETS))


def test_readme_shows_the_web_app_graph_as_it_is_drawn():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```mermaid\n" + draw(["web-app"]) + "```" in readme


def test_graph_doc_shows_the_broken_example_as_it_is_drawn():
    doc = (ROOT / "docs" / "graph.md").read_text(encoding="utf-8")
    assert "```mermaid\n" + draw([str(FIXTURES / "broken.yaml")]) + "```" in doc


# ---------------------------------------------------------------- what web-app shows


def test_web_app_shows_every_object_and_the_service_wired_to_the_named_container_port():
    objects = read_objects(["web-app"])
    graph = build_graph(objects)
    assert sorted(n.title for n in graph.nodes if n.role in ("object", "workload")) == [
        "ConfigMap/web-app-config", "ConfigMap/web-app-nginx", "Deployment/web-app", "HorizontalPodAutoscaler/web-app",
        "Ingress/web-app", "NetworkPolicy/web-app", "PodDisruptionBudget/web-app", "Service/web-app",
        "ServiceAccount/web-app",
    ]
    container = one(graph, "container web")
    assert container.cluster == one(graph, "Deployment/web-app").cluster
    assert "port http 8080" in container.details
    # the preset: service port 80 -> targetPort http; container port http is 8080
    assert edge_labels(graph, "Service/web-app", "container web") == [["80 -> http:8080"]]
    assert all(not n.marks for n in graph.nodes) and all(not e.marks for e in graph.edges)


def test_cli_draws_mermaid_by_default_and_dot_on_request():
    mermaid = run_cli("graph", "web-app")
    assert mermaid.returncode == 0, mermaid.stderr
    assert mermaid.stdout.startswith("flowchart LR\n")
    dot = run_cli("graph", "--format", "dot", "web-app")
    assert dot.returncode == 0 and dot.stdout.startswith("digraph scaffold {")
    assert mermaid.stdout == draw(["web-app"]) and dot.stdout == draw(["web-app"], fmt="dot")


def test_output_is_the_same_whatever_the_hash_seed():
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        proc = subprocess.run(
            [sys.executable, "-m", "scaffold", "graph", str(FIXTURES / "shop.yaml"), str(FIXTURES / "broken.yaml")],
            capture_output=True, env=env, timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1


# ---------------------------------------------------------------- wiring of a correct app


@pytest.fixture(scope="module")
def shop() -> Graph:
    return build_graph(read_objects([str(FIXTURES / "shop.yaml")]))


def test_correct_wiring_draws_no_marker(shop):
    assert [n.title for n in shop.nodes if n.marks] == []
    assert [e.labels for e in shop.edges if e.marks] == []


def test_ingress_paths_go_to_their_services_with_host_path_and_port(shop):
    assert edge_labels(shop, "Ingress/shop", "Service/web") == [["shop.example.com/ -> 80"]]
    assert edge_labels(shop, "Ingress/shop", "Service/api") == [["shop.example.com/api -> http"]]
    assert edge_labels(shop, "Ingress/shop", "Secret/shop-tls") == [["tls shop.example.com"]]


def test_service_ports_resolve_to_container_port_names_and_numbers(shop):
    # api: port 80 -> targetPort 8080 (declared as http), 9090 -> metrics
    assert edge_labels(shop, "Service/api", "container api") == [["80 -> http:8080", "9090 -> metrics:9090"]]
    assert edge_labels(shop, "Service/web", "container nginx") == [["80 -> http:8080"]]


def test_autoscaler_budget_and_policy_point_at_the_workload_they_select(shop):
    assert edge_labels(shop, "HorizontalPodAutoscaler/api", "Deployment/api") == [["scales 2-10 on cpu 70%"]]
    assert edge_labels(shop, "PodDisruptionBudget/api", "Deployment/api") == [["minAvailable 1"]]
    # matchExpressions tier In [backend]: only the api pods carry tier=backend
    assert edge_labels(shop, "NetworkPolicy/api", "Deployment/api") == [["policy Ingress"]]
    assert edge_labels(shop, "NetworkPolicy/api", "Deployment/web") == []


def test_pods_point_at_config_maps_secrets_and_service_accounts_they_reference(shop):
    assert edge_labels(shop, "Deployment/web", "ConfigMap/web-conf") == [["volume conf"]]
    assert edge_labels(shop, "container api", "Secret/db") == [["env DB_PASSWORD"]]
    assert edge_labels(shop, "init container migrate", "Secret/db") == [["envFrom"]]
    assert edge_labels(shop, "container api", "ConfigMap/api-conf") == [["env LOG_LEVEL"]]
    assert edge_labels(shop, "Deployment/api", "ServiceAccount/api") == [["serviceAccount"]]
    assert edge_labels(shop, "Deployment/api", "Secret/registry") == [["imagePullSecrets"]]


def test_a_claim_in_the_input_is_wired_and_one_that_is_not_is_external():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db"}, "spec": {
        "containers": [{"name": "db", "image": "postgres:16.4"}],
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}},
                    {"name": "logs", "persistentVolumeClaim": {"claimName": "logs"}}]}}
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"}}
    graph = build_graph([pod, claim])
    assert edge_labels(graph, "Pod/db", "PersistentVolumeClaim/data") == [["volume data"]]
    assert one(graph, "PersistentVolumeClaim/data").role == "object"
    assert edge_labels(graph, "Pod/db", "PersistentVolumeClaim/logs") == [["volume logs"]]
    assert one(graph, "PersistentVolumeClaim/logs").role == "external"


def test_init_containers_and_sidecars_are_drawn_in_start_order(shop):
    order = [e for e in shop.edges if e.kind == "order"]
    names = {n.id: n.title for n in shop.nodes}
    assert [(names[e.src], names[e.dst]) for e in order] == [
        ("init container migrate", "sidecar log-shipper"),
        ("sidecar log-shipper", "container api"),
    ]


def test_objects_not_in_the_input_are_external_and_the_rule_engine_lists_the_same_references(shop):
    external = sorted(n.title for n in shop.nodes if n.role == "external")
    assert external == ["Secret/db", "Secret/registry", "Secret/shop-tls"]
    assert all(e.external for e in shop.edges if shop.node(e.dst).role == "external")
    notices = lint_text((FIXTURES / "shop.yaml").read_text(encoding="utf-8"))
    pod_refs = {re.search(r"'([^']+)' must exist", i.message).group(1) for i in notices if i.rule == "referenced-objects"}
    assert {f"Secret/{name}" for name in pod_refs} == {"Secret/db", "Secret/registry"}  # the tls one is the Ingress's


def test_statefulset_points_at_its_governing_service():
    graph = build_graph(load(FIXTURES / "statefulset.yaml"))
    assert edge_labels(graph, "StatefulSet/db", "Service/db") == [["governing Service"]]
    assert "ClusterIP, headless" in one(graph, "Service/db").details


def test_a_service_selects_pods_of_its_own_namespace_only():
    objects = [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "prod"},
         "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
                  "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "prod"}, "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}},
    ]
    graph = build_graph(objects)
    services = nodes_of(graph, "Service/web")
    assert len(services) == 2 and ["namespace prod"] == [d for s in services for d in s.details if d.startswith("namespace")]
    prod = next(s for s in services if "namespace prod" in s.details)
    default = next(s for s in services if s is not prod)
    assert [e.labels for e in graph.edges if e.src == prod.id] == [["80 -> 80"]]
    assert [e for e in graph.edges if e.src == default.id] == []


# ---------------------------------------------------------------- broken wiring


@pytest.fixture(scope="module")
def broken() -> Graph:
    return build_graph(read_objects([str(FIXTURES / "broken.yaml")]))


def test_service_selecting_nothing_is_marked_with_its_rule(broken):
    node = one(broken, "Service/admin")
    assert [m.rule for m in node.marks] == ["service-selects-workload"]
    assert node.state == "warning"
    assert [e for e in broken.edges if e.src == node.id] == []


def test_target_port_that_resolves_to_nothing_is_a_broken_wire_to_the_pods(broken):
    (edge,) = [e for e in broken.edges if e.src == one(broken, "Service/web").id]
    assert edge.dst == one(broken, "Deployment/web").id  # no container port to point at
    assert edge.labels == ["80 -> web"]
    assert [m.rule for m in edge.marks] == ["service-target-resolves"] and edge.state == "broken"


def test_probe_port_that_resolves_to_nothing_marks_the_container(broken):
    node = one(broken, "container web")
    assert [m.rule for m in node.marks] == ["probe-port-declared"] and node.state == "broken"


def test_reference_to_an_object_not_in_the_input_is_a_dashed_external_node(broken):
    node = one(broken, "ConfigMap/web-env")
    assert node.role == "external" and "not in the input" in node.details
    (edge,) = [e for e in broken.edges if e.dst == node.id]
    assert edge.external and edge.labels == ["envFrom"]


def test_autoscaler_on_pods_without_cpu_requests_is_marked(broken):
    node = one(broken, "HorizontalPodAutoscaler/web")
    edges = [e for e in broken.edges if e.src == node.id]
    assert node.marks or any(e.marks for e in edges)


def test_every_wiring_finding_of_the_rule_engine_is_drawn_once():
    text = (FIXTURES / "broken.yaml").read_text(encoding="utf-8")
    expected = sorted(
        i.rule for i in lint_text(text) if i.rule in WIRING_RULES and i.severity in ("error", "warning")
    )
    graph = build_graph(load(FIXTURES / "broken.yaml"))
    drawn = sorted(m.rule for item in (*graph.nodes, *graph.edges) for m in item.marks)
    assert drawn == expected and len(expected) == 4


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_broken_wiring_shows_in_both_formats(fmt, broken):
    text = to_mermaid(broken) if fmt == "mermaid" else to_dot(broken)
    for rule in ("service-selects-workload", "service-target-resolves", "probe-port-declared"):
        assert f"[{rule}]" in text
    container, service = one(broken, "container web").id, one(broken, "Service/admin").id
    if fmt == "mermaid":
        classes = dict(reversed(line.split()[1:]) for line in text.splitlines() if line.startswith("  class "))
        assert container in classes["broken"].split(",") and service in classes["warning"].split(",")
        assert re.search(r"^  Service_web ==>\|.*\| Deployment_web$", text, re.M)
        assert re.search(r"^  Deployment_web_Cc0 -\.->\|\"envFrom\"\| ConfigMap_web_env$", text, re.M)
    else:
        assert re.search(rf'^    {container} \[.*color="#cc0000"', text, re.M)
        assert re.search(r'^  Deployment_web_Cc0 -> ConfigMap_web_env \[.*style=dashed', text, re.M)


def test_dot_tooltips_carry_the_rule_engines_full_messages(broken):
    text = to_dot(broken)
    messages = [i.message for i in lint_text((FIXTURES / "broken.yaml").read_text(encoding="utf-8")) if i.rule in WIRING_RULES and i.severity != "notice"]
    tooltips = re.findall(r'tooltip="((?:[^"\\]|\\.)*)"', text)
    assert len(messages) == len(tooltips) == 4
    for message in messages:
        assert any(tip.startswith(message.replace('"', '\\"')) for tip in tooltips), message


def test_legend_names_only_the_looks_the_graph_uses(broken, shop):
    broken_text, shop_text = to_mermaid(broken), to_mermaid(shop)
    assert "broken wiring: a rule error" in broken_text and "suspect wiring: a rule warning" in broken_text
    assert "broken wiring" not in shop_text and "start order of init containers" in shop_text
    assert "Legend" not in to_mermaid(shop, legend=False) and "Legend" not in to_dot(shop, legend=False)


# ---------------------------------------------------------------- inputs


def test_preset_file_and_stdin_are_rendered_first_and_manifests_read_as_lint_does(tmp_path):
    preset = tmp_path / "app.yaml"
    preset.write_text("name: app\ncontainers:\n  - {name: app, image: 'nginx:1.27', ports: ['http:80']}\nservice: true\n")
    titles = [n.title for n in build_graph(read_objects([str(preset)])).nodes if n.index is not None]
    assert titles == ["Deployment/app", "Service/app"]
    piped = run_cli("graph", "-", input=preset.read_bytes())
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == draw([str(preset)])
    rendered = run_cli("render", str(preset)).stdout
    as_manifests = run_cli("graph", "-", input=rendered.encode())
    assert as_manifests.stdout == piped.stdout


def test_directories_lists_and_several_arguments_make_one_stream(tmp_path):
    (tmp_path / "b.yaml").write_text("apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: two}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: three}}\n")
    (tmp_path / "a.yml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n")
    (tmp_path / "notes.txt").write_text("not yaml: [")
    titles = [n.title for n in build_graph(read_objects([str(tmp_path), "nginx"])).nodes if n.index is not None]
    nginx = [f"{o['kind']}/{o['metadata']['name']}" for o in scaffold.render("nginx")]
    assert titles == ["ConfigMap/one", "ConfigMap/two", "ConfigMap/three", *nginx]


@pytest.mark.parametrize(
    "data, preset",
    [
        ({"name": "x", "containers": []}, True),
        ({"apiVersion": "scaffold/v1", "name": "x"}, True),
        ({"apiVersion": "v1", "kind": "Pod", "containers": []}, False),
        ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}}, False),
        ([{"containers": []}], False),
    ],
)
def test_preset_or_manifest_rule(data, preset):
    assert is_preset_document(data) is preset


@pytest.mark.parametrize(
    "content, message",
    [
        ("kind: [", "yaml"),
        ("- just\n- a list\n", "expected a Kubernetes object"),
        ("metadata: {name: x}\n", "no kind"),
        ("", "holds no Kubernetes objects"),
    ],
)
def test_bad_input_is_exit_1_with_a_message_and_no_graph(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    proc = run_cli("graph", str(path))
    assert proc.returncode == 1 and proc.stdout == ""
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_preset_name_says_what_exists():
    proc = run_cli("graph", "web-ap")
    assert proc.returncode == 1 and "did you mean 'web-app'" in proc.stderr


def test_no_argument_is_a_usage_error():
    assert run_cli("graph").returncode == 2


def test_invalid_preset_reports_its_problems_and_draws_nothing(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: p\ncontainers:\n  - {name: p, image: 'nginx:1.27', ports: ['http:80']}\nservice:\n  ports: [{port: 80, targetPort: htp}]\n")
    proc = run_cli("graph", str(path))
    assert proc.returncode == 1 and proc.stdout == "" and "service-target-resolves" in proc.stderr


# ---------------------------------------------------------------- SVG


@needs_dot
def test_svg_is_drawn_by_dot():
    proc = run_cli("graph", "--format", "svg", "web-app")
    assert proc.returncode == 0, proc.stderr
    root = ElementTree.fromstring(proc.stdout.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Service/web-app", "Deployment/web-app", "80 -> http:8080"} <= texts


def test_svg_without_dot_says_how_to_get_it_and_exits_2():
    env = {**os.environ, "PATH": "/nonexistent", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "scaffold", "graph", "--format", "svg", "web-app"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Graphviz" in proc.stderr and "apt-get install graphviz" in proc.stderr


# ---------------------------------------------------------------- outside parsers


SAMPLES = [*PRESETS, *sorted(p.name for p in FIXTURES.glob("*.yaml"))]


def sample_graph(name: str) -> Graph:
    """A built-in preset's graph, or a fixture's (tests/fixtures/graph/NAME)."""
    return build_graph(read_objects([name if name in PRESETS else str(FIXTURES / name)]))


@needs_dot
@pytest.mark.parametrize("name", SAMPLES)
def test_dot_output_parses_with_graphviz_and_draws_every_node(name):
    graph = sample_graph(name)
    layout = dot_layout(to_dot(graph))
    drawn = {o["name"]: rendered_text(o) for o in layout["objects"] if "nodes" not in o}
    for node in graph.nodes:
        assert drawn[node.id].split("\n")[0] == node.title
    assert len(layout.get("edges", [])) >= len(graph.edges)


@needs_mermaid
@pytest.mark.parametrize("name", SAMPLES)
def test_mermaid_output_parses_with_mermaid(name):
    graph = sample_graph(name)
    parsed = mermaid_parse(to_mermaid(graph))
    texts = {v["id"]: v["text"] for v in parsed["vertices"]}
    for node in graph.nodes:
        assert texts[node.id].split("<br>")[0] == node.title
    assert len(parsed["edges"]) >= len(graph.edges)


# ---------------------------------------------------------------- properties

_KINDS = st.sampled_from(["ConfigMap", "Secret", "Service", "Deployment", "Pod", "ServiceAccount", "Ingress", "weird kind", 'K"ind\n'])
_NAMES = st.one_of(
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True),
    st.text(max_size=30),
    st.sampled_from(['a"b', "x\ny", "end", "<b>", "#quot;", "a|b", "%%", "\\N", "-->", '"]\nclass X broken']),
)
_NAMESPACES = st.one_of(st.none(), st.sampled_from(["default", "prod", "team-a"]), st.text(max_size=10))


@st.composite
def manifests(draw_: Any) -> list[dict[str, Any]]:
    objects = []
    for _ in range(draw_(st.integers(1, 8))):
        kind = draw_(_KINDS)
        meta: dict[str, Any] = {"name": draw_(_NAMES)}
        ns = draw_(_NAMESPACES)
        if ns is not None:
            meta["namespace"] = ns
        obj: dict[str, Any] = {"apiVersion": "v1", "kind": kind, "metadata": meta}
        if kind in ("Deployment", "Pod"):
            labels = {"app": draw_(st.sampled_from(["a", "b"]))}
            pod = {"containers": [{"name": draw_(_NAMES), "image": "nginx:1.27", "ports": [{"name": "http", "containerPort": 80}],
                                   "envFrom": [{"configMapRef": {"name": draw_(_NAMES)}}]}]}
            if kind == "Pod":
                meta["labels"] = labels
                obj["spec"] = pod
            else:
                obj["spec"] = {"selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels}, "spec": pod}}
        if kind == "Service":
            obj["spec"] = {"selector": {"app": draw_(st.sampled_from(["a", "b"]))}, "ports": [{"port": 80, "targetPort": draw_(st.sampled_from(["http", 80, "nope"]))}]}
        objects.append(obj)
    return objects


_NODE_LINE = re.compile(r'^ +([A-Za-z][A-Za-z0-9_]*)[\[(]"([^"\n]*)"[\])]$')


def _mermaid_unescape(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_every_object_appears_exactly_once_as_a_node(objects):
    graph = build_graph(objects)
    indexes = [n.index for n in graph.nodes if n.index is not None]
    assert sorted(indexes) == list(range(len(objects)))
    assert len({n.id for n in graph.nodes}) == len(graph.nodes)
    for node in graph.nodes:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", node.id)
    # in the Mermaid text: one node line per object, whose first label line is Kind/name
    lines = to_mermaid(graph, legend=False).splitlines()
    defined = [m for m in map(_NODE_LINE.match, lines) if m]
    ids = [m.group(1) for m in defined]
    assert len(ids) == len(set(ids)) == len(graph.nodes)
    titles = {m.group(1): _mermaid_unescape(m.group(2).split("<br>")[0]) for m in defined}
    for index, obj in enumerate(objects):
        (node,) = [n for n in graph.nodes if n.index == index]
        assert titles[node.id] == f"{obj['kind']}/{obj['metadata']['name'] or '?'}"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_hostile_names_give_one_node_line_without_raw_quotes_or_newlines(name):
    objects = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}]
    text = to_mermaid(build_graph(objects), legend=False)
    body = [line for line in text.splitlines()[1:] if not line.startswith(("  classDef ", "  class "))]
    assert len(body) == 1
    match = _NODE_LINE.match(body[0])
    assert match, body[0]
    assert _mermaid_unescape(match.group(2)) == f"ConfigMap/{name or '?'}"
    dot = to_dot(build_graph(objects), legend=False)
    (label,) = re.findall(r'label="((?:[^"\\\n]|\\.)*)"', dot)
    assert "\n" not in label


@needs_dot
@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30))
def test_graphviz_draws_hostile_names_as_written(name):
    objects = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}]
    graph = build_graph(objects)
    layout = dot_layout(to_dot(graph, legend=False))
    (obj,) = [o for o in layout["objects"] if o["name"] == graph.nodes[0].id]
    assert rendered_text(obj) == f"ConfigMap/{name or '?'}"


_FIELDS = st.sampled_from([
    "selector", "ports", "port", "targetPort", "name", "containers", "initContainers", "template", "spec", "metadata",
    "labels", "matchLabels", "matchExpressions", "key", "operator", "values", "rules", "http", "paths", "backend",
    "service", "scaleTargetRef", "kind", "serviceName", "podSelector", "env", "envFrom", "valueFrom", "configMapRef",
    "secretKeyRef", "volumes", "configMap", "tls", "secretName", "containerPort", "restartPolicy", "app", "protocol",
])
_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 70000) | st.sampled_from(["http", "80", "app", "Always", "web", "In"]) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_FIELDS | st.text(max_size=4), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({
    "kind": st.sampled_from(["Pod", "Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "StatefulSet"]),
    "metadata": st.one_of(_JUNK, st.fixed_dictionaries({"name": st.sampled_from(["web", "api"]), "labels": _JUNK})),
    "spec": _JUNK,
}), min_size=1, max_size=5))
def test_malformed_objects_are_still_drawn_without_crashing(objects):
    graph = build_graph(objects)
    assert sorted(n.index for n in graph.nodes if n.index is not None) == list(range(len(objects)))
    to_mermaid(graph)
    to_dot(graph)


# ---------------------------------------------------------------- layering


def test_nothing_but_the_cli_imports_graph():
    importers = []
    for path in (ROOT / "scaffold").rglob("*.py"):
        rel = path.relative_to(ROOT / "scaffold").as_posix()
        if rel.startswith("graph/") or rel == "cli/graph.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from\s+(\.+|scaffold\.)graph\b|import\s+scaffold\.graph\b)", text, re.M):
            importers.append(rel)
    assert importers == []
