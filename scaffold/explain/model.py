"""What a diagnosis is made of: findings, the report of one pod, and lookups into a pod."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass
from dataclasses import field as _field
from datetime import datetime, timezone
from typing import Any

from ..paths import format_path

Path = tuple["str | int", ...]


@dataclass
class Diagnosis:
    """One finding about a pod: what is wrong, which spec field to change, what to run next."""

    severity: str
    message: str
    #: The knowledge-base topic (``scaffold explain TOPIC``), when there is one.
    topic: str | None = None
    container: str | None = None
    #: The spec field to change, from the pod's root (``spec.containers[0].resources.limits.memory``).
    field: str | None = None
    #: The field's current value, when it has one.
    current: Any = None
    #: The commands to run, the next one first.
    commands: list[str] = _field(default_factory=list)


@dataclass
class PodReport:
    name: str
    namespace: str | None
    phase: str | None
    #: What ``kubectl get pods`` shows in its STATUS column for this pod.
    status: str | None = None
    owner: str | None = None
    restarts: int = 0
    #: Running, every container ready, nothing to say: the only state printed as "ok".
    ok: bool = False
    diagnoses: list[Diagnosis] = _field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when an error finding is reported: ``explain -f`` then exits 1."""
        return any(d.severity == "error" for d in self.diagnoses)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_time(value: Any) -> datetime | None:
    """An RFC 3339 time as kubectl writes it (or as the Python client's dump does), in UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def duration(seconds: float) -> str:
    """``3725`` -> ``1h2m5s``: how kubectl writes ages."""
    s = int(abs(seconds))
    d, s = divmod(s, 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    parts = [f"{d}d" if d else "", f"{h}h" if h else "", f"{m}m" if m else "", f"{s}s" if s or not (d or h or m) else ""]
    return "".join(parts)


def unseen_characters(text: str) -> list[str]:
    """The characters of an image name that a terminal does not show as themselves.

    An image reference is plain ASCII without spaces; anything else (a zero-width space, a
    non-breaking space, a tab pasted from a document) is named with its position.
    """
    found = []
    for i, ch in enumerate(text):
        if not ("!" <= ch <= "~"):
            name = unicodedata.name(ch, "control character" if unicodedata.category(ch) == "Cc" else "unnamed")
            found.append(f"U+{ord(ch):04X} {name} at position {i + 1}")
    return found


def escaped(text: str) -> str:
    """``text`` with every invisible or non-ASCII character written as an escape (``\\u200b``)."""
    out = []
    for ch in text:
        if " " <= ch <= "~":
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return "".join(out)


def printable(text: str) -> str:
    """One line of terminal-safe text: newlines and tabs become spaces, other control and
    format characters (an escape sequence in a message, a zero-width space) are escaped."""
    out = []
    for ch in text:
        if ch in "\r\n\t":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(escaped(ch))
        else:
            out.append(ch)
    return "".join(out)


def show(value: Any) -> str:
    """A field's value as JSON, as it appears in the pod."""
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except TypeError:  # keys of mixed types cannot be sorted
        return json.dumps(value, default=str)


class PodView:
    """Lookups into one normalized pod, and kubectl commands that name it."""

    def __init__(self, pod: dict[str, Any]) -> None:
        self.meta: dict[str, Any] = pod.get("metadata", {})
        self.spec: dict[str, Any] = pod.get("spec", {})
        self.status: dict[str, Any] = pod.get("status", {})
        self.name: str = self.meta.get("name", "NAME")
        self.namespace: str | None = self.meta.get("namespace")
        ns = self.namespace
        self.ns_flag = f" -n {ns}" if ns and ns != "default" else ""
        self.phase: str | None = self.status.get("phase")
        self.owners = [f"{o['kind']}/{o.get('name', '?')}" for o in self.meta.get("ownerReferences", []) if o.get("kind")]
        self.owner: str | None = self.owners[0] if self.owners else None
        self.has_spec = bool(self.spec.get("containers") or self.spec.get("initContainers"))
        self.node: str | None = self.spec.get("nodeName")
        self.conditions: dict[str, dict[str, Any]] = {
            c["type"]: c for c in self.status.get("conditions", []) if c.get("type")
        }

    # -------------------------------------------------------------- commands

    def kubectl(self, args: str) -> str:
        return f"kubectl {args}{self.ns_flag}"

    @property
    def describe(self) -> str:
        return self.kubectl(f"describe pod {self.name}")

    @property
    def events(self) -> str:
        return self.kubectl(f"get events --field-selector involvedObject.name={self.name}")

    @property
    def describe_node(self) -> str:
        return f"kubectl describe node {self.node or 'NODE'}"

    def logs(self, container: str, *, previous: bool) -> str:
        return self.kubectl(f"logs {self.name} -c {container}" + (" --previous" if previous else ""))

    def jsonpath(self, path: str) -> str:
        return self.kubectl(f"get pod {self.name} -o jsonpath='{{{path}}}'")

    @property
    def no_spec(self) -> str:
        """What to say when a finding needs the spec and the document has none."""
        return f"the pod's spec is not in this document (see it with `{self.kubectl(f'get pod {self.name} -o yaml')}`)"

    # -------------------------------------------------------------- spec lookups

    def container(self, name: str | None, *, init: bool) -> tuple[Path, dict[str, Any], bool]:
        """Path and spec of the container called ``name``, and whether the spec names it.

        Without it the path selects the container by name, as kubectl's jsonpath does.
        """
        group = "initContainers" if init else "containers"
        for i, c in enumerate(self.spec.get(group, [])):
            if c.get("name") == name:
                return ("spec", group, i), c, True
        return ("spec", f'{group}[?(@.name=="{name}")]'), {}, False

    def all_containers(self) -> list[tuple[Path, dict[str, Any]]]:
        return [
            (("spec", group, i), c)
            for group in ("initContainers", "containers")
            for i, c in enumerate(self.spec.get(group, []))
        ]

    def condition(self, kind: str) -> dict[str, Any] | None:
        return self.conditions.get(kind)


def field_path(path: Path) -> str:
    """``format_path`` that keeps a jsonpath filter (``containers[?(@.name=="x")]``) readable."""
    out = ""
    for part in path:
        piece = part if isinstance(part, str) and "[?(" in part else format_path((part,))
        out += piece if (piece.startswith("[") or not out) else "." + piece
    return out
