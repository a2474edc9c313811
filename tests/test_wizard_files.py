"""``scaffold new`` and the files around it, through the real command: answers files go through
the hardened loader, the outputs are written as one all-or-nothing set, never over anything
but a regular file, and exactly one of several concurrent runs may create a file."""

from __future__ import annotations

import os
import stat
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

import scaffold
from conftest import run_cli


def _new(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return run_cli("new", *args, cwd=tmp_path, timeout=timeout)


def _clean(proc: subprocess.CompletedProcess[str]) -> str:
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "internal error" not in out, out
    return out


# ---------------------------------------------------------------------------------------
# Answers files: the loader and limits presets have


BILLION_LAUGHS = "\n".join(
    ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
) + "\n"

BAD_ANSWERS: dict[str, tuple[bytes, str]] = {
    "alias-bomb": (BILLION_LAUGHS.encode(), "alias expansion exceeds"),
    "latin1": ("scaffold-answers: 1\nanswers: {basics.name: café}\n".encode("latin-1"), "not UTF-8"),
    "utf16": ("scaffold-answers: 1\n".encode("utf-16"), "UTF-16"),
    "binary": (bytes(range(256)) * 4, "binary data"),
    "deep": (b"answers: " + b"[" * 5000 + b"]" * 5000 + b"\n", "nesting deeper than"),
    "too-big": (b"scaffold-answers: 1\n" + b"# padding\n" * 110_000, "limit"),
    "python-tag": (b'answers: !!python/object/apply:os.system ["true"]\n', "not allowed"),
    "syntax": (b"answers: {basics.name: [x}\n", "YAML syntax error"),
}


@pytest.mark.parametrize("name", sorted(BAD_ANSWERS))
def test_a_hostile_or_broken_answers_file_is_refused_with_a_located_message(tmp_path, name):
    data, expected = BAD_ANSWERS[name]
    (tmp_path / "bad.answers.yaml").write_bytes(data)
    proc = _new(tmp_path, "--answers", "bad.answers.yaml", "--defaults", timeout=30)
    out = _clean(proc)
    assert proc.returncode == 1, out
    assert expected in proc.stderr
    assert "bad.answers.yaml" in proc.stderr  # the report names the file
    assert sorted(os.listdir(tmp_path)) == ["bad.answers.yaml"]


def test_an_answers_file_that_is_not_a_mapping_of_keys_points_at_the_line(tmp_path):
    (tmp_path / "a.yaml").write_text("scaffold-answers: 1\nanswers:\n  - basics.name\n")
    proc = _new(tmp_path, "--answers", "a.yaml", "--defaults")
    _clean(proc)
    assert proc.returncode == 1
    assert "a.yaml:2:1: answers: must map question keys" in proc.stderr


# ---------------------------------------------------------------------------------------
# --from a malformed preset: the located report, not an internal error


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name: web\ncontainers: 5\n", "bad.yaml:2:1: containers: must be a list"),
        ("name: web\ncontainers: [5]\n", "bad.yaml:2:14: containers[0]: must be a mapping"),
        ("name: web\ncontainers: [{name: web, image: nginx:1.27}]\nservice: 7\n", "bad.yaml:3:1: service: must be a mapping"),
        ("name: web\ncontainers: [{name: web, image: nginx:1.27, ports: 8}]\n", "bad.yaml:2:45: containers[0].ports: must be a list"),
        ("name: [web\n", "bad.yaml:2:1: YAML syntax error"),
    ],
)
def test_new_from_a_malformed_preset_reports_where_and_writes_nothing(tmp_path, text, where):
    (tmp_path / "bad.yaml").write_text(text)
    proc = _new(tmp_path, "--defaults", "--from", "bad.yaml", "-o", "out.preset.yaml")
    _clean(proc)
    assert proc.returncode == 1
    assert where in proc.stderr, proc.stderr
    assert sorted(os.listdir(tmp_path)) == ["bad.yaml"]


def test_new_from_stdin_reads_the_preset_once(tmp_path):
    preset = b"name: web\nreplicas: 3\ncontainers: [{name: web, image: nginx:1.27}]\n"
    proc = run_cli("new", "--defaults", "--from", "-", "-o", "web.preset.yaml", cwd=tmp_path, input=preset)
    assert proc.returncode == 0, proc.stderr
    assert scaffold.render(str(tmp_path / "web.preset.yaml")) == scaffold.render(yaml.safe_load(preset))


# ---------------------------------------------------------------------------------------
# A replay writes where the run it repeats wrote


def test_replaying_an_answers_file_writes_where_the_original_run_wrote(tmp_path):
    first = _new(tmp_path, "--defaults", "--from", "web-app", "-o", "web.preset.yaml", "--render", "web.k8s.yaml")
    assert first.returncode == 0, first.stderr
    assert sorted(os.listdir(tmp_path)) == ["web.answers.yaml", "web.k8s.yaml", "web.preset.yaml"]
    recorded = yaml.safe_load((tmp_path / "web.answers.yaml").read_text())
    assert recorded["output"] == {"preset": "web.preset.yaml", "render": "web.k8s.yaml"}
    for name in os.listdir(tmp_path):
        if name != "web.answers.yaml":
            (tmp_path / name).write_text("stale\n")
    again = _new(tmp_path, "--answers", "web.answers.yaml", "--force")
    assert again.returncode == 0, again.stderr
    assert sorted(os.listdir(tmp_path)) == ["web.answers.yaml", "web.k8s.yaml", "web.preset.yaml"]
    assert scaffold.render(str(tmp_path / "web.preset.yaml")) == scaffold.render("web-app")
    assert (tmp_path / "web.k8s.yaml").read_text() == scaffold.render_yaml("web-app")


def test_a_replay_from_another_directory_writes_next_to_the_answers_file(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    assert _new(project, "--defaults", "--from", "nginx", "-o", "site.preset.yaml").returncode == 0
    (project / "site.preset.yaml").unlink()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    again = _new(elsewhere, "--answers", str(project / "site.answers.yaml"), "--force")
    assert again.returncode == 0, again.stderr
    assert os.listdir(elsewhere) == []
    assert sorted(os.listdir(project)) == ["site.answers.yaml", "site.preset.yaml"]


def test_output_on_the_command_line_wins_over_the_recorded_one(tmp_path):
    assert _new(tmp_path, "--defaults", "--from", "nginx", "-o", "a.preset.yaml").returncode == 0
    again = _new(tmp_path, "--answers", "a.answers.yaml", "-o", "b.preset.yaml")
    assert again.returncode == 0, again.stderr
    assert sorted(os.listdir(tmp_path)) == ["a.answers.yaml", "a.preset.yaml", "b.answers.yaml", "b.preset.yaml"]
    assert yaml.safe_load((tmp_path / "b.answers.yaml").read_text())["output"] == {"preset": "b.preset.yaml"}


# ---------------------------------------------------------------------------------------
# Writing: all or nothing, never over a non-regular file, one winner


def test_with_force_a_failure_on_the_answers_file_leaves_the_preset_as_it_was(tmp_path):
    (tmp_path / "web.preset.yaml").write_text("keep me\n")
    (tmp_path / "web.answers.yaml").mkdir()  # the answers file cannot be written there
    proc = _new(tmp_path, "--defaults", "--from", "nginx", "-o", "web.preset.yaml", "--force")
    _clean(proc)
    assert proc.returncode == 1
    assert "web.answers.yaml" in proc.stderr
    assert (tmp_path / "web.preset.yaml").read_text() == "keep me\n"
    assert sorted(os.listdir(tmp_path)) == ["web.answers.yaml", "web.preset.yaml"]  # no temp files left


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
@pytest.mark.parametrize("which", ["preset", "answers", "render"])
def test_a_fifo_is_never_replaced_even_with_force(tmp_path, which):
    names = {"preset": "web.preset.yaml", "answers": "web.answers.yaml", "render": "web.k8s.yaml"}
    fifo = tmp_path / names[which]
    os.mkfifo(fifo)
    proc = _new(tmp_path, "--defaults", "--from", "nginx", "-o", "web.preset.yaml", "--render", "web.k8s.yaml",
                "--force", timeout=30)
    _clean(proc)
    assert proc.returncode == 1
    assert "not a regular file" in proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == [fifo.name]  # nothing else written


def test_concurrent_runs_on_one_target_exactly_one_wins(tmp_path):
    def run(_: int) -> subprocess.CompletedProcess[str]:
        return _new(tmp_path, "--defaults", "--from", "nginx", "-o", "same.preset.yaml", timeout=120)

    with ThreadPoolExecutor(8) as pool:
        procs = list(pool.map(run, range(8)))
    winners = [p for p in procs if p.returncode == 0]
    assert len(winners) == 1, [(p.returncode, p.stdout, p.stderr) for p in procs]
    assert all(p.returncode == 1 and "already exists" in p.stderr for p in procs if p.returncode != 0)
    assert "wrote same.preset.yaml" in winners[0].stdout
    assert sorted(os.listdir(tmp_path)) == ["same.answers.yaml", "same.preset.yaml"]
    assert scaffold.render(str(tmp_path / "same.preset.yaml")) == scaffold.render("nginx")


# ---------------------------------------------------------------------------------------
# The writer itself


def test_writing_is_all_or_nothing_when_a_directory_is_missing(tmp_path):
    from scaffold.wizard import Output, WizardError, write_all

    good = tmp_path / "a.yaml"
    with pytest.raises(WizardError, match="does not exist"):
        write_all([Output(good, "a\n"), Output(tmp_path / "missing" / "b.yaml", "b\n")])
    assert os.listdir(tmp_path) == []  # neither the first file nor a temp file
    write_all([Output(good, "a\n")])
    assert good.read_text() == "a\n" and os.listdir(tmp_path) == ["a.yaml"]


def test_a_failure_while_moving_files_into_place_puts_back_the_ones_already_moved(tmp_path, monkeypatch):
    from scaffold.wizard import Output, WizardError, write_all

    first, second, third = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml"
    first.write_text("old a\n")
    second.write_text("old b\n")
    real_replace = os.replace

    def failing(src, dst):
        if Path(dst) == second and str(src).endswith(".tmp"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(WizardError, match="No space left"):
        write_all([Output(third, "new c\n"), Output(first, "new a\n", replace=True), Output(second, "new b\n", replace=True)])
    assert first.read_text() == "old a\n" and second.read_text() == "old b\n"
    assert sorted(os.listdir(tmp_path)) == ["a.yaml", "b.yaml"]  # c.yaml, created first, is gone again; no temps


def test_of_threads_racing_for_the_same_new_files_exactly_one_writes_them_all(tmp_path):
    import threading

    from scaffold.wizard import Output, WizardError, write_all

    preset, answers = tmp_path / "web.preset.yaml", tmp_path / "web.answers.yaml"
    barrier = threading.Barrier(8)

    def run(n: int) -> str:
        barrier.wait()
        try:
            write_all([Output(preset, f"preset {n}\n"), Output(answers, f"answers {n}\n")])
        except WizardError as err:
            assert "already exists" in str(err)
            return "lost"
        return f"won {n}"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(run, range(8)))
    winners = [o for o in outcomes if o != "lost"]
    assert len(winners) == 1, outcomes
    n = winners[0].split()[1]
    assert preset.read_text() == f"preset {n}\n" and answers.read_text() == f"answers {n}\n"  # one run's set
    assert sorted(os.listdir(tmp_path)) == ["web.answers.yaml", "web.preset.yaml"]


@pytest.mark.parametrize("kind", ["fifo", "symlink", "directory"])
def test_only_regular_files_are_replaced(tmp_path, kind):
    from scaffold.wizard import Output, WizardError, write_all

    target = tmp_path / "x.yaml"
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("needs os.mkfifo")
        os.mkfifo(target)
    elif kind == "symlink":
        (tmp_path / "real.yaml").write_text("real\n")
        target.symlink_to(tmp_path / "real.yaml")
    else:
        target.mkdir()
    before = os.lstat(target).st_mode
    with pytest.raises(WizardError, match="directory" if kind == "directory" else "not a regular file"):
        write_all([Output(tmp_path / "other.yaml", "other\n"), Output(target, "new\n", replace=True)])
    assert os.lstat(target).st_mode == before
    assert not (tmp_path / "other.yaml").exists()
    if kind == "symlink":
        assert (tmp_path / "real.yaml").read_text() == "real\n"


def test_one_file_named_twice_is_refused(tmp_path):
    from scaffold.wizard import Output, WizardError, write_all

    with pytest.raises(WizardError, match="named twice"):
        write_all([Output(tmp_path / "a.yaml", "1\n"), Output(tmp_path / "." / "a.yaml", "2\n")])
    assert os.listdir(tmp_path) == []


def test_new_files_get_the_umask_permissions(tmp_path):
    from scaffold.wizard import Output, write_all

    old = os.umask(0o027)
    try:
        write_all([Output(tmp_path / "a.yaml", "a\n")])
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "a.yaml").st_mode) == 0o640


def test_a_run_started_from_a_preset_file_replays_from_anywhere(tmp_path):
    project = tmp_path / "project"
    (project / "base").mkdir(parents=True)
    (project / "base" / "web.yaml").write_text("name: web\ncontainers: [{name: web, image: nginx:1.27, ports: [80]}]\n")
    (project / "out").mkdir()
    first = _new(project, "--defaults", "--from", "base/web.yaml", "-o", "out/web.preset.yaml")
    assert first.returncode == 0, first.stderr
    recorded = yaml.safe_load((project / "out" / "web.answers.yaml").read_text())
    assert recorded["answers"]["start"] == "../base/web.yaml"  # relative to the answers file
    (project / "out" / "web.preset.yaml").unlink()
    again = _new(tmp_path, "--answers", "project/out/web.answers.yaml")
    assert again.returncode == 0, again.stderr
    assert scaffold.render(str(project / "out" / "web.preset.yaml")) == scaffold.render(str(project / "base" / "web.yaml"))


# ---------------------------------------------------------------------------------------
# Any answers file: a result or a clean error, never a crash

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KEYS = [
    "start", "basics.name", "basics.kind", "basics.replicas", "basics.namespace", "container.image", "container.name",
    "container.pullPolicy", "ports.1.number", "ports.1.name", "ports.2.number", "resources.size",
    "resources.requests.cpu", "resources.limits.memory", "probes.liveness.handler", "probes.liveness.port",
    "probes.liveness.path", "probes.liveness.timing", "probes.liveness.periodSeconds", "probes.startup.handler",
    "probes.startup.failureThreshold", "lifecycle.preStop.handler", "lifecycle.preStop.seconds",
    "lifecycle.postStart.command", "init.1.add", "init.1.name", "init.1.command", "volumes.1.add", "volumes.1.source",
    "volumes.1.path", "volumes.1.type", "volumes.1.mountIn", "volumes.1.mountPath", "service.type",
    "service.ports.1.port", "service.ports.1.nodePort", "service.port", "service.targetPort", "review.action",
]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=True),
    st.sampled_from(["", "scratch", "nginx", "web-app", "Pod", "Deployment", "custom", "httpGet", "exec", "grpc",
                     "sleep", "hostPath", "emptyDir", "NodePort", "http", "8080", "/x", "nginx:1.27", "'unclosed",
                     "0.0001", "128mb", "30080", "x" * 300]),
    st.text(max_size=20),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                      max_leaves=6)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), VALUES, max_size=12))
def test_any_replayed_answers_give_a_preset_or_a_clean_error(answers):
    from scaffold.errors import ScaffoldError
    from scaffold.wizard import DefaultsPrompter, Wizard

    answers.setdefault("start", "nginx")
    try:
        result = Wizard(DefaultsPrompter(), replay=answers).run()
    except ScaffoldError as err:
        assert str(err)
        return
    assert scaffold.render(result.preset)  # what the run produced renders
