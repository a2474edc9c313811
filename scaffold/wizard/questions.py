"""Every question ``scaffold new`` asks, as data, section by section.

Each :class:`~scaffold.wizard.model.Section` declares its questions (key, prompt, type,
choices, default, validator, ``when``), the function that puts the answers into the preset
(``build``) and the one-line summary the review menu shows. One loop (flow.py) walks them to
ask, replay an answers file, or take the defaults. Choices come from the preset format
(:mod:`scaffold.wizard.vocab`, which reads the schema), the size table
(:func:`scaffold.preset.normalize.size_table`) or the preset being edited; titles are the
wizard's own prose and fall back to the bare value. Checks are the shared field validators
(:mod:`scaffold.k8s.validators`) through :mod:`scaffold.wizard.checks`.

Defaults read ``ctx.draft``: the preset started from (``--from``), with the sections finished
so far applied, so every question offers the current value.
"""

from __future__ import annotations

import copy
import shlex
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..k8s import validators as v
from ..k8s.quantities import parse_cpu, parse_memory
from . import vocab
from .checks import (
    absolute,
    command,
    every,
    http_path,
    named_port,
    not_below,
    optional,
    port,
    shared,
    unique,
    whole,
)
from .model import Ctx, Each, Question, Repeat, Say, Section
from .prompters import Option

# ---------------------------------------------------------------------------------------
# Helpers on the draft


def options(values: Sequence[str], titles: Mapping[str, str], *, empty: str | None = None) -> list[Option]:
    """Options for ``values`` (from the format), titled by the wizard's prose when it has some.

    ``empty`` names the value "" (which a menu and an answers file show badly).
    """
    return [Option(empty if (x == "" and empty) else x, titles.get(x, x)) for x in values]


def _set(mapping: dict[str, Any], key: str, value: Any) -> None:
    """Set a field, or remove it when the answer is empty (empty optional fields are left out)."""
    if value in ("", None, [], {}):
        mapping.pop(key, None)
    else:
        mapping[key] = value


def _join(command_line: Sequence[Any] | None) -> str:
    return shlex.join(str(c) for c in command_line) if command_line else ""


def _port_value(text: str) -> int | str:
    t = str(text).strip()
    return int(t) if t.isdigit() else t


def name_from_image(image: str) -> str:
    """``registry/team/web-api:1.2`` -> ``web-api``: the usual container name."""
    _domain, path, _tag, _digest = v.split_image(image)
    last = path.rsplit("/", 1)[-1].lower()
    cleaned = "".join(ch if ch.isalnum() else "-" for ch in last).strip("-")[:63].strip("-")
    return cleaned or "app"


def container_ports(draft: dict[str, Any]) -> list[dict[str, Any]]:
    """The first container's ports in the Kubernetes form, whatever form the draft has."""
    from ..preset.schema import _port_short

    containers = draft.get("containers") or [{}]
    out = []
    for p in (containers[0] if isinstance(containers[0], dict) else {}).get("ports", []) or []:
        try:
            long = _port_short(p)
        except ValueError:
            continue
        if isinstance(long, dict) and "containerPort" in long:
            out.append(long)
    return out


def _port_names(ctx: Ctx) -> list[str]:
    return [str(p["name"]) for p in container_ports(ctx.draft) if p.get("name")]


def _all_containers(draft: dict[str, Any]) -> list[dict[str, Any]]:
    """The app containers, then the init containers (the ones a volume may be mounted in)."""
    return [c for c in (draft.get("containers") or []) + (draft.get("initContainers") or []) if isinstance(c, dict)]


def rounds(ctx: Ctx, group: str, gate: str) -> Iterator[int]:
    """The rounds of a Repeat that were answered: 1, 2, ... while ``group.N.gate`` is set."""
    i = 1
    while ctx[f"{group}.{i}.{gate}"]:
        yield i
        i += 1


# ---------------------------------------------------------------------------------------
# Start


def _start_choices(ctx: Ctx) -> list[Option]:
    from ..preset.builtins import builtin_presets

    return [Option("scratch", "From scratch")] + [Option(p.name, f"{p.name}: {p.summary}") for p in builtin_presets()]


START = Question(
    "start", "Start from scratch or from a built-in preset (its values become the defaults)?", "select",
    choices=_start_choices, default="scratch",
    help="scaffold new: a few questions, then a preview of the manifests before anything is written.\n"
         "Defaults are in the answer field: Enter accepts them. Ctrl-C stops without writing anything.",
)

# ---------------------------------------------------------------------------------------
# Basics

KIND_TITLES = {
    "Deployment": "Deployment: keeps N Pods running, replaces failed ones, rolls out updates",
    "Pod": "Pod: bare Pod(s); nothing recreates them (demos, experiments)",
    "StatefulSet": "StatefulSet: Pods with stable names and their own storage (databases, queues)",
    "DaemonSet": "DaemonSet: one Pod on every node (log and metrics agents)",
    "Job": "Job: runs Pods to completion once (migrations, batch work)",
    "CronJob": "CronJob: runs a Job on a cron schedule (backups, reports)",
}


def _is(key: str, *values: Any) -> Any:
    """``when``: the answer to ``key`` (in this group) is one of ``values``."""
    return lambda ctx: ctx.here(key) in values


def _bare_pods_prompt(ctx: Ctx) -> str:
    n = ctx.here("name")
    return f"How many bare Pods? (1: one Pod {n}; N: {n}1..{n}N)"


def _build_basics(ctx: Ctx) -> None:
    d = ctx.draft
    d["name"] = ctx["basics.name"]
    d["kind"] = ctx["basics.kind"]
    if d["kind"] == "Deployment" and d.get("restartPolicy", "Always") != "Always":
        d.pop("restartPolicy")
    _drop_other_kinds_fields(d)
    if ctx["basics.replicas"] is not None:
        d["replicas"] = ctx["basics.replicas"]
    _set(d, "namespace", ctx["basics.namespace"])


def _drop_other_kinds_fields(d: dict[str, Any]) -> None:
    """A preset started from another kind keeps only the fields the chosen kind takes."""
    from ..k8s.kinds import KIND_FIELDS, KINDS

    kind = d.get("kind", vocab.default("kind"))
    for field, takers in KIND_FIELDS.items():
        if kind not in takers:
            d.pop(field, None)
    if d.get("restartPolicy") is not None and d["restartPolicy"] not in KINDS[kind].restart_policies:
        d.pop("restartPolicy")


def _takes(field: str) -> Any:
    """``when``: the kind chosen in Basics takes ``field``."""
    from ..k8s.kinds import KINDS

    return lambda ctx: field in KINDS[str(ctx["basics.kind"] or vocab.default("kind"))].fields


def _sum_basics(ctx: Ctx) -> str:
    d = ctx.draft
    ns = f", namespace {d['namespace']}" if d.get("namespace") else ""
    replicas = f", replicas {d.get('replicas', vocab.default('replicas'))}" if "replicas" in d or d.get("kind", "Deployment") in ("Deployment", "Pod", "StatefulSet") else ""
    return f"{d.get('name')}, {d.get('kind', vocab.default('kind'))}{replicas}{ns}"


def _replicas_default(ctx: Ctx) -> Any:
    """The preset's replicas; a preset that leaves them out means the format's default (1);
    from scratch, 2 (a Deployment of one Pod is down during every rollout and drain)."""
    if "replicas" in ctx.draft or ctx.from_preset:
        return ctx.draft.get("replicas", vocab.default("replicas"))
    return 2


def _max_bare_pods() -> int:
    from ..rules.workload import MAX_BARE_PODS

    return MAX_BARE_PODS


BASICS = Section(
    "basics", "Basics",
    items=(
        Question("kind", "Kind of workload:", "select",
                 choices=lambda c: options(vocab.allowed("kind"), KIND_TITLES),
                 default=lambda c: str(c.draft.get("kind", vocab.default("kind")))),
        Question("name", "Name of the application (metadata.name and the app label):",
                 default=lambda c: str(c.draft.get("name", "myapp")), validator=shared(v.dns1123_label)),
        Say(lambda c: f"A Deployment only accepts restartPolicy Always; dropping {c.draft['restartPolicy']}.",
            when=lambda c: c.here("kind") == "Deployment" and c.draft.get("restartPolicy", "Always") != "Always"),
        Question("replicas", "Replicas (Pods the Deployment keeps running; 2+ survive a node drain):", "int",
                 default=_replicas_default, validator=whole(0, None, "replicas"),
                 when=_is("kind", "Deployment")),
        Question("replicas", "Replicas (Pods with stable names: NAME-0, NAME-1, ...):", "int",
                 default=lambda c: c.draft.get("replicas", 1), validator=whole(0, None, "replicas"),
                 when=_is("kind", "StatefulSet")),
        Question("replicas", _bare_pods_prompt, "int",
                 default=lambda c: c.draft.get("replicas", 1),
                 validator=whole(1, lambda c: _max_bare_pods(), "the number of Pods"),
                 when=_is("kind", "Pod")),
        Question("namespace", "Namespace (empty: whichever namespace kubectl uses):",
                 default=lambda c: str(c.draft.get("namespace", "")), validator=optional(shared(v.dns1123_label))),
    ),
    build=_build_basics, summary=_sum_basics,
)

# ---------------------------------------------------------------------------------------
# Container

PULL_TITLES = {
    "Always": "Always: check the registry at every container start",
    "IfNotPresent": "IfNotPresent: pull only when the node does not have the image",
    "Never": "Never: use only images already on the node",
}


def _kubernetes_pull_default(image: str) -> str:
    """What Kubernetes picks when imagePullPolicy is unset: Always for :latest or no tag."""
    _domain, _path, tag, digest = v.split_image(image)
    return "Always" if digest is None and (tag is None or tag == "latest") else "IfNotPresent"


def _pull_help(ctx: Ctx) -> str:
    image = ctx.here("image")
    _domain, _path, tag, digest = v.split_image(image)
    if digest is not None:
        return "The image is pinned by digest: every node runs exactly this image; IfNotPresent is safe."
    if tag is None or tag == "latest":
        shown = "" if tag else " (no tag, which means :latest)"
        return (f"{image}{shown} floats: the same name points to a new image after every release.\n"
                "  With IfNotPresent each node keeps whichever 'latest' it pulled first, so Pods on different\n"
                "  nodes can run different versions and a new release may never arrive. Always (the Kubernetes\n"
                "  default for latest) checks the registry at every start. Better: pin a version tag.")
    return f"Tag {tag!r} is fixed: IfNotPresent (the Kubernetes default here) reuses the node's copy."


def _pull_choices(ctx: Ctx) -> list[Option]:
    picked = _kubernetes_pull_default(ctx.here("image"))
    return options(vocab.allowed("containers.imagePullPolicy"), PULL_TITLES) + [
        Option("unset", f"leave it unset (Kubernetes picks {picked} for this image)")
    ]


def _pull_default(ctx: Ctx) -> str:
    c = ctx.container
    if c.get("imagePullPolicy") in vocab.allowed("containers.imagePullPolicy"):
        return str(c["imagePullPolicy"])
    if ctx.from_preset and "image" in c and not c.get("imagePullPolicy"):
        return "unset"
    return _kubernetes_pull_default(ctx.here("image"))


def _other_container_names(ctx: Ctx) -> list[str]:
    mine = ctx.container
    return [str(x.get("name")) for x in _all_containers(ctx.draft) if x is not mine]


def _build_container(ctx: Ctx) -> None:
    c = ctx.container
    c["image"] = ctx["container.image"]
    c["name"] = ctx["container.name"]
    policy = ctx["container.pullPolicy"]
    _set(c, "imagePullPolicy", "" if policy == "unset" else policy)


def _sum_container(ctx: Ctx) -> str:
    c = ctx.container
    return f"{c.get('name')}: {c.get('image')} (pull {c.get('imagePullPolicy', 'policy unset')})"


CONTAINER = Section(
    "container", "Container",
    items=(
        Question("image", "Container image (pin a version, e.g. nginx:1.27):",
                 default=lambda c: str(c.container.get("image", "")), validator=shared(v.image_ref)),
        Question("name", "Container name:",
                 default=lambda c: str(c.container.get("name") or name_from_image(c.here("image"))),
                 validator=every(shared(v.dns1123_label), unique(_other_container_names, "container name"))),
        Question("pullPolicy", "Image pull policy:", "select", help=_pull_help, choices=_pull_choices,
                 default=_pull_default),
    ),
    build=_build_container, summary=_sum_container,
)

# ---------------------------------------------------------------------------------------
# Ports


def _build_ports(ctx: Ctx) -> None:
    old = container_ports(ctx.draft)
    new: list[dict[str, Any]] = []
    for i in rounds(ctx, "ports", "number"):
        base = old[i - 1] if i <= len(old) else {}
        name = ctx[f"ports.{i}.name"]
        rest = {k: x for k, x in base.items() if k not in ("name", "containerPort")}
        new.append({**({"name": name} if name else {}), "containerPort": ctx[f"ports.{i}.number"], **rest})
    _set(ctx.container, "ports", new)


def _sum_ports(ctx: Ctx) -> str:
    return ", ".join(f"{p['name']}:{p['containerPort']}" if p.get("name") else str(p["containerPort"])
                     for p in container_ports(ctx.draft)) or "none"


PORTS = Section(
    "ports", "Ports",
    intro="Ports the container listens on. Name them: probes and Services can then refer to the name.",
    items=(
        Repeat(
            "",
            prior=lambda c: container_ports(c.draft),
            gate=Question(
                "number",
                lambda c: "Container port (empty: the container serves no port):" if c.index == 1
                else "Another port (empty: no more):",
                "int", default=lambda c: c.item.get("containerPort", ""),
                validator=optional(every(port, unique(lambda c: c.earlier("number"), "port"))),
            ),
            body=(
                Question("name", lambda c: f"Name of port {c.here('number')} (empty: no name):",
                         default=lambda c: str(c.item.get("name", "")) if c.item else ("http" if c.index == 1 else ""),
                         validator=optional(every(shared(v.port_name), unique(lambda c: c.earlier("name"), "port name")))),
            ),
        ),
    ),
    build=_build_ports, summary=_sum_ports,
)

# ---------------------------------------------------------------------------------------
# Resources

QUANTITY = {
    "cpu": ("e.g. 250m or 0.5", v.cpu_quantity, parse_cpu),
    "memory": ("e.g. 128Mi or 1Gi (binary units)", v.memory_quantity, parse_memory),
}


def _size_choices(ctx: Ctx) -> list[Option]:
    from ..preset.normalize import describe_size

    return [Option(s, f"{s}: {describe_size(s)}") for s in vocab.allowed("containers.size")] + [
        Option("custom", "custom: type requests and limits")
    ]


def _size_now(ctx: Ctx) -> str:
    from ..preset.normalize import DEFAULT_SIZE

    c = ctx.container
    return str(c.get("size") or ("custom" if c.get("resources") else DEFAULT_SIZE))


def _quantity_default(kind: str, res: str) -> Any:
    def default(ctx: Ctx) -> str:
        from ..preset.normalize import DEFAULT_SIZE, size_table

        old = ctx.container.get("resources") or {}
        if old:
            return str((old.get(kind) or {}).get(res, ""))
        size = _size_now(ctx)
        return str(size_table()[size if size in vocab.allowed("containers.size") else DEFAULT_SIZE][kind][res])

    return default


def _quantity(kind: str, res: str) -> Question:
    hint, field_check, parse = QUANTITY[res]
    check = shared(field_check)
    if kind == "limits":
        check = every(check, not_below(lambda c: c.here(f"requests.{res}"), parse, res))
    return Question(f"{kind}.{res}", f"{res} {kind[:-1]} ({hint}; empty: none):", default=_quantity_default(kind, res),
                    validator=optional(check), when=_is("size", "custom"))


def _build_resources(ctx: Ctx) -> None:
    c = ctx.container
    size = ctx["resources.size"]
    if size != "custom":
        c["size"] = size
        c.pop("resources", None)
        return
    c.pop("size", None)
    old = c.get("resources") or {}
    resources: dict[str, dict[str, str]] = {}
    for kind in ("requests", "limits"):
        values = dict(old.get(kind) or {})
        for res in QUANTITY:
            _set(values, res, ctx[f"resources.{kind}.{res}"])
        if values:
            resources[kind] = values
    c["resources"] = resources


def _sum_resources(ctx: Ctx) -> str:
    c = ctx.container
    if c.get("size"):
        return f"size {c['size']}"
    r = c.get("resources") or {}
    return "; ".join(f"{k} " + ", ".join(f"{n} {x}" for n, x in (r.get(k) or {}).items())
                     for k in ("requests", "limits") if r.get(k)) or "none"


RESOURCES = Section(
    "resources", "Resources",
    intro="Requests are what the scheduler reserves; limits are the ceiling (memory above it is OOMKilled,\n"
          "CPU above it is throttled). Without them one runaway Pod can starve a whole node.",
    items=(
        Question("size", "Resources:", "select", choices=_size_choices, default=_size_now),
        *(_quantity(kind, res) for kind in ("requests", "limits") for res in QUANTITY),
    ),
    build=_build_resources, summary=_sum_resources,
)

# ---------------------------------------------------------------------------------------
# Probes

PROBE_HELP = {
    "liveness": "Liveness: when this check fails, the kubelet restarts the container.",
    "readiness": "Readiness: while this check fails, the Pod gets no Service traffic (READY 0/1).",
    "startup": "Startup: holds the other two checks until the app has started (for slow starters).",
}
#: The handlers the wizard has questions for (every probe handler of the format).
PROBE_HANDLER_TITLES = {
    "exec": "exec: run a command in the container; exit code 0 = healthy",
    "httpGet": "httpGet: HTTP GET; status 200-399 = healthy",
    "tcpSocket": "tcpSocket: TCP connect; the port accepting it = healthy",
    "grpc": "grpc: gRPC health check (grpc.health.v1)",
}
#: Kubernetes' defaults for the timing fields, shown and offered.
PROBE_TIMING = {"initialDelaySeconds": 0, "periodSeconds": 10, "timeoutSeconds": 1, "failureThreshold": 3}
STARTUP_FAILURES, STARTUP_PERIOD = 30, 10


def probe_kinds() -> list[str]:
    """``liveness``, ``readiness``, ``startup``: the container's ``*Probe`` fields."""
    return [f[: -len("Probe")] for f in vocab.fields("containers") if f.endswith("Probe")]


def _handlers(which: str) -> tuple[str, ...]:
    return vocab.sub_objects(f"containers.{which}Probe")


def _probe_now(ctx: Ctx, which: str) -> dict[str, Any]:
    found = ctx.container.get(f"{which}Probe")
    return found if isinstance(found, dict) else {}


def _handler_now(ctx: Ctx, which: str) -> str:
    current = _probe_now(ctx, which)
    return next((h for h in _handlers(which) if h in current), "skip")


def _template(ctx: Ctx, which: str) -> dict[str, Any]:
    """Defaults for the chosen handler: this probe's own, else the liveness probe's answers
    (the article points the startup probe at the liveness endpoint)."""
    choice = ctx[f"probes.{which}.handler"]
    template = _probe_now(ctx, which).get(choice)
    if template is None and which != "liveness" and ctx["probes.liveness.handler"] == choice:
        template = probe_from_answers(ctx, "liveness").get(choice)
    return dict(template or {})


def _default_probe_port(ctx: Ctx) -> str:
    """The first named port, else the first port number (what a probe usually targets)."""
    ports = container_ports(ctx.draft)
    named = [p for p in ports if p.get("name")]
    if named:
        return str(named[0]["name"])
    return str(ports[0]["containerPort"]) if ports else ""


def _grpc_port_default(ctx: Ctx) -> Any:
    numbers = [p["containerPort"] for p in container_ports(ctx.draft)]
    return _template(ctx, ctx.name).get("port", numbers[0] if numbers else "")


def probe_from_answers(ctx: Ctx, which: str) -> dict[str, Any]:
    """The probe the answers under ``probes.WHICH`` describe ({} when skipped)."""
    def a(k: str) -> Any:
        return ctx[f"probes.{which}.{k}"]

    choice = a("handler")
    if choice in (None, "skip"):
        return {}
    template = _template(ctx, which)
    if choice == "exec":
        spec: dict[str, Any] = {"command": shlex.split(a("command"))}
    elif choice == "httpGet":
        spec = {**template, "path": a("path"), "port": _port_value(a("port"))}
    elif choice == "tcpSocket":
        spec = {**template, "port": _port_value(a("port"))}
    else:
        spec = {"port": a("port")}
        _set(spec, "service", a("service"))
    probe = {choice: spec, **{k: x for k, x in _probe_now(ctx, which).items() if k not in _handlers(which)}}
    if which == "startup":
        probe["failureThreshold"], probe["periodSeconds"] = a("failureThreshold"), a("periodSeconds")
    elif a("timing"):
        for k, d in PROBE_TIMING.items():
            if a(k) != d or k in probe:
                probe[k] = a(k)
    return probe


def _timing_now(ctx: Ctx) -> str:
    current = _probe_now(ctx, ctx.name)
    return ", ".join(f"{k} {current.get(k, d)}" for k, d in PROBE_TIMING.items())


def _startup_budget(ctx: Ctx) -> str:
    failures, period = ctx.here("failureThreshold"), ctx.here("periodSeconds")
    total = failures * period
    minutes = f" ({total / 60:g} min)" if total >= 60 else ""
    return f"Startup budget: {failures} x {period} s = {total} s{minutes} to start; after that the container is killed and restarted."


def _handler_is(*handlers: str) -> Any:
    return lambda c: c.here("handler") in handlers


def _asked(c: Ctx) -> bool:
    return c.here("handler") not in (None, "skip")


def _timed(c: Ctx) -> bool:
    return _asked(c) and c.name != "startup"


def _starting(c: Ctx) -> bool:
    return _asked(c) and c.name == "startup"


def _timing_question(k: str, d: int) -> Question:
    return Question(k, f"{k}:", "int", when=lambda c: _timed(c) and bool(c.here("timing")),
                    default=lambda c: _probe_now(c, c.name).get(k, d),
                    validator=whole(0 if k == "initialDelaySeconds" else 1, None, k))


def _build_probes(ctx: Ctx) -> None:
    probes = {which: probe_from_answers(ctx, which) for which in probe_kinds()}
    for which, probe in probes.items():
        _set(ctx.container, f"{which}Probe", probe)


def _sum_probes(ctx: Ctx) -> str:
    return ", ".join(f"{w} {_handler_now(ctx, w).replace('skip', 'none')}" for w in probe_kinds())


_PROBE_PORT = named_port(_port_names)

PROBES = Section(
    "probes", "Probes",
    items=(
        Each("", over=lambda c: [(w, None) for w in probe_kinds()], body=(
            Question("handler", lambda c: f"{c.name.capitalize()} probe:", "select", help=lambda c: PROBE_HELP.get(c.name),
                     choices=lambda c: [Option("skip", f"skip: no {c.name} probe")]
                     + [o for o in options(_handlers(c.name), PROBE_HANDLER_TITLES) if o.value in PROBE_HANDLER_TITLES],
                     default=lambda c: _handler_now(c, c.name)),
            Question("command", "Command (exit code 0 = healthy):", when=_handler_is("exec"),
                     default=lambda c: _join(_template(c, c.name).get("command")), validator=command),
            Question("path", "HTTP path:", when=_handler_is("httpGet"),
                     default=lambda c: str(_template(c, c.name).get("path", "/healthz")), validator=http_path),
            Question("port", "Port (number or container port name):", when=_handler_is("httpGet", "tcpSocket"),
                     default=lambda c: str(_template(c, c.name).get("port", _default_probe_port(c))), validator=_PROBE_PORT),
            Question("port", "gRPC port (a number; names are not allowed here):", "int", when=_handler_is("grpc"),
                     default=_grpc_port_default, validator=port),
            Question("service", "gRPC service name (empty: the server's overall health):", when=_handler_is("grpc"),
                     default=lambda c: str(_template(c, c.name).get("service", ""))),
            Question("timing", lambda c: f"Change the timing? (now: {_timing_now(c)})", "confirm", when=_timed,
                     default=False),
            *(_timing_question(k, d) for k, d in PROBE_TIMING.items()),
            Question("failureThreshold", "failureThreshold (failed checks allowed while starting):", "int",
                     when=_starting, default=lambda c: _probe_now(c, c.name).get("failureThreshold", STARTUP_FAILURES),
                     validator=whole(1, None, "failureThreshold")),
            Question("periodSeconds",
                     lambda c: f"periodSeconds (seconds between checks; {c.here('failureThreshold')} x this = the start budget):",
                     "int", when=_starting, default=lambda c: _probe_now(c, c.name).get("periodSeconds", STARTUP_PERIOD),
                     validator=whole(1, None, "periodSeconds")),
            Say(_startup_budget, when=_starting),
        )),
    ),
    build=_build_probes, summary=_sum_probes,
)

# ---------------------------------------------------------------------------------------
# Lifecycle hooks

HOOK_HELP = {
    "postStart": "After start: runs alongside the entrypoint; if it fails, the container is killed.",
    "preStop": "Before stop: runs before SIGTERM; a short sleep lets Services stop sending traffic first.",
}
#: The hook handlers the wizard has questions for; any other one already there can be kept.
HOOK_HANDLER_TITLES = {
    "exec": "exec: run a command",
    "sleep": "sleep: wait a number of seconds (Kubernetes 1.30+)",
}


def hooks() -> tuple[str, ...]:
    return vocab.fields("containers.lifecycle")


def _hook_now(ctx: Ctx, hook: str) -> dict[str, Any]:
    found = (ctx.container.get("lifecycle") or {}).get(hook)
    return found if isinstance(found, dict) else {}


def _hook_handler_now(ctx: Ctx, hook: str) -> str:
    current = _hook_now(ctx, hook)
    kind = next(iter(current), "none") if current else "none"
    return kind if kind == "none" or kind in HOOK_HANDLER_TITLES else "keep"


def _hook_choices(ctx: Ctx) -> list[Option]:
    asked = [x for x in vocab.sub_objects(f"containers.lifecycle.{ctx.name}") if x in HOOK_HANDLER_TITLES]
    out = [Option("none", "none")] + options(asked, HOOK_HANDLER_TITLES)
    if _hook_handler_now(ctx, ctx.name) == "keep":
        out.append(Option("keep", f"keep the current {next(iter(_hook_now(ctx, ctx.name)))} handler"))
    return out


def _grace(ctx: Ctx) -> int:
    return int(ctx.draft.get("terminationGracePeriodSeconds", 30))


def _sleep_prompt(ctx: Ctx) -> str:
    below = f" (below the {_grace(ctx)} s grace period)" if ctx.name == "preStop" else ""
    return f"Seconds to sleep{below}:"


def _build_lifecycle(ctx: Ctx) -> None:
    lifecycle = dict(ctx.container.get("lifecycle") or {})
    for hook in hooks():
        choice = ctx[f"lifecycle.{hook}.handler"]
        if choice == "none":
            lifecycle.pop(hook, None)
        elif choice == "exec":
            lifecycle[hook] = {"exec": {"command": shlex.split(ctx[f"lifecycle.{hook}.command"])}}
        elif choice == "sleep":
            lifecycle[hook] = {"sleep": {"seconds": ctx[f"lifecycle.{hook}.seconds"]}}
    _set(ctx.container, "lifecycle", lifecycle)


def _sum_lifecycle(ctx: Ctx) -> str:
    life = ctx.container.get("lifecycle") or {}
    return ", ".join(f"{h} {next(iter(life.get(h) or {}), 'none')}" for h in hooks())


LIFECYCLE = Section(
    "lifecycle", "Lifecycle hooks",
    items=(
        Each("", over=lambda c: [(h, None) for h in hooks()], body=(
            Question("handler", lambda c: f"{c.name} hook:", "select", help=lambda c: HOOK_HELP.get(c.name),
                     choices=_hook_choices, default=lambda c: _hook_handler_now(c, c.name)),
            Question("command", lambda c: f"{c.name} command (quote as in a shell):", when=_handler_is("exec"),
                     default=lambda c: _join((_hook_now(c, c.name).get("exec") or {}).get("command")), validator=command),
            Question("seconds", _sleep_prompt, "int", when=_handler_is("sleep"),
                     default=lambda c: (_hook_now(c, c.name).get("sleep") or {}).get("seconds", 5),
                     validator=whole(1, lambda c: _grace(c) - 1 if c.name == "preStop" else None, "seconds")),
        )),
    ),
    build=_build_lifecycle, summary=_sum_lifecycle,
)

# ---------------------------------------------------------------------------------------
# Init containers


def _init_containers(draft: dict[str, Any]) -> list[dict[str, Any]]:
    return [x for x in draft.get("initContainers") or [] if isinstance(x, dict)]


def _app_container_names(ctx: Ctx) -> list[str]:
    return [str(x.get("name")) for x in ctx.draft.get("containers") or [] if isinstance(x, dict)]


def _build_init(ctx: Ctx) -> None:
    old = _init_containers(ctx.draft)
    new: list[dict[str, Any]] = []
    for i in rounds(ctx, "init", "add"):
        base = copy.deepcopy(old[i - 1]) if i <= len(old) else {}
        base["name"] = ctx[f"init.{i}.name"]
        base["image"] = ctx[f"init.{i}.image"]
        line = ctx[f"init.{i}.command"]
        _set(base, "command", shlex.split(line) if line else [])
        new.append(base)
    _set(ctx.draft, "initContainers", new)


def _sum_init(ctx: Ctx) -> str:
    return ", ".join(str(x.get("name")) for x in _init_containers(ctx.draft)) or "none"


INIT = Section(
    "init", "Init containers",
    intro="Init containers run one after another, each to completion, before the app containers start.",
    items=(
        Repeat(
            "",
            prior=lambda c: _init_containers(c.draft),
            gate=Question("add", lambda c: "Add an init container?" if c.index == 1 else "Add another init container?",
                          "confirm", default=lambda c: bool(c.item)),
            body=(
                Question("name", "Init container name:",
                         default=lambda c: str(c.item.get("name") or (
                             f"init-{c.container.get('name', 'app')}" if c.index == 1 else f"init-{c.index}")),
                         validator=every(shared(v.dns1123_label),
                                         unique(lambda c: _app_container_names(c) + c.earlier("name"), "container name"))),
                Question("image", "Image:", default=lambda c: str(c.item.get("image") or c.container.get("image", "")),
                         validator=shared(v.image_ref)),
                Question("command", "Command (quote as in a shell; empty: the image's own entrypoint):",
                         default=lambda c: _join(c.item.get("command")), validator=optional(command)),
            ),
        ),
    ),
    build=_build_init, summary=_sum_init,
)

# ---------------------------------------------------------------------------------------
# Volumes

#: The volume sources the wizard has questions for (every source of the format).
SOURCE_TITLES = {
    "emptyDir": "emptyDir: scratch space that lives as long as the Pod",
    "hostPath": "hostPath: a directory or file of the node (see the warning)",
    "configMap": "configMap: files from a ConfigMap",
    "secret": "secret: files from a Secret",
    "persistentVolumeClaim": "persistentVolumeClaim: storage that outlives the Pod",
}
HOST_PATH_TITLES = {
    "DirectoryOrCreate": "DirectoryOrCreate: a directory, created (0755) if missing",
    "Directory": "Directory: a directory that must already exist",
    "FileOrCreate": "FileOrCreate: a file, created empty if missing",
    "File": "File: a file that must already exist",
    "Socket": "Socket: a UNIX socket that must exist",
    "CharDevice": "CharDevice: a character device that must exist",
    "BlockDevice": "BlockDevice: a block device that must exist",
    "": 'no check (type ""): mount whatever is there, or an empty directory',
}
MEDIUM_TITLES = {
    "": "on the node's disk (default)",
    "Memory": "in memory (tmpfs; counts against the container's memory limit)",
    "HugePages": "in huge pages (the container must request hugepages-*)",
}
HOST_PATH_WARNING = (
    "Warning: hostPath mounts the node's own filesystem into the Pod. The Pod can read (and, unless\n"
    "  mounted read-only, write) the node's files; the data stays on that one node; and namespaces that\n"
    "  enforce the 'baseline' Pod Security Standard refuse the Pod. Prefer emptyDir or a PVC when you can."
)
MUST_EXIST = "The {} must exist in the namespace before the Pod starts (else: ContainerCreating)."


def _volumes(draft: dict[str, Any]) -> list[dict[str, Any]]:
    return [x for x in draft.get("volumes") or [] if isinstance(x, dict)]


def _sources() -> list[str]:
    return [s for s in vocab.sub_objects("volumes") if s in SOURCE_TITLES]


def _source_now(item: dict[str, Any]) -> str:
    return next((s for s in _sources() if s in item), "emptyDir")


def _spec(ctx: Ctx) -> dict[str, Any]:
    """The prior volume's settings for the source chosen now ({} for another source)."""
    source = ctx.here("source")
    return dict(ctx.item.get(source) or {}) if ctx.item and _source_now(ctx.item) == source else {}


def _host_path_type_default(ctx: Ctx) -> str:
    spec = _spec(ctx)
    if "type" in spec:
        return spec["type"] or "unchecked"
    return "unchecked" if spec.get("path") else "DirectoryOrCreate"


def _mounted_in(ctx: Ctx) -> list[str]:
    old_name = ctx.item.get("name") if ctx.item else None
    names = [str(x.get("name")) for x in _all_containers(ctx.draft)]
    if not old_name:
        return names
    return [str(x["name"]) for x in _all_containers(ctx.draft)
            if any(m.get("name") == old_name for m in x.get("volumeMounts", []) if isinstance(m, dict))]


def _mount_path_default(ctx: Ctx) -> str:
    old_name = ctx.item.get("name") if ctx.item else None
    existing = [m.get("mountPath") for x in _all_containers(ctx.draft) for m in x.get("volumeMounts", [])
                if isinstance(m, dict) and old_name and m.get("name") == old_name and m.get("mountPath")]
    return str(existing[0] if existing else f"/{ctx.here('name')}")


def _source_spec(ctx: Ctx, i: int, prior: dict[str, Any]) -> dict[str, Any]:
    def a(k: str) -> Any:
        return ctx[f"volumes.{i}.{k}"]

    source = a("source")
    spec = dict(prior.get(source) or {}) if prior and _source_now(prior) == source else {}
    if source == "hostPath":
        kind = a("type")
        spec = {"path": a("path"), **({"type": kind} if kind != "unchecked" else {})}
    elif source == "emptyDir":
        medium = a("medium")
        spec = {**({"medium": medium} if medium not in ("disk", "") else {}),
                **({"sizeLimit": a("sizeLimit")} if a("sizeLimit") else {})}
    elif source == "configMap":
        spec["name"] = a("configMap")
    elif source == "secret":
        spec["secretName"] = a("secretName")
    else:
        spec["claimName"] = a("claimName")
    return {source: spec}


def _build_volumes(ctx: Ctx) -> None:
    d = ctx.draft
    old = _volumes(d)
    containers = _all_containers(d)
    new: list[dict[str, Any]] = []
    mounts: dict[str, dict[str, str]] = {}  # volume -> container -> mountPath
    for i in rounds(ctx, "volumes", "add"):
        prior = old[i - 1] if i <= len(old) else {}
        name = ctx[f"volumes.{i}.name"]
        new.append({"name": name, **_source_spec(ctx, i, prior)})
        chosen = ctx[f"volumes.{i}.mountIn"] or []
        if chosen:
            mounts[name] = {n: ctx[f"volumes.{i}.mountPath"] for n in chosen}
    managed = {x.get("name") for x in old} | {x["name"] for x in new}
    renamed = {x.get("name"): y["name"] for x, y in zip(old, new)}
    for ctr in containers:
        current = [m for m in ctr.get("volumeMounts", []) if isinstance(m, dict)]
        kept = [m for m in current if m.get("name") not in managed]
        for vol in new:
            where = mounts.get(vol["name"], {}).get(str(ctr.get("name")))
            if where is None:
                continue
            prior_mount = next((m for m in current if renamed.get(m.get("name")) == vol["name"] or m.get("name") == vol["name"]), {})
            kept.append({**prior_mount, "name": vol["name"], "mountPath": where})
        _set(ctr, "volumeMounts", kept)
    _set(d, "volumes", new)


def _sum_volumes(ctx: Ctx) -> str:
    return ", ".join(f"{x.get('name')} ({next((k for k in x if k != 'name'), '?')})" for x in _volumes(ctx.draft)) or "none"


def _source_is(*sources: str) -> Any:
    return lambda c: c.here("source") in sources


VOLUMES = Section(
    "volumes", "Volumes",
    intro="Volumes give containers files that outlive a restart (or come from the cluster), mounted at a path.",
    items=(
        Repeat(
            "",
            prior=lambda c: _volumes(c.draft),
            gate=Question("add", lambda c: "Add a volume?" if c.index == 1 else "Add another volume?", "confirm",
                          default=lambda c: bool(c.item)),
            body=(
                Question("name", "Volume name:",
                         default=lambda c: str(c.item.get("name") or ("data" if c.index == 1 else f"data{c.index}")),
                         validator=every(shared(v.dns1123_label), unique(lambda c: c.earlier("name"), "volume name"))),
                Question("source", "Source:", "select", choices=lambda c: options(_sources(), SOURCE_TITLES),
                         default=lambda c: _source_now(c.item) if c.item else "emptyDir"),
                Question("path", "Path on the node:", when=_source_is("hostPath"), help=HOST_PATH_WARNING,
                         default=lambda c: str(_spec(c).get("path", "")), validator=absolute),
                Question("type", "What must be at that path?", "select", when=_source_is("hostPath"),
                         choices=lambda c: options(vocab.allowed("volumes.hostPath.type"), HOST_PATH_TITLES, empty="unchecked"),
                         default=_host_path_type_default),
                Question("medium", "Where does it live?", "select", when=_source_is("emptyDir"),
                         choices=lambda c: options(vocab.allowed("volumes.emptyDir.medium"), MEDIUM_TITLES, empty="disk"),
                         default=lambda c: _spec(c).get("medium") or "disk"),
                Question("sizeLimit", "Size limit (e.g. 64Mi; empty: none):", when=_source_is("emptyDir"),
                         default=lambda c: str(_spec(c).get("sizeLimit", "")), validator=optional(shared(v.memory_quantity))),
                Question("configMap", "ConfigMap name:", when=_source_is("configMap"), help=MUST_EXIST.format("ConfigMap"),
                         default=lambda c: str(_spec(c).get("name", "")), validator=shared(v.dns1123_subdomain)),
                Question("secretName", "Secret name:", when=_source_is("secret"), help=MUST_EXIST.format("Secret"),
                         default=lambda c: str(_spec(c).get("secretName", "")), validator=shared(v.dns1123_subdomain)),
                Question("claimName", "PersistentVolumeClaim name:", when=_source_is("persistentVolumeClaim"),
                         default=lambda c: str(_spec(c).get("claimName", "")), validator=shared(v.dns1123_subdomain)),
                Question("mountIn", lambda c: f"Mount {c.here('name')} in which containers? (space toggles, Enter confirms)",
                         "checkbox", choices=lambda c: [Option(n, n) for n in (str(x.get("name")) for x in _all_containers(c.draft))],
                         default=_mounted_in),
                Question("mountPath", "Mount path in the container(s):", when=lambda c: bool(c.here("mountIn")),
                         default=_mount_path_default, validator=absolute),
            ),
        ),
    ),
    build=_build_volumes, summary=_sum_volumes,
)

# ---------------------------------------------------------------------------------------
# Service

SERVICE_TITLES = {
    "ClusterIP": "ClusterIP: reachable inside the cluster",
    "NodePort": "NodePort: also on a port (30000-32767) of every node",
    "LoadBalancer": "LoadBalancer: an external load balancer (cloud clusters)",
}
#: Service types the preset format cannot describe (ExternalName needs externalName, no ports).
SERVICE_TYPES_NOT_OFFERED = ("ExternalName",)


def _service_now(ctx: Ctx) -> dict[str, Any] | None:
    current = ctx.draft.get("service")
    return {} if current is True else current if isinstance(current, dict) else None


def _service_ports_now(ctx: Ctx) -> list[dict[str, Any]]:
    from ..preset.schema import _service_port_short

    out = []
    for p in (_service_now(ctx) or {}).get("ports", []) or []:
        try:
            long = _service_port_short(p)
        except ValueError:
            continue
        if isinstance(long, dict):  # plain strings: "http:80"'s targetPort is a schema-internal str subclass
            out.append({k: str(v) if isinstance(v, str) else v for k, v in long.items()})
    return out


def _service_choices(ctx: Ctx) -> list[Option]:
    types = [t for t in vocab.allowed("service.type") if t not in SERVICE_TYPES_NOT_OFFERED]
    return [Option("none", "none")] + options(types, SERVICE_TITLES)


def _service_type_now(ctx: Ctx) -> str:
    current = _service_now(ctx)
    return "none" if current is None else str(current.get("type", vocab.default("service.type")))


def _needs_name(ctx: Ctx) -> bool:
    return ctx.here("type") != "none" and bool(v.dns1035_label((_service_now(ctx) or {}).get("name", ctx.draft.get("name"))))


def _prior_service_port(ctx: Ctx) -> dict[str, Any]:
    """The port of the Service started from that goes with this container port."""
    old = _service_ports_now(ctx)
    cp = ctx.item
    target = cp.get("name") or cp["containerPort"]
    return next((p for p in old if p.get("targetPort") in (target, cp["containerPort"])),
                old[ctx.index - 1] if ctx.index <= len(old) else {})


def _port_label(cp: dict[str, Any]) -> str:
    return f"{cp['name']} ({cp['containerPort']})" if cp.get("name") else str(cp["containerPort"])


def _has_ports(ctx: Ctx) -> bool:
    return bool(container_ports(ctx.draft))


def _served(ctx: Ctx) -> bool:
    return ctx.here("type") not in (None, "none")


def _first_old_port(ctx: Ctx) -> dict[str, Any]:
    old = _service_ports_now(ctx)
    return old[0] if old else {}


def _node_port(ctx: Ctx, entry: dict[str, Any], key: str) -> None:
    node = ctx[key]
    if ctx["service.type"] == "NodePort" and node:
        entry["nodePort"] = node


def _build_service(ctx: Ctx) -> None:
    d = ctx.draft
    kind = ctx["service.type"]
    if kind in ("none", None):
        d.pop("service", None)
        return
    service: dict[str, Any] = {k: x for k, x in (_service_now(ctx) or {}).items() if k not in ("type", "ports")}
    if ctx["service.name"] is not None:
        service["name"] = ctx["service.name"]
    service["type"] = kind
    cports = container_ports(d)
    ports: list[dict[str, Any]] = []
    if cports:
        for j, cp in enumerate(cports, 1):
            prior = _prior_service_port(ctx.enter("ports", str(j), j, cp))
            entry: dict[str, Any] = {}
            _set(entry, "name", cp.get("name") or (f"port-{cp['containerPort']}" if len(cports) > 1 else ""))
            entry.update({"port": ctx[f"service.ports.{j}.port"], "targetPort": prior.get("targetPort", cp.get("name") or cp["containerPort"])})
            _set(entry, "protocol", cp.get("protocol", ""))
            _node_port(ctx, entry, f"service.ports.{j}.nodePort")
            ports.append(entry)
    else:
        entry = {"port": ctx["service.port"], "targetPort": ctx["service.targetPort"]}
        _node_port(ctx, entry, "service.nodePort")
        ports.append(entry)
    service["ports"] = ports
    d["service"] = service


def _sum_service(ctx: Ctx) -> str:
    svc = ctx.draft.get("service")
    if not isinstance(svc, dict):
        return "none"
    return f"{svc.get('type', vocab.default('service.type'))} " + ", ".join(f":{p.get('port')}" for p in svc.get("ports", []))


def _node_port_question(default: Any, *, per_port: bool) -> Question:
    return Question("nodePort", "nodePort (30000-32767; empty: Kubernetes picks one):", "int",
                    when=lambda c: c["service.type"] == "NodePort" and (per_port or not _has_ports(c)), default=default,
                    validator=optional(whole(30000, 32767, "nodePort")))


SERVICE = Section(
    "service", "Service",
    intro="A Service gives the Pods one stable name and address, and sends traffic only to ready Pods.",
    items=(
        Question("type", "Service:", "select", choices=_service_choices, default=_service_type_now,
                 when=_takes("service")),
        Question("name", "Service name:", when=_needs_name,
                 help=lambda c: f"The Service needs its own name: {v.dns1035_label(c.draft.get('name'))}",
                 default=lambda c: str((_service_now(c) or {}).get("name", "")), validator=shared(v.dns1035_label)),
        Say("One Service port per container port (prefilled; Enter keeps them).", when=lambda c: _served(c) and _has_ports(c)),
        Each("ports", when=lambda c: _served(c) and _has_ports(c),
             over=lambda c: [(str(j), cp) for j, cp in enumerate(container_ports(c.draft), 1)],
             body=(
                 Question("port", lambda c: f"Service port for container port {_port_label(c.item)}:", "int",
                          default=lambda c: _prior_service_port(c).get("port", c.item["containerPort"]), validator=port),
                 _node_port_question(lambda c: _prior_service_port(c).get("nodePort", ""), per_port=True),
             )),
        Say("The container declares no ports, so there is nothing to prefill.", when=lambda c: _served(c) and not _has_ports(c)),
        Question("port", "Service port:", "int", when=lambda c: _served(c) and not _has_ports(c),
                 default=lambda c: _first_old_port(c).get("port", 80), validator=port),
        Question("targetPort", "Container port it forwards to:", "int", when=lambda c: _served(c) and not _has_ports(c),
                 default=lambda c: _first_old_port(c).get("targetPort", c.here("port")), validator=port),
        _node_port_question(lambda c: _first_old_port(c).get("nodePort", ""), per_port=False),
    ),
    build=_build_service, summary=_sum_service,
)

# ---------------------------------------------------------------------------------------
# Workload: the questions of the kind chosen in Basics (issue 10)


def _cron_check(text: str, ctx: Ctx) -> str | None:
    from ..rules.controllers import cron_problem

    return cron_problem(text.strip())


def _zone_check(text: str, ctx: Ctx) -> str | None:
    from ..rules.controllers import time_zone_problem

    return time_zone_problem(text.strip())


def _quantity_check(text: str, ctx: Ctx) -> str | None:
    return v.memory_quantity(text.strip(), resource="storage")


CONCURRENCY_TITLES = {
    "Allow": "Allow: runs may overlap",
    "Forbid": "Forbid: skip a run while the previous one still goes",
    "Replace": "Replace: stop the previous run and start the new one",
}
JOB_RESTART_TITLES = {
    "OnFailure": "OnFailure: restart the container in the same Pod",
    "Never": "Never: a failed Pod stays (for its logs); the Job starts a new one",
}


def _claim_now(ctx: Ctx) -> dict[str, Any]:
    claims = ctx.draft.get("volumeClaimTemplates") or []
    return claims[0] if claims and isinstance(claims[0], dict) else {}


def _claim_mount_now(ctx: Ctx) -> str:
    name = _claim_now(ctx).get("name", "data")
    for c in _all_containers(ctx.draft):
        for m in c.get("volumeMounts") or []:
            if isinstance(m, dict) and m.get("name") == name:
                return str(m.get("mountPath", ""))
    return "/data"


def _build_workload(ctx: Ctx) -> None:
    d = ctx.draft
    kind = d.get("kind", vocab.default("kind"))
    a = ctx.__getitem__
    if kind == "StatefulSet":
        size = a("workload.storage")
        old = _claim_now(ctx)
        claims = [c for c in (d.get("volumeClaimTemplates") or []) if c is not old]
        container = ctx.container  # (created here from scratch; the Container section fills it)
        if old:  # the mount of the claim asked about is rebuilt below
            _set(container, "volumeMounts", [m for m in container.get("volumeMounts") or [] if m.get("name") != old.get("name")])
        if size:
            claim = {**old, "name": old.get("name", "data"), "size": size}
            claims.insert(0, claim)
            container.setdefault("volumeMounts", []).append({"name": claim["name"], "mountPath": a("workload.mountPath")})
        _set(d, "volumeClaimTemplates", claims)
    if kind in ("Job", "CronJob"):
        d["restartPolicy"] = a("workload.restartPolicy")
        for key in ("backoffLimit", "ttlSecondsAfterFinished"):
            _set(d, key, a(f"workload.{key}"))
    if kind == "CronJob":
        d["schedule"] = a("workload.schedule").strip()
        _set(d, "timeZone", a("workload.timeZone").strip())
        d["concurrencyPolicy"] = a("workload.concurrencyPolicy")
    if kind == "DaemonSet":
        tolerations = [t for t in d.get("tolerations") or [] if t.get("key") != CONTROL_PLANE_TAINT]
        if a("workload.controlPlane"):
            tolerations.append({"key": CONTROL_PLANE_TAINT, "operator": "Exists", "effect": "NoSchedule"})
        _set(d, "tolerations", tolerations)


CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane"


def _sum_workload(ctx: Ctx) -> str:
    d = ctx.draft
    kind = d.get("kind", vocab.default("kind"))
    if kind == "CronJob":
        zone = f" ({d['timeZone']})" if d.get("timeZone") else ""
        return f"schedule {d.get('schedule')}{zone}, restartPolicy {d.get('restartPolicy')}"
    if kind == "Job":
        return f"restartPolicy {d.get('restartPolicy')}, backoffLimit {d.get('backoffLimit', 6)}"
    if kind == "StatefulSet":
        claim = _claim_now(ctx)
        return f"storage {claim['size']} per Pod" if claim else "no storage per Pod"
    if kind == "DaemonSet":
        on = any(t.get("key") == CONTROL_PLANE_TAINT for t in d.get("tolerations") or [])
        return "also on control-plane nodes" if on else "worker nodes only"
    return "nothing to ask for this kind"


WORKLOAD = Section(
    "workload", "Workload",
    items=(
        Question("schedule", "Schedule (five cron fields: minute hour day-of-month month day-of-week, or @daily, @hourly, ...):",
                 default=lambda c: str(c.draft.get("schedule", "0 3 * * *")), validator=_cron_check,
                 when=_takes("schedule")),
        Question("timeZone", "Time zone of the schedule (IANA, e.g. Europe/Berlin; empty: the cluster's, usually UTC):",
                 default=lambda c: str(c.draft.get("timeZone", "")), validator=optional(_zone_check),
                 when=_takes("timeZone")),
        Question("concurrencyPolicy", "When a run is due while the previous one still goes:", "select",
                 choices=lambda c: options(vocab.allowed("concurrencyPolicy"), CONCURRENCY_TITLES),
                 default=lambda c: str(c.draft.get("concurrencyPolicy", "Forbid")), when=_takes("concurrencyPolicy")),
        Question("restartPolicy", "When a container fails:", "select",
                 choices=lambda c: options(("OnFailure", "Never"), JOB_RESTART_TITLES),
                 default=lambda c: str(c.draft.get("restartPolicy") if c.draft.get("restartPolicy") in ("OnFailure", "Never") else "OnFailure"),
                 when=_takes("backoffLimit")),
        Question("backoffLimit", "Retries before the Job counts as failed (empty: Kubernetes' 6):", "int",
                 default=lambda c: c.draft.get("backoffLimit", ""), validator=optional(whole(0, None, "backoffLimit")),
                 when=_takes("backoffLimit")),
        Question("ttlSecondsAfterFinished", "Delete the finished Job after how many seconds? (empty: keep it)", "int",
                 default=lambda c: c.draft.get("ttlSecondsAfterFinished", ""),
                 validator=optional(whole(0, None, "ttlSecondsAfterFinished")), when=_takes("ttlSecondsAfterFinished")),
        Question("storage", "Storage per Pod, a PersistentVolumeClaim each (e.g. 10Gi; empty: none):",
                 default=lambda c: str(_claim_now(c).get("size", "")), validator=optional(_quantity_check),
                 when=_takes("volumeClaimTemplates")),
        Question("mountPath", "Mount it in the container at:", default=_claim_mount_now, validator=absolute,
                 when=lambda c: _takes("volumeClaimTemplates")(c) and bool(c.here("storage"))),
        Question("controlPlane", "Run on control-plane nodes too (tolerate their NoSchedule taint)?", "confirm",
                 default=lambda c: any(t.get("key") == CONTROL_PLANE_TAINT for t in c.draft.get("tolerations") or []),
                 when=lambda c: str(c["basics.kind"]) == "DaemonSet"),
    ),
    build=_build_workload, summary=_sum_workload,
)

#: The sections, in the order they are asked (and listed in the review menu).
# Extras: the objects that travel with the app, and the security profile (issue 11)

NETWORK_TITLES = {
    "none": "none: no NetworkPolicy",
    "namespace": "namespace: only pods of the same namespace may connect",
    "dns": "namespace + dns: as above, and the pods may only reach DNS",
}
SECURITY_TITLES = {
    "none": "none: the pod as written",
    "baseline": "baseline: refuse privileged and host settings",
    "restricted": "restricted: non-root, read-only root, no capabilities (the Pod Security Standard)",
}


def _draft_dict(ctx: Ctx, key: str) -> dict[str, Any] | None:
    value = ctx.draft.get(key)
    return {} if value is True else value if isinstance(value, dict) else None


def _has_service(ctx: Ctx) -> bool:
    return isinstance(ctx.draft.get("service"), dict) or ctx.draft.get("service") is True


def _is_deployment(ctx: Ctx) -> bool:
    return ctx.draft.get("kind", vocab.default("kind")) == "Deployment"


def _host(text: str, ctx: Ctx) -> str | None:
    """An Ingress host: a DNS name, a wildcard only as the whole left-most label."""
    name = text[2:] if text.startswith("*.") else text
    if "*" in name:
        return "a wildcard is allowed only as the whole left-most label (*.example.com)"
    return v.dns1123_subdomain(name)


def _autoscale_max(text: str, ctx: Ctx) -> str | None:
    value = int(text)
    floor = ctx.draft.get("replicas", 1)
    if value != 0 and value < max(floor, 1):
        return f"the maximum must be at least the {floor} replicas (or 0 for no autoscaler)"
    return None


def _network_now(ctx: Ctx) -> str:
    policy = _draft_dict(ctx, "networkPolicy")
    if policy is None:
        return "none"
    return "dns" if policy.get("egress") == "dns" else "namespace"


def _build_extras(ctx: Ctx) -> None:
    d = ctx.draft
    host = ctx["extras.ingress"]
    if host and _has_service(ctx):
        ingress = {k: x for k, x in (_draft_dict(ctx, "ingress") or {}).items() if k not in ("host", "tls")}
        ingress["host"] = host
        if ctx["extras.tls"]:
            old = (_draft_dict(ctx, "ingress") or {}).get("tls")
            ingress["tls"] = old if isinstance(old, dict) else True
        d["ingress"] = ingress
    else:
        d.pop("ingress", None)
    most = ctx["extras.autoscale"]
    if most and _is_deployment(ctx):
        autoscale = {k: x for k, x in (_draft_dict(ctx, "autoscale") or {}).items() if k not in ("max", "cpu")}
        autoscale.update({"max": most, "cpu": ctx["extras.cpu"]})
        d["autoscale"] = autoscale
    else:
        d.pop("autoscale", None)
    if ctx["extras.disruptionBudget"]:
        d["disruptionBudget"] = _draft_dict(ctx, "disruptionBudget") or {"maxUnavailable": 1}
    else:
        d.pop("disruptionBudget", None)
    network = ctx["extras.networkPolicy"]
    if network in ("namespace", "dns"):
        policy = {k: x for k, x in (_draft_dict(ctx, "networkPolicy") or {}).items() if k != "egress"}
        if network == "dns":
            policy["egress"] = "dns"
        d["networkPolicy"] = policy or True
    else:
        d.pop("networkPolicy", None)
    _set(d, "security", "" if ctx["extras.security"] in (None, "none") else ctx["extras.security"])


def _sum_extras(ctx: Ctx) -> str:
    d = ctx.draft
    parts: list[str] = [key for key in ("ingress", "autoscale", "disruptionBudget", "networkPolicy") if key in d]
    if d.get("security") not in (None, "none"):
        parts.append(f"security {d['security']}")
    return ", ".join(parts) or "none"


EXTRAS = Section(
    "extras", "Extras",
    intro="What travels with a production app: an Ingress, an autoscaler, a disruption budget, "
    "a network policy and a security profile. Enter keeps each as it is.",
    items=(
        Question("ingress", "Ingress host name (empty: no Ingress):", when=_has_service,
                 default=lambda c: str((_draft_dict(c, "ingress") or {}).get("host", "")), validator=optional(_host)),
        Question("tls", "Serve HTTPS on it (TLS certificate in the Secret <name>-tls)?", "confirm",
                 when=lambda c: bool(c.here("ingress")),
                 default=lambda c: (_draft_dict(c, "ingress") or {}).get("tls") not in (None, False)),
        Question("autoscale", "Autoscale up to how many replicas (0: no autoscaler)?", "int", when=_is_deployment,
                 default=lambda c: (_draft_dict(c, "autoscale") or {}).get("max", 0),
                 validator=every(whole(0, 1000, "the maximum"), _autoscale_max)),
        Question("cpu", "Target cpu utilization, in percent of the cpu request:", "int",
                 when=lambda c: bool(c.here("autoscale")),
                 default=lambda c: (_draft_dict(c, "autoscale") or {}).get("cpu", 70), validator=whole(1, 1000, "the target")),
        Question("disruptionBudget", "Keep all but one pod running during node drains (PodDisruptionBudget)?", "confirm",
                 when=lambda c: _is_deployment(c) and (c.draft.get("replicas", 1) >= 2 or bool(c.here("autoscale"))),
                 default=lambda c: _draft_dict(c, "disruptionBudget") is not None),
        Question("networkPolicy", "NetworkPolicy:", "select",
                 choices=lambda c: options(["none", "namespace", "dns"], NETWORK_TITLES), default=_network_now),
        Question("security", "Security profile:", "select",
                 choices=lambda c: options(vocab.allowed("security"), SECURITY_TITLES),
                 default=lambda c: str(c.draft.get("security", "none"))),
    ),
    build=_build_extras, summary=_sum_extras,
)

#: The sections, in the order they are asked (and listed in the review menu).
SECTIONS: tuple[Section, ...] = (BASICS, WORKLOAD, CONTAINER, PORTS, RESOURCES, PROBES, LIFECYCLE, INIT, VOLUMES, SERVICE, EXTRAS)

# ---------------------------------------------------------------------------------------
# Review and files (asked of a person only; never saved in, nor replayed from, answers files)

REVIEW_ACTION = Question(
    "review.action", "What now?", "select", record=False,
    choices=lambda c: [
        Option("write", "Write the files", disabled="fix the problems first" if c.item else None),
        Option("edit", "Edit a section"),
        Option("cancel", "Cancel (write nothing)"),
    ],
    default=lambda c: "edit" if c.item else "write",
)
REVIEW_SECTION = Question(
    "review.section", "Which section?", "select", record=False, default="basics",
    choices=lambda c: [Option(s.key, f"{s.title}: {s.summary(c)}") for s in SECTIONS],
)
OVERWRITE = Question("write.overwrite.{name}", lambda c: f"{c.item} already exists. Overwrite it?", "confirm",
                     default=False, record=False)
OTHER_FILE = Question(
    "write.other.{name}",
    lambda c: f"Write the {'manifests' if c.name == 'manifests' else 'preset'} to which file instead? (empty: back to the menu)",
    record=False,
)
