"""Mermaid flowchart text (GitHub, GitLab and many docs tools render it; no dependency).

Ids come from the model and are ``[A-Za-z0-9_]`` only. Every label is a quoted string in which
each character outside a small safe set is written as a Mermaid entity (``#34;``), so no name
can end the string, start a new statement, open an HTML tag or break a line.
"""

from __future__ import annotations

import string

from .legend import edge_look, mark_lines, node_look, used_looks
from .model import Edge, Graph, Node

_SAFE = frozenset(string.ascii_letters + string.digits + " -_./:,()=+*@!?[]'>$^~{}")

#: classDef per node look.
_NODE_STYLE = {
    "workload": "fill:#e8eefc,stroke:#3b5bab,color:#111",
    "object": "fill:#f4f4f4,stroke:#555,color:#111",
    "container": "fill:#ffffff,stroke:#888,color:#111",
    "external": "fill:#ffffff,stroke:#888,stroke-dasharray:5 5,color:#444",
    "broken": "fill:#fde8e8,stroke:#c00,stroke-width:3px,color:#900",
    "warning": "fill:#fff4e0,stroke:#d80,stroke-width:2px,color:#630",
}
#: (arrow, linkStyle or None) per edge look.
_EDGE_STYLE = {
    "edge:wire": ("-->", None),
    "edge:external": ("-.->", None),
    "edge:order": ("-->", "stroke:#999,color:#666"),
    "edge:broken": ("==>", "stroke:#c00,stroke-width:3px,color:#c00"),
    "edge:warning": ("==>", "stroke:#d80,stroke-width:2px,color:#a60"),
}
_LEGEND_NODE_STYLE = "fill:#ffffff,stroke:#ffffff,color:#333"


def escape(text: str) -> str:
    """``text`` safe inside a Mermaid quoted label: unsafe characters as ``#NNN;`` entities."""
    return "".join(c if c in _SAFE else f"#{ord(c)};" for c in text)


def _label(lines: list[str]) -> str:
    return '"' + "<br>".join(escape(line) for line in lines) + '"'


def _node_line(node: Node, indent: str) -> str:
    lines = [node.title, *node.details, *mark_lines(node.marks)]
    shape = ("(", ")") if node.role == "container" else ("[", "]")
    return f"{indent}{node.id}{shape[0]}{_label(lines)}{shape[1]}"


def _edge_line(edge: Edge) -> str:
    arrow, _ = _EDGE_STYLE[edge_look(edge)]
    lines = [*edge.labels, *mark_lines(edge.marks)]
    text = f"|{_label(lines)}|" if lines else ""
    return f"  {edge.src} {arrow}{text} {edge.dst}"


def to_mermaid(graph: Graph, *, legend: bool = True) -> str:
    """The graph as a Mermaid ``flowchart LR``; the same graph always gives the same text."""
    out = ["flowchart LR"]
    done: set[str] = set()
    for node in graph.nodes:
        if node.cluster is None:
            out.append(_node_line(node, "  "))
        elif node.cluster not in done:
            done.add(node.cluster)
            cluster = graph.clusters[node.cluster]
            out.append(f"  subgraph {cluster.id}[{_label([cluster.title])}]")
            out.extend(_node_line(graph.node(member), "    ") for member in cluster.members)
            out.append("  end")
    links: dict[str, list[int]] = {}
    for i, edge in enumerate(graph.edges):
        out.append(_edge_line(edge))
        links.setdefault(edge_look(edge), []).append(i)
    looks = used_looks(graph) if legend else []
    if looks:
        out.append(f"  subgraph legend[{_label(['Legend'])}]")
        count = len(graph.edges)
        for look, text in looks:
            if look.startswith("edge:"):
                arrow, _ = _EDGE_STYLE[look]
                name = look.split(":")[1]
                out.append(f'    legend_{name}_a[" "] {arrow} legend_{name}_b[{_label([text])}]')
                links.setdefault(look, []).append(count)
                count += 1
            else:
                out.append(f"    legend_{look}[{_label([text])}]")
        out.append("  end")
    classes: dict[str, list[str]] = {}
    for node in graph.nodes:
        classes.setdefault(node_look(node), []).append(node.id)
    for look, _ in looks:
        if look.startswith("edge:"):
            name = look.split(":")[1]
            classes.setdefault("legendtext", []).extend([f"legend_{name}_a", f"legend_{name}_b"])
        else:
            classes.setdefault(look, []).append(f"legend_{look}")
    styles = {**_NODE_STYLE, "legendtext": _LEGEND_NODE_STYLE}
    for look, style in styles.items():
        if classes.get(look):
            out.append(f"  classDef {look} {style}")
    for look in styles:
        if classes.get(look):
            out.append(f"  class {','.join(classes[look])} {look}")
    for look, (_, link_style) in _EDGE_STYLE.items():
        if link_style and links.get(look):
            out.append(f"  linkStyle {','.join(map(str, links[look]))} {link_style}")
    return "\n".join(out) + "\n"
