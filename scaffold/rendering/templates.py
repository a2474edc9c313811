"""Jinja2 rendering of normalized presets into manifest objects.

The environment serializes every printed value itself (``finalize``): strings become
double-quoted YAML scalars with every character that could end a line or a quote escaped,
mappings and lists become flow collections of such scalars. A template therefore cannot
forget to quote, and no user string can change the structure of the document.
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
from functools import lru_cache
from typing import Any

from ..errors import ScaffoldError
from ..resources import resource_dir

# Characters PyYAML reads as-is inside a double-quoted scalar: printable, and not a line
# break (NEL, LS, PS fold like newlines) or a BOM.
_UNSAFE = {"\x85", "\u2028", "\u2029", "\ufeff", '"', "\\"}


_PLAIN_ASCII = re.compile(r'[ !#-\[\]-~]*\Z')  # printable ASCII but " and \


def _quote(text: str) -> str:
    if _PLAIN_ASCII.match(text):
        return f'"{text}"'
    out = ['"']
    for ch in text:
        if " " <= ch <= "~" and ch not in _UNSAFE:
            out.append(ch)
        elif ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch.isprintable() and ch not in _UNSAFE and not ("\ud800" <= ch <= "\udfff"):
            out.append(ch)
        else:
            code = ord(ch)
            if code <= 0xFF:
                out.append(f"\\x{code:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def non_string_scalar(value: Any) -> str | None:
    """None, booleans and numbers as YAML reads them back; None for anything else."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "e" in text and "." not in text:  # YAML 1.1 reads 1e+16 as a string; 1.0e+16 is a float
            text = text.replace("e", ".0e", 1)
        return text
    return None


#: Longest key written in the implicit ``key: value`` form. YAML readers refuse implicit keys
#: over 1024 characters (PyYAML, libyaml, go-yaml; the YAML spec's limit), so longer keys are
#: written in the explicit form ``? key : value``, which has no limit.
MAX_IMPLICIT_KEY = 1000


def _flow_entry(key: Any, value: Any) -> str:
    text = to_yaml(key)
    if len(text) > MAX_IMPLICIT_KEY:
        return f"? {text}: {to_yaml(value)}"
    return f"{text}: {to_yaml(value)}"


def to_yaml(value: Any) -> str:
    """One value as a YAML flow node that reads back as exactly ``value``."""
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, dict):
        return "{" + ", ".join(_flow_entry(k, v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(to_yaml(v) for v in value) + "]"
    text = non_string_scalar(value)
    if text is None:
        raise TypeError(f"cannot render a {type(value).__name__} into a manifest")
    return text


def _cache_notice(message: str) -> None:
    """Why the template cache is not used: a debug log record, and a line on stderr when
    ``SCAFFOLD_VERBOSE=1`` (the render goes on, only slower)."""
    import logging

    logging.getLogger("scaffold").debug("template cache: %s", message)
    if os.environ.get("SCAFFOLD_VERBOSE"):
        try:
            sys.stderr.write(f"scaffold: notice: template cache not used: {message}\n")
        except (OSError, ValueError, AttributeError):  # no usable stderr: the log record is enough
            pass


def _unsafe(st: os.stat_result, uid: int) -> str | None:
    """Why a cache directory or file with this status may not be trusted, or None."""
    if st.st_uid != uid:
        return f"it is owned by uid {st.st_uid}, not by you (uid {uid})"
    if st.st_mode & 0o022:
        return f"it is writable by other users (mode {stat.S_IMODE(st.st_mode):04o})"
    return None


def _version() -> str:
    """scaffold's version (the cache is per version)."""
    from .._version import __version__

    return __version__


def cache_directory() -> str | None:
    """The template cache directory for this scaffold version, or None when it is off.

    ``$XDG_CACHE_HOME/scaffold/jinja-VERSION`` (``~/.cache/...``). Compiled templates are
    Python code, so the cache is used only when ``scaffold`` and the version directory are
    owned by the current user and writable by nobody else (created 0700); otherwise it is
    skipped with a notice (see :func:`_cache_notice`).
    """
    if os.environ.get("SCAFFOLD_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    uid = os.geteuid() if hasattr(os, "geteuid") else -1
    root = os.path.join(base, "scaffold")
    directory = os.path.join(root, f"jinja-{_version()}")
    for path in (root, directory):
        try:
            if path == root:
                os.makedirs(base, exist_ok=True)
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError as err:
            _cache_notice(f"cannot create {path}: {err.strerror or err}")
            return None
        try:
            st = os.stat(path)
        except OSError as err:
            _cache_notice(f"cannot use {path}: {err.strerror or err}")
            return None
        if not stat.S_ISDIR(st.st_mode):
            _cache_notice(f"{path} is not a directory")
            return None
        reason = _unsafe(st, uid) if uid >= 0 else None
        if reason is not None:
            _cache_notice(f"{path}: {reason}")
            return None
    if not os.access(directory, os.W_OK):
        _cache_notice(f"{directory} is not writable")
        return None
    return directory


def _bytecode_cache() -> Any:
    """Compiled templates cached like .pyc files, in a private directory (:func:`cache_directory`).

    Compiling the templates costs more than the rest of a cold render. Entries are keyed by
    template name (file name), scaffold, Jinja2 and Python version and the template source's
    checksum, so they are never stale. Entries hold marshalled code, never a pickle, and one
    not owned by the current user (or writable by others) is ignored. Any problem is a miss.
    """
    found = cache_directory()
    if found is None:
        return None
    directory: str = found
    import marshal

    import jinja2

    uid = os.geteuid() if hasattr(os, "geteuid") else -1
    stamp = f"scaffold-template-cache\n{_version()}\n{jinja2.__version__}\n{sys.implementation.cache_tag}\n"
    nofollow = getattr(os, "O_NOFOLLOW", 0)

    class _PrivateCache(jinja2.BytecodeCache):
        """A cache that never fails a render and never runs code it did not write."""

        def _path(self, bucket: Any) -> str:
            return os.path.join(directory, bucket.key + ".code")

        def _header(self, bucket: Any) -> bytes:
            return f"{stamp}{bucket.checksum}\n".encode()

        def load_bytecode(self, bucket: Any) -> None:
            try:
                fd = os.open(self._path(bucket), os.O_RDONLY | nofollow)
            except OSError:
                return
            try:
                with os.fdopen(fd, "rb") as f:
                    st = os.fstat(f.fileno())
                    if not stat.S_ISREG(st.st_mode) or (uid >= 0 and _unsafe(st, uid) is not None):
                        _cache_notice(f"ignored {self._path(bucket)}: not a private file of yours")
                        return
                    data = f.read()
                header = self._header(bucket)
                if data.startswith(header):
                    bucket.code = marshal.loads(data[len(header) :])
            except Exception:  # noqa: BLE001 - a cache miss, whatever went wrong
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            path = self._path(bucket)
            temp = f"{path}.{os.getpid()}.tmp"
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
                with os.fdopen(fd, "wb") as f:
                    f.write(self._header(bucket) + marshal.dumps(bucket.code))
                os.replace(temp, path)
            except Exception:  # noqa: BLE001 - the next run compiles again
                try:
                    os.unlink(temp)
                except OSError:
                    pass

    return _PrivateCache()


@lru_cache(maxsize=1)
def environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir("templates")),
        bytecode_cache=_bytecode_cache(),
        finalize=to_yaml,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def render_text(template: str, **context: Any) -> str:
    """Render one template; template bugs surface as ScaffoldError, not a Jinja traceback."""
    import jinja2

    try:
        return environment().get_template(template).render(**context)
    except jinja2.TemplateError as err:
        raise ScaffoldError(f"template {template} failed: {err}") from err


_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_PLAIN_CONSTANTS: dict[str, Any] = {
    "null": None, "true": True, "false": False, ".nan": math.nan, ".inf": math.inf, "-.inf": -math.inf,
}


def _construct(node: Any) -> Any:
    """Plain data from a composed node of *rendered* text.

    Rendered text is not arbitrary YAML: every value came through :func:`to_yaml`, so a
    string is always quoted and a plain scalar is null, a boolean, a number, or literal text
    of the template itself. That makes this walk much cheaper than PyYAML's constructor,
    which resolves every plain scalar against YAML 1.1's whole table of implicit types.
    """
    import yaml

    if isinstance(node, yaml.ScalarNode):
        value = node.value
        if node.style:  # quoted
            return value
        if value in _PLAIN_CONSTANTS:
            return _PLAIN_CONSTANTS[value]
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        return value
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key, value in node.value:
            out[_construct(key)] = _construct(value)
        return out
    return [_construct(item) for item in node.value]


@lru_cache(maxsize=1)
def _composer() -> Any:
    """The C parser without tag resolution: :func:`_construct` does not look at tags."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _Untagged(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return "tag:yaml.org,2002:str"

    return _Untagged


def parse_rendered(text: str, template: str) -> dict[str, Any]:
    """Read a rendered document back into plain data (it must be one mapping)."""
    import yaml

    try:
        node = yaml.compose(text, Loader=_composer())  # noqa: S506 - composes nodes, constructs nothing
    except yaml.YAMLError as err:
        raise ScaffoldError(f"template {template} produced invalid YAML: {err}") from err
    if not isinstance(node, yaml.MappingNode):
        raise ScaffoldError(f"template {template} did not produce a mapping")
    return _construct(node)


def _template(kind: str) -> tuple[str, Any]:
    """The template that renders ``kind`` and the kind's record, from the kinds registry."""
    from ..k8s.kinds import KINDS

    info = KINDS[kind]
    if info.template is None:
        raise ScaffoldError(f"presets cannot render kind {kind}: the kinds registry names no template for it")
    return info.template, info


def render_objects(preset: dict[str, Any]) -> list[dict[str, Any]]:
    """The manifest objects of a normalized preset, in the spec's order.

    The templates come from the kinds registry. A kind with a replica count is one object;
    a kind without (a bare Pod) is rendered once per replica, ``name1`` .. ``nameN`` when
    there are several.
    """
    name = preset["name"]
    labels = {"app": name, **preset.get("labels", {})}
    selector = {"app": name}
    context = {"p": preset, "labels": labels, "selector": selector}
    template, info = _template(preset["kind"])
    objects: list[dict[str, Any]] = _before_workload(preset, context)
    # -- kinds (issue 10): a StatefulSet's governing headless Service comes right before it.
    if info.claim_templates is not None:
        from ..k8s.ports import service_ports

        objects.append(_render("headless-service.yaml.j2", ports=service_ports(preset["containers"][0].get("ports", [])), **context))
    # -- end kinds
    if not info.per_replica:
        objects.append(_render(template, object_name=name, **context))
    else:
        count = preset["replicas"]
        names = [name] if count == 1 else [f"{name}{i}" for i in range(1, count + 1)]
        objects.extend(_render(template, object_name=n, **context) for n in names)
    service = preset.get("service")
    if service is not None:
        objects.append(_render(_template("Service")[0], s=service, **context))
    objects.extend(_after_service(preset, context, info.api_version))
    return objects


# ---------------------------------------------------------------------------------------
# Objects that travel with the app (preset-format.md): ServiceAccount, ConfigMaps and PVCs
# before the workload; Ingress, HPA, PDB and NetworkPolicy after the Service(s).


def _before_workload(preset: dict[str, Any], context: dict[str, Any]) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    account = preset.get("serviceAccount")
    if account is not None:
        objects.append(_render(_template("ServiceAccount")[0], object_name=account["name"], a=account, **context))
    for cm in preset.get("configMaps", []):
        objects.append(_render(_template("ConfigMap")[0], object_name=cm["name"], cm=cm, **context))
    for claim in preset.get("persistentVolumeClaims", []):
        objects.append(_render(_template("PersistentVolumeClaim")[0], object_name=claim["name"], c=claim, **context))
    return objects


def _peer(peer: dict[str, Any]) -> dict[str, Any]:
    """``{podLabels, namespaceLabels}`` -> a NetworkPolicy peer (both given: both must match)."""
    out: dict[str, Any] = {}
    if "namespaceLabels" in peer:
        out["namespaceSelector"] = {"matchLabels": peer["namespaceLabels"]}
    if "podLabels" in peer:
        out["podSelector"] = {"matchLabels": peer["podLabels"]}
    return out or {"podSelector": {}}


def _after_service(preset: dict[str, Any], context: dict[str, Any], api_version: str) -> list[dict[str, Any]]:
    name = preset["name"]
    objects: list[dict[str, Any]] = []
    ingress = preset.get("ingress")
    if ingress is not None:
        objects.append(_render(_template("Ingress")[0], object_name=name, i=ingress, **context))
    autoscale = preset.get("autoscale")
    if autoscale is not None:
        objects.append(
            _render(_template("HorizontalPodAutoscaler")[0], object_name=name, h=autoscale, api_version=api_version, **context)
        )
    budget = preset.get("disruptionBudget")
    if budget is not None:
        objects.append(_render(_template("PodDisruptionBudget")[0], object_name=name, b=budget, **context))
    policy = preset.get("networkPolicy")
    if policy is not None:
        peers = [_peer(p) for p in policy.get("from") or []]
        objects.append(_render(_template("NetworkPolicy")[0], object_name=name, n=policy, peers=peers, **context))
    return objects


def _render(template: str, **context: Any) -> dict[str, Any]:
    return parse_rendered(render_text(template, **context), template)
