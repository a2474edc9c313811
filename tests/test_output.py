"""The shape of the YAML itself: order, style, determinism, no empty noise, yamllint-clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

import scaffold
from conftest import PRESETS
from scaffold.rendering.emit import scalar, to_yaml_stream


@pytest.mark.parametrize("name", PRESETS)
def test_output_passes_yamllint_default_rules_except_line_length(name):
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    conf = YamlLintConfig("{extends: default, rules: {line-length: disable}}")
    problems = list(linter.run(scaffold.render_yaml(name), conf))
    assert problems == []


def _render_in_a_new_process(hash_seed: str, **env: str) -> list[str]:
    """Every built-in preset rendered by ``scaffold render`` in a fresh interpreter."""
    code = (
        "import sys; from scaffold.cli import main\n"
        "for name in sys.argv[1:]:\n"
        "    main(['render', name, '-q'], standalone_mode=False)\n"
        "    sys.stdout.write('\\0')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *PRESETS],
        capture_output=True, text=True, check=True, timeout=120,
        env={**os.environ, "PYTHONHASHSEED": hash_seed, **env},
    )
    return proc.stdout.split("\0")[:-1]


def test_output_is_byte_identical_across_processes_hash_seeds_and_template_caches(tmp_path):
    """Nothing may depend on set or dict-of-set order (hash seeds) or on the bytecode cache."""
    first = _render_in_a_new_process("1", XDG_CACHE_HOME=str(tmp_path))  # compiles, fills the cache
    second = _render_in_a_new_process("2", XDG_CACHE_HOME=str(tmp_path))  # reads the cache
    third = _render_in_a_new_process("3", SCAFFOLD_NO_CACHE="1")
    assert len(first) == len(PRESETS) and all(text.startswith("---\napiVersion: ") for text in first)
    assert first == second == third
    assert first == [scaffold.render_yaml(name) for name in PRESETS]  # and as the library renders it


@pytest.mark.parametrize("name", PRESETS)
def test_output_has_no_empty_or_server_fields(name):
    text = scaffold.render_yaml(name)
    for noise in ("creationTimestamp", "status:", "strategy: {}", "resources: {}", ": null", ": []"):
        assert noise not in text
    docs = list(yaml.safe_load_all(text))

    def walk(node, path=""):
        if isinstance(node, dict):
            for k, v in node.items():
                if k != "emptyDir":
                    assert v not in ({}, [], None, ""), f"empty field at {path}.{k}"
                    walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")

    for doc in docs:
        walk(doc)


def test_objects_and_keys_come_in_the_order_people_write_them():
    text = scaffold.render_yaml("web-app")
    docs = list(yaml.safe_load_all(text))
    assert [d["kind"] for d in docs] == [
        "ServiceAccount", "ConfigMap", "ConfigMap", "Deployment", "Service",
        "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
    ]
    deployment = docs[3]
    assert list(deployment) == ["apiVersion", "kind", "metadata", "spec"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert list(container)[:3] == ["name", "image", "imagePullPolicy"]


def test_sequences_are_indented_under_their_key_with_two_spaces():
    text = scaffold.render_yaml("nginx")
    assert "      containers:\n        - name: nginx\n          image: nginx:latest\n" in text
    assert text.startswith("---\napiVersion: apps/v1\n")


@pytest.mark.parametrize(
    "value",
    ["yes", "no", "on", "off", "y", "n", "true", "null", "~", "", "1e6", "0755", "0x1F", "1_000", "12:30",
     "2024-01-01", "1.0", ".inf", "-1", "- x", "a: b", "#x", "x #y", "&a", "*a", "!t", "@x", "`x", "|", ">", "%x",
     "'q'", '"q"', "x:", "{a}", "[a]", "<<", "=", "a\nb", "tab\there", " lead", "trail ", "é", "\u2028", "\x85"],
)
def test_strings_another_reader_would_take_for_another_type_are_quoted(value):
    text = to_yaml_stream([{"k": value, "l": [value]}])
    assert yaml.safe_load(text) == {"k": value, "l": [value]}
    if value in ("yes", "true", "null", "1e6", "0755", "2024-01-01", "y", "n"):
        assert scalar(value)[0] in "'\""


def test_ordinary_strings_stay_plain():
    for value in ("nginx:1.27", "250m", "/var/log/nginx/", "-c", "soscscs/myapp:v1", "app.kubernetes.io/name"):
        assert scalar(value) == value


def test_multi_line_scripts_become_literal_blocks():
    script = "set -e\necho one\necho two\n"
    text = to_yaml_stream([{"args": [script]}])
    assert "- |\n" in text
    assert yaml.safe_load(text) == {"args": [script]}


def test_json_output_is_a_v1_list():
    from scaffold.pipeline import build

    data = json.loads(build("myapp").json())
    assert data["apiVersion"] == "v1" and data["kind"] == "List"
    assert [i["kind"] for i in data["items"]] == ["Pod", "Pod", "Pod", "Service"]
