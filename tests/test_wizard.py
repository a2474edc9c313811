"""The wizard's flow without a terminal: scripted answers, defaults, answers files, and the
real questionary prompts driven through prompt_toolkit pipe input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import scaffold
from conftest import PRESETS, ROOT
from scaffold.cli import main
from scaffold.errors import PresetError
from scaffold.wizard import (
    DEFAULT,
    DefaultsPrompter,
    QuestionaryPrompter,
    ScriptedPrompter,
    ScriptError,
    Wizard,
    WizardError,
    answers_path_for,
    answers_text,
    load_answers,
    preset_text,
    run_wizard,
)

POST_START = "/bin/sh -c 'echo Hello from the postStart handler >> /var/log/nginx/message'"
PRE_STOP = "/bin/sh -c 'echo Hello from the prestop handler >> /var/log/nginx/message'"
INIT_COMMAND = "/bin/sh -c \"echo 'Hello initContainers'   >> /var/log/nginx/message\""

#: The article's Deployment, typed from scratch (one answer per question, in order).
NGINX = [
    "scratch",
    "nginx-test", "Deployment", "3", "",                    # basics
    "nginx:latest", DEFAULT, "IfNotPresent",                # container (name defaults to nginx)
    "",                                                     # no ports
    "custom", "250m", "128Mi", "1", "1Gi",                  # resources
    "skip", "skip", "skip",                                 # probes
    "none", "none",                                         # lifecycle
    False,                                                  # init containers
    False,                                                  # volumes
    "none",                                                 # service
    "write",
]

#: The article's lifecycle-demo Pod, typed from scratch.
LIFECYCLE = [
    "scratch",
    "lifecycle-demo", "Pod", "1", "",
    "soscscs/myapp:v1", "lifecycle-demo-container", "unset",
    "",
    "small",
    "skip", "skip", "skip",
    "exec", POST_START, "exec", PRE_STOP,
    True, "init-myservice", DEFAULT, INIT_COMMAND, False,
    True, "message-log", "hostPath", "/data/volumes/nginx/log/", "DirectoryOrCreate", DEFAULT, "/var/log/nginx/", False,
    "none",
    "write",
]


def _run(script: list[Any], **kwargs: Any) -> tuple[Any, ScriptedPrompter]:
    prompter = ScriptedPrompter(script)
    result = run_wizard(prompter, **kwargs)
    assert prompter.remaining == [], "the flow asked fewer questions than the script answers"
    return result, prompter


def _reloaded(result: Any, tmp_path: Path) -> list[dict[str, Any]]:
    """Write the preset as the command does, read it back, render it."""
    path = tmp_path / "out.preset.yaml"
    path.write_text(preset_text(result.preset, path, answers_path_for(path)))
    return scaffold.render(str(path))


# ---------------------------------------------------------------------------------------
# The flow, scripted


def test_nginx_from_scratch_renders_like_the_builtin(tmp_path):
    result, prompter = _run(NGINX)
    assert _reloaded(result, tmp_path) == scaffold.render("nginx")
    # the floating tag is explained before the pull policy question
    assert any("floats" in line for line in prompter.said)
    assert prompter.rejected == []


def test_lifecycle_demo_from_scratch_renders_like_the_builtin(tmp_path):
    result, prompter = _run(LIFECYCLE)
    assert _reloaded(result, tmp_path) == scaffold.render("lifecycle-demo")
    said = "\n".join(prompter.said)
    assert "hostPath mounts the node's own filesystem" in said and "baseline" in said
    init = result.preset["initContainers"][0]
    assert init["image"] == "soscscs/myapp:v1"  # defaulted from the app container


def test_a_wrong_quantity_is_rejected_with_the_validator_message_then_retyped():
    script = NGINX[:11] + ["128mb"] + NGINX[11:]
    result, prompter = _run(script)
    assert len(prompter.rejected) == 1
    message, value, problem = prompter.rejected[0]
    assert "memory request" in message and value == "128mb"
    assert "128Mi" in problem  # the parser's suggestion
    assert result.preset["containers"][0]["resources"]["requests"]["memory"] == "128Mi"


def test_a_limit_below_its_request_is_refused_while_typing():
    script = NGINX[:12] + ["100m"] + NGINX[12:]
    _result, prompter = _run(script)
    assert "below the request 250m" in prompter.rejected[0][2]


@pytest.mark.parametrize(
    ("where", "bad", "expected"),
    [
        (1, "Nginx_Test", "not a valid name"),
        (5, "nginx latest", "contains spaces"),
    ],
)
def test_names_and_images_use_the_shared_validators(where, bad, expected):
    script = NGINX[:where] + [bad] + NGINX[where:]
    _result, prompter = _run(script)
    assert expected in prompter.rejected[0][2]


@pytest.mark.parametrize("name", PRESETS)
def test_every_default_from_a_builtin_reproduces_it(name):
    result = run_wizard(DefaultsPrompter(), start=name)
    assert scaffold.render(result.preset) == scaffold.render(name)
    assert result.answers["start"] == name


def test_pull_policy_default_follows_the_tag():
    def policy(image: str) -> str:
        script = ["scratch", "x", "Deployment", "1", "", image, DEFAULT, DEFAULT, "", "small",
                  "skip", "skip", "skip", "none", "none", False, False, "none", "write"]
        result, _ = _run(script)
        return result.preset["containers"][0].get("imagePullPolicy", "unset")

    assert policy("nginx:latest") == "Always"
    assert policy("nginx") == "Always"
    assert policy("nginx:1.27") == "IfNotPresent"
    assert policy("nginx@sha256:" + "a" * 64) == "IfNotPresent"


def test_probes_default_to_the_first_named_port_and_healthz_and_show_the_startup_budget():
    script = ["scratch", "web", "Deployment", "2", "", "nginx:1.27", DEFAULT, DEFAULT,
              "8080", DEFAULT, "9090", "metrics", "", "small",
              "httpGet", DEFAULT, DEFAULT, False,          # liveness: /healthz on http
              "tcpSocket", "nope", DEFAULT, False,         # readiness: an unknown port name is refused
              "httpGet", DEFAULT, DEFAULT, DEFAULT, DEFAULT,  # startup: 30 x 10
              "none", "sleep", DEFAULT,
              False, False, "ClusterIP", DEFAULT, DEFAULT, "write"]
    result, prompter = _run(script)
    c = result.preset["containers"][0]
    assert c["ports"] == [{"name": "http", "containerPort": 8080}, {"name": "metrics", "containerPort": 9090}]
    assert c["livenessProbe"] == {"httpGet": {"path": "/healthz", "port": "http"}}
    assert c["readinessProbe"] == {"tcpSocket": {"port": "http"}}
    assert c["startupProbe"] == {"httpGet": {"path": "/healthz", "port": "http"}, "failureThreshold": 30, "periodSeconds": 10}
    assert "no container port is named 'nope'" in prompter.rejected[0][2]
    assert any("30 x 10 s = 300 s" in line for line in prompter.said)
    assert c["lifecycle"] == {"preStop": {"sleep": {"seconds": 5}}}
    assert result.preset["service"] == {
        "type": "ClusterIP",
        "ports": [{"name": "http", "port": 8080, "targetPort": "http"}, {"name": "metrics", "port": 9090, "targetPort": "metrics"}],
    }
    assert scaffold.render(result.preset)[-1]["kind"] == "Service"


def test_probe_timing_volumes_and_nodeport():
    script = ["scratch", "api", "Deployment", "2", "team", "ghcr.io/acme/api:2.1", DEFAULT, DEFAULT,
              "8080", DEFAULT, "", "medium",
              "exec", "cat /tmp/healthy", True, "5", "20", "2", "3",
              "skip", "skip", "none", "none", False,
              True, "cache", "emptyDir", "Memory", "64Mi", DEFAULT, "/cache",
              True, "conf", "configMap", "api-conf", DEFAULT, "/etc/api", False,
              "NodePort", "80", "30080", "write"]
    result, _ = _run(script)
    p = result.preset
    c = p["containers"][0]
    assert c["name"] == "api" and p["namespace"] == "team" and c["size"] == "medium"
    assert c["livenessProbe"] == {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5,
                                  "periodSeconds": 20, "timeoutSeconds": 2}
    assert p["volumes"] == [{"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
                            {"name": "conf", "configMap": {"name": "api-conf"}}]
    assert c["volumeMounts"] == [{"name": "cache", "mountPath": "/cache"}, {"name": "conf", "mountPath": "/etc/api"}]
    assert p["service"]["ports"] == [{"name": "http", "port": 80, "targetPort": "http", "nodePort": 30080}]
    scaffold.build(p)


def test_editing_a_section_at_the_review_reasks_only_that_section():
    script = NGINX[:-1] + ["edit", "basics", DEFAULT, DEFAULT, "5", "prod", "write"]
    result, prompter = _run(script)
    assert result.preset["replicas"] == 5 and result.preset["namespace"] == "prod"
    assert result.answers["basics.replicas"] == "5"
    assert prompter.asked.count("What now?") == 2


def test_revisiting_a_repeatable_section_drops_its_stale_answers():
    script = LIFECYCLE[:-1] + ["edit", "init", False, "write"]
    result, _ = _run(script)
    assert "initContainers" not in result.preset
    assert not any(k.startswith("init.") and k != "init.1.add" for k in result.answers)
    assert result.answers["init.1.add"] is False


def test_cancel_at_the_review_returns_none():
    prompter = ScriptedPrompter(NGINX[:-1] + ["cancel"])
    assert run_wizard(prompter) is None


def test_a_preset_with_errors_cannot_be_written(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ncontainers: [{name: app, image: nginx:1.27}]\nbogus: 1\n")
    with pytest.raises(PresetError) as err:
        run_wizard(DefaultsPrompter(), start=str(bad))
    assert "bogus" in str(err.value)
    # interactive: "write" is disabled, the person may only edit or cancel
    script = [DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, "", DEFAULT,
              "skip", "skip", "skip", "none", "none", False, False, "none", "write"]
    with pytest.raises(ScriptError, match="not a choice"):
        run_wizard(ScriptedPrompter(script), start=str(bad))


def test_defaults_from_scratch_name_the_question_without_a_default():
    with pytest.raises(WizardError, match="container.image"):
        run_wizard(DefaultsPrompter())


# ---------------------------------------------------------------------------------------
# Answers files


def test_answers_round_trip_replays_the_same_preset(tmp_path):
    result, _ = _run(LIFECYCLE)
    path = tmp_path / "lifecycle-demo.answers.yaml"
    path.write_text(answers_text(result.answers))
    data = yaml.safe_load(path.read_text())
    assert data["scaffold-answers"] == 1 and data["answers"]["container.image"] == "soscscs/myapp:v1"
    wizard = Wizard(DefaultsPrompter(), replay=load_answers(str(path)))
    replayed = wizard.run()
    assert replayed.preset == result.preset
    assert wizard.replay == {}  # every answer was used


def test_a_partial_answers_file_takes_defaults_for_the_rest():
    result = Wizard(DefaultsPrompter(), replay={"start": "web-app", "basics.replicas": 4, "container.image": "nginx:1.27.4"}).run()
    assert result.preset["replicas"] == 4 and result.preset["containers"][0]["image"] == "nginx:1.27.4"


def test_a_bad_replayed_answer_is_reported_with_its_key():
    with pytest.raises(WizardError, match=r"a\.yaml: resources\.requests\.cpu: .*0\.0001"):
        Wizard(DefaultsPrompter(), source="a.yaml",
               replay={"start": "nginx", "resources.requests.cpu": "0.0001"}).run()
    with pytest.raises(WizardError, match="basics.kind: 'Job' is not one of Deployment, Pod"):
        Wizard(DefaultsPrompter(), replay={"start": "nginx", "basics.kind": "Job"}).run()


def test_answers_path_sits_next_to_the_preset():
    assert answers_path_for(Path("out/web.preset.yaml")) == Path("out/web.answers.yaml")
    assert answers_path_for(Path("web.yaml")) == Path("web.answers.yaml")


# ---------------------------------------------------------------------------------------
# The command, without a terminal


@pytest.fixture
def runner():
    return CliRunner()


def test_without_a_tty_and_without_flags_exit_2_naming_the_flags(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["new"])
    assert result.exit_code == 2
    assert "--defaults" in result.output and "--answers" in result.output
    assert os.listdir(".") == []


def test_defaults_from_a_builtin_write_preset_answers_and_manifests(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["new", "--defaults", "--from", "nginx", "--render", "nginx.k8s.yaml"])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(".")) == ["nginx-test.answers.yaml", "nginx-test.preset.yaml", "nginx.k8s.yaml"]
    assert scaffold.render("nginx-test.preset.yaml") == scaffold.render("nginx")
    assert Path("nginx.k8s.yaml").read_text() == scaffold.render_yaml("nginx")
    # a second run refuses to overwrite, writes nothing, and says how
    before = Path("nginx-test.preset.yaml").read_text()
    again = runner.invoke(main, ["new", "--defaults", "--from", "web-app", "-o", "nginx-test.preset.yaml"])
    assert again.exit_code == 1 and "--force" in again.output
    assert Path("nginx-test.preset.yaml").read_text() == before
    assert not Path("nginx-test.answers.yaml").read_text().count("web-app")
    forced = runner.invoke(main, ["new", "--defaults", "--from", "web-app", "-o", "nginx-test.preset.yaml", "--force"])
    assert forced.exit_code == 0, forced.output
    assert scaffold.render("nginx-test.preset.yaml") == scaffold.render("web-app")
    assert not [f for f in os.listdir(".") if f.endswith(".tmp")]


def test_answers_file_replays_a_run(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("my.answers.yaml").write_text(answers_text(_run(LIFECYCLE)[0].answers))
    result = runner.invoke(main, ["new", "--answers", "my.answers.yaml", "-o", "demo.preset.yaml"])
    assert result.exit_code == 0, result.output
    assert scaffold.render("demo.preset.yaml") == scaffold.render("lifecycle-demo")
    assert Path("demo.answers.yaml").read_text() == Path("my.answers.yaml").read_text()
    broken = runner.invoke(main, ["new", "--answers", "missing.yaml"])
    assert broken.exit_code == 1 and "cannot read answers file missing.yaml" in broken.output


def test_render_never_imports_questionary():
    code = (
        "import sys\nfrom scaffold.cli import main\n"
        "try:\n    main(['render', 'nginx'], standalone_mode=False)\nfinally:\n"
        "    sys.stderr.write('questionary' in sys.modules and 'LOADED' or 'absent')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0 and proc.stderr.endswith("absent")


# ---------------------------------------------------------------------------------------
# The real questionary prompts, on prompt_toolkit pipe input


UP, DOWN, ENTER, CLEAR = "\x1b[A", "\x1b[B", "\r", "\x15"


class PipeKeys(QuestionaryPrompter):
    """questionary on a pipe: before each question, the keys a person would press for it."""

    def __init__(self, pipe: Any, keys: list[str]) -> None:
        from prompt_toolkit.output import DummyOutput

        self.said: list[str] = []
        super().__init__(input=pipe, output=DummyOutput(), echo=self.said.append)
        self._pipe, self._keys = pipe, list(keys)

    def _press(self) -> None:
        assert self._keys, "no keys left for this question"
        self._pipe.send_text(self._keys.pop(0))

    def text(self, *a: Any, **k: Any) -> str:
        self._press()
        return super().text(*a, **k)

    def select(self, *a: Any, **k: Any) -> str:
        self._press()
        return super().select(*a, **k)

    def confirm(self, *a: Any, **k: Any) -> bool:
        self._press()
        return super().confirm(*a, **k)

    def checkbox(self, *a: Any, **k: Any) -> list[str]:
        self._press()
        return super().checkbox(*a, **k)


def _pipe_run(keys: list[str], **kwargs: Any) -> Any:
    from prompt_toolkit.input import create_pipe_input

    with create_pipe_input() as pipe:
        prompter = PipeKeys(pipe, keys)
        result = run_wizard(prompter, **kwargs)
        assert prompter._keys == []
        return result


def test_questionary_nginx_with_a_typo_corrected(tmp_path):
    keys = [
        ENTER,                                    # from scratch
        CLEAR + "nginx-test" + ENTER, ENTER, CLEAR + "3" + ENTER, ENTER,
        "nginx:latest" + ENTER, ENTER, DOWN + ENTER,   # Always -> IfNotPresent
        ENTER,                                    # no ports
        DOWN * 4 + ENTER,                         # small -> custom
        CLEAR + "250m" + ENTER,
        CLEAR + "128mb" + ENTER + CLEAR + "128Mi" + ENTER,   # refused, then corrected
        CLEAR + "1" + ENTER, CLEAR + "1Gi" + ENTER,
        ENTER, ENTER, ENTER, ENTER, ENTER,        # probes, hooks
        "n", "n",                                 # init containers, volumes
        ENTER,                                    # no Service
        ENTER,                                    # write
    ]
    result = _pipe_run(keys)
    assert _reloaded(result, tmp_path) == scaffold.render("nginx")


def test_questionary_lifecycle_demo_with_checkbox_and_hostpath(tmp_path):
    keys = [
        ENTER,
        CLEAR + "lifecycle-demo" + ENTER, DOWN + ENTER, ENTER, ENTER,
        "soscscs/myapp:v1" + ENTER, CLEAR + "lifecycle-demo-container" + ENTER, DOWN + DOWN + ENTER,
        ENTER, ENTER,                                         # no ports, size small
        ENTER, ENTER, ENTER,
        DOWN + ENTER, POST_START + ENTER, DOWN + ENTER, PRE_STOP + ENTER,
        "y", CLEAR + "init-myservice" + ENTER, ENTER, INIT_COMMAND + ENTER, "n",
        "y", CLEAR + "message-log" + ENTER, DOWN + ENTER, "/data/volumes/nginx/log/" + ENTER, ENTER,
        ENTER, CLEAR + "/var/log/nginx/" + ENTER, "n",
        ENTER, ENTER,
    ]
    result = _pipe_run(keys)
    assert _reloaded(result, tmp_path) == scaffold.render("lifecycle-demo")


def test_questionary_ctrl_c_raises_keyboard_interrupt():
    from prompt_toolkit.input import create_pipe_input

    with create_pipe_input() as pipe:
        prompter = PipeKeys(pipe, ["nginx-te\x03"])
        with pytest.raises(KeyboardInterrupt):
            prompter.text("Name:")


# ---------------------------------------------------------------------------------------
# Files: asking before overwriting, and never half-written


def test_an_existing_file_is_only_overwritten_when_the_person_says_so(tmp_path):
    from scaffold.wizard import choose_paths

    taken = tmp_path / "a.preset.yaml"
    taken.write_text("keep me\n")
    other = tmp_path / "b.preset.yaml"
    asked = Wizard(ScriptedPrompter([False, str(other)]))
    assert choose_paths(asked, taken, None, force=False) == (other, None, tmp_path / "b.answers.yaml")
    back = Wizard(ScriptedPrompter([False, ""]))
    assert choose_paths(back, taken, None, force=False) is None  # empty: back to the menu
    yes = Wizard(ScriptedPrompter([True]))
    assert choose_paths(yes, taken, None, force=False)[0] == taken
    with pytest.raises(WizardError, match="--force"):
        choose_paths(Wizard(DefaultsPrompter()), taken, None, force=False)
    assert choose_paths(Wizard(DefaultsPrompter()), taken, None, force=True)[0] == taken
    assert taken.read_text() == "keep me\n"


def test_writing_is_all_or_nothing(tmp_path):
    from scaffold.wizard import write_atomically

    good = tmp_path / "a.yaml"
    with pytest.raises(WizardError, match="does not exist"):
        write_atomically([(good, "a\n"), (tmp_path / "missing" / "b.yaml", "b\n")])
    assert os.listdir(tmp_path) == []  # neither the first file nor a temp file
    write_atomically([(good, "a\n")])
    assert good.read_text() == "a\n" and os.listdir(tmp_path) == ["a.yaml"]
