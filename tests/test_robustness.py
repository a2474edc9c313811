"""Hostile and broken input through the real CLI: exit 1 (or 2), a message, never a traceback."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli


def cli(*args: str, stdin: bytes | None = None, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=ROOT, input=stdin, timeout=timeout)


def validate(path: Path) -> tuple[int, str, str]:
    proc = cli("validate", str(path))
    return proc.returncode, proc.stdout, proc.stderr


def assert_refused(path: Path, *words: str) -> str:
    code, out, err = validate(path)
    assert code == 1, (code, out, err)
    assert err.strip(), "no message on stderr"
    assert "Traceback" not in out + err and "internal error" not in err
    for word in words:
        assert word in err, err
    return err


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

CASES: dict[str, bytes] = {
    "empty": b"",
    "only-comment": b"# nothing here\n",
    "list": b"- name: web\n- image: nginx\n",
    "scalar": b"hello\n",
    "number": b"42\n",
    "latin1": "name: café\n".encode("latin-1"),
    "utf16": "name: web\n".encode("utf-16"),
    "binary": bytes(range(256)) * 8,
    "syntax-error": b"name: [web\ncontainers: 5\n",
    "tab-indent": b"name: web\ncontainers:\n\t- name: web\n",
    "duplicate-key": b"name: a\nname: b\ncontainers: [{name: a, image: nginx:1.27}]\n",
    "unknown-tag": b"name: !secret web\n",
    "deep-nesting": b"name: web\nlabels: " + b"[" * 10000 + b"]" * 10000 + b"\n",
    "deep-mapping": b"name: web\nlabels: " + b"{a: " * 500 + b"1" + b"}" * 500 + b"\n",
    "containers-number": b"name: web\ncontainers: 5\n",
    "containers-item-number": b"name: web\ncontainers: [5]\n",
    "image-list": b"name: web\ncontainers: [{name: web, image: [1]}]\n",
    "port-string": b'name: web\ncontainers: [{name: web, image: nginx:1.27, ports: [{containerPort: "x"}]}]\n',
    "cpu-list": b"name: web\ncontainers: [{name: web, image: nginx:1.27, resources: {limits: {cpu: [1]}}}]\n",
    "resources-string": b"name: web\ncontainers: [{name: web, image: nginx:1.27, resources: big}]\n",
    "probe-list": b"name: web\ncontainers: [{name: web, image: nginx:1.27, livenessProbe: [1]}]\n",
    "env-number": b"name: web\ncontainers: [{name: web, image: nginx:1.27, env: 5}]\n",
    "volumes-mapping": b"name: web\ncontainers: [{name: web, image: nginx:1.27}]\nvolumes: {a: 1}\n",
    "service-number": b"name: web\ncontainers: [{name: web, image: nginx:1.27}]\nservice: 5\n",
    "service-ports-string": b"name: web\ncontainers: [{name: web, image: nginx:1.27, ports: [80]}]\nservice: {ports: [x]}\n",
    "name-list": b"name: [web]\ncontainers: [{name: web, image: nginx:1.27}]\n",
    "name-null": b"name:\ncontainers: [{name: web, image: nginx:1.27}]\n",
    "replicas-float": b"name: web\nreplicas: 1.5\ncontainers: [{name: web, image: nginx:1.27}]\n",
    "replicas-huge": b"name: web\nkind: Pod\nreplicas: 100000000000\ncontainers: [{name: web, image: nginx:1.27}]\n",
    "key-not-string": b"name: web\n1: 2\ncontainers: [{name: web, image: nginx:1.27}]\n",
    "huge-int": b"name: web\nreplicas: " + b"9" * 5000 + b"\ncontainers: [{name: web, image: nginx:1.27}]\n",
    "cpu-huge": b"name: web\ncontainers: [{name: web, image: nginx:1.27, resources: {limits: {cpu: 1e999999999}}}]\n",
    "nul-in-string": b'name: "web\\0"\ncontainers: [{name: web, image: nginx:1.27}]\n',
    "bad-quantity": b"name: web\ncontainers: [{name: web, image: nginx:1.27, resources: {limits: {cpu: 1 core}}}]\n",
    "merge-key-bomb": b"a: &a {x: 1}\nname: web\n<<: [*a, *a]\ncontainers: [{name: web, image: nginx:1.27}]\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_is_refused_with_a_message_and_no_traceback(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(CASES[name])
    assert_refused(path)


def test_python_object_tag_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    path = tmp_path / "evil.yaml"
    path.write_text(f'!!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    assert_refused(path, "not allowed")
    nested = tmp_path / "evil2.yaml"
    nested.write_text(f'name: web\nlabels: {{a: !!python/object/apply:os.system ["touch {marker}"]}}\n', encoding="utf-8")
    assert_refused(nested, "not allowed")
    assert not marker.exists()


def test_file_over_one_mib_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"name: web\n" + b"# padding\n" * 110_000)
    assert path.stat().st_size > 1024 * 1024
    assert_refused(path, "limit")


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    code, out, err = validate(path)
    elapsed = time.perf_counter() - start
    assert code == 1 and "alias" in err and "Traceback" not in out + err
    # includes interpreter start-up; the refusal itself is milliseconds
    assert elapsed < 3, elapsed


def test_billion_laughs_is_refused_within_the_node_budget_in_process(built_nodes) -> None:
    from scaffold.errors import PresetError
    from scaffold.loader import MAX_NODES, load_yaml

    with pytest.raises(PresetError):
        load_yaml(BILLION_LAUGHS, source="bomb.yaml")
    assert built_nodes["n"] <= MAX_NODES + 1  # of the 9^9 values it would take


def test_stdin_garbage_is_refused() -> None:
    proc = cli("validate", "-", stdin=b"\xff\xfe\x00garbage")
    err = proc.stderr
    assert proc.returncode == 1 and err.strip() and "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("validate", "--no-such-option", "nginx"),
        ("render", "nginx", "-o", "xml"),
        ("no-such-command",),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    proc = cli(*args)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2 and proc.stderr.strip() and "Traceback" not in out


def test_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    code, out, err = validate(tmp_path / "nope.yaml")
    assert code == 1 and err.strip() and "Traceback" not in out + err


def test_a_directory_is_a_clean_error(tmp_path: Path) -> None:
    proc = cli("validate", str(tmp_path) + "/")
    err = proc.stderr
    assert proc.returncode == 1 and err.strip() and "Traceback" not in err


def test_issue_lines_carry_the_real_line_and_column(tmp_path: Path) -> None:
    text = (
        "name: web\n"
        "containers:\n"
        "  - name: web\n"
        "    image: nginx:1.27\n"
        "    resources:\n"
        "      requests: {cpu: 100m, memory: 128Mi}\n"
        "      limits:\n"
        "        cpu: 1 core\n"
        "        memory: 128m\n"
    )
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    err = assert_refused(path)
    lines = err.splitlines()
    # the column of the field's key, where an editor should jump
    cpu_col = text.splitlines()[7].index("cpu") + 1
    mem_col = text.splitlines()[8].index("memory") + 1
    assert f"{path}:8:{cpu_col}: containers[0].resources.limits.cpu: '1 core' is not a CPU quantity; use 1 or 1000m [quantity-format]" in lines
    assert any(
        line.startswith(f"{path}:9:{mem_col}: containers[0].resources.limits.memory: '128m'") and line.endswith("[quantity-format]")
        for line in lines
    ), lines
    # errors come before anything else
    assert lines[0].startswith(f"{path}:8:")


def test_missing_field_is_located_at_its_parent(tmp_path: Path) -> None:
    text = "name: web\ncontainers:\n  - name: web\n    livenessProbe: {periodSeconds: 5}\n    image: nginx:1.27\n"
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    err = assert_refused(path)
    assert f"{path}:4:5: containers[0].livenessProbe: livenessProbe has no handler" in err


def test_validate_prints_the_summary_on_stdout() -> None:
    proc = cli("validate", "startup-probe")
    out = proc.stdout
    assert proc.returncode == 0
    assert "Pod/startup-probe: QoS Burstable" in out
    assert "startup budget of app: 30 x 10 s = 300 s" in out
    assert "must exist in the namespace before apply: nothing" in out


def test_render_output_has_no_summary() -> None:
    proc = cli("render", "startup-probe")
    assert proc.returncode == 0 and "QoS" not in proc.stdout + proc.stderr
