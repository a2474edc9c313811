"""docker-compose files -> presets, one per service, with a report of every key not translated.

Each compose service becomes one preset (a Deployment, or a bare Pod for ``restart: "no"`` /
``on-failure``) with a Service when it has ports. Choices made differently from kompose (see
docs/import.md) so that the output passes ``scaffold validate`` and keeps working in a
cluster:

- The Service listens on the *container* ports, the ports other compose services used
  (``db:5432``); a published host port (``"15432:5432"``) is host access, for which the report
  suggests ``kubectl port-forward``.
- ``command`` is the image's CMD, so it becomes ``args``; ``entrypoint`` becomes ``command``.
- Names are made valid Kubernetes names (``my_app`` -> ``my-app``) and every rename is reported.
- A ``healthcheck`` becomes readiness and liveness exec probes with the same timings.
- Named volumes become PersistentVolumeClaims (emitted with the pass-through objects, as the
  format cannot render claims yet), bind mounts hostPath volumes with a warning.
- Every key that is not translated is reported at its line, with what to do instead.
"""

from __future__ import annotations

import math
import os
import re
import shlex
from fractions import Fraction
from typing import Any

from ..errors import Issue, Located, PresetError
from ..paths import Path
from ..preset.schema import API_VERSION
from .kinds import WORKLOADS
from .result import ImportedPreset, ImportResult, PassedThrough

#: Docker's healthcheck defaults (interval, timeout, retries, start period).
HEALTHCHECK_DEFAULTS = {"interval": 30, "timeout": 30, "retries": 3, "start_period": 0}
#: The size of a PersistentVolumeClaim made for a named volume (compose has no size).
CLAIM_SIZE = "1Gi"
MAX_PORT_RANGE = 100

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*\Z")

#: Keys that are not translated, and what to do instead.
UNTRANSLATED: dict[str, str] = {
    "build": "build and push the image, then set image",
    "container_name": "Kubernetes names pods itself; other services reach this one by its Service name",
    "depends_on": "Kubernetes starts every pod at once and does not order them: make the app retry its connections "
    "(or add an initContainer that waits for the dependency, e.g. until nc -z db 5432; do sleep 1; done), "
    "and give the dependency a readinessProbe so its Service routes only when it is ready",
    "links": "not needed: every pod reaches the others by their Service names",
    "external_links": "not needed: every pod reaches the others by their Service names",
    "networks": "a cluster has one flat pod network; restrict traffic with a NetworkPolicy",
    "network_mode": "a cluster has one flat pod network",
    "logging": "the kubelet keeps container logs (kubectl logs); ship them with a cluster logging agent",
    "profiles": "import the services you want; there are no profiles in Kubernetes",
    "secrets": "create a Secret and mount it as a volume (secret: {secretName: ...})",
    "configs": "create a ConfigMap and mount it as a volume (configMap: {name: ...})",
    "ulimits": "not supported by Kubernetes",
    "sysctls": "set them in the pod's securityContext.sysctls with a patch (unsafe ones need kubelet settings)",
    "devices": "not supported by Kubernetes without a device plugin",
    "dns": "the cluster DNS serves pods; use a patch with spec.dnsConfig if you must",
    "dns_search": "the cluster DNS serves pods; use a patch with spec.dnsConfig if you must",
    "security_opt": "use the container securityContext (seccompProfile, appArmorProfile, seLinuxOptions)",
    "stop_signal": "not supported by Kubernetes: the container gets SIGTERM (use a preStop hook)",
    "platform": "schedule on matching nodes with nodeSelector {kubernetes.io/arch: ...}",
    "pid": "hostPID is a Pod Security risk; add it with a patch only if you must",
    "ipc": "hostIPC is a Pod Security risk; add it with a patch only if you must",
    "cgroup_parent": "not supported by Kubernetes",
    "init": "not supported by Kubernetes: use an image with an init process (tini) if you need one",
    "shm_size": "mount an emptyDir with medium: Memory at /dev/shm",
    "extends": "not followed: inline the extended service",
    "develop": "a compose development setting; nothing to translate",
    "attach": "a compose setting; nothing to translate",
    "scale": "use deploy.replicas",
}

_DEPLOY_UNTRANSLATED = {
    "mode": "global mode is a DaemonSet, which the preset format cannot render yet",
    "placement": "use nodeSelector (or affinity with a patch)",
    "update_config": "a Deployment rolls out with its strategy (maxSurge / maxUnavailable, via a patch)",
    "rollback_config": "kubectl rollout undo rolls a Deployment back",
    "endpoint_mode": "a Service balances over the pods itself",
    "labels": "not translated: use the service's labels (annotations on the workload)",
}


class _Context:
    """One compose file being imported: its marks, its directory, the report."""

    def __init__(self, located: Located, base_dir: str) -> None:
        self.located = located
        self.base_dir = base_dir
        self.report: list[Issue] = []
        self.claims: dict[str, dict[str, Any]] = {}
        self.claim_users: dict[str, list[str]] = {}

    def note(self, path: Path, message: str, *, severity: str = "warning", rule: str = "compose", obj: str | None = None) -> None:
        line, column = self.located.mark(path)
        self.report.append(Issue("", message, severity, rule, line, column, self.located.source, obj=obj))  # type: ignore[arg-type]


# ---------------------------------------------------------------- small parsers


def kube_name(name: str) -> str:
    """A DNS-1123 label from a compose name: ``My_App.1`` -> ``my-app-1``."""
    text = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    text = re.sub(r"-{2,}", "-", text)[:63].strip("-")
    return text or "app"


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)")
_UNIT_SECONDS: dict[str, Fraction] = {"h": Fraction(3600), "m": Fraction(60), "s": Fraction(1), "ms": Fraction(1, 1000), "us": Fraction(1, 10**6), "µs": Fraction(1, 10**6), "ns": Fraction(1, 10**9)}


def duration_seconds(value: Any) -> int | None:
    """A compose duration (``1m30s``, ``10s``, ``500ms``; a number is seconds) in whole seconds,
    rounded up; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return max(0, math.ceil(value))
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    total = Fraction(0)
    pos = 0
    for m in _DURATION.finditer(text):
        if m.start() != pos:
            return None
        total += Fraction(m.group(1)) * _UNIT_SECONDS[m.group(2)]
        pos = m.end()
    if pos != len(text):
        return None
    return math.ceil(total)


_MEMORY = re.compile(r"(\d+(?:\.\d+)?)\s*([bkmgt]?)b?", re.IGNORECASE)


def memory_quantity(value: Any) -> str | None:
    """Docker's memory (``512m``, ``1g``, ``1.5G``, bytes; binary units) as a Kubernetes quantity."""
    from ..k8s.quantities import format_memory

    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return format_memory(value) if value >= 0 else None
    m = _MEMORY.fullmatch(str(value).strip())
    if not m:
        return None
    power = "bkmgt".index(m.group(2).lower() or "b")
    amount = Fraction(m.group(1)) * (1024**power)
    if amount.denominator != 1:
        amount = Fraction(math.ceil(amount))
    return format_memory(amount)


def cpu_quantity(value: Any) -> str | None:
    """Docker's ``cpus`` (``0.5``, ``"1.5"``) as a Kubernetes CPU quantity (``500m``, ``1500m``)."""
    from ..k8s.quantities import format_cpu

    if isinstance(value, bool):
        return None
    try:
        amount = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        return None
    if amount < 0:
        return None
    millis = math.ceil(amount * 1000)
    return format_cpu(Fraction(millis, 1000))


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return str(value)


def _words(value: Any) -> list[str] | None:
    """A compose command: a list (items as text), or a string split as a shell would."""
    if isinstance(value, list):
        return [_scalar_text(v) for v in value]
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError:
            return None
    return None


_PORT_RANGE = re.compile(r"(\d+)(?:-(\d+))?\Z")


def _range(text: str) -> list[int] | None:
    m = _PORT_RANGE.match(text.strip())
    if not m:
        return None
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else start
    if end < start or end - start >= MAX_PORT_RANGE:
        return None
    return list(range(start, end + 1))


def parse_port(spec: Any) -> tuple[list[tuple[int, str]], list[str]] | None:
    """One ``ports:`` entry -> ``([(container port, protocol)], [published host ports])``.

    Short syntax ``[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`` (ranges too), an
    integer, or the long syntax ``{target, published, protocol, host_ip}``. None if unreadable.
    """
    if isinstance(spec, bool):
        return None
    if isinstance(spec, int):
        return [(spec, "TCP")], []
    if isinstance(spec, dict):
        target = spec.get("target")
        if isinstance(target, str) and target.isdigit():
            target = int(target)
        if not isinstance(target, int) or isinstance(target, bool):
            return None
        protocol = str(spec.get("protocol") or "tcp").upper()
        published = spec.get("published")
        return [(target, protocol)], [str(published)] if published not in (None, "") else []
    if not isinstance(spec, str):
        return None
    text, _, protocol = spec.strip().partition("/")
    protocol = (protocol or "tcp").upper()
    if text.startswith("["):  # [::1]:6001:6001
        close = text.find("]")
        if close < 0:
            return None
        text = text[close + 2:] if text[close + 1: close + 2] == ":" else ""
    parts = text.split(":")
    if len(parts) > 3 or not parts[-1]:
        return None
    containers = _range(parts[-1])
    if containers is None:
        return None
    host = parts[-2] if len(parts) >= 2 else ""
    published = [host] if host else []
    return [(p, protocol) for p in containers], published


# ---------------------------------------------------------------- one service


class _Service:
    """The translation of one compose service, collected key by key."""

    def __init__(self, ctx: _Context, compose_name: str, name: str, body: dict[str, Any]) -> None:
        self.ctx = ctx
        self.compose_name = compose_name
        self.name = name
        self.body = body
        self.container: dict[str, Any] = {"name": name}
        self.preset: dict[str, Any] = {"apiVersion": API_VERSION, "name": name}
        self.volumes: list[dict[str, Any]] = []
        self.ports: list[tuple[int, str]] = []
        self.pod_patch: dict[str, Any] = {}
        self.container_patch: dict[str, Any] = {}
        self.allow_host_paths: list[str] = []

    def at(self, *path: str | int) -> Path:
        return ("services", self.compose_name, *path)

    def note(self, key: Path | str, message: str, *, severity: str = "warning", rule: str = "compose") -> None:
        path = self.at(key) if isinstance(key, str) else key
        self.ctx.note(path, message, severity=severity, rule=rule, obj=f"service {self.compose_name}")

    def untranslated(self, key: Path | str, advice: str) -> None:
        shown = key if isinstance(key, str) else ".".join(str(p) for p in key[2:])
        self.note(key, f"{shown}: not translated: {advice}", rule="compose-untranslated")

    # -- keys ------------------------------------------------------------------

    def translate(self) -> None:
        handlers = {
            "image": self.image,
            "build": self.build,
            "command": self.command,
            "entrypoint": self.entrypoint,
            "environment": self.environment,
            "env_file": self.env_file,
            "ports": self.ports_key,
            "expose": self.expose,
            "volumes": self.volumes_key,
            "tmpfs": self.tmpfs,
            "healthcheck": self.healthcheck,
            "deploy": self.deploy,
            "restart": self.restart,
            "working_dir": lambda v: self.simple("workingDir", v, str),
            "user": self.user,
            "privileged": lambda v: self.security("privileged", v),
            "read_only": lambda v: self.security("readOnlyRootFilesystem", v),
            "cap_add": lambda v: self.capabilities("add", v),
            "cap_drop": lambda v: self.capabilities("drop", v),
            "labels": self.labels,
            "pull_policy": self.pull_policy,
            "stop_grace_period": self.stop_grace_period,
            "mem_limit": lambda v: self.resource("limits", "memory", memory_quantity(v), "mem_limit", v),
            "mem_reservation": lambda v: self.resource("requests", "memory", memory_quantity(v), "mem_reservation", v),
            "cpus": lambda v: self.resource("limits", "cpu", cpu_quantity(v), "cpus", v),
            "hostname": lambda v: self.pod_field("hostname", kube_name(str(v)), "hostname"),
            "domainname": lambda v: self.pod_field("subdomain", kube_name(str(v)), "domainname"),
            "extra_hosts": self.extra_hosts,
            "tty": lambda v: self.container_field("tty", v, "tty"),
            "stdin_open": lambda v: self.container_field("stdin", v, "stdin_open"),
        }
        restart = self.body.get("restart")
        deploy_restart = (self.body.get("deploy") or {}).get("restart_policy") if isinstance(self.body.get("deploy"), dict) else None
        self.kind = self._kind(restart, deploy_restart)
        for key, value in self.body.items():
            if key in handlers:
                handlers[key](value)
            elif key.startswith("x-"):
                self.note(key, f"{key}: an extension field; ignored", severity="notice", rule="compose-untranslated")
            elif key in UNTRANSLATED:
                self.untranslated(key, UNTRANSLATED[key])
            else:
                self.untranslated(key, "scaffold does not know this compose key")

    def image(self, value: Any) -> None:
        if isinstance(value, str) and value:
            self.container["image"] = value
        else:
            self.note("image", "image must be a text such as nginx:1.27")

    def build(self, value: Any) -> None:
        if "image" not in self.body:
            self.container["image"] = f"{self.name}:latest"
            self.untranslated("build", f"build and push the image, then set image (the preset uses {self.name}:latest until then)")
        else:
            self.untranslated("build", "the image is built elsewhere; the preset uses image")

    def command(self, value: Any) -> None:
        words = _words(value)
        if words is None:
            self.note("command", "command is neither a list nor a text a shell can split; not translated")
        elif words:
            self.container["args"] = words  # compose command replaces the image's CMD: Kubernetes args

    def entrypoint(self, value: Any) -> None:
        words = _words(value)
        if words is None:
            self.note("entrypoint", "entrypoint is neither a list nor a text a shell can split; not translated")
        elif words:
            self.container["command"] = words  # replaces the image's ENTRYPOINT: Kubernetes command

    def _env(self, name: Any, value: Any, where: Path) -> None:
        name = str(name)
        if not _ENV_NAME.match(name):
            self.note(where, f"environment variable {name!r} is not a name Kubernetes accepts ([-._a-zA-Z][-._a-zA-Z0-9]*); left out")
            return
        text = _scalar_text(value).replace("$$", "$")
        if re.search(r"\$\{?[A-Za-z_]", _scalar_text(value).replace("$$", "")):
            self.note(where, f"{name}: {text!r} uses compose variable substitution, which is not performed; write the value", severity="notice")
        env = self.container.setdefault("env", {})
        env.pop(name, None)
        env[name] = text

    def environment(self, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    self.note(self.at("environment", key), f"variable name {key!r} is not text (YAML 1.1 reads ON, YES, NO as true/false); quote it; left out")
                elif item is None:
                    self.note(self.at("environment", key), f"{key} has no value (compose takes it from the shell); left out: write the value")
                else:
                    self._env(key, item, self.at("environment", key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                text = _scalar_text(item)
                if "=" not in text:
                    self.note(self.at("environment", index), f"{text} has no value (compose takes it from the shell); left out: write NAME=value")
                    continue
                key, _, val = text.partition("=")
                self._env(key, val, self.at("environment", index))
        else:
            self.note("environment", "environment is neither a mapping nor a list; not translated")

    def env_file(self, value: Any) -> None:
        entries = value if isinstance(value, list) else [value]
        for index, entry in enumerate(entries):
            where = self.at("env_file", index) if isinstance(value, list) else self.at("env_file")
            required = True
            if isinstance(entry, dict):
                required = entry.get("required", True) is not False
                entry = entry.get("path")
            if not isinstance(entry, str):
                self.note(where, "env_file entry is not a path; not translated")
                continue
            path = os.path.join(self.ctx.base_dir, entry)
            try:
                with open(path, encoding="utf-8") as fh:
                    lines = fh.read().splitlines()
            except OSError as err:
                self.note(where, f"env_file {entry}: cannot read it ({err.strerror or err}); its variables are missing", severity="warning" if required else "notice")
                continue
            count = 0
            for line in lines:
                text = line.strip()
                if not text or text.startswith("#"):
                    continue
                if text.startswith("export "):
                    text = text[len("export "):].lstrip()
                key, sep, val = text.partition("=")
                if not sep:
                    continue
                val = val.strip()
                if len(val) >= 2 and val[0] == val[-1] and val[0] in "'\"":
                    val = val[1:-1]
                existing = self.body.get("environment")
                overridden = (isinstance(existing, dict) and key.strip() in existing) or (
                    isinstance(existing, list) and any(_scalar_text(e).partition("=")[0] == key.strip() for e in existing)
                )
                if not overridden:
                    self._env(key.strip(), val, where)
                count += 1
            self.note(where, f"env_file {entry}: {count} variable{'s' if count != 1 else ''} written into the preset's env; "
                      "keep secrets out of it (use a Secret and envFrom)", severity="notice")

    def _add_port(self, port: int, protocol: str, where: Path) -> None:
        if protocol not in ("TCP", "UDP", "SCTP"):
            self.note(where, f"protocol {protocol!r} is not TCP, UDP or SCTP; port {port} left out")
            return
        if (port, protocol) not in self.ports:
            self.ports.append((port, protocol))

    def ports_key(self, value: Any) -> None:
        if not isinstance(value, list):
            self.note("ports", "ports is not a list; not translated")
            return
        for index, spec in enumerate(value):
            where = self.at("ports", index)
            parsed = parse_port(spec)
            if parsed is None:
                self.note(where, f"port {spec!r} cannot be read; write 8080:80 or {{target: 80, published: 8080}}")
                continue
            ports, published = parsed
            for port, protocol in ports:
                self._add_port(port, protocol, where)
            host_ip = spec.get("host_ip") if isinstance(spec, dict) else None
            if isinstance(spec, str) and spec.count(":") >= 2:
                host_ip = spec.rsplit(":", 2)[0]
            if published:
                target = ports[0][0] if len(ports) == 1 else f"{ports[0][0]}-{ports[-1][0]}"
                self.note(
                    where,
                    f"published host port {published[0]} -> {target}: the Service listens on {target}, as other services "
                    f"used it; from your machine use kubectl port-forward svc/{self.name} {published[0].split('-')[0]}:{ports[0][0]}"
                    + (f" (host_ip {host_ip} is not translated)" if host_ip else ""),
                    severity="notice",
                )

    def expose(self, value: Any) -> None:
        if not isinstance(value, list):
            self.note("expose", "expose is not a list; not translated")
            return
        for index, spec in enumerate(value):
            parsed = parse_port(spec if isinstance(spec, int) else str(spec).split(":")[-1])
            if parsed is None:
                self.note(self.at("expose", index), f"expose {spec!r} cannot be read; write a port number")
                continue
            for port, protocol in parsed[0]:
                self._add_port(port, protocol, self.at("expose", index))

    def _volume_name(self, wanted: str) -> str:
        base = kube_name(wanted)
        name, n = base, 2
        while any(v["name"] == name for v in self.volumes):
            name, n = f"{base}-{n}", n + 1
        return name

    def _mount(self, source: dict[str, Any], target: str, read_only: bool, wanted: str) -> None:
        name = self._volume_name(wanted)
        self.volumes.append({"name": name, **source})
        mount: dict[str, Any] = {"name": name, "mountPath": target}
        if read_only:
            mount["readOnly"] = True
        self.container.setdefault("volumeMounts", []).append(mount)

    def _named_volume(self, volume: str, target: str, read_only: bool, where: Path) -> None:
        top = self.ctx.located.data.get("volumes") if isinstance(self.ctx.located.data, dict) else None
        spec = top.get(volume) if isinstance(top, dict) else None
        if isinstance(top, dict) and volume not in top:
            self.note(where, f"volume {volume!r} is not declared under the top-level volumes; treated as a named volume")
        spec = spec if isinstance(spec, dict) else {}
        claim = kube_name(str(spec.get("name") or volume))
        self._mount({"persistentVolumeClaim": {"claimName": claim}}, target, read_only, volume)
        users = self.ctx.claim_users.setdefault(claim, [])
        if self.name not in users:
            users.append(self.name)
        if spec.get("external"):
            self.note(where, f"volume {volume}: external, so the PersistentVolumeClaim {claim} must exist before apply", severity="notice")
            return
        if claim not in self.ctx.claims:
            self.ctx.claims[claim] = {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": claim},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": CLAIM_SIZE}}},
            }
            for key in ("driver", "driver_opts", "labels"):
                if key in spec:
                    self.ctx.note(("volumes", volume, key), f"volumes.{volume}.{key}: not translated: set the claim's storageClassName instead", rule="compose-untranslated")
            self.note(
                where,
                f"named volume {volume} -> PersistentVolumeClaim {claim} ({CLAIM_SIZE}, ReadWriteOnce: compose has no size; "
                "set the size and storage class you need)",
                severity="notice",
            )

    def _bind(self, source: str, target: str, read_only: bool, where: Path) -> None:
        path = os.path.expanduser(source)
        if not os.path.isabs(path):
            path = os.path.normpath(os.path.join(os.path.abspath(self.ctx.base_dir), path))
        self._mount({"hostPath": {"path": path}}, target, read_only, os.path.basename(path.rstrip("/")) or "host")
        from ..rules.volumes import sensitive

        hit = sensitive(path)
        message = (
            f"bind mount {source} -> hostPath {path}: a path on whichever node runs the pod, not on your machine; "
            "use a ConfigMap for configuration files, a PersistentVolumeClaim for data"
        )
        if hit:
            self.allow_host_paths.append(path)
            message += f"; {hit} gives the container control of the node, allowed on purpose in checks.allowHostPaths: review it"
        self.note(where, message)

    def volumes_key(self, value: Any) -> None:
        if not isinstance(value, list):
            self.note("volumes", "volumes is not a list; not translated")
            return
        for index, spec in enumerate(value):
            where = self.at("volumes", index)
            if isinstance(spec, dict):
                kind = spec.get("type", "volume")
                source, target = spec.get("source"), spec.get("target")
                read_only = bool(spec.get("read_only"))
                if not isinstance(target, str):
                    self.note(where, "volume without a target path; not translated")
                elif kind == "volume" and isinstance(source, str) and source:
                    self._named_volume(source, target, read_only, where)
                elif kind == "volume":
                    self._mount({"emptyDir": {}}, target, read_only, target.rstrip("/").rsplit("/", 1)[-1] or "data")
                    self.note(where, f"anonymous volume {target} -> emptyDir (deleted with the pod)", severity="notice")
                elif kind == "bind" and isinstance(source, str):
                    self._bind(source, target, read_only, where)
                elif kind == "tmpfs":
                    size = memory_quantity((spec.get("tmpfs") or {}).get("size")) if isinstance(spec.get("tmpfs"), dict) and "size" in spec["tmpfs"] else None
                    self._mount({"emptyDir": {"medium": "Memory", **({"sizeLimit": size} if size else {})}}, target, False, "tmpfs")
                else:
                    self.untranslated(where, f"a {kind} volume has no Kubernetes counterpart here")
                continue
            if not isinstance(spec, str):
                self.note(where, f"volume {spec!r} cannot be read")
                continue
            parts = spec.split(":")
            if len(parts) == 1:
                self._mount({"emptyDir": {}}, parts[0], False, parts[0].rstrip("/").rsplit("/", 1)[-1] or "data")
                self.note(where, f"anonymous volume {parts[0]} -> emptyDir (deleted with the pod)", severity="notice")
                continue
            source, target = parts[0], parts[1]
            modes = parts[2].split(",") if len(parts) > 2 else []
            read_only = "ro" in modes
            if source.startswith((".", "/", "~")):
                self._bind(source, target, read_only, where)
            else:
                self._named_volume(source, target, read_only, where)

    def tmpfs(self, value: Any) -> None:
        for index, path in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(path, str) and path:
                self._mount({"emptyDir": {"medium": "Memory"}}, path.split(":")[0], False, "tmpfs")
            else:
                self.note(self.at("tmpfs", index) if isinstance(value, list) else self.at("tmpfs"), "tmpfs entry is not a path")

    def healthcheck(self, value: Any) -> None:
        if not isinstance(value, dict):
            self.note("healthcheck", "healthcheck is not a mapping; not translated")
            return
        if value.get("disable") is True:
            return
        test = value.get("test")
        if isinstance(test, str):
            command = ["/bin/sh", "-c", test]
        elif isinstance(test, list) and test and test[0] == "CMD" and len(test) > 1:
            command = [_scalar_text(t) for t in test[1:]]
        elif isinstance(test, list) and len(test) == 2 and test[0] == "CMD-SHELL":
            command = ["/bin/sh", "-c", _scalar_text(test[1])]
        elif isinstance(test, list) and test[:1] == ["NONE"]:
            return
        else:
            self.note(self.at("healthcheck", "test"), "healthcheck test cannot be read (CMD, CMD-SHELL or a text); not translated")
            return
        timing: dict[str, int] = {}
        for key, field in (("start_period", "initialDelaySeconds"), ("interval", "periodSeconds"), ("timeout", "timeoutSeconds")):
            seconds = duration_seconds(value[key]) if key in value else HEALTHCHECK_DEFAULTS[key]
            if seconds is None:
                self.note(self.at("healthcheck", key), f"healthcheck {key} {value[key]!r} is not a duration; Docker's default used")
                seconds = HEALTHCHECK_DEFAULTS[key]
            if field != "initialDelaySeconds":
                seconds = max(1, seconds)
            if seconds or field != "initialDelaySeconds":
                timing[field] = seconds
        retries = value.get("retries", HEALTHCHECK_DEFAULTS["retries"])
        timing["failureThreshold"] = retries if isinstance(retries, int) and not isinstance(retries, bool) and retries > 0 else 3
        if "start_interval" in value:
            self.untranslated(self.at("healthcheck", "start_interval"), "Kubernetes probes have one period (a startupProbe can check more often at start)")
        probe = {"exec": {"command": command}, **timing}
        self.container["readinessProbe"] = probe
        self.container["livenessProbe"] = dict(probe, exec={"command": list(command)})

    def deploy(self, value: Any) -> None:
        if not isinstance(value, dict):
            self.note("deploy", "deploy is not a mapping; not translated")
            return
        for key, item in value.items():
            where = self.at("deploy", key)
            if key == "replicas":
                if isinstance(item, int) and not isinstance(item, bool) and item >= 0:
                    self.preset["replicas"] = item
                else:
                    self.note(where, f"replicas {item!r} is not a whole number; not translated")
            elif key == "resources" and isinstance(item, dict):
                for compose_kind, kube_kind in (("limits", "limits"), ("reservations", "requests")):
                    block = item.get(compose_kind)
                    if not isinstance(block, dict):
                        continue
                    for field, amount in block.items():
                        if field == "cpus":
                            self.resource(kube_kind, "cpu", cpu_quantity(amount), f"deploy.resources.{compose_kind}.cpus", amount)
                        elif field == "memory":
                            self.resource(kube_kind, "memory", memory_quantity(amount), f"deploy.resources.{compose_kind}.memory", amount)
                        else:
                            self.untranslated(self.at("deploy", "resources", compose_kind, field), "no Kubernetes resource of that name (GPUs: nvidia.com/gpu limits via resources)")
            elif key == "restart_policy":
                for sub in item if isinstance(item, dict) else {}:
                    if sub != "condition":
                        self.untranslated(self.at("deploy", "restart_policy", sub), "the kubelet restarts containers with its own back-off")
            elif key in _DEPLOY_UNTRANSLATED:
                self.untranslated(where, _DEPLOY_UNTRANSLATED[key])
            else:
                self.untranslated(where, "scaffold does not know this deploy key")

    def _kind(self, restart: Any, deploy_restart: Any) -> str:
        condition = deploy_restart.get("condition") if isinstance(deploy_restart, dict) else None
        policy = {"none": "Never", "on-failure": "OnFailure", "any": "Always"}.get(str(condition)) if condition else None
        if isinstance(restart, str):
            text = restart.split(":")[0]
            policy = {"no": "Never", "on-failure": "OnFailure", "always": "Always", "unless-stopped": "Always"}.get(text, policy)
        elif restart is False:  # restart: no, read by YAML 1.1 as false
            policy = "Never"
        if policy in ("Never", "OnFailure"):
            self.preset["restartPolicy"] = policy
            return "Pod"
        return "Deployment"

    def restart(self, value: Any) -> None:
        if self.kind == "Pod":
            self.note("restart", f"restart: {value if value is not False else 'no'} -> a bare Pod with restartPolicy "
                      f"{self.preset['restartPolicy']} (a Deployment always restarts); a Job suits a one-off task better", severity="notice")
        elif isinstance(value, str) and value.split(":")[0] not in ("always", "unless-stopped", "no", "on-failure"):
            self.note("restart", f"restart {value!r} is not a compose restart policy; a Deployment (always restarts) is used")

    def simple(self, field: str, value: Any, kind: type) -> None:
        if isinstance(value, kind):
            self.container[field] = value
        else:
            self.note(field, f"{field} {value!r} is not a {kind.__name__}; not translated")

    def user(self, value: Any) -> None:
        text = _scalar_text(value)
        m = re.fullmatch(r"(\d+)(?::(\d+))?", text)
        if not m:
            self.untranslated("user", f"user {text!r} is a name; Kubernetes needs numeric ids (securityContext.runAsUser / runAsGroup)")
            return
        context = self.container.setdefault("securityContext", {})
        context["runAsUser"] = int(m.group(1))
        if m.group(2):
            context["runAsGroup"] = int(m.group(2))

    def security(self, field: str, value: Any) -> None:
        if isinstance(value, bool):
            self.container.setdefault("securityContext", {})[field] = value
        else:
            self.note(field, f"{value!r} is not true or false; not translated")

    def capabilities(self, which: str, value: Any) -> None:
        if not isinstance(value, list):
            self.note(f"cap_{which}", "not a list; not translated")
            return
        caps = [str(c).upper().removeprefix("CAP_") for c in value]
        context = self.container.setdefault("securityContext", {})
        context.setdefault("capabilities", {})[which] = caps

    def labels(self, value: Any) -> None:
        items = value.items() if isinstance(value, dict) else (
            (str(v).partition("=")[0], str(v).partition("=")[2]) for v in value
        ) if isinstance(value, list) else None
        if items is None:
            self.note("labels", "labels is neither a mapping nor a list; not translated")
            return
        self.preset.setdefault("annotations", {}).update({str(k): _scalar_text(v) for k, v in items})
        self.note("labels", "labels -> annotations on the workload (container labels are metadata, like annotations)", severity="notice")

    def pull_policy(self, value: Any) -> None:
        policy = {"always": "Always", "never": "Never", "missing": "IfNotPresent", "if_not_present": "IfNotPresent"}.get(str(value))
        if policy:
            self.container["imagePullPolicy"] = policy
        else:
            self.untranslated("pull_policy", f"{value!r} has no Kubernetes imagePullPolicy (Always, IfNotPresent, Never)")

    def stop_grace_period(self, value: Any) -> None:
        seconds = duration_seconds(value)
        if seconds is None:
            self.note("stop_grace_period", f"{value!r} is not a duration; not translated")
        else:
            self.preset["terminationGracePeriodSeconds"] = seconds

    def resource(self, kind: str, name: str, quantity: str | None, key: str, raw: Any) -> None:
        where = self.at(*key.split("."))
        if quantity is None:
            self.note(where, f"{key} {raw!r} cannot be read as a quantity; not translated")
            return
        self.container.setdefault("resources", {}).setdefault(kind, {})[name] = quantity

    def pod_field(self, field: str, value: Any, key: str) -> None:
        self.pod_patch[field] = value
        self.note(key, f"{key} -> pod {field} (kept as a patch: the preset format has no field for it)", severity="notice")

    def container_field(self, field: str, value: Any, key: str) -> None:
        if isinstance(value, bool):
            self.container_patch[field] = value
            self.note(key, f"{key} -> container {field} (kept as a patch: the preset format has no field for it)", severity="notice")
        else:
            self.note(key, f"{value!r} is not true or false; not translated")

    def extra_hosts(self, value: Any) -> None:
        pairs: list[tuple[str, str]] = []
        if isinstance(value, dict):
            pairs = [(str(k), _scalar_text(v)) for k, v in value.items()]
        elif isinstance(value, list):
            for item in value:
                text = str(item)
                host, sep, ip = text.partition("=") if "=" in text else text.partition(":")
                if sep:
                    pairs.append((host, ip))
        by_ip: dict[str, list[str]] = {}
        for host, ip in pairs:
            by_ip.setdefault(ip.strip("[]"), []).append(host)
        if by_ip:
            self.pod_field("hostAliases", [{"ip": ip, "hostnames": hosts} for ip, hosts in by_ip.items()], "extra_hosts")

    # -- the preset --------------------------------------------------------------

    def finish(self) -> dict[str, Any]:
        """The preset, in the schema's order."""
        from .manifests import _ordered

        if "image" not in self.container:
            self.container["image"] = f"{self.name}:latest"
            self.note(self.at(), f"no image (and no build): the preset uses {self.name}:latest; set image")
        if self.ports:
            several = len(self.ports) > 1
            self.container["ports"] = [
                _port_entry(port, protocol, several) for port, protocol in self.ports
            ]
        order = ["name", "image", "imagePullPolicy", "command", "args", "workingDir", "env", "ports", "resources",
                 "livenessProbe", "readinessProbe", "volumeMounts", "securityContext"]
        container = {k: self.container[k] for k in order if k in self.container}
        if "resources" in container:
            container["resources"] = {k: container["resources"][k] for k in ("requests", "limits") if k in container["resources"]}
        if self.kind != "Deployment":
            self.preset["kind"] = self.kind
            if self.preset.get("replicas", 1) != 1:
                self.note(("services", self.compose_name, "deploy", "replicas"), "replicas of a bare Pod service: the preset renders that many Pods", severity="notice")
        self.preset["containers"] = [container]
        if self.volumes:
            self.preset["volumes"] = self.volumes
        if self.ports:
            self.preset["service"] = True
        else:
            self.note(self.at(), "no ports or expose: no Service, so other services cannot reach this one by name "
                      "(add expose: [PORT] if they connect to it)", severity="notice")
        patches: list[dict[str, Any]] = []
        pod_path = WORKLOADS[self.kind].pod_spec
        if self.pod_patch:
            merge: dict[str, Any] = dict(self.pod_patch)
            for part in reversed(pod_path):
                merge = {str(part): merge}
            patches.append({"target": {"kind": self.kind}, "merge": merge})
        if self.container_patch:
            base = "/" + "/".join(str(p) for p in pod_path) + "/containers/0/"
            patches.append({"target": {"kind": self.kind}, "json": [
                {"op": "add", "path": base + field, "value": value} for field, value in self.container_patch.items()
            ]})
        if patches:
            self.preset["patches"] = patches
        if self.allow_host_paths:
            self.preset["checks"] = {"allowHostPaths": self.allow_host_paths}
        return _ordered(self.preset)


def _port_entry(port: int, protocol: str, named: bool) -> Any:
    """A containerPort; named (``port-80``, ``port-53-udp``) when there are several, as Service
    ports then need names."""
    if not named:
        return port if protocol == "TCP" else f"{port}/{protocol}"
    name = f"port-{port}" + ("" if protocol == "TCP" else f"-{protocol.lower()}")
    return f"{name}:{port}" + ("" if protocol == "TCP" else f"/{protocol}")


# ---------------------------------------------------------------- the file


_TOP_LEVEL = {
    "version": ("obsolete in the compose specification; ignored", "notice"),
    "name": ("the project name; a namespace would be the Kubernetes counterpart (kubectl -n)", "notice"),
    "networks": ("a cluster has one flat pod network; restrict traffic with NetworkPolicies", "warning"),
    "secrets": ("create Secrets and mount them", "warning"),
    "configs": ("create ConfigMaps and mount them", "warning"),
    "include": ("not followed: import the included files too", "warning"),
}


def import_compose(text: str | bytes, *, source: str = "<string>", base_dir: str = ".") -> ImportResult:
    """The presets of a compose file's services, the claims of its named volumes, and a report."""
    from ..loader import load_yaml

    located = load_yaml(text, source=source)
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
        raise PresetError([Issue("", "a compose file is a mapping with services:", rule="compose", file=source, line=1, column=1)])
    ctx = _Context(located, base_dir)
    for key in data:
        if key in ("services", "volumes"):
            continue
        if str(key).startswith("x-"):
            ctx.note((key,), f"{key}: an extension field; ignored", severity="notice", rule="compose-untranslated")
        elif key in _TOP_LEVEL:
            advice, severity = _TOP_LEVEL[key]
            ctx.note((key,), f"{key}: not translated: {advice}", severity=severity, rule="compose-untranslated")
        else:
            ctx.note((key,), f"{key}: not translated: scaffold does not know this compose key", rule="compose-untranslated")
    result = ImportResult()
    services: list[_Service] = []
    used: set[str] = set()
    for compose_name, body in data["services"].items():
        name = kube_name(str(compose_name))
        base, n = name, 2
        while name in used:
            name, n = f"{base[:60]}-{n}", n + 1
        used.add(name)
        if not isinstance(body, dict):
            ctx.note(("services", compose_name), f"service {compose_name} is not a mapping; skipped", rule="compose")
            continue
        service = _Service(ctx, str(compose_name), name, body)
        if name != compose_name:
            service.note(
                service.at(),
                f"service {compose_name} -> preset {name} (Kubernetes names are lowercase letters, digits and '-'); "
                f"services that connect to {compose_name} must use the host name {name}",
                severity="warning",
            )
        service.translate()
        services.append(service)
    for claim, users in ctx.claim_users.items():
        if len(users) > 1:
            ctx.note(("volumes",), f"volume {claim} is mounted by {', '.join(users)}: a ReadWriteOnce claim mounts on one node at a time; "
                     "use ReadWriteMany storage, or keep the data with one service; its claim is in the pass-through output", rule="compose")
    for service in services:
        # A claim only this service mounts travels with its preset; a shared one is passed through.
        own = [claim for claim in ctx.claims if ctx.claim_users.get(claim) == [service.name]]
        if own:
            service.preset["persistentVolumeClaims"] = [{"name": claim, "size": CLAIM_SIZE} for claim in own]
        result.presets.append(
            ImportedPreset(service.name, None, service.finish(), [f"compose service {service.compose_name}"], [source])
        )
    for claim, obj in ctx.claims.items():
        if len(ctx.claim_users.get(claim, [])) > 1:
            result.passthrough.append(PassedThrough(obj, f"PersistentVolumeClaim/{claim}", "a named volume several services mount"))
    result.report = ctx.report
    return result


def import_compose_files(paths: list[str]) -> ImportResult:
    """``scaffold import --from compose FILE`` (one file, or ``-`` for stdin)."""
    from ..loader import read_source

    if len(paths) != 1:
        raise PresetError([Issue("", f"--from compose takes one compose file, not {len(paths)}", rule="input")])
    path = paths[0]
    if path != "-" and os.path.isdir(path):
        candidates = [os.path.join(path, n) for n in ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")]
        found = [c for c in candidates if os.path.exists(c)]
        if not found:
            raise PresetError([Issue("", f"{path!r} has no compose.yaml or docker-compose.yml", rule="input", file=path)])
        path = found[0]
    raw, shown = read_source(path)
    base_dir = os.path.dirname(os.path.abspath(path)) if path != "-" else os.getcwd()
    return import_compose(raw, source=shown, base_dir=base_dir)
