"""Hostile and broken input through the real CLI: exit 1 (or 2), a message, never a traceback."""

from __future__ import annotations

import subprocess
import sys
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


def test_billion_laughs_is_refused_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    code, out, err = validate(path)
    assert code == 1 and "alias" in err and "Traceback" not in out + err


def test_billion_laughs_costs_no_more_than_the_node_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """The work is bounded, not the time (a wall-clock limit fails on a loaded machine): the
    loader stops within MAX_NODES node visits of a document that expands to 9**9 strings."""
    from scaffold import loader
    from scaffold.errors import PresetError

    visits = []
    real_count = loader._Builder.count

    def counting(self: loader._Builder, node: object, path: tuple) -> None:
        visits.append(1)
        real_count(self, node, path)  # type: ignore[arg-type]

    monkeypatch.setattr(loader._Builder, "count", counting)
    with pytest.raises(PresetError) as caught:
        loader.load_yaml(BILLION_LAUGHS, source="bomb.yaml")
    assert "alias expansion exceeds" in str(caught.value.issues[0].message)
    assert 0 < len(visits) <= loader.MAX_NODES + 1


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


# --- where the output goes: a full disk, a closed pipe, a closed descriptor ----------------------


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    import os
    import sys

    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("SCAFFOLD_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "scaffold", *args], cwd=ROOT, env=env, timeout=60, **kwargs)  # type: ignore[call-overload]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full exists on Linux only")
@pytest.mark.parametrize("args", [["render", "nginx"], ["validate", "nginx", "-o", "json"], ["presets"]])
def test_a_full_disk_is_a_message_and_exit_1(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = _run(args, stdout=full, stderr=subprocess.PIPE)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err.splitlines()[-1] == "error: cannot write output: no space left on device"
    assert "Traceback" not in err and "internal error" not in err and "Exception ignored" not in err


def test_a_closed_stdout_is_exit_1_not_0() -> None:
    import os

    proc = _run(["render", "nginx", "-q"], stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and err.splitlines()[-1] == "error: cannot write output: standard output is closed"
    assert "Traceback" not in err


def test_a_pipe_closed_by_the_reader_is_exit_1_with_a_message() -> None:
    import os

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = _run(["render", "web-app", "-q"], stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and err == "error: cannot write output: broken pipe\n"


# --- report lines cannot be forged ---------------------------------------------------------------

FORGED = "\nFAKE.yaml:1:1: all good [schema]\x1b[31m\x1b]0;title\x07\u2028\x85"


@pytest.mark.parametrize("sensitive", [False, True])
def test_control_characters_in_values_are_escaped_one_issue_one_line(tmp_path: Path, sensitive: bool) -> None:
    import json

    from scaffold.pipeline import check

    host = ("/etc/" if sensitive else "/data/logs/") + FORGED
    preset = {
        "name": "web",
        "kind": "Pod",
        "containers": [{"name": "web", "image": "nginx:1.27", "volumeMounts": [{"name": "logs", "mountPath": "/logs"}]}],
        "volumes": [{"name": "logs", "hostPath": {"path": host, "type": "DirectoryOrCreate"}}],
    }
    path = tmp_path / "p.yaml"
    path.write_text(json.dumps(preset), encoding="utf-8")
    report = check(str(path))
    assert report.ok is not sensitive
    echoing = [i for i in report.issues if host in i.message]
    assert echoing, report.issues

    proc = cli("render", str(path))
    assert proc.returncode == (1 if sensitive else 0)
    lines = proc.stderr.splitlines()
    # stderr is exactly the issue lines (and the "N problems found" line of a failure)
    assert len(lines) == len(report.issues) + (1 if sensitive else 0), lines
    assert not any(line.startswith("FAKE.yaml") for line in lines)
    for ch in "\x1b\x07\x85\u2028":
        assert ch not in proc.stderr
    escaped = "\\nFAKE.yaml:1:1: all good [schema]\\x1b[31m\\x1b]0;title\\x07\\u2028\\x85"
    assert sum(escaped in line for line in lines) == len(echoing)

    sarif = json.loads(cli("validate", str(path), "-o", "sarif").stdout)
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert sum(escaped in t for t in texts) == len(echoing)
    assert not any(ch in t for t in texts for ch in "\n\x1b\x07\x85\u2028")
    data = cli("validate", str(path), "-o", "json").stdout
    assert "\x1b" not in data and "\x85" not in data and "\u2028" not in data
    assert sum(host in i["message"] for i in json.loads(data)["issues"]) == len(echoing)  # JSON keeps the data


# --- Ctrl-C at any moment of start-up --------------------------------------------------------------


def test_ctrl_c_inside_importlibs_lock_callback_is_put_off_until_it_can_propagate() -> None:
    """A KeyboardInterrupt raised in importlib's weakref callback would be printed as
    "Exception ignored" and lost; the entry's handler defers it to a SIGALRM a moment later."""
    import importlib._bootstrap as bootstrap
    import signal
    import types

    from scaffold import _entry

    (cb,) = [c for c in bootstrap._get_module_lock.__code__.co_consts if isinstance(c, types.CodeType) and c.co_name == "cb"]
    old_alarm = signal.getsignal(signal.SIGALRM)
    try:
        _entry._on_sigint(signal.SIGINT, types.SimpleNamespace(f_code=cb))  # type: ignore[arg-type]
        with pytest.raises(KeyboardInterrupt):
            time.sleep(1)  # the alarm fires after a millisecond, in an ordinary frame
        with pytest.raises(KeyboardInterrupt):
            _entry._on_sigint(signal.SIGINT, sys._getframe())  # anywhere else: at once
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_alarm)


def test_ctrl_c_during_start_up_is_interrupted_and_130_never_a_traceback() -> None:
    """SIGINT at increasing delays after scaffold's entry module is reached (what the
    interpreter does before that, and ``import scaffold``, no Python program can handle)."""
    import os
    import signal
    import sys

    code = "import os, scaffold._entry as e; os.write(2, b'@'); e.main()"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("SCAFFOLD_DEBUG", None)
    codes = []
    for i in range(24):
        delay = 0.001 + i * 0.004
        proc = subprocess.Popen([sys.executable, "-c", code, "render", "nginx"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert proc.stderr is not None and proc.stderr.read(1) == b"@"
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        text = err.decode()
        assert "Traceback" not in text and "KeyboardInterrupt" not in text, (delay, text)
        assert proc.returncode in (0, 130), (delay, proc.returncode, text)
        if proc.returncode == 130:
            assert text.endswith("interrupted\n"), text
        codes.append(proc.returncode)
    assert 130 in codes
