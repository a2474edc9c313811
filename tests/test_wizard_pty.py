"""``scaffold new`` end to end in a real pseudo-terminal, typed as a person would type it.

Each test expects on the text of a prompt (never on screen layout) and then sends keys:
text, Enter, arrow keys for lists, y/n for confirmations, Ctrl-U to clear a prefilled default.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

import scaffold

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

UP, DOWN, ENTER, CLEAR = "\x1b[A", "\x1b[B", "\r", "\x15"
TIMEOUT = 15


class Session:
    """One ``python -m scaffold new`` in a pty; ``log`` keeps everything it printed."""

    def __init__(self, cwd: Path, *args: str) -> None:
        env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1"}
        env.pop("SCAFFOLD_DEBUG", None)
        self.child = pexpect.spawn(sys.executable, ["-m", "scaffold", "new", *args], cwd=str(cwd), env=env,
                                   dimensions=(40, 120), encoding="utf-8", timeout=TIMEOUT)
        self.chunks: list[str] = []

    def answer(self, prompt: str, keys: str) -> None:
        """Wait for ``prompt`` (a regex), then press ``keys``."""
        self.child.expect(prompt)
        self.chunks.append(self.child.before + self.child.after)
        self.child.send(keys)

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.chunks.append(self.child.before)
        self.child.close()
        return self.child.exitstatus

    @property
    def log(self) -> str:
        """What was printed, without the terminal control sequences."""
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", "".join(self.chunks))


def _nginx_until_review(s: Session, *, typo: bool = False) -> None:
    s.answer("Start from scratch", ENTER)
    s.answer("Kind of workload", ENTER)
    s.answer("Name of the application", CLEAR + "nginx-test" + ENTER)
    s.answer("Replicas", CLEAR + "3" + ENTER)
    s.answer("Namespace", ENTER)
    s.answer("Container image", "nginx:latest" + ENTER)
    s.answer("Container name", ENTER)                     # nginx, derived from the image
    s.answer("Image pull policy", DOWN + ENTER)           # Always (default for :latest) -> IfNotPresent
    s.answer("Container port", ENTER)                     # none
    s.answer("Resources:", DOWN * 4 + ENTER)              # small -> custom
    s.answer("cpu request", CLEAR + "250m" + ENTER)
    if typo:
        s.answer("memory request", CLEAR + "128mb" + ENTER)
        s.answer("did you mean 128Mi", CLEAR + "128Mi" + ENTER)
    else:
        s.answer("memory request", CLEAR + "128Mi" + ENTER)
    s.answer("cpu limit", CLEAR + "1" + ENTER)
    s.answer("memory limit", CLEAR + "1Gi" + ENTER)
    s.answer("Liveness probe:", ENTER)
    s.answer("Readiness probe:", ENTER)
    s.answer("Startup probe:", ENTER)
    s.answer("postStart hook", ENTER)
    s.answer("preStop hook", ENTER)
    s.answer("Add an init container", "n")
    s.answer("Add a volume", "n")
    s.answer("Service:", ENTER)
    s.answer("Autoscale up to", ENTER)                                   # extras: no autoscaler
    s.answer("Keep all but one pod", ENTER)                              # no budget
    s.answer("NetworkPolicy:", ENTER)
    s.answer("Security profile", ENTER)


def test_nginx_deployment_from_scratch(tmp_path):
    s = Session(tmp_path, "--render", "nginx.k8s.yaml")
    _nginx_until_review(s)
    s.answer("What now", ENTER)
    assert s.finish() == 0, s.log
    assert sorted(os.listdir(tmp_path)) == ["nginx-test.answers.yaml", "nginx-test.preset.yaml", "nginx.k8s.yaml"]
    assert "floats" in s.log and "imagePullPolicy: IfNotPresent" in s.log  # the explanation and the preview
    assert scaffold.render(str(tmp_path / "nginx-test.preset.yaml")) == scaffold.render("nginx")
    assert (tmp_path / "nginx.k8s.yaml").read_text() == scaffold.render_yaml("nginx")


def test_lifecycle_demo_pod_from_scratch(tmp_path):
    post = "/bin/sh -c 'echo Hello from the postStart handler >> /var/log/nginx/message'"
    pre = "/bin/sh -c 'echo Hello from the prestop handler >> /var/log/nginx/message'"
    init = "/bin/sh -c \"echo 'Hello initContainers'   >> /var/log/nginx/message\""
    s = Session(tmp_path)
    s.answer("Start from scratch", ENTER)
    s.answer("Kind of workload", DOWN + ENTER)                       # Pod
    s.answer("Name of the application", CLEAR + "lifecycle-demo" + ENTER)
    s.answer("How many bare Pods", ENTER)                            # 1
    s.answer("Namespace", ENTER)
    s.answer("Container image", "soscscs/myapp:v1" + ENTER)
    s.answer("Container name", CLEAR + "lifecycle-demo-container" + ENTER)
    s.answer("Image pull policy", DOWN * 2 + ENTER)                  # IfNotPresent -> leave unset
    s.answer("Container port", ENTER)
    s.answer("Resources:", ENTER)                                    # small
    s.answer("Liveness probe:", ENTER)
    s.answer("Readiness probe:", ENTER)
    s.answer("Startup probe:", ENTER)
    s.answer("postStart hook", DOWN + ENTER)                         # exec
    s.answer("postStart command", post + ENTER)
    s.answer("preStop hook", DOWN + ENTER)
    s.answer("preStop command", pre + ENTER)
    s.answer("Add an init container", "y")
    s.answer("Init container name", CLEAR + "init-myservice" + ENTER)
    s.answer("Image:", ENTER)                                        # the app's image
    s.answer("Command", init + ENTER)
    s.answer("Add another init container", "n")
    s.answer("Add a volume", "y")
    s.answer("Volume name", CLEAR + "message-log" + ENTER)
    s.answer("Source:", UP + ENTER)                                  # emptyDir -> hostPath (listed first)
    s.answer("Path on the node", "/data/volumes/nginx/log/" + ENTER)
    s.answer("What must be at that path", ENTER)                     # DirectoryOrCreate
    s.answer("in which containers", ENTER)                           # both, checked by default
    s.answer("Mount path", CLEAR + "/var/log/nginx/" + ENTER)
    s.answer("Add another volume", "n")
    s.answer("Service:", ENTER)
    s.answer("NetworkPolicy:", ENTER)                                # extras: none
    s.answer("Security profile", ENTER)                              # none
    s.answer("What now", ENTER)
    assert s.finish() == 0, s.log
    assert "baseline" in s.log  # the hostPath security warning was shown
    assert scaffold.render(str(tmp_path / "lifecycle-demo.preset.yaml")) == scaffold.render("lifecycle-demo")


def test_a_wrong_quantity_shows_the_message_and_the_correction_is_accepted(tmp_path):
    s = Session(tmp_path, "-o", "typo.preset.yaml")
    _nginx_until_review(s, typo=True)
    s.answer("What now", ENTER)
    assert s.finish() == 0, s.log
    assert "'128mb' is not a memory quantity" in s.log
    preset = scaffold.load_preset(str(tmp_path / "typo.preset.yaml"))
    assert preset["containers"][0]["resources"]["requests"]["memory"] == "128Mi"


@pytest.mark.parametrize("where", ["early", "at the review"])
def test_ctrl_c_writes_nothing_and_exits_130_with_one_line(tmp_path, where):
    s = Session(tmp_path)
    if where == "early":
        s.answer("Start from scratch", ENTER)
        s.answer("Kind of workload", ENTER)
        s.child.expect("Name of the application")
    else:
        _nginx_until_review(s)
        s.child.expect("What now")
    s.chunks.append(s.child.before + s.child.after)
    mark = len(s.log)
    s.child.sendintr()
    assert s.finish() == 130
    tail = s.log[mark:]
    assert "Traceback" not in s.log
    assert [line for line in tail.splitlines() if "cancelled" in line] == ["cancelled (Ctrl-C): nothing was written"]
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("where", ["an empty text field", "a yes/no question"])
def test_ctrl_d_writes_nothing_and_says_end_of_input(tmp_path, where):
    s = Session(tmp_path)
    if where == "an empty text field":
        s.answer("Start from scratch", ENTER)
        s.answer("Kind of workload", ENTER)
        s.answer("Name of the application", CLEAR + "\x04")
    else:
        s.answer("Start from scratch", ENTER)
        for prompt in ("Kind", "Name of the application", "Replicas", "Namespace"):
            s.answer(prompt, ENTER)
        s.answer("Container image", "nginx:1.27" + ENTER)
        for prompt in ("Container name", "pull policy", "Container port", "Resources:", "Liveness", "Readiness",
                       "Startup", "postStart", "preStop"):
            s.answer(prompt, ENTER)
        s.answer("Add an init container", "\x04")
    assert s.finish() == 1
    assert "Traceback" not in s.log
    assert [line.strip() for line in s.log.splitlines() if "cancelled" in line] == [
        "cancelled (end of input, Ctrl-D): nothing was written"]
    assert os.listdir(tmp_path) == []


def test_an_existing_file_is_not_overwritten_without_asking(tmp_path):
    (tmp_path / "nginx-test.preset.yaml").write_text("keep me\n")
    s = Session(tmp_path, "--from", "nginx")
    for prompt in ("Kind", "Name of the application", "Replicas", "Namespace", "Container image", "Container name",
                   "pull policy", "Container port", "Resources:", "cpu request", "memory request", "cpu limit",
                   "memory limit", "Liveness", "Readiness", "Startup", "postStart", "preStop", "init container",
                   "volume", "Service:", "Autoscale up to", "Keep all but one pod", "NetworkPolicy:",
                   "Security profile", "What now"):
        s.answer(prompt, ENTER)  # every default of the built-in, then "Write the files"
    s.answer("already exists. Overwrite it", "n")
    s.answer("to which file instead", ENTER)          # back to the menu
    s.answer("What now", DOWN * 2 + ENTER)            # cancel
    assert s.finish() == 1
    assert (tmp_path / "nginx-test.preset.yaml").read_text() == "keep me\n"
    assert sorted(os.listdir(tmp_path)) == ["nginx-test.preset.yaml"]
