"""``scaffold new``: an interactive wizard that builds a preset one question at a time.

The wizard only produces a preset dict; :func:`scaffold.pipeline.build` renders and checks it,
exactly as ``scaffold render`` would, so what the preview shows is what the file renders to.

Design, so the flow can be tested without a terminal:

- :class:`Prompter` is the only thing that talks to a person (text / select / confirm /
  checkbox / say). :class:`QuestionaryPrompter` is the real one (the only code in scaffold
  that imports questionary); :class:`ScriptedPrompter` replays a list of answers for tests;
  :class:`DefaultsPrompter` accepts every default (``--defaults``).
- :class:`Wizard` owns the flow. Every question has a stable key (``container.image``);
  answers given are recorded under those keys and saved next to the preset, and
  ``--answers FILE`` feeds them back in before anything is asked.
"""

from __future__ import annotations

import copy
import os
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import click

from ..k8s import validators as v
from ..errors import PresetError, ScaffoldError

#: A validator as the wizard uses it: the typed text in, None (fine) or a one-line message out.
Validator = Callable[[str], "str | None"]

ANSWERS_FORMAT = 1
SECTIONS: tuple[tuple[str, str], ...] = (
    ("basics", "Basics"),
    ("container", "Container"),
    ("ports", "Ports"),
    ("resources", "Resources"),
    ("probes", "Probes"),
    ("lifecycle", "Lifecycle hooks"),
    ("init", "Init containers"),
    ("volumes", "Volumes"),
    ("service", "Service"),
)
SIZES = ("tiny", "small", "medium", "large", "xlarge")
PROBES = ("liveness", "readiness", "startup")
HOST_PATH_TYPES: tuple[tuple[str, str], ...] = (
    ("DirectoryOrCreate", "DirectoryOrCreate: a directory, created (0755) if missing"),
    ("Directory", "Directory: a directory that must already exist"),
    ("FileOrCreate", "FileOrCreate: a file, created empty if missing"),
    ("File", "File: a file that must already exist"),
    ("Socket", "Socket: a UNIX socket that must exist"),
    ("CharDevice", "CharDevice: a character device that must exist"),
    ("BlockDevice", "BlockDevice: a block device that must exist"),
    ("unchecked", 'no check (type ""): mount whatever is there, or an empty directory'),
)
_PROBE_TIMING_DEFAULTS = {"initialDelaySeconds": 0, "periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3}
_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")


class WizardError(ScaffoldError):
    """A run that cannot go on: a bad answers file, a missing default, a file in the way."""


# ---------------------------------------------------------------------------------------
# Prompters


@dataclass(frozen=True)
class Option:
    """One entry of a select or checkbox list: what is returned and what is shown."""

    value: str
    title: str
    disabled: str | None = None


class Prompter(Protocol):
    """Asks one question at a time; the wizard never touches a terminal itself."""

    #: False when nobody answers (defaults): the wizard then never loops on a menu.
    interactive: bool

    def text(self, message: str, *, default: str = "", validate: Validator | None = None,
             instruction: str | None = None) -> str: ...

    def select(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str: ...

    def confirm(self, message: str, *, default: bool = False) -> bool: ...

    def checkbox(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]: ...

    def say(self, text: str = "") -> None: ...


class QuestionaryPrompter:
    """The real prompts. ``input``/``output`` are prompt_toolkit objects (tests pass a pipe)."""

    interactive = True

    def __init__(self, *, input: Any = None, output: Any = None, echo: Callable[[str], None] | None = None) -> None:
        import questionary

        self._q = questionary
        self._kw: dict[str, Any] = {k: x for k, x in (("input", input), ("output", output)) if x is not None}
        self._echo = echo or click.echo

    @staticmethod
    def _adapt(validate: Validator | None) -> Callable[[str], bool | str] | None:
        """questionary wants True or the message; ours return None or the message."""
        if validate is None:
            return None
        return lambda text: validate(text) or True

    def _choices(self, options: Sequence[Option], checked: Sequence[str] = ()) -> list[Any]:
        return [self._q.Choice(o.title, value=o.value, disabled=o.disabled, checked=o.value in checked) for o in options]

    def text(self, message: str, *, default: str = "", validate: Validator | None = None,
             instruction: str | None = None) -> str:
        # unsafe_ask: Ctrl-C must raise (ask() would print its own line and return None).
        return self._q.text(message, default=default, validate=self._adapt(validate),
                            instruction=instruction, **self._kw).unsafe_ask()

    def select(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        return self._q.select(message, choices=self._choices(options), default=default, **self._kw).unsafe_ask()

    def confirm(self, message: str, *, default: bool = False) -> bool:
        return self._q.confirm(message, default=default, **self._kw).unsafe_ask()

    def checkbox(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        return self._q.checkbox(message, choices=self._choices(options, default), **self._kw).unsafe_ask()

    def say(self, text: str = "") -> None:
        self._echo(text)


class DefaultsPrompter:
    """``--defaults``: every question takes its default; a question without one is an error."""

    interactive = False

    def text(self, message: str, *, default: str = "", validate: Validator | None = None,
             instruction: str | None = None) -> str:
        problem = validate(default) if validate else None
        if problem:
            raise WizardError(f"{message!r} has no usable default ({problem}); answer it in --answers FILE "
                              "or start from a preset with --from PRESET")
        return default

    def select(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        return default if default is not None else next(o.value for o in options if not o.disabled)

    def confirm(self, message: str, *, default: bool = False) -> bool:
        return default

    def checkbox(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        return list(default)

    def say(self, text: str = "") -> None:
        pass


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT"


#: In a :class:`ScriptedPrompter` script: accept the question's default (like pressing Enter).
DEFAULT: Any = _Default()


class ScriptError(AssertionError):
    """A script that does not fit the questions asked (a test bug, not a user error)."""


class ScriptedPrompter:
    """Answers questions from a list, in order, as a person would type them.

    A text answer that fails validation is recorded in ``rejected`` and the next answer is
    taken, just as a person would retype; ``asked`` and ``said`` keep the conversation.
    """

    interactive = True

    def __init__(self, answers: Iterable[Any]) -> None:
        self._answers = list(answers)
        self.asked: list[str] = []
        self.rejected: list[tuple[str, str, str]] = []
        self.said: list[str] = []

    def _next(self, message: str) -> Any:
        self.asked.append(message)
        if not self._answers:
            raise ScriptError(f"the script has no answer left for {message!r}")
        return self._answers.pop(0)

    @property
    def remaining(self) -> list[Any]:
        return list(self._answers)

    def text(self, message: str, *, default: str = "", validate: Validator | None = None,
             instruction: str | None = None) -> str:
        while True:
            answer = self._next(message)
            value = default if answer is DEFAULT else str(answer)
            problem = validate(value) if validate else None
            if problem is None:
                return value
            self.rejected.append((message, value, problem))

    def select(self, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        answer = self._next(message)
        value = default if answer is DEFAULT else answer
        allowed = [o.value for o in options if not o.disabled]
        if value not in allowed:
            raise ScriptError(f"{value!r} is not a choice of {message!r}: {allowed}")
        return value

    def confirm(self, message: str, *, default: bool = False) -> bool:
        answer = self._next(message)
        if answer is DEFAULT:
            return default
        if not isinstance(answer, bool):
            raise ScriptError(f"{message!r} wants True or False, not {answer!r}")
        return answer

    def checkbox(self, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        answer = self._next(message)
        values = list(default) if answer is DEFAULT else list(answer)
        unknown = [x for x in values if x not in [o.value for o in options]]
        if unknown:
            raise ScriptError(f"{unknown} are not choices of {message!r}")
        return values

    def say(self, text: str = "") -> None:
        self.said.append(text)


# ---------------------------------------------------------------------------------------
# Validators for typed text (the field checks themselves live in scaffold.k8s.validators)


def _optional(check: Validator) -> Validator:
    """Empty means "not set"; anything else must pass ``check``."""
    return lambda text: None if not text.strip() else check(text)


def _whole(lo: int, hi: int | None, what: str) -> Validator:
    def check(text: str) -> str | None:
        t = text.strip()
        if not t.isdigit():
            return f"{what} must be a whole number" + (f" from {lo} to {hi}" if hi is not None else f" of at least {lo}")
        if int(t) < lo or (hi is not None and int(t) > hi):
            return f"{what} must be from {lo} to {hi}" if hi is not None else f"{what} must be at least {lo}"
        return None

    return check


def _stripped(check: Callable[[Any], str | None]) -> Validator:
    """A shared field validator on the typed text, surrounding spaces ignored."""
    return lambda text: check(text.strip())


def _port(text: str) -> str | None:
    t = text.strip()
    if not t.lstrip("-").isdigit():
        return f"port {t!r} must be a whole number from 1 to 65535"
    return v.port_number(int(t))


def _command(text: str) -> str | None:
    """A command line as a shell would split it (quotes group words; nothing is run)."""
    if not text.strip():
        return "type the command, e.g. /bin/sh -c 'echo hello >> /tmp/log'"
    try:
        shlex.split(text)
    except ValueError as err:
        return f"cannot split this command line: {err} (close your quotes)"
    return None


def _absolute(text: str) -> str | None:
    t = text.strip()
    if not t.startswith("/"):
        return f"{t!r} is not an absolute path; start it with /"
    if ".." in t.split("/"):
        return f"{t!r} contains '..'; write the path without it"
    return None


def _http_path(text: str) -> str | None:
    return None if text.strip().startswith("/") else "an HTTP path starts with /, e.g. /healthz"


def _all(*checks: Validator) -> Validator:
    def check(text: str) -> str | None:
        for c in checks:
            problem = c(text)
            if problem:
                return problem
        return None

    return check


def _unique(taken: Iterable[str], what: str) -> Validator:
    names = set(taken)
    return lambda text: f"{what} {text.strip()!r} is already used; pick another" if text.strip() in names else None


def _not_below(request: str, parse: Callable[[str], Any], what: str) -> Validator:
    """A limit below its request is refused by the API server; say so while typing."""

    def check(text: str) -> str | None:
        if not text.strip() or not request.strip():
            return None
        try:
            if parse(text.strip()) < parse(request.strip()):
                return f"the {what} limit {text.strip()} is below the request {request.strip()}; a limit must be at least the request"
        except ValueError:
            return None
        return None

    return check


def _port_value(text: str) -> int | str:
    t = text.strip()
    return int(t) if t.isdigit() else t


def _join(command: Sequence[Any] | None) -> str:
    return shlex.join(str(c) for c in command) if command else ""


# ---------------------------------------------------------------------------------------
# The flow


@dataclass
class WizardResult:
    """What a finished run produced: the preset, its render, and the answers that led there."""

    preset: dict[str, Any]
    rendered: Any
    answers: dict[str, Any] = field(default_factory=dict)


class Wizard:
    """The question flow. ``replay`` holds answers by question key (from ``--answers``)."""

    def __init__(self, prompter: Prompter, *, start: str | None = None,
                 replay: Mapping[str, Any] | None = None, source: str = "answers") -> None:
        self.p = prompter
        self.start = start
        self.replay: dict[str, Any] = dict(replay or {})
        self.source = source
        self.answers: dict[str, Any] = {}
        self.draft: dict[str, Any] = {}
        self.from_preset = False

    # -- asking, with replay and recording ------------------------------------------------

    def _replayed(self, key: str) -> tuple[bool, Any]:
        if key in self.replay:
            return True, self.replay.pop(key)
        return False, None

    def _record(self, key: str, value: Any) -> Any:
        if not key.startswith(("review.", "write.")):
            self.answers[key] = value
        return value

    def text(self, key: str, message: str, *, default: str = "", validate: Validator | None = None,
             instruction: str | None = None) -> str:
        found, value = self._replayed(key)
        if found:
            value = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            problem = validate(value) if validate else None
            if problem:
                raise WizardError(f"{self.source}: {key}: {problem}")
        elif not self.p.interactive and validate and validate(default):
            raise WizardError(f"{key} ({message!r}) has no usable default ({validate(default)}); answer it in "
                              "--answers FILE or start from a preset with --from PRESET")
        else:
            value = self.p.text(message, default=default, validate=validate, instruction=instruction)
        return self._record(key, value.strip())

    def select(self, key: str, message: str, options: Sequence[Option], *, default: str | None = None) -> str:
        allowed = [o.value for o in options if not o.disabled]
        if default not in allowed:
            default = allowed[0]
        found, value = self._replayed(key)
        if found:
            if value not in allowed:
                raise WizardError(f"{self.source}: {key}: {value!r} is not one of {', '.join(map(str, allowed))}")
        else:
            value = self.p.select(message, options, default=default)
        return self._record(key, value)

    def confirm(self, key: str, message: str, *, default: bool = False) -> bool:
        found, value = self._replayed(key)
        if found:
            if not isinstance(value, bool):
                raise WizardError(f"{self.source}: {key}: answer true or false, not {value!r}")
        else:
            value = self.p.confirm(message, default=default)
        return self._record(key, bool(value))

    def checkbox(self, key: str, message: str, options: Sequence[Option], *, default: Sequence[str] = ()) -> list[str]:
        found, value = self._replayed(key)
        if found:
            known = [o.value for o in options]
            if not isinstance(value, list) or any(x not in known for x in value):
                raise WizardError(f"{self.source}: {key}: {value!r} must be a list of some of {', '.join(known)}")
        else:
            value = self.p.checkbox(message, options, default=default)
        return self._record(key, list(value))

    def say(self, text: str = "") -> None:
        self.p.say(text)

    # -- the draft -------------------------------------------------------------------------

    @property
    def container(self) -> dict[str, Any]:
        containers = self.draft.setdefault("containers", [])
        if not containers or not isinstance(containers[0], dict):
            containers[:1] = [{}]
        return containers[0]

    def all_containers(self) -> list[dict[str, Any]]:
        """The app containers, then the init containers (the ones a volume may be mounted in)."""
        return [c for c in self.draft.get("containers", []) + self.draft.get("initContainers", []) if isinstance(c, dict)]

    def ports(self) -> list[dict[str, Any]]:
        """The first container's ports in the Kubernetes form, whatever form the draft has."""
        from ..preset.schema import _port_short

        out = []
        for port in self.container.get("ports", []) or []:
            try:
                long = _port_short(port)
            except ValueError:
                continue
            if isinstance(long, dict) and "containerPort" in long:
                out.append(long)
        return out

    def default_probe_port(self) -> str:
        """The first named port, else the first port number (what a probe usually targets)."""
        ports = self.ports()
        for port in ports:
            if port.get("name"):
                return str(port["name"])
        return str(ports[0]["containerPort"]) if ports else ""

    def preset(self) -> dict[str, Any]:
        """The draft in the order people write presets, empty optional fields left out."""
        return _tidy(self.draft)

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> WizardResult | None:
        """Ask everything, then review; None when the person cancels."""
        self._start()
        for key, _title in SECTIONS:
            self.section(key)
        return self.review()

    def section(self, key: str) -> None:
        """(Re)ask one section; its earlier answers are dropped so the saved answers stay true."""
        for k in [k for k in self.answers if k.startswith(key + ".")]:
            del self.answers[k]
        title = dict(SECTIONS)[key]
        self.say(f"\n== {title} ==")
        getattr(self, f"_ask_{key}")()

    def _start(self) -> None:
        from ..preset.builtins import builtin_presets

        if self.start is None:
            options = [Option("scratch", "From scratch")] + [
                Option(p.name, f"{p.name}: {p.summary}") for p in builtin_presets()
            ]
            self.say("scaffold new: a few questions, then a preview of the manifests before anything is written.")
            self.say("Defaults are in the answer field: Enter accepts them. Ctrl-C stops without writing anything.")
            self.start = self.select("start", "Start from scratch or from a built-in preset (its values become the defaults)?",
                                     options, default="scratch")
        else:
            self.replay.pop("start", None)  # --from on the command line wins over the file
            self._record("start", self.start)
        if self.start == "scratch":
            self.draft, self.from_preset = {}, False
            return
        from ..pipeline import load_preset

        data = load_preset(self.start)
        if not isinstance(data, dict):
            raise WizardError(f"{self.start}: a preset must be a mapping of fields")
        data.pop("apiVersion", None)
        self.draft, self.from_preset = data, True

    # -- sections --------------------------------------------------------------------------

    def _ask_basics(self) -> None:
        d = self.draft
        d["name"] = self.text("basics.name", "Name of the application (metadata.name and the app label):",
                              default=str(d.get("name", "myapp")), validate=v.dns1123_label)
        kind = self.select("basics.kind", "Kind of workload:", [
            Option("Deployment", "Deployment: keeps N Pods running, replaces failed ones, rolls out updates"),
            Option("Pod", "Pod: bare Pod(s); nothing recreates them (demos, experiments)"),
        ], default=str(d.get("kind", "Deployment")))
        d["kind"] = kind
        if kind == "Deployment":
            if d.get("restartPolicy", "Always") != "Always":
                self.say(f"A Deployment only accepts restartPolicy Always; dropping {d['restartPolicy']}.")
                d.pop("restartPolicy")
            replicas = self.text("basics.replicas", "Replicas (Pods the Deployment keeps running; 2+ survive a node drain):",
                                 default=str(d.get("replicas", 2)), validate=_whole(0, None, "replicas"))
        else:
            replicas = self.text("basics.replicas", f"How many bare Pods? (1: one Pod {d['name']}; N: {d['name']}1..{d['name']}N)",
                                 default=str(d.get("replicas", 1)), validate=_whole(1, 100, "the number of Pods"))
        d["replicas"] = int(replicas)
        namespace = self.text("basics.namespace", "Namespace (empty: whichever namespace kubectl uses):",
                              default=str(d.get("namespace", "")), validate=_optional(v.dns1123_label))
        _set(d, "namespace", namespace)

    def _ask_container(self) -> None:
        c = self.container
        image = self.text("container.image", "Container image (pin a version, e.g. nginx:1.27):",
                          default=str(c.get("image", "")), validate=v.image_ref)
        c["image"] = image
        taken = [str(x.get("name")) for x in self.all_containers() if x is not c]
        c["name"] = self.text("container.name", "Container name:", default=str(c.get("name") or _name_from_image(image)),
                              validate=_all(v.dns1123_label, _unique(taken, "container name")))
        _domain, _path, tag, digest = v.split_image(image)
        floating = digest is None and (tag is None or tag == "latest")
        k8s_default = "Always" if floating else "IfNotPresent"
        if digest is not None:
            self.say("The image is pinned by digest: every node runs exactly this image; IfNotPresent is safe.")
        elif floating:
            shown = "" if tag else " (no tag, which means :latest)"
            self.say(f"{image}{shown} floats: the same name points to a new image after every release.")
            self.say("  With IfNotPresent each node keeps whichever 'latest' it pulled first, so Pods on different")
            self.say("  nodes can run different versions and a new release may never arrive. Always (the Kubernetes")
            self.say("  default for latest) checks the registry at every start. Better: pin a version tag.")
        else:
            self.say(f"Tag {tag!r} is fixed: IfNotPresent (the Kubernetes default here) reuses the node's copy.")
        if c.get("imagePullPolicy") in ("Always", "IfNotPresent", "Never"):
            default = c["imagePullPolicy"]
        elif self.from_preset and "image" in c and not c.get("imagePullPolicy"):
            default = "unset"
        else:
            default = k8s_default
        policy = self.select("container.pullPolicy", "Image pull policy:", [
            Option("Always", "Always: check the registry at every container start"),
            Option("IfNotPresent", "IfNotPresent: pull only when the node does not have the image"),
            Option("Never", "Never: use only images already on the node"),
            Option("unset", f"leave it unset (Kubernetes picks {k8s_default} for this image)"),
        ], default=default)
        _set(c, "imagePullPolicy", "" if policy == "unset" else policy)

    def _ask_ports(self) -> None:
        c = self.container
        old = self.ports()
        self.say("Ports the container listens on. Name them: probes and Services can then refer to the name.")
        new: list[dict[str, Any]] = []
        i = 1
        while True:
            base = old[i - 1] if i <= len(old) else {}
            first = "Container port (empty: the container serves no port):" if i == 1 else "Another port (empty: no more):"
            number = self.text(f"ports.{i}.number", first, default=str(base.get("containerPort", "")),
                               validate=_optional(_all(_port, _unique([str(p["containerPort"]) for p in new], "port"))))
            if not number:
                break
            name_default = base.get("name", "") if base else ("http" if i == 1 else "")
            name = self.text(f"ports.{i}.name", f"Name of port {number} (empty: no name):", default=str(name_default),
                             validate=_optional(_all(v.port_name, _unique([p.get("name", "") for p in new], "port name"))))
            port = {k: x for k, x in base.items() if k not in ("name", "containerPort")}
            port = {**({"name": name} if name else {}), "containerPort": int(number), **port}
            new.append(port)
            i += 1
        _set(c, "ports", new)

    def _ask_resources(self) -> None:
        from ..preset.normalize import describe_size, size_table
        from ..k8s.quantities import parse_cpu, parse_memory

        c = self.container
        self.say("Requests are what the scheduler reserves; limits are the ceiling (memory above it is OOMKilled,")
        self.say("CPU above it is throttled). Without them one runaway Pod can starve a whole node.")
        options = [Option(s, f"{s}: {describe_size(s)}") for s in SIZES]
        options.append(Option("custom", "custom: type requests and limits"))
        current = c.get("size") or ("custom" if c.get("resources") else "small")
        choice = self.select("resources.size", "Resources:", options, default=str(current))
        if choice != "custom":
            c["size"] = choice
            c.pop("resources", None)
            return
        c.pop("size", None)
        row = size_table()[current if current in SIZES else "small"]
        old = c.get("resources") or {}
        resources: dict[str, dict[str, str]] = {}
        for kind in ("requests", "limits"):
            values = dict(old.get(kind) or {})
            for res, check, parse in (("cpu", v.cpu_quantity, parse_cpu), ("memory", v.memory_quantity, parse_memory)):
                default = str(values.get(res, "" if old else row[kind][res]))
                checks: list[Validator] = [_stripped(check)]
                if kind == "limits":
                    checks.append(_not_below(resources.get("requests", {}).get(res, ""), parse, res))
                hint = "e.g. 250m or 0.5" if res == "cpu" else "e.g. 128Mi or 1Gi (binary units)"
                answer = self.text(f"resources.{kind}.{res}", f"{res} {kind[:-1]} ({hint}; empty: none):",
                                   default=default, validate=_optional(_all(*checks)))
                _set(values, res, answer)
            if values:
                resources[kind] = values
        c["resources"] = resources

    def _ask_probes(self) -> None:
        c = self.container
        explain = {
            "liveness": "Liveness: when this check fails, the kubelet restarts the container.",
            "readiness": "Readiness: while this check fails, the Pod gets no Service traffic (READY 0/1).",
            "startup": "Startup: holds the other two checks until the app has started (for slow starters).",
        }
        for which in PROBES:
            self.say(explain[which])
            self._probe(which, c)

    def _probe(self, which: str, c: dict[str, Any]) -> None:
        key, fld = f"probes.{which}", f"{which}Probe"
        found = c.get(fld)
        current: dict[str, Any] = found if isinstance(found, dict) else {}
        handler = next((h for h in _HANDLERS if h in current), "skip")
        choice = self.select(f"{key}.handler", f"{which.capitalize()} probe:", [
            Option("skip", "skip: no " + which + " probe"),
            Option("exec", "exec: run a command in the container; exit code 0 = healthy"),
            Option("httpGet", "httpGet: HTTP GET; status 200-399 = healthy"),
            Option("tcpSocket", "tcpSocket: TCP connect; the port accepting it = healthy"),
            Option("grpc", "grpc: gRPC health check (grpc.health.v1)"),
        ], default=handler)
        if choice == "skip":
            c.pop(fld, None)
            return
        # Defaults: this probe's own handler, else the liveness probe's (the article points the
        # startup probe at the liveness endpoint), else the container's first named port.
        template = current.get(choice)
        if template is None and which != "liveness":
            template = (c.get("livenessProbe") or {}).get(choice)
        template = dict(template or {})
        names = [str(p["name"]) for p in self.ports() if p.get("name")]
        port_default = str(template.get("port", self.default_probe_port()))
        probe_port = _all(lambda t: None if t.strip() else "type a port number or the name of a container port",
                          lambda t: _named_port(t, names))
        if choice == "exec":
            command = self.text(f"{key}.command", "Command (exit code 0 = healthy):",
                                default=_join(template.get("command")), validate=_command)
            spec: dict[str, Any] = {"command": shlex.split(command)}
        elif choice == "httpGet":
            path = self.text(f"{key}.path", "HTTP path:", default=str(template.get("path", "/healthz")), validate=_http_path)
            port = self.text(f"{key}.port", "Port (number or container port name):", default=port_default, validate=probe_port)
            spec = {**template, "path": path, "port": _port_value(port)}
        elif choice == "tcpSocket":
            port = self.text(f"{key}.port", "Port (number or container port name):", default=port_default, validate=probe_port)
            spec = {**template, "port": _port_value(port)}
        else:
            numbers = [str(p["containerPort"]) for p in self.ports()]
            port = self.text(f"{key}.port", "gRPC port (a number; names are not allowed here):",
                             default=str(template.get("port", numbers[0] if numbers else "")), validate=_port)
            service = self.text(f"{key}.service", "gRPC service name (empty: the server's overall health):",
                                default=str(template.get("service", "")))
            spec = {"port": int(port)}
            _set(spec, "service", service)
        probe = {choice: spec, **{k: x for k, x in current.items() if k not in _HANDLERS}}
        if which == "startup":
            self._startup_budget(key, probe)
        else:
            self._timing(key, probe)
        c[fld] = probe

    def _timing(self, key: str, probe: dict[str, Any]) -> None:
        now = ", ".join(f"{k} {probe.get(k, d)}" for k, d in _PROBE_TIMING_DEFAULTS.items())
        if not self.confirm(f"{key}.timing", f"Change the timing? (now: {now})", default=False):
            return
        for k, d in _PROBE_TIMING_DEFAULTS.items():
            lo = 0 if k == "initialDelaySeconds" else 1
            answer = int(self.text(f"{key}.{k}", f"{k}:", default=str(probe.get(k, d)), validate=_whole(lo, None, k)))
            if answer != d or k in probe:
                probe[k] = answer

    def _startup_budget(self, key: str, probe: dict[str, Any]) -> None:
        failures = int(self.text(f"{key}.failureThreshold", "failureThreshold (failed checks allowed while starting):",
                                 default=str(probe.get("failureThreshold", 30)), validate=_whole(1, None, "failureThreshold")))
        period = int(self.text(f"{key}.periodSeconds", f"periodSeconds (seconds between checks; {failures} x this = the start budget):",
                               default=str(probe.get("periodSeconds", 10)), validate=_whole(1, None, "periodSeconds")))
        probe["failureThreshold"], probe["periodSeconds"] = failures, period
        total = failures * period
        minutes = f" ({total / 60:g} min)" if total >= 60 else ""
        self.say(f"Startup budget: {failures} x {period} s = {total} s{minutes} to start; after that the container "
                 "is killed and restarted.")

    def _ask_lifecycle(self) -> None:
        c = self.container
        lifecycle = dict(c.get("lifecycle") or {})
        explain = {
            "postStart": "After start: runs alongside the entrypoint; if it fails, the container is killed.",
            "preStop": "Before stop: runs before SIGTERM; a short sleep lets Services stop sending traffic first.",
        }
        for hook in ("postStart", "preStop"):
            self.say(explain[hook])
            found = lifecycle.get(hook)
            current: dict[str, Any] = found if isinstance(found, dict) else {}
            kind = next(iter(current), "none") if current else "none"
            options = [Option("none", "none"), Option("exec", "exec: run a command"),
                       Option("sleep", "sleep: wait a number of seconds (Kubernetes 1.30+)")]
            if kind not in ("none", "exec", "sleep"):
                options.append(Option("keep", f"keep the current {kind} handler"))
                kind = "keep"
            choice = self.select(f"lifecycle.{hook}.handler", f"{hook} hook:", options, default=kind)
            if choice == "none":
                lifecycle.pop(hook, None)
            elif choice == "exec":
                command = self.text(f"lifecycle.{hook}.command", f"{hook} command (quote as in a shell):",
                                    default=_join((current.get("exec") or {}).get("command")), validate=_command)
                lifecycle[hook] = {"exec": {"command": shlex.split(command)}}
            elif choice == "sleep":
                grace = int(self.draft.get("terminationGracePeriodSeconds", 30))
                hi = grace - 1 if hook == "preStop" else None
                seconds = self.text(f"lifecycle.{hook}.seconds", f"Seconds to sleep{f' (below the {grace} s grace period)' if hi else ''}:",
                                    default=str((current.get("sleep") or {}).get("seconds", 5)),
                                    validate=_whole(1, hi, "seconds"))
                lifecycle[hook] = {"sleep": {"seconds": int(seconds)}}
        _set(c, "lifecycle", lifecycle)

    def _ask_init(self) -> None:
        old = [x for x in self.draft.get("initContainers", []) if isinstance(x, dict)]
        main = self.container
        self.say("Init containers run one after another, each to completion, before the app containers start.")
        new: list[dict[str, Any]] = []
        i = 1
        while True:
            question = "Add an init container?" if i == 1 else "Add another init container?"
            if not self.confirm(f"init.{i}.add", question, default=i <= len(old)):
                break
            base = copy.deepcopy(old[i - 1]) if i <= len(old) else {}
            taken = [str(x.get("name")) for x in self.draft.get("containers", []) if isinstance(x, dict)]
            taken += [str(x["name"]) for x in new]
            name_default = base.get("name") or (f"init-{main.get('name', 'app')}" if i == 1 else f"init-{i}")
            base["name"] = self.text(f"init.{i}.name", "Init container name:", default=str(name_default),
                                     validate=_all(v.dns1123_label, _unique(taken, "container name")))
            base["image"] = self.text(f"init.{i}.image", "Image:", default=str(base.get("image") or main.get("image", "")),
                                      validate=v.image_ref)
            command = self.text(f"init.{i}.command", "Command (quote as in a shell; empty: the image's own entrypoint):",
                                default=_join(base.get("command")), validate=_optional(_command))
            _set(base, "command", shlex.split(command) if command else [])
            new.append(base)
            i += 1
        _set(self.draft, "initContainers", new)

    def _ask_volumes(self) -> None:
        d = self.draft
        old = [x for x in d.get("volumes", []) if isinstance(x, dict)]
        containers = self.all_containers()
        names = [str(x.get("name")) for x in containers]
        self.say("Volumes give containers files that outlive a restart (or come from the cluster), mounted at a path.")
        new: list[dict[str, Any]] = []
        mounts: dict[str, dict[str, str]] = {}  # volume -> container -> mountPath
        i = 1
        while True:
            question = "Add a volume?" if i == 1 else "Add another volume?"
            if not self.confirm(f"volumes.{i}.add", question, default=i <= len(old)):
                break
            base = copy.deepcopy(old[i - 1]) if i <= len(old) else {}
            old_name = base.get("name")
            name = self.text(f"volumes.{i}.name", "Volume name:", default=str(old_name or ("data" if i == 1 else f"data{i}")),
                             validate=_all(v.dns1123_label, _unique([x["name"] for x in new], "volume name")))
            volume = {"name": name, **self._volume_source(i, base)}
            new.append(volume)
            mounted = [str(x["name"]) for x in containers
                       if any(m.get("name") == old_name for m in x.get("volumeMounts", []) if isinstance(m, dict))]
            chosen = self.checkbox(f"volumes.{i}.mountIn", f"Mount {name} in which containers? (space toggles, Enter confirms)",
                                   [Option(n, n) for n in names], default=mounted if old_name else names)
            if chosen:
                existing = [m.get("mountPath") for x in containers for m in x.get("volumeMounts", [])
                            if isinstance(m, dict) and m.get("name") == old_name and m.get("mountPath")]
                path = self.text(f"volumes.{i}.mountPath", "Mount path in the container(s):",
                                 default=str(existing[0] if existing else f"/{name}"), validate=_absolute)
                mounts[name] = {n: path for n in chosen}
            i += 1
        managed = {x.get("name") for x in old} | {x["name"] for x in new}
        renamed = {x.get("name"): y["name"] for x, y in zip(old, new)}
        for ctr in containers:
            current = [m for m in ctr.get("volumeMounts", []) if isinstance(m, dict)]
            kept = [m for m in current if m.get("name") not in managed]
            for vol in new:
                where = mounts.get(vol["name"], {}).get(str(ctr.get("name")))
                if where is None:
                    continue
                prior = next((m for m in current if renamed.get(m.get("name")) == vol["name"] or m.get("name") == vol["name"]), {})
                kept.append({**prior, "name": vol["name"], "mountPath": where})
            _set(ctr, "volumeMounts", kept)
        _set(d, "volumes", new)

    def _volume_source(self, i: int, base: dict[str, Any]) -> dict[str, Any]:
        key = f"volumes.{i}"
        sources = ("hostPath", "emptyDir", "configMap", "secret", "persistentVolumeClaim")
        current = next((s for s in sources if s in base), "emptyDir")
        source = self.select(f"{key}.source", "Source:", [
            Option("emptyDir", "emptyDir: scratch space that lives as long as the Pod"),
            Option("hostPath", "hostPath: a directory or file of the node (see the warning)"),
            Option("configMap", "configMap: files from a ConfigMap"),
            Option("secret", "secret: files from a Secret"),
            Option("persistentVolumeClaim", "persistentVolumeClaim: storage that outlives the Pod"),
        ], default=current)
        spec = dict(base.get(source) or {}) if source == current else {}
        if source == "hostPath":
            self.say("Warning: hostPath mounts the node's own filesystem into the Pod. The Pod can read (and, unless")
            self.say("  mounted read-only, write) the node's files; the data stays on that one node; and namespaces that")
            self.say("  enforce the 'baseline' Pod Security Standard refuse the Pod. Prefer emptyDir or a PVC when you can.")
            path = self.text(f"{key}.path", "Path on the node:", default=str(spec.get("path", "")), validate=_absolute)
            kind = self.select(f"{key}.type", "What must be at that path?", [Option(val, title) for val, title in HOST_PATH_TYPES],
                               default=str(spec.get("type") or ("unchecked" if spec.get("path") else "DirectoryOrCreate")))
            spec = {"path": path, **({"type": kind} if kind != "unchecked" else {})}
        elif source == "emptyDir":
            medium = self.select(f"{key}.medium", "Where does it live?", [
                Option("disk", "on the node's disk (default)"),
                Option("Memory", "in memory (tmpfs; counts against the container's memory limit)"),
            ], default="Memory" if spec.get("medium") == "Memory" else "disk")
            limit = self.text(f"{key}.sizeLimit", "Size limit (e.g. 64Mi; empty: none):", default=str(spec.get("sizeLimit", "")),
                              validate=_optional(lambda t: v.memory_quantity(t.strip())))
            spec = {**({"medium": "Memory"} if medium == "Memory" else {}), **({"sizeLimit": limit} if limit else {})}
        elif source == "configMap":
            self.say("The ConfigMap must exist in the namespace before the Pod starts (else: ContainerCreating).")
            spec["name"] = self.text(f"{key}.configMap", "ConfigMap name:", default=str(spec.get("name", "")), validate=v.dns1123_subdomain)
        elif source == "secret":
            self.say("The Secret must exist in the namespace before the Pod starts (else: ContainerCreating).")
            spec["secretName"] = self.text(f"{key}.secretName", "Secret name:", default=str(spec.get("secretName", "")),
                                           validate=v.dns1123_subdomain)
        else:
            spec["claimName"] = self.text(f"{key}.claimName", "PersistentVolumeClaim name:", default=str(spec.get("claimName", "")),
                                          validate=v.dns1123_subdomain)
        return {source: spec}

    def _ask_service(self) -> None:
        from ..preset.schema import _service_port_short

        d = self.draft
        current = d.get("service")
        current = {} if current is True else current if isinstance(current, dict) else None
        self.say("A Service gives the Pods one stable name and address, and sends traffic only to ready Pods.")
        kind = self.select("service.type", "Service:", [
            Option("none", "none"),
            Option("ClusterIP", "ClusterIP: reachable inside the cluster"),
            Option("NodePort", "NodePort: also on a port (30000-32767) of every node"),
            Option("LoadBalancer", "LoadBalancer: an external load balancer (cloud clusters)"),
        ], default="none" if current is None else str(current.get("type", "ClusterIP")))
        if kind == "none":
            d.pop("service", None)
            return
        service: dict[str, Any] = {k: x for k, x in (current or {}).items() if k not in ("type", "ports")}
        if v.dns1035_label(service.get("name", d["name"])):
            fixed = v.dns1035_label(d["name"])
            self.say(f"The Service needs its own name: {fixed}")
            service["name"] = self.text("service.name", "Service name:", default=str(service.get("name", "")), validate=v.dns1035_label)
        service["type"] = kind
        old_ports = []
        for p in (current or {}).get("ports", []) or []:
            try:
                long = _service_port_short(p)
            except ValueError:
                continue
            if isinstance(long, dict):
                old_ports.append(long)
        cports = self.ports()
        ports: list[dict[str, Any]] = []
        if cports:
            self.say("One Service port per container port (prefilled; Enter keeps them).")
            for j, cp in enumerate(cports, 1):
                target = cp.get("name") or cp["containerPort"]
                prior = next((p for p in old_ports if p.get("targetPort") in (target, cp["containerPort"])),
                             old_ports[j - 1] if j <= len(old_ports) else {})
                label = f"{cp['name']} ({cp['containerPort']})" if cp.get("name") else str(cp["containerPort"])
                number = self.text(f"service.ports.{j}.port", f"Service port for container port {label}:",
                                   default=str(prior.get("port", cp["containerPort"])), validate=_port)
                entry: dict[str, Any] = {}
                name = cp.get("name") or (f"port-{cp['containerPort']}" if len(cports) > 1 else "")
                _set(entry, "name", name)
                entry.update({"port": int(number), "targetPort": prior.get("targetPort", target)})
                _set(entry, "protocol", cp.get("protocol", ""))
                self._node_port(f"service.ports.{j}", kind, prior, entry)
                ports.append(entry)
        else:
            self.say("The container declares no ports, so there is nothing to prefill.")
            prior = old_ports[0] if old_ports else {}
            number = self.text("service.port", "Service port:", default=str(prior.get("port", 80)), validate=_port)
            target = self.text("service.targetPort", "Container port it forwards to:",
                               default=str(prior.get("targetPort", number)), validate=_port)
            entry = {"port": int(number), "targetPort": int(target)}
            self._node_port("service", kind, prior, entry)
            ports.append(entry)
        service["ports"] = ports
        d["service"] = service

    def _node_port(self, key: str, kind: str, prior: dict[str, Any], entry: dict[str, Any]) -> None:
        if kind != "NodePort":
            return
        node = self.text(f"{key}.nodePort", "nodePort (30000-32767; empty: Kubernetes picks one):",
                         default=str(prior.get("nodePort", "")), validate=_optional(_whole(30000, 32767, "nodePort")))
        if node:
            entry["nodePort"] = int(node)

    # -- review ----------------------------------------------------------------------------

    def summary(self, key: str) -> str:
        """One line per section for the "edit a section" menu."""
        d, c = self.draft, self.container
        if key == "basics":
            ns = f", namespace {d['namespace']}" if d.get("namespace") else ""
            return f"{d.get('name')}, {d.get('kind', 'Deployment')}, replicas {d.get('replicas', 1)}{ns}"
        if key == "container":
            return f"{c.get('name')}: {c.get('image')} (pull {c.get('imagePullPolicy', 'policy unset')})"
        if key == "ports":
            return ", ".join(f"{p['name']}:{p['containerPort']}" if p.get("name") else str(p["containerPort"])
                             for p in self.ports()) or "none"
        if key == "resources":
            if c.get("size"):
                return f"size {c['size']}"
            r = c.get("resources") or {}
            return "; ".join(f"{k} " + ", ".join(f"{n} {x}" for n, x in (r.get(k) or {}).items()) for k in ("requests", "limits") if r.get(k)) or "none"
        if key == "probes":
            return ", ".join(f"{w} {next((h for h in _HANDLERS if h in (c.get(w + 'Probe') or {})), 'none')}" for w in PROBES)
        if key == "lifecycle":
            life = c.get("lifecycle") or {}
            return ", ".join(f"{h} {next(iter(life.get(h) or {}), 'none')}" for h in ("postStart", "preStop"))
        if key == "init":
            return ", ".join(str(x.get("name")) for x in d.get("initContainers", [])) or "none"
        if key == "volumes":
            return ", ".join(f"{x.get('name')} ({next((k for k in x if k != 'name'), '?')})" for x in d.get("volumes", [])) or "none"
        svc = d.get("service")
        if not isinstance(svc, dict):
            return "none"
        return f"{svc.get('type', 'ClusterIP')} " + ", ".join(f":{p.get('port')}" for p in svc.get("ports", []))

    def review(self) -> WizardResult | None:
        """Preview, then write / edit a section / cancel. Loops until one of the first or last."""
        from ..pipeline import build
        from ..output.text import format_issues

        while True:
            preset = self.preset()
            try:
                rendered, errors, issues = build(preset), [], None
                issues = rendered.issues
            except PresetError as exc:
                rendered, errors, issues = None, exc.issues, exc.issues + exc.warnings
            if not self.p.interactive:
                if rendered is None:
                    raise PresetError(errors, warnings=[i for i in issues if i not in errors])
                return WizardResult(preset, rendered, dict(self.answers))
            self.say("\n== Preview: the manifests this preset renders to ==")
            if rendered is not None:
                self.say(rendered.yaml().rstrip("\n"))
            if issues:
                self.say(format_issues(issues).rstrip("\n"))
            if errors:
                self.say(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} to fix before writing: edit the section named above.")
            action = self.select("review.action", "What now?", [
                Option("write", "Write the files", disabled="fix the problems first" if errors else None),
                Option("edit", "Edit a section"),
                Option("cancel", "Cancel (write nothing)"),
            ], default="edit" if errors else "write")
            if action == "write":
                return WizardResult(preset, rendered, dict(self.answers))
            if action == "cancel":
                return None
            section = self.select("review.section", "Which section?",
                                  [Option(k, f"{t}: {self.summary(k)}") for k, t in SECTIONS], default="basics")
            self.section(section)


# ---------------------------------------------------------------------------------------
# Preset tidying, answers files and writing


_TOP_ORDER = ("apiVersion", "name", "kind", "namespace", "replicas", "labels", "annotations", "restartPolicy",
              "terminationGracePeriodSeconds", "serviceAccountName", "imagePullSecrets", "nodeSelector",
              "containers", "initContainers", "volumes", "service", "checks")
_CONTAINER_ORDER = ("name", "image", "imagePullPolicy", "command", "args", "workingDir", "env", "envFrom", "ports",
                    "size", "resources", "startupProbe", "livenessProbe", "readinessProbe", "lifecycle",
                    "volumeMounts", "securityContext", "restartPolicy")


def _ordered(mapping: dict[str, Any], order: Sequence[str]) -> dict[str, Any]:
    return {**{k: mapping[k] for k in order if k in mapping}, **{k: x for k, x in mapping.items() if k not in order}}


def _tidy(draft: dict[str, Any]) -> dict[str, Any]:
    out = _ordered({"apiVersion": "scaffold/v1", **copy.deepcopy(draft)}, _TOP_ORDER)
    for group in ("containers", "initContainers"):
        if group in out:
            out[group] = [_ordered(c, _CONTAINER_ORDER) if isinstance(c, dict) else c for c in out[group]]
    return out


def _set(mapping: dict[str, Any], key: str, value: Any) -> None:
    """Set a field, or remove it when the answer is empty (empty optional fields are left out)."""
    if value in ("", None, [], {}):
        mapping.pop(key, None)
    else:
        mapping[key] = value


def _named_port(text: str, names: Sequence[str]) -> str | None:
    t = text.strip()
    if t.isdigit():
        return v.port_number(int(t))
    problem = v.port_name(t)
    if problem:
        return problem
    if t not in names:
        declared = f"declared: {', '.join(names)}" if names else "the container has no named ports; use a number"
        return f"no container port is named {t!r} ({declared})"
    return None


def _name_from_image(image: str) -> str:
    """``registry/team/web-api:1.2`` -> ``web-api``: the usual container name."""
    _domain, path, _tag, _digest = v.split_image(image)
    last = path.rsplit("/", 1)[-1].lower()
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in last).strip("-")[:63].strip("-")
    return cleaned or "app"


def dump_yaml(data: Any) -> str:
    """Block style, with flow style for short leaf lists/maps: how presets are written by hand."""
    import yaml

    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True, width=120)


def preset_text(preset: dict[str, Any], path: Path, answers_path: Path | None) -> str:
    """The preset file: a header saying where it came from, then the YAML."""
    header = [f"# Written by `scaffold new`. Render it: scaffold render {shlex.quote(path.name)}"]
    if answers_path is not None:
        header.append(f"# The answers that produced it are in {answers_path.name}: scaffold new --answers {shlex.quote(answers_path.name)}")
    return "\n".join(header) + "\n" + dump_yaml(preset)


def answers_text(answers: Mapping[str, Any]) -> str:
    header = ("# Answers given to `scaffold new`, by question. Replay: scaffold new --answers FILE\n"
              "# Edit freely; a question missing here is asked (or takes its default with --defaults).\n")
    import yaml

    body = yaml.safe_dump({"scaffold-answers": ANSWERS_FORMAT, "answers": dict(answers)}, sort_keys=False,
                          default_flow_style=False, allow_unicode=True, width=120)
    return header + body


def load_answers(path: str) -> dict[str, Any]:
    """An answers file: ``{scaffold-answers: 1, answers: {key: value}}`` (or just the mapping)."""
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except OSError as err:
        raise WizardError(f"cannot read answers file {path}: {err.strerror}") from None
    except yaml.YAMLError as err:
        raise WizardError(f"answers file {path} is not valid YAML: {str(err).splitlines()[0]}") from None
    if isinstance(data, dict) and "scaffold-answers" in data:
        if data["scaffold-answers"] != ANSWERS_FORMAT:
            raise WizardError(f"answers file {path}: unknown format {data['scaffold-answers']!r} (this scaffold reads {ANSWERS_FORMAT})")
        data = data.get("answers") or {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise WizardError(f"answers file {path} must map question keys (like container.image) to answers")
    return data


def answers_path_for(output: Path) -> Path:
    """``web.preset.yaml`` -> ``web.answers.yaml`` (next to the preset)."""
    name = output.name
    for suffix in (".preset.yaml", ".preset.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            return output.with_name(name[: -len(suffix)] + ".answers.yaml")
    return output.with_name(name + ".answers.yaml")


def write_atomically(files: Sequence[tuple[Path, str]]) -> None:
    """Each file is written to a temp file beside it, then renamed over: never half-written."""
    temps: list[tuple[str, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for path, text in files:
            folder = path.parent if str(path.parent) else Path(".")
            if not folder.is_dir():
                raise WizardError(f"cannot write {path}: directory {folder} does not exist")
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
            temps.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.chmod(tmp, 0o666 & ~umask)
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _path in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def choose_paths(wizard: Wizard, output: Path, render_to: Path | None, *, force: bool,
                 replayed_from: Path | None = None) -> tuple[Path, Path | None, Path] | None:
    """The files to write, after asking about each one that exists; None: back to the menu.

    Without a person to ask, an existing file is an error unless ``force``: a script must
    never destroy a file by accident.
    """
    approved: set[Path] = set()
    while True:
        answers = answers_path_for(output)
        clash = None
        for role, path in (("preset", output), ("manifests", render_to), ("answers", answers)):
            if path is None or force or not path.exists() or path.resolve() in approved:
                continue
            if role == "answers" and (output.resolve() in approved or (
                    replayed_from is not None and path.resolve() == replayed_from.resolve())):
                continue  # it belongs to the preset being overwritten, or is the file replayed from
            clash = (role, path)
            break
        if clash is None:
            return output, render_to, answers
        role, path = clash
        if path.is_dir():
            raise WizardError(f"{path} is a directory; give a file name with --output/--render")
        if not wizard.p.interactive:
            flag = "--render" if role == "manifests" else "--output"
            raise WizardError(f"{path} already exists; nothing was written. Use --force to overwrite it, or {flag} another file")
        if wizard.confirm(f"write.overwrite.{role}", f"{path} already exists. Overwrite it?", default=False):
            approved.add(path.resolve())
            continue
        what = "manifests" if role == "manifests" else "preset"
        other = wizard.text(f"write.other.{role}", f"Write the {what} to which file instead? (empty: back to the menu)")
        if not other:
            return None
        if role == "manifests":
            render_to = Path(other)
        else:
            output = Path(other)


def run_wizard(prompter: Prompter, *, start: str | None = None, replay: Mapping[str, Any] | None = None,
               source: str = "answers") -> WizardResult | None:
    """The library entry point: ask (or replay) everything; the preset, or None if cancelled."""
    return Wizard(prompter, start=start, replay=replay, source=source).run()


# ---------------------------------------------------------------------------------------
# The command


@click.command("new")
@click.option("--from", "start", metavar="PRESET", help="Start from a built-in preset (or a preset file): its values become the defaults.")
@click.option("--defaults", is_flag=True, help="Accept every default without asking (scripts, tests).")
@click.option("--answers", "answers_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Replay a saved answers file (NAME.answers.yaml); questions it lacks are asked, or take their defaults.")
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False), help="Preset file to write (default NAME.preset.yaml).")
@click.option("--render", "render_to", metavar="FILE", type=click.Path(dir_okay=False), help="Also write the rendered manifests to FILE.")
@click.option("--force", is_flag=True, help="Overwrite existing files without asking.")
def new_command(start: str | None, defaults: bool, answers_file: str | None, output: str | None,
                render_to: str | None, force: bool) -> None:
    """Build a preset by answering questions, preview its manifests, then write it."""
    import gc

    gc.enable()  # paused for start-up by scaffold._entry; an interactive session runs long
    from ..cli import boundary
    from ..output.text import format_issues, use_color

    def err(text: str) -> None:
        click.echo(text, err=True, nl=False)

    tty = sys.stdin.isatty()
    if not tty and not defaults and not answers_file:
        err("error: scaffold new asks questions, but stdin is not a terminal; use --defaults (accept every "
                  "default, e.g. with --from PRESET) or --answers FILE (replay a saved run)\n")
        sys.exit(2)
    with boundary():
        try:
            replay = load_answers(answers_file) if answers_file else {}
            prompter: Prompter = QuestionaryPrompter() if tty and not defaults else DefaultsPrompter()
            wizard = Wizard(prompter, start=start, replay=replay, source=answers_file or "answers")
            result = wizard.run()
            paths = None
            while result is not None:
                paths = choose_paths(wizard, Path(output or f"{result.preset['name']}.preset.yaml"),
                                     Path(render_to) if render_to else None, force=force,
                                     replayed_from=Path(answers_file) if answers_file else None)
                if paths is not None:
                    break
                result = wizard.review()
            if result is None or paths is None:
                err("cancelled: nothing was written\n")
                sys.exit(1)
            preset_path, manifests_path, answers_path = paths
            files = [(preset_path, preset_text(result.preset, preset_path, answers_path)), (answers_path, answers_text(result.answers))]
            if manifests_path is not None:
                files.append((manifests_path, result.rendered.yaml()))
            write_atomically(files)
        except (KeyboardInterrupt, EOFError):
            err("cancelled (Ctrl-C): nothing was written\n")
            sys.exit(130)
        if not prompter.interactive:
            err(format_issues(result.rendered.issues, color=use_color(sys.stderr)))
        unused = sorted(wizard.replay)
        if unused:
            err(f"note: {answers_file}: answers not used by this run: {', '.join(unused)}\n")
        for path, _text in files:
            click.echo(f"wrote {path}")
        if prompter.interactive:
            click.echo(f"next: scaffold render {shlex.quote(str(preset_path))} | kubectl apply -f -")

