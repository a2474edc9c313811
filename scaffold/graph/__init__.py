"""``scaffold graph``: the wiring of an app as a picture (Mermaid, Graphviz DOT or SVG).

People read "Ingress -> Service:80 -> Deployment pods :8080 (http)" faster than the YAML, and
most wiring mistakes are mistakes of that picture. :func:`draw` reads presets or manifests
(:mod:`.inputs`), builds the graph with the rule engine's findings placed on it
(:mod:`.model`) and writes it (:mod:`.mermaid`, :mod:`.dot`). docs/graph.md explains the
notation.
"""

from __future__ import annotations

from collections.abc import Sequence

from .dot import DotNotFoundError, require_dot, to_dot, to_svg
from .inputs import read_objects
from .mermaid import to_mermaid
from .model import WIRING_RULES, Edge, Graph, Node, build_graph

FORMATS = ("mermaid", "dot", "svg")

__all__ = [
    "FORMATS",
    "WIRING_RULES",
    "DotNotFoundError",
    "Edge",
    "Graph",
    "Node",
    "build_graph",
    "draw",
    "read_objects",
    "to_dot",
    "to_mermaid",
    "to_svg",
]


def draw(sources: Sequence[str], *, fmt: str = "mermaid", legend: bool = True) -> str:
    """The graph of the presets or manifests ``sources`` (``-`` is stdin) in ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "svg":
        require_dot()  # before reading stdin: say what is missing first
    graph = build_graph(read_objects(list(sources)))
    if fmt == "mermaid":
        return to_mermaid(graph, legend=legend)
    text = to_dot(graph, legend=legend)
    return to_svg(text) if fmt == "svg" else text
