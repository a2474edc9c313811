"""No user string can change the structure of the output (property-based).

Templates never quote by hand: the Jinja2 environment serializes every printed value. These
tests throw hostile strings (`: `, `#`, newlines, `---`, braces, quotes, unicode, `yes`,
`null`, `1e6`, `0755`, ...) at every kind of field and read the output back.
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import scaffold
from scaffold.rendering.emit import to_yaml_stream
from scaffold.preset.normalize import normalize
from scaffold.rendering.templates import render_objects
from scaffold.preset.schema import validate_shape

TRICKY = st.sampled_from(
    ["a: b", "# not a comment", "x\n---\nkind: Secret", "{a: 1}", "[1, 2]", "'", '"', "\\", "yes", "no", "null",
     "~", "1e6", "0755", "0x10", "12:30", "2024-01-01", "", " ", "- item", "? key", "&anchor", "*alias", "!tag",
     "%YAML", "@at", "`tick", "|", ">", "é ü 中文 🚀", "\t", "\r\n", "\x00", "\x85", "\u2028", "\ufeff", "...",
     "---", "key: value\nother: 1", "}{", "][", "-1:30", ".5_", ".1_0", "-1:30.5", "1_0", "0o17", "y", "\u2029"]
)
# Any text at all (no lone surrogates, which no YAML file or JSON document can carry).
TEXT = st.one_of(TRICKY, st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), st.lists(TRICKY, min_size=2, max_size=4).map("".join))

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _objects(preset):
    shaped, problems = validate_shape(preset)
    assert shaped is not None, problems
    normalized, _ = normalize(shaped)
    return render_objects(normalized)


def _round_trip(objects):
    return list(yaml.safe_load_all(to_yaml_stream(objects)))


@SETTINGS
@given(value=TEXT, command=st.lists(TEXT, min_size=1, max_size=3), label=TEXT, path=TEXT, note=TEXT)
def test_hostile_strings_come_back_unchanged_at_their_paths(value, command, label, path, note):
    preset = {
        "name": "app",
        "labels": {"tier": label},
        "annotations": {"note": note},
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "command": command,
                "env": {"VALUE": value},
                "volumeMounts": [{"name": "data", "mountPath": path}],
                "livenessProbe": {"httpGet": {"path": path, "port": 80}},
            }
        ],
        "volumes": [{"name": "data", "hostPath": {"path": path}}],
    }
    objects = _objects(preset)
    (dep,) = _round_trip(objects)
    assert dep == objects[0]
    pod = dep["spec"]["template"]["spec"]
    c = pod["containers"][0]
    assert c["command"] == command
    assert c["env"] == [{"name": "VALUE", "value": value}]
    assert c["volumeMounts"][0]["mountPath"] == path
    assert c["livenessProbe"]["httpGet"]["path"] == path
    assert pod["volumes"][0]["hostPath"]["path"] == path
    assert dep["metadata"]["labels"] == {"app": "app", "tier": label}
    assert dep["metadata"]["annotations"] == {"note": note}
    assert set(dep) == {"apiVersion", "kind", "metadata", "spec"}


@SETTINGS
@given(value=TEXT, args=st.lists(TEXT, max_size=3))
def test_full_pipeline_keeps_env_values_and_args_exact(value, args):
    preset = {"name": "app", "containers": [{"name": "app", "image": "nginx:1.27", "args": args, "env": {"X": value}}]}
    text = scaffold.render_yaml(preset)
    (dep,) = list(yaml.safe_load_all(text))
    c = dep["spec"]["template"]["spec"]["containers"][0]
    assert c["env"] == [{"name": "X", "value": value}]
    assert c.get("args", []) == args
    assert text.count("\n---\n") == 0 and text.startswith("---\n")


@SETTINGS
@given(value=TEXT, number=st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none()))
@example(value="x", number=1e16)
@example(value="1e+16", number=-2.5e-08)
def test_reading_rendered_text_back_agrees_with_pyyaml(value, number):
    # parse_rendered takes a shortcut that is only right for text our environment printed.
    from scaffold.rendering.templates import parse_rendered, render_text

    preset = {
        "name": "app",
        "annotations": {"a": value},
        "containers": [{"name": "app", "image": "nginx:1.27", "env": {"V": value}, "securityContext": {"x": number, value: [number, value]}}],
    }
    shaped, _ = validate_shape({**preset, "containers": [{k: v for k, v in preset["containers"][0].items() if k != "securityContext"}]})
    normalized, _ = normalize(shaped)
    normalized["containers"][0]["securityContext"] = preset["containers"][0]["securityContext"]
    text = render_text("deployment.yaml.j2", p=normalized, labels={"app": "app"}, selector={"app": "app"}, object_name="app")
    parsed = parse_rendered(text, "deployment.yaml.j2")
    assert parsed == yaml.load(text, Loader=yaml.SafeLoader)
    assert parsed["spec"]["template"]["spec"]["containers"][0]["securityContext"] == preset["containers"][0]["securityContext"]


def test_a_string_that_looks_like_a_second_document_stays_a_string():
    evil = "x\n---\napiVersion: v1\nkind: Secret"
    preset = {"name": "app", "containers": [{"name": "app", "image": "nginx:1.27", "env": {"E": evil}}]}
    docs = list(yaml.safe_load_all(scaffold.render_yaml(preset)))
    assert len(docs) == 1
    assert docs[0]["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"] == evil
