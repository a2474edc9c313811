"""The pod fields real apps need (issue 10): scheduling (tolerations, affinity, topology
spread), DNS, host aliases, the pod securityContext, envFrom, and the target Kubernetes
version. Each is checked as the API server's validation does: enums with did-you-mean,
required keys, ranges.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..k8s.features import FEATURES, Feature, minor, older, version_problem
from ..k8s.kinds import POD_BEARING, dig, kind_of
from ..k8s.validators import dns1123_subdomain, label_key
from ..k8s.vocab import (
    CONTAINER_GROUPS,
    DNS_POLICIES,
    FS_GROUP_CHANGE_POLICIES,
    LABEL_SELECTOR_OPERATORS,
    NODE_INCLUSION_POLICIES,
    NODE_SELECTOR_OPERATORS,
    SECCOMP_TYPES,
    TAINT_EFFECTS,
    TERMINATION_MESSAGE_POLICIES,
    TOLERATION_OPERATORS,
    UNSATISFIABLE_ACTIONS,
)
from ..paths import Path
from . import CheckConfig, Finding, Workload, as_dict, as_list, before_render, rule
from .common import containers, did_you_mean, enum_message, is_int, show


def _unknown_keys(value: dict[str, Any], known: tuple[str, ...], where: Path, what: str) -> Iterator[Finding]:
    for key in value:
        if key not in known:
            yield Finding((*where, key), f"{what} has no field {show(key)}{did_you_mean(key, known)} (fields: {', '.join(known)})")


def _mapping(value: Any, where: Path, what: str) -> tuple[dict[str, Any] | None, Finding | None]:
    if isinstance(value, dict):
        return value, None
    return None, Finding(where, f"{what} must be a mapping, not {show(value)}")


# ---------------------------------------------------------------- scheduling


def _tolerations(spec: dict[str, Any]) -> Iterator[Finding]:
    for i, t in enumerate(as_list(spec.get("tolerations"))):
        where: Path = ("tolerations", i)
        t, bad = _mapping(t, where, "a toleration")
        if t is None:
            yield bad  # type: ignore[misc]
            continue
        yield from _unknown_keys(t, ("key", "operator", "value", "effect", "tolerationSeconds"), where, "a toleration")
        operator = t.get("operator", "Equal")
        problem = enum_message(operator, TOLERATION_OPERATORS, "toleration operator")
        if problem:
            yield Finding((*where, "operator"), problem)
            continue
        key = t.get("key", "")
        if key:
            problem = label_key(key)
            if problem:
                yield Finding((*where, "key"), f"toleration key: {problem}")
        elif operator != "Exists":
            yield Finding((*where, "key"), "a toleration without a key must use operator Exists (it then tolerates every taint)")
        if operator == "Exists" and t.get("value"):
            yield Finding((*where, "value"), "operator Exists matches any value: leave value out (or use operator Equal)")
        effect = t.get("effect", "")
        if effect:
            problem = enum_message(effect, TAINT_EFFECTS, "taint effect")
            if problem:
                yield Finding((*where, "effect"), problem)
        if "tolerationSeconds" in t:
            if not is_int(t["tolerationSeconds"]):
                yield Finding((*where, "tolerationSeconds"), f"tolerationSeconds must be a whole number, not {show(t['tolerationSeconds'])}")
            elif effect != "NoExecute":
                yield Finding((*where, "tolerationSeconds"), "tolerationSeconds only applies to effect NoExecute; set effect: NoExecute or remove it")


def _node_selector_term(term: Any, where: Path) -> Iterator[Finding]:
    term, bad = _mapping(term, where, "a node selector term")
    if term is None:
        yield bad  # type: ignore[misc]
        return
    yield from _unknown_keys(term, ("matchExpressions", "matchFields"), where, "a node selector term")
    if not term.get("matchExpressions") and not term.get("matchFields"):
        yield Finding(where, "a node selector term needs matchExpressions or matchFields")
    for field in ("matchExpressions", "matchFields"):
        for j, expr in enumerate(as_list(term.get(field))):
            yield from _expression(expr, (*where, field, j), NODE_SELECTOR_OPERATORS)


def _expression(expr: Any, where: Path, operators: tuple[str, ...]) -> Iterator[Finding]:
    expr, bad = _mapping(expr, where, "a match expression")
    if expr is None:
        yield bad  # type: ignore[misc]
        return
    yield from _unknown_keys(expr, ("key", "operator", "values"), where, "a match expression")
    if not expr.get("key"):
        yield Finding((*where, "key"), "a match expression needs a key")
    operator = expr.get("operator")
    problem = enum_message(operator, operators, "operator")
    if problem:
        yield Finding((*where, "operator"), problem)
        return
    values = expr.get("values")
    if operator in ("In", "NotIn") and not values:
        yield Finding((*where, "values"), f"operator {operator} needs at least one value")
    elif operator in ("Exists", "DoesNotExist") and values:
        yield Finding((*where, "values"), f"operator {operator} takes no values")
    elif operator in ("Gt", "Lt"):
        items = as_list(values)
        if len(items) != 1 or not (isinstance(items[0], str) and items[0].lstrip("-").isdigit()):
            yield Finding((*where, "values"), f"operator {operator} needs exactly one value, a whole number written as a string ('3')")


def _label_selector(value: Any, where: Path) -> Iterator[Finding]:
    value, bad = _mapping(value, where, "a label selector")
    if value is None:
        yield bad  # type: ignore[misc]
        return
    yield from _unknown_keys(value, ("matchLabels", "matchExpressions"), where, "a label selector")
    for j, expr in enumerate(as_list(value.get("matchExpressions"))):
        yield from _expression(expr, (*where, "matchExpressions", j), LABEL_SELECTOR_OPERATORS)


_POD_AFFINITY_TERM = ("labelSelector", "namespaceSelector", "namespaces", "topologyKey", "matchLabelKeys", "mismatchLabelKeys")


def _pod_affinity_term(term: Any, where: Path) -> Iterator[Finding]:
    term, bad = _mapping(term, where, "a pod affinity term")
    if term is None:
        yield bad  # type: ignore[misc]
        return
    yield from _unknown_keys(term, _POD_AFFINITY_TERM, where, "a pod affinity term")
    if not term.get("topologyKey"):
        yield Finding((*where, "topologyKey"), "a pod affinity term needs a topologyKey (e.g. kubernetes.io/hostname)")
    if "labelSelector" in term:
        yield from _label_selector(term["labelSelector"], (*where, "labelSelector"))


def _weighted(item: Any, where: Path, inner: str) -> Iterator[tuple[Any, Path] | Finding]:
    item, bad = _mapping(item, where, "a preferred term")
    if item is None:
        yield bad  # type: ignore[misc]
        return
    for f in _unknown_keys(item, ("weight", inner), where, "a preferred term"):
        yield f
    weight = item.get("weight")
    if not (is_int(weight) and 1 <= weight <= 100):
        yield Finding((*where, "weight"), f"weight must be a whole number 1-100, not {show(weight)}")
    if inner not in item:
        yield Finding((*where, inner), f"a preferred term needs {inner}")
    else:
        yield item[inner], (*where, inner)


_REQUIRED = "requiredDuringSchedulingIgnoredDuringExecution"
_PREFERRED = "preferredDuringSchedulingIgnoredDuringExecution"


def _affinity(spec: dict[str, Any]) -> Iterator[Finding]:
    if "affinity" not in spec:
        return
    affinity, bad = _mapping(spec["affinity"], ("affinity",), "affinity")
    if affinity is None:
        yield bad  # type: ignore[misc]
        return
    yield from _unknown_keys(affinity, ("nodeAffinity", "podAffinity", "podAntiAffinity"), ("affinity",), "affinity")
    if "nodeAffinity" in affinity:
        where: Path = ("affinity", "nodeAffinity")
        node, bad = _mapping(affinity["nodeAffinity"], where, "nodeAffinity")
        if node is None:
            yield bad  # type: ignore[misc]
        else:
            yield from _unknown_keys(node, (_REQUIRED, _PREFERRED), where, "nodeAffinity")
            if _REQUIRED in node:
                required = as_dict(node[_REQUIRED])
                terms = as_list(required.get("nodeSelectorTerms"))
                if not terms:
                    yield Finding((*where, _REQUIRED, "nodeSelectorTerms"), "required node affinity needs at least one nodeSelectorTerm")
                for j, term in enumerate(terms):
                    yield from _node_selector_term(term, (*where, _REQUIRED, "nodeSelectorTerms", j))
            for j, item in enumerate(as_list(node.get(_PREFERRED))):
                for out in _weighted(item, (*where, _PREFERRED, j), "preference"):
                    if isinstance(out, Finding):
                        yield out
                    else:
                        yield from _node_selector_term(*out)
    for field in ("podAffinity", "podAntiAffinity"):
        if field not in affinity:
            continue
        where = ("affinity", field)
        pod, bad = _mapping(affinity[field], where, field)
        if pod is None:
            yield bad  # type: ignore[misc]
            continue
        yield from _unknown_keys(pod, (_REQUIRED, _PREFERRED), where, field)
        for j, term in enumerate(as_list(pod.get(_REQUIRED))):
            yield from _pod_affinity_term(term, (*where, _REQUIRED, j))
        for j, item in enumerate(as_list(pod.get(_PREFERRED))):
            for out in _weighted(item, (*where, _PREFERRED, j), "podAffinityTerm"):
                if isinstance(out, Finding):
                    yield out
                else:
                    yield from _pod_affinity_term(*out)


_SPREAD_FIELDS = (
    "maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector", "minDomains", "nodeAffinityPolicy",
    "nodeTaintsPolicy", "matchLabelKeys",
)


def _spread(spec: dict[str, Any]) -> Iterator[Finding]:
    seen: dict[tuple[Any, Any], int] = {}
    for i, c in enumerate(as_list(spec.get("topologySpreadConstraints"))):
        where: Path = ("topologySpreadConstraints", i)
        c, bad = _mapping(c, where, "a topology spread constraint")
        if c is None:
            yield bad  # type: ignore[misc]
            continue
        yield from _unknown_keys(c, _SPREAD_FIELDS, where, "a topology spread constraint")
        skew = c.get("maxSkew")
        if not (is_int(skew) and skew >= 1):
            yield Finding((*where, "maxSkew"), f"maxSkew must be a whole number >= 1, not {show(skew)}")
        if not c.get("topologyKey"):
            yield Finding((*where, "topologyKey"), "a topology spread constraint needs a topologyKey (e.g. topology.kubernetes.io/zone)")
        action = c.get("whenUnsatisfiable")
        problem = enum_message(action, UNSATISFIABLE_ACTIONS, "whenUnsatisfiable")
        if problem:
            yield Finding((*where, "whenUnsatisfiable"), problem)
        if "minDomains" in c:
            if not (is_int(c["minDomains"]) and c["minDomains"] >= 1):
                yield Finding((*where, "minDomains"), f"minDomains must be a whole number >= 1, not {show(c['minDomains'])}")
            elif action != "DoNotSchedule":
                yield Finding((*where, "minDomains"), "minDomains only applies with whenUnsatisfiable: DoNotSchedule")
        for field in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            if field in c:
                problem = enum_message(c[field], NODE_INCLUSION_POLICIES, field)
                if problem:
                    yield Finding((*where, field), problem)
        if "labelSelector" in c:
            yield from _label_selector(c["labelSelector"], (*where, "labelSelector"))
        key = (c.get("topologyKey"), action)
        if key in seen:
            yield Finding(where, f"topologySpreadConstraints[{seen[key]}] already spreads over {key[0]} with {action}; the API refuses duplicates")
        else:
            seen[key] = i


@rule(
    "scheduling-fields",
    severity="error",
    scope="pod",
    summary="tolerations, affinity, topologySpreadConstraints, priorityClassName and runtimeClassName are "
    "well-formed: operators and effects from their fixed sets, required keys present, weights 1-100, maxSkew >= 1.",
    prevents="the API server rejects the pod (or its workload)",
    fix="Use the values listed in the message, spelled exactly (they are case-sensitive).",
    example="""\
name: web
tolerations: [{key: dedicated, operator: Equals, value: web, effect: NoSchedule}]
containers:
  - {name: web, image: nginx:1.27}
""",
)
def scheduling_fields(w: Workload) -> Iterator[Finding]:
    spec = w.spec
    yield from _tolerations(spec)
    yield from _affinity(spec)
    yield from _spread(spec)
    for field in ("priorityClassName", "runtimeClassName"):
        if field in spec:
            problem = dns1123_subdomain(spec[field])
            if problem:
                yield Finding((field,), f"{field}: {problem}")


# ---------------------------------------------------------------- other pod fields


def _ip_problem(value: Any) -> str | None:
    import ipaddress

    try:
        ipaddress.ip_address(value)
        return None
    except (ValueError, TypeError):
        return f"{show(value)} is not an IP address"


_POD_SC = (
    "runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "fsGroupChangePolicy", "supplementalGroups",
    "supplementalGroupsPolicy", "seccompProfile", "appArmorProfile", "seLinuxOptions", "seLinuxChangePolicy",
    "windowsOptions", "sysctls",
)


def _pod_security_context(spec: dict[str, Any]) -> Iterator[Finding]:
    if "securityContext" not in spec:
        return
    sc, bad = _mapping(spec["securityContext"], ("securityContext",), "the pod securityContext")
    if sc is None:
        yield bad  # type: ignore[misc]
        return
    where: Path = ("securityContext",)
    yield from _unknown_keys(sc, _POD_SC, where, "the pod securityContext")
    for field in ("runAsUser", "runAsGroup", "fsGroup"):
        if field in sc and not (is_int(sc[field]) and 0 <= sc[field] <= 2147483647):
            yield Finding((*where, field), f"{field} must be a whole number 0-2147483647, not {show(sc[field])}")
    for j, gid in enumerate(as_list(sc.get("supplementalGroups"))):
        if not (is_int(gid) and gid >= 0):
            yield Finding((*where, "supplementalGroups", j), f"a group id must be a whole number >= 0, not {show(gid)}")
    if "fsGroupChangePolicy" in sc:
        problem = enum_message(sc["fsGroupChangePolicy"], FS_GROUP_CHANGE_POLICIES, "fsGroupChangePolicy")
        if problem:
            yield Finding((*where, "fsGroupChangePolicy"), problem)
    if "seccompProfile" in sc:
        profile = as_dict(sc["seccompProfile"])
        problem = enum_message(profile.get("type"), SECCOMP_TYPES, "seccompProfile type")
        if problem:
            yield Finding((*where, "seccompProfile", "type"), problem)
        elif profile.get("type") == "Localhost" and not profile.get("localhostProfile"):
            yield Finding((*where, "seccompProfile", "localhostProfile"), "seccompProfile type Localhost needs localhostProfile")
    if sc.get("runAsNonRoot") is True and sc.get("runAsUser") == 0:
        yield Finding((*where, "runAsUser"), "runAsNonRoot true with runAsUser 0: the kubelet refuses to start the containers")


def _dns(spec: dict[str, Any]) -> Iterator[Finding]:
    if "dnsPolicy" in spec:
        problem = enum_message(spec["dnsPolicy"], DNS_POLICIES, "dnsPolicy")
        if problem:
            yield Finding(("dnsPolicy",), problem)
    config = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None" and not as_list(as_dict(config).get("nameservers")):
        yield Finding(("dnsConfig", "nameservers"), "dnsPolicy None needs dnsConfig.nameservers (at least one DNS server)")
    if config is None:
        return
    config, bad = _mapping(config, ("dnsConfig",), "dnsConfig")
    if config is None:
        yield bad  # type: ignore[misc]
        return
    yield from _unknown_keys(config, ("nameservers", "searches", "options"), ("dnsConfig",), "dnsConfig")
    servers = as_list(config.get("nameservers"))
    if len(servers) > 3:
        yield Finding(("dnsConfig", "nameservers"), f"at most 3 nameservers, not {len(servers)}")
    for j, server in enumerate(servers):
        problem = _ip_problem(server)
        if problem:
            yield Finding(("dnsConfig", "nameservers", j), f"nameserver {problem}")
    searches = as_list(config.get("searches"))
    if len(searches) > 32:
        yield Finding(("dnsConfig", "searches"), f"at most 32 search domains, not {len(searches)}")
    for j, option in enumerate(as_list(config.get("options"))):
        if not as_dict(option).get("name"):
            yield Finding(("dnsConfig", "options", j, "name"), "a DNS option needs a name (e.g. ndots)")


def _host_aliases(spec: dict[str, Any]) -> Iterator[Finding]:
    for i, alias in enumerate(as_list(spec.get("hostAliases"))):
        alias = as_dict(alias)
        problem = _ip_problem(alias.get("ip"))
        if problem:
            yield Finding(("hostAliases", i, "ip"), f"hostAliases ip: {problem}")
        if not as_list(alias.get("hostnames")):
            yield Finding(("hostAliases", i, "hostnames"), "a host alias needs at least one hostname")


def _containers(spec: dict[str, Any]) -> Iterator[Finding]:
    host_network = spec.get("hostNetwork") is True
    for path, c in containers(spec, CONTAINER_GROUPS):
        if "terminationMessagePolicy" in c:
            problem = enum_message(c["terminationMessagePolicy"], TERMINATION_MESSAGE_POLICIES, "terminationMessagePolicy")
            if problem:
                yield Finding((*path, "terminationMessagePolicy"), problem)
        for j, source in enumerate(as_list(c.get("envFrom"))):
            where = (*path, "envFrom", j)
            source, bad = _mapping(source, where, "an envFrom entry")
            if source is None:
                yield bad  # type: ignore[misc]
                continue
            yield from _unknown_keys(source, ("configMapRef", "secretRef", "prefix"), where, "an envFrom entry")
            refs = [k for k in ("configMapRef", "secretRef") if k in source]
            if len(refs) != 1:
                yield Finding(where, "an envFrom entry takes exactly one of configMapRef or secretRef")
                continue
            ref = as_dict(source[refs[0]])
            if not ref.get("name"):
                yield Finding((*where, refs[0], "name"), f"{refs[0]} needs the name of the {'ConfigMap' if refs[0] == 'configMapRef' else 'Secret'}")
        if host_network:
            for j, port in enumerate(as_list(c.get("ports"))):
                port = as_dict(port)
                if "hostPort" in port and port.get("hostPort") != port.get("containerPort"):
                    yield Finding((*path, "ports", j, "hostPort"), "with hostNetwork, hostPort must equal containerPort")


@rule(
    "pod-fields",
    severity="error",
    scope="pod",
    summary="The pod securityContext, dnsPolicy and dnsConfig, hostAliases, and the containers' envFrom and "
    "terminationMessagePolicy are well-formed: fixed values, required keys, ranges, IP addresses; "
    "hostNetwork, hostPID and hostIPC are refused under Pod Security 'baseline' (warning).",
    prevents="the API server rejects the pod (or its workload)",
    fix="Use the values listed in the message, spelled exactly (they are case-sensitive).",
    example="""\
name: web
dnsPolicy: ClusterFirstWithHostNetwork
containers:
  - {name: web, image: nginx:1.27}
""",
)
def pod_fields(w: Workload) -> Iterator[Finding]:
    spec = w.spec
    yield from _pod_security_context(spec)
    yield from _dns(spec)
    yield from _host_aliases(spec)
    yield from _containers(spec)
    if w.config.pss is None:  # with --pss, pss-baseline reports them as violations
        for field in ("hostNetwork", "hostPID", "hostIPC"):
            if spec.get(field) is True:
                yield Finding(
                    (field,),
                    f"{field}: true shares the node's namespace with the pod; namespaces that enforce the 'baseline' "
                    "Pod Security Standard refuse it",
                    severity="warning",
                )


# ---------------------------------------------------------------- target version


def _feature_paths(feature: Feature, obj: dict[str, Any]) -> Iterator[Path]:
    """Where ``feature`` is used in ``obj`` (paths from the object's root)."""
    info = kind_of(obj)
    if info is None:
        return
    if feature.scope == "object":
        if info.name in feature.kinds and dig(obj, feature.path) is not None:
            yield feature.path
        return
    if info.pod_spec is None:
        return
    spec = as_dict(dig(obj, info.pod_spec))
    if feature.scope == "pod":
        bases: list[tuple[Path, Any]] = [(info.pod_spec, spec)]
    else:
        groups = ("initContainers",) if feature.scope == "init" else CONTAINER_GROUPS
        bases = [((*info.pod_spec, *p), c) for p, c in containers(spec, groups)]
    for base, node in bases:
        yield from _match(node, feature.path, base, feature.value)


def _match(node: Any, path: Path, at: Path, value: Any) -> Iterator[Path]:
    if not path:
        if node is not None and (value is None or node == value):
            yield at
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for i, item in enumerate(as_list(node)):
            yield from _match(item, rest, (*at, i), value)
    elif isinstance(node, dict) and head in node:
        yield from _match(node[head], rest, (*at, head), value)


@rule(
    "kube-version",
    severity="error",
    scope="object",
    kinds=POD_BEARING,
    summary="A field or value newer than the target Kubernetes version (kubeVersion, --kube-version) is refused, "
    "naming the version that brought it.",
    prevents="the API server of an older cluster rejects the object (or drops the field)",
    fix="Raise the target version, or do without the field on older clusters.",
    example="""\
name: web
kubeVersion: "1.29"
containers:
  - name: web
    image: nginx:1.27
    lifecycle: {preStop: {sleep: {seconds: 5}}}
""",
)
def kube_version(obj: dict[str, Any], config: CheckConfig) -> Iterator[Finding]:
    target = getattr(config, "kube_version", None)
    if target is None or version_problem(target) is not None:
        return
    target = minor(target)
    for feature in FEATURES:
        if not older(target, feature.since):
            continue
        for path in _feature_paths(feature, obj):
            yield Finding(path, f"{feature.label} came in Kubernetes {feature.since}; the target version is {target}")


@before_render("kube-version")
def known_target(preset: dict[str, Any]) -> Iterator[Finding]:
    """The target version itself must be one scaffold knows (else nothing could be judged)."""
    if preset.get("kubeVersion") is not None:
        problem = version_problem(preset["kubeVersion"])
        if problem:
            yield Finding(("kubeVersion",), problem)
