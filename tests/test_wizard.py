"""The wizard's flow without a terminal: answers scripted by question key, defaults, answers
files, and the real questionary prompts driven through prompt_toolkit pipe input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import scaffold
from conftest import PRESETS, ROOT
from scaffold.cli import main
from scaffold.errors import PresetError
from scaffold.wizard import (
    DefaultsPrompter,
    Prompt,
    Wizard,
    WizardError,
    answers_path_for,
    answers_text,
    load_answers,
    new,
    preset_text,
    run_wizard,
)
from wizard_helpers import CLEAR, DEFAULT, DOWN, ENTER, UP, PipeKeys, ScriptedPrompter, ScriptError, Then

POST_START = "/bin/sh -c 'echo Hello from the postStart handler >> /var/log/nginx/message'"
PRE_STOP = "/bin/sh -c 'echo Hello from the prestop handler >> /var/log/nginx/message'"
INIT_COMMAND = "/bin/sh -c \"echo 'Hello initContainers'   >> /var/log/nginx/message\""

#: The article's Deployment, typed from scratch; every question not named takes its default
#: (no probes, no hooks, no init containers, no volumes, no Service).
NGINX: dict[str, Any] = {
    "start": "scratch",
    "basics.name": "nginx-test", "basics.kind": "Deployment", "basics.replicas": "3",
    "container.image": "nginx:latest", "container.pullPolicy": "IfNotPresent",
    "ports.1.number": "",
    "resources.size": "custom",
    "resources.requests.cpu": "250m", "resources.requests.memory": "128Mi",
    "resources.limits.cpu": "1", "resources.limits.memory": "1Gi",
    "init.1.add": False, "volumes.1.add": False, "service.type": "none",
    "review.action": "write",
}

#: The article's lifecycle-demo Pod, typed from scratch.
LIFECYCLE: dict[str, Any] = {
    "start": "scratch",
    "basics.name": "lifecycle-demo", "basics.kind": "Pod", "basics.replicas": "1",
    "container.image": "soscscs/myapp:v1", "container.name": "lifecycle-demo-container", "container.pullPolicy": "unset",
    "resources.size": "small",
    "lifecycle.postStart.handler": "exec", "lifecycle.postStart.command": POST_START,
    "lifecycle.preStop.handler": "exec", "lifecycle.preStop.command": PRE_STOP,
    "init.1.add": True, "init.1.name": "init-myservice", "init.1.command": INIT_COMMAND, "init.2.add": False,
    "volumes.1.add": True, "volumes.1.name": "message-log", "volumes.1.source": "hostPath",
    "volumes.1.path": "/data/volumes/nginx/log/", "volumes.1.type": "DirectoryOrCreate",
    "volumes.1.mountPath": "/var/log/nginx/", "volumes.2.add": False,
    "review.action": "write",
}


def _run(script: dict[str, Any], **kwargs: Any) -> tuple[Any, ScriptedPrompter]:
    prompter = ScriptedPrompter(script)
    result = run_wizard(prompter, **kwargs)
    assert prompter.unused() == [], "the script answers questions the flow never asked"
    return result, prompter


def _reloaded(result: Any, tmp_path: Path) -> list[dict[str, Any]]:
    """Write the preset as the command does, read it back, render it."""
    path = tmp_path / "out.preset.yaml"
    path.write_text(preset_text(result.preset, path, answers_path_for(path)))
    return scaffold.render(str(path))


# ---------------------------------------------------------------------------------------
# The flow, scripted by key


def test_nginx_from_scratch_renders_like_the_builtin(tmp_path):
    result, prompter = _run(NGINX)
    assert _reloaded(result, tmp_path) == scaffold.render("nginx")
    # the floating tag is explained before the pull policy question
    said = "\n".join(prompter.said)
    assert "floats" in said and said.index("floats") < len(said)
    assert prompter.asked.index("container.pullPolicy") > prompter.asked.index("container.image")
    assert prompter.rejected == []


def test_lifecycle_demo_from_scratch_renders_like_the_builtin(tmp_path):
    result, prompter = _run(LIFECYCLE)
    assert _reloaded(result, tmp_path) == scaffold.render("lifecycle-demo")
    said = "\n".join(prompter.said)
    assert "hostPath mounts the node's own filesystem" in said and "baseline" in said
    init = result.preset["initContainers"][0]
    assert init["image"] == "soscscs/myapp:v1"  # defaulted from the app container


def test_the_questions_come_in_section_order_and_only_when_they_apply():
    _result, prompter = _run(NGINX)
    sections = [k.split(".")[0] for k in prompter.asked if not k.startswith("review.")]
    order = ["start", "basics", "container", "ports", "resources", "probes", "lifecycle", "init", "volumes", "service", "extras"]
    assert sorted(set(sections), key=order.index) == order
    assert sections == sorted(sections, key=order.index)
    # a Deployment asks for replicas once; no probe, hook or Service question follows a "no"
    assert prompter.asked.count("basics.replicas") == 1
    assert not [k for k in prompter.asked if k.startswith(("probes.", "lifecycle.")) and not k.endswith(".handler")]
    assert [k for k in prompter.asked if k.startswith("service.")] == ["service.type"]


def test_a_wrong_quantity_is_rejected_with_the_validator_message_then_retyped():
    result, prompter = _run({**NGINX, "resources.requests.memory": Then("128mb", "128Mi")})
    assert len(prompter.rejected) == 1
    key, value, problem = prompter.rejected[0]
    assert key == "resources.requests.memory" and value == "128mb"
    assert "128Mi" in problem  # the parser's suggestion
    assert result.preset["containers"][0]["resources"]["requests"]["memory"] == "128Mi"


def test_a_limit_below_its_request_is_refused_while_typing():
    _result, prompter = _run({**NGINX, "resources.limits.cpu": Then("100m", "1")})
    assert prompter.rejected[0][0] == "resources.limits.cpu"
    assert "below the request 250m" in prompter.rejected[0][2]


@pytest.mark.parametrize(
    ("key", "bad", "expected"),
    [
        ("basics.name", "Nginx_Test", "not a valid name"),
        ("container.image", "nginx latest", "contains spaces"),
        ("basics.namespace", "Team A", "not a valid name"),
    ],
)
def test_names_and_images_use_the_shared_validators(key, bad, expected):
    from scaffold.k8s import validators

    _result, prompter = _run({**NGINX, key: Then(bad, NGINX.get(key, ""))})
    (rejected,) = prompter.rejected
    assert rejected[:2] == (key, bad) and expected in rejected[2]
    shared = {"basics.name": validators.dns1123_label, "container.image": validators.image_ref,
              "basics.namespace": validators.dns1123_label}[key]
    assert rejected[2] == shared(bad)  # the very message the rule engine gives


@pytest.mark.parametrize("name", PRESETS)
def test_every_default_from_a_builtin_reproduces_it(name):
    result = run_wizard(DefaultsPrompter(), start=name)
    assert scaffold.render(result.preset) == scaffold.render(name)
    assert result.answers["start"] == name


PRESET_FILES = {
    "minimal": "name: web\ncontainers: [{name: web, image: nginx:1.27}]\n",
    "bare-pod": "name: web\nkind: Pod\ncontainers: [{name: web, image: nginx:1.27}]\n",
    "env-args-limits": "name: web\nreplicas: 3\ncontainers: [{name: web, image: nginx:1.27, env: {A: 1}, args: [x], "
                       "resources: {limits: {cpu: 1}}}]\n",
    "probe-extras-and-http-hook": "name: web\ncontainers: [{name: web, image: nginx:1.27, ports: [80], readinessProbe: "
                                  "{httpGet: {path: /r, port: 80, scheme: HTTPS}, periodSeconds: 3}, lifecycle: "
                                  "{preStop: {httpGet: {path: /x, port: 80}}}}]\n",
    "volumes": "name: web\ncontainers: [{name: web, image: nginx:1.27, volumeMounts: [{name: d, mountPath: /d, "
               "readOnly: true}]}]\nvolumes: [{name: d, emptyDir: {}}, {name: s, secret: {secretName: s, defaultMode: 256}}]\n",
    "init": "name: web\ncontainers: [{name: web, image: nginx:1.27}]\ninitContainers: [{name: i, image: busybox:1.36, "
            "command: [sh, -c, 'echo hi'], env: {X: y}}]\n",
}


@pytest.mark.parametrize("name", sorted(PRESET_FILES))
def test_every_default_from_a_preset_file_keeps_what_it_renders_to(tmp_path, name):
    path = tmp_path / f"{name}.yaml"
    path.write_text(PRESET_FILES[name])
    result = run_wizard(DefaultsPrompter(), start=str(path))
    assert scaffold.render(result.preset) == scaffold.render(str(path))


def test_pull_policy_default_follows_the_tag():
    def policy(image: str) -> str:
        result, _ = _run({"start": "scratch", "basics.name": "x", "container.image": image, "review.action": "write"})
        return result.preset["containers"][0].get("imagePullPolicy", "unset")

    assert policy("nginx:latest") == "Always"
    assert policy("nginx") == "Always"
    assert policy("nginx:1.27") == "IfNotPresent"
    assert policy("nginx@sha256:" + "a" * 64) == "IfNotPresent"


def test_probes_default_to_the_first_named_port_and_healthz_and_show_the_startup_budget():
    script = {
        "start": "scratch", "basics.name": "web", "basics.replicas": "2", "container.image": "nginx:1.27",
        "ports.1.number": "8080", "ports.2.number": "9090", "ports.2.name": "metrics", "ports.3.number": "",
        "resources.size": "small",
        "probes.liveness.handler": "httpGet",                    # /healthz on http, by default
        "probes.readiness.handler": "tcpSocket",
        "probes.readiness.port": Then("nope", DEFAULT),          # an unknown port name is refused
        "probes.startup.handler": "httpGet",                     # the liveness endpoint, 30 x 10
        "lifecycle.preStop.handler": "sleep",
        "service.type": "ClusterIP", "review.action": "write",
    }
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


def test_the_startup_probe_defaults_to_the_liveness_endpoint_typed_in_this_run():
    script = {
        "start": "scratch", "basics.name": "web", "container.image": "nginx:1.27",
        "ports.1.number": "8080", "ports.1.name": "web", "ports.2.number": "",
        "probes.liveness.handler": "httpGet", "probes.liveness.path": "/live",
        "probes.startup.handler": "httpGet", "probes.startup.failureThreshold": "12", "probes.startup.periodSeconds": "5",
        "review.action": "write",
    }
    result, prompter = _run(script)
    assert result.preset["containers"][0]["startupProbe"] == {
        "httpGet": {"path": "/live", "port": "web"}, "failureThreshold": 12, "periodSeconds": 5}
    assert any("12 x 5 s = 60 s (1 min)" in line for line in prompter.said)


def test_probe_timing_volumes_and_nodeport():
    script = {
        "start": "scratch", "basics.name": "api", "basics.replicas": "2", "basics.namespace": "team",
        "container.image": "ghcr.io/acme/api:2.1", "ports.1.number": "8080", "ports.2.number": "",
        "resources.size": "medium",
        "probes.liveness.handler": "exec", "probes.liveness.command": "cat /tmp/healthy", "probes.liveness.timing": True,
        "probes.liveness.initialDelaySeconds": "5", "probes.liveness.periodSeconds": "20",
        "probes.liveness.timeoutSeconds": "2",
        "volumes.1.add": True, "volumes.1.name": "cache", "volumes.1.source": "emptyDir", "volumes.1.medium": "Memory",
        "volumes.1.sizeLimit": "64Mi", "volumes.1.mountPath": "/cache",
        "volumes.2.add": True, "volumes.2.name": "conf", "volumes.2.source": "configMap", "volumes.2.configMap": "api-conf",
        "volumes.2.mountPath": "/etc/api", "volumes.3.add": False,
        "service.type": "NodePort", "service.ports.1.port": "80", "service.ports.1.nodePort": "30080",
        "review.action": "write",
    }
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
    script = {**NGINX, "review.action": Then("edit", "write"), "review.section": "basics",
              "basics.replicas": Then("3", "5"), "basics.namespace": Then("", "prod")}
    result, prompter = _run(script)
    assert result.preset["replicas"] == 5 and result.preset["namespace"] == "prod"
    assert result.answers["basics.replicas"] == 5
    assert prompter.asked.count("review.action") == 2
    edited = prompter.asked[prompter.asked.index("review.section") + 1:]
    assert {k.split(".")[0] for k in edited} == {"basics", "review"}


def test_revisiting_a_repeatable_section_drops_its_stale_answers():
    script = {**LIFECYCLE, "review.action": Then("edit", "write"), "review.section": "init", "init.1.add": Then(True, False)}
    result, _ = _run(script)
    assert "initContainers" not in result.preset
    assert not any(k.startswith("init.") and k != "init.1.add" for k in result.answers)
    assert result.answers["init.1.add"] is False


def test_the_review_menu_summarises_each_section():
    script = {**NGINX, "review.action": Then("edit", "write"), "review.section": "ports", "ports.1.number": Then("", "")}
    prompter = ScriptedPrompter(script)
    wizard = Wizard(prompter)
    wizard.run()
    from scaffold.wizard.model import Ctx
    from scaffold.wizard.questions import SECTIONS

    lines = {s.key: s.summary(Ctx(wizard.draft, {})) for s in SECTIONS}
    assert lines["basics"] == "nginx-test, Deployment, replicas 3"
    assert lines["resources"] == "requests cpu 250m, memory 128Mi; limits cpu 1, memory 1Gi"
    assert lines["probes"] == "liveness none, readiness none, startup none"
    assert lines["service"] == "none"


def test_cancel_at_the_review_returns_none():
    prompter = ScriptedPrompter({**NGINX, "review.action": "cancel"})
    assert run_wizard(prompter) is None


def test_a_preset_with_rule_errors_can_be_started_from_but_not_written(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nlabels: {tier: 'front end!'}\ncontainers: [{name: app, image: nginx:1.27}]\n")
    with pytest.raises(PresetError) as err:
        run_wizard(DefaultsPrompter(), start=str(bad))
    assert "labels" in str(err.value)
    # interactive: "write" is disabled, the person may only edit or cancel
    with pytest.raises(ScriptError, match="not a choice"):
        run_wizard(ScriptedPrompter({"ports.1.number": "", "review.action": "write"}), start=str(bad))


def test_a_preset_of_the_wrong_shape_is_refused_before_any_question(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ncontainers: [{name: app, image: nginx:1.27}]\nbogus: 1\n")
    prompter = ScriptedPrompter({}, otherwise=None)
    with pytest.raises(PresetError) as err:
        run_wizard(prompter, start=str(bad))
    (issue,) = err.value.issues
    assert (issue.path, issue.rule, issue.file, issue.line) == ("bogus", "unknown-field", str(bad), 3)
    assert prompter.asked == []


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
    assert data["answers"]["basics.replicas"] == 1  # whole numbers are saved as numbers
    wizard = Wizard(DefaultsPrompter(), replay=load_answers(str(path)))
    replayed = wizard.run()
    assert replayed.preset == result.preset
    assert wizard.unused() == []  # every answer was used


def test_a_partial_answers_file_takes_defaults_for_the_rest():
    result = Wizard(DefaultsPrompter(), replay={"start": "web-app", "basics.replicas": 4, "container.image": "nginx:1.27.4"}).run()
    assert result.preset["replicas"] == 4 and result.preset["containers"][0]["image"] == "nginx:1.27.4"


def test_a_bad_replayed_answer_is_reported_at_its_line(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("scaffold-answers: 1\nanswers:\n  start: nginx\n  resources.size: custom\n"
                    "  resources.requests.cpu: '0.0001'\n")
    with pytest.raises(WizardError, match=r"a\.yaml:5:3: resources\.requests\.cpu: .*0\.0001"):
        Wizard(DefaultsPrompter(), replay=load_answers(str(path))).run()
    with pytest.raises(WizardError, match="basics.kind: 'Batch' is not one of Deployment, Pod, StatefulSet"):
        Wizard(DefaultsPrompter(), replay={"start": "nginx", "basics.kind": "Batch"}).run()
    with pytest.raises(WizardError, match=r"basics.replicas: .*whole number"):
        Wizard(DefaultsPrompter(), replay={"start": "nginx", "basics.replicas": [3]}).run()
    with pytest.raises(WizardError, match="init.1.add: answer true or false"):
        Wizard(DefaultsPrompter(), replay={"start": "nginx", "init.1.add": "yes"}).run()


def test_answers_path_sits_next_to_the_preset():
    assert answers_path_for(Path("out/web.preset.yaml")) == Path("out/web.answers.yaml")
    assert answers_path_for(Path("web.yaml")) == Path("web.answers.yaml")


def test_old_answers_files_with_text_numbers_still_replay():
    replay = {"start": "scratch", "basics.name": "x", "basics.replicas": "3", "container.image": "nginx:1.27",
              "ports.1.number": "8080", "ports.1.name": "http", "ports.2.number": "",
              "service.type": "ClusterIP", "service.ports.1.port": "80"}
    result = Wizard(DefaultsPrompter(), replay=replay).run()
    assert result.preset["replicas"] == 3
    assert result.preset["service"]["ports"] == [{"name": "http", "port": 80, "targetPort": "http"}]


# ---------------------------------------------------------------------------------------
# The choices come from the format, not from copies


def test_choices_follow_the_schema_and_the_size_table(monkeypatch):
    from scaffold.preset import schema
    from scaffold.preset.normalize import size_table

    prompter = ScriptedPrompter(NGINX)
    run_wizard(prompter)
    kinds = [m for m in prompter.messages if m == "Kind of workload:"]
    assert kinds  # asked
    result = {}

    class Capture(ScriptedPrompter):
        def ask(self, prompt: Prompt) -> Any:
            result[prompt.key] = [o.value for o in prompt.choices]
            return super().ask(prompt)

    monkeypatch.setitem(schema.SCHEMA["kind"], "allowed", ["Deployment", "Pod", "StatefulSet"])
    run_wizard(Capture(NGINX))
    assert result["basics.kind"] == ["Deployment", "Pod", "StatefulSet"]
    assert result["resources.size"] == [*size_table(), "custom"]
    assert result["probes.liveness.handler"] == ["skip", "exec", "httpGet", "tcpSocket", "grpc"]


# ---------------------------------------------------------------------------------------
# The command, without a terminal


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
    replayed = yaml.safe_load(Path("demo.answers.yaml").read_text())
    assert replayed["answers"] == yaml.safe_load(Path("my.answers.yaml").read_text())["answers"]
    assert replayed["output"] == {"preset": "demo.preset.yaml"}
    broken = runner.invoke(main, ["new", "--answers", "missing.yaml"])
    assert broken.exit_code == 1 and "cannot read 'missing.yaml'" in broken.output


def test_unused_answers_are_named(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text("start: nginx\nports.7.name: web\n")
    result = runner.invoke(main, ["new", "--answers", "a.yaml", "-o", "x.preset.yaml"])
    assert result.exit_code == 0, result.output
    assert "answers not used by this run: ports.7.name" in result.output


def test_render_never_imports_questionary():
    code = (
        "import sys\nfrom scaffold.cli import main\n"
        "try:\n    main(['render', 'nginx'], standalone_mode=False)\nfinally:\n"
        "    sys.stderr.write('questionary' in sys.modules and 'LOADED' or 'absent')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0 and proc.stderr.endswith("absent")


def test_questionary_is_imported_only_by_the_prompters_module():
    wizard = ROOT / "scaffold"
    importing = sorted(str(p.relative_to(ROOT)) for p in wizard.rglob("*.py") if "import questionary" in p.read_text())
    assert importing == ["scaffold/wizard/prompters.py"]


# ---------------------------------------------------------------------------------------
# The real questionary prompts, on prompt_toolkit pipe input, keys by question


def _pipe_run(keys: dict[str, Any], **kwargs: Any) -> Any:
    from prompt_toolkit.input import create_pipe_input

    with create_pipe_input() as pipe:
        prompter = PipeKeys(pipe, keys)
        result = run_wizard(prompter, **kwargs)
        assert prompter.unused() == []
        return result


def test_questionary_nginx_with_a_typo_corrected(tmp_path):
    keys = {
        "basics.name": CLEAR + "nginx-test" + ENTER, "basics.replicas": CLEAR + "3" + ENTER,
        "container.image": "nginx:latest" + ENTER,
        "container.pullPolicy": DOWN + ENTER,                               # Always -> IfNotPresent
        "resources.size": DOWN * 4 + ENTER,                                 # small -> custom
        "resources.requests.cpu": CLEAR + "250m" + ENTER,
        "resources.requests.memory": CLEAR + "128mb" + ENTER + CLEAR + "128Mi" + ENTER,   # refused, then corrected
        "resources.limits.cpu": CLEAR + "1" + ENTER, "resources.limits.memory": CLEAR + "1Gi" + ENTER,
        "init.1.add": "n", "volumes.1.add": "n",
    }
    result = _pipe_run(keys)
    assert _reloaded(result, tmp_path) == scaffold.render("nginx")


def test_questionary_lifecycle_demo_with_checkbox_and_hostpath(tmp_path):
    keys = {
        "basics.name": CLEAR + "lifecycle-demo" + ENTER, "basics.kind": DOWN + ENTER,
        "container.image": "soscscs/myapp:v1" + ENTER, "container.name": CLEAR + "lifecycle-demo-container" + ENTER,
        "container.pullPolicy": DOWN + DOWN + ENTER,
        "lifecycle.postStart.handler": DOWN + ENTER, "lifecycle.postStart.command": POST_START + ENTER,
        "lifecycle.preStop.handler": DOWN + ENTER, "lifecycle.preStop.command": PRE_STOP + ENTER,
        "init.1.add": "y", "init.1.name": CLEAR + "init-myservice" + ENTER, "init.1.command": INIT_COMMAND + ENTER,
        "init.2.add": "n",
        "volumes.1.add": "y", "volumes.1.name": CLEAR + "message-log" + ENTER,
        "volumes.1.source": UP + ENTER,                                     # emptyDir -> hostPath
        "volumes.1.path": "/data/volumes/nginx/log/" + ENTER,
        "volumes.1.mountPath": CLEAR + "/var/log/nginx/" + ENTER, "volumes.2.add": "n",
    }
    result = _pipe_run(keys)
    assert _reloaded(result, tmp_path) == scaffold.render("lifecycle-demo")


def test_questionary_ctrl_c_raises_keyboard_interrupt_and_ctrl_d_end_of_input():
    from prompt_toolkit.input import create_pipe_input

    with create_pipe_input() as pipe:
        prompter = PipeKeys(pipe, {"basics.name": "nginx-te\x03"})
        with pytest.raises(KeyboardInterrupt):
            prompter.ask(Prompt("basics.name", "text", "Name:", ""))
    with create_pipe_input() as pipe:
        prompter = PipeKeys(pipe, {"basics.name": CLEAR + "\x04"})
        with pytest.raises(EOFError):
            prompter.ask(Prompt("basics.name", "text", "Name:", "myapp"))


@pytest.mark.parametrize(("key", "status", "message"), [
    ("\x03", 130, "cancelled (Ctrl-C): nothing was written"),
    (CLEAR + "\x04", 1, "cancelled (end of input, Ctrl-D): nothing was written"),
])
def test_the_session_says_which_way_it_was_stopped(tmp_path, monkeypatch, key, status, message):
    from prompt_toolkit.input import create_pipe_input

    monkeypatch.chdir(tmp_path)
    lines: list[str] = []
    with create_pipe_input() as pipe:
        prompter = PipeKeys(pipe, {"basics.name": key})
        code = new(prompter=prompter, echo=lambda text="", err=False, nl=True: lines.append(text))
    assert code == status
    assert [line for line in lines if "cancelled" in line] == [message + "\n"]
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------------------------------
# Choosing the files: asking before overwriting


def test_an_existing_file_is_only_overwritten_when_the_person_says_so(tmp_path):
    from scaffold.wizard.session import Targets, choose_targets

    taken = tmp_path / "a.preset.yaml"
    taken.write_text("keep me\n")
    other = tmp_path / "b.preset.yaml"
    script = ScriptedPrompter({"write.overwrite.preset": False, "write.other.preset": str(other)}, otherwise=None)
    targets, approved = choose_targets(Wizard(script), Targets(taken), force=False)
    assert (targets.preset, targets.answers, approved) == (other, tmp_path / "b.answers.yaml", set())
    assert script.unused() == []
    back = Wizard(ScriptedPrompter({"write.overwrite.preset": False, "write.other.preset": ""}, otherwise=None))
    assert choose_targets(back, Targets(taken), force=False) is None  # empty: back to the menu
    yes = Wizard(ScriptedPrompter({"write.overwrite.preset": True}, otherwise=None))
    assert choose_targets(yes, Targets(taken), force=False) == (Targets(taken), {taken.resolve()})
    with pytest.raises(WizardError, match="--force"):
        choose_targets(Wizard(DefaultsPrompter()), Targets(taken), force=False)
    assert choose_targets(Wizard(DefaultsPrompter()), Targets(taken), force=True)[0].preset == taken
    assert taken.read_text() == "keep me\n"
