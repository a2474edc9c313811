"""What each look of the graph means: one list, drawn by both writers."""

from __future__ import annotations

from .model import Edge, Graph, Mark, Node

#: (look, meaning), in legend order. Node looks are roles and states; edge looks start with "edge:".
LEGEND: list[tuple[str, str]] = [
    ("workload", "workload, in the box of its pod template"),
    ("container", "container, init container or sidecar, with its ports"),
    ("object", "object of the input"),
    ("external", "referenced but not in the input: must exist before apply"),
    ("broken", "broken wiring: a rule error, named in the box"),
    ("warning", "suspect wiring: a rule warning, named in the box"),
    ("edge:wire", "wired, the label says how"),
    ("edge:external", "reference to an object not in the input"),
    ("edge:order", "start order of init containers and sidecars"),
    ("edge:broken", "broken wire: a rule error, named on the wire"),
    ("edge:warning", "suspect wire: a rule warning, named on the wire"),
]


def used_looks(graph: Graph) -> list[tuple[str, str]]:
    """The legend entries this graph needs, in legend order."""
    used = graph.states()
    return [(look, text) for look, text in LEGEND if look in used]


def node_look(node: Node) -> str:
    """The one look of a node: its state when a rule marks it, else its role."""
    return node.state if node.state != "ok" else node.role


def edge_look(edge: Edge) -> str:
    if edge.state != "ok":
        return f"edge:{edge.state}"
    if edge.external:
        return "edge:external"
    return f"edge:{edge.kind}"


def mark_lines(marks: list[Mark]) -> list[str]:
    """``broken: caption [rule]`` for errors, ``suspect: ...`` for warnings."""
    return [f"{'broken' if m.severity == 'error' else 'suspect'}: {m.caption}" for m in marks]
