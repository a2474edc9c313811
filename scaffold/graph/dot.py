"""Graphviz DOT text, and SVG through the ``dot`` program when it is installed.

Ids come from the model (``[A-Za-z0-9_]``, never a DOT keyword). Labels are quoted strings in
which ``\\`` and ``"`` are escaped, ``&`` is written ``&amp;`` (Graphviz reads character
entities in labels), a newline is ``&#10;`` (a line break) and control characters are U+FFFD,
so no name can end the string, add a line to the file or inject an escape such as ``\\N``.
Other characters are written as they are: the text is UTF-8.
"""

from __future__ import annotations

import shutil
import subprocess

from ..errors import ScaffoldError
from .legend import edge_look, mark_lines, node_look, used_looks
from .model import Edge, Graph, Mark, Node

_FONT = "Helvetica"
_NODE_STYLE = {
    "workload": 'style="rounded,filled", fillcolor="#e8eefc", color="#3b5bab"',
    "object": 'style="rounded,filled", fillcolor="#f4f4f4", color="#555555"',
    "container": 'style="filled", fillcolor="#ffffff", color="#888888"',
    "external": 'style="rounded,dashed", color="#888888", fontcolor="#444444"',
    "broken": 'style="rounded,filled", fillcolor="#fde8e8", color="#cc0000", penwidth=3, fontcolor="#990000"',
    "warning": 'style="rounded,filled", fillcolor="#fff4e0", color="#dd8800", penwidth=2, fontcolor="#663300"',
}
_EDGE_STYLE = {
    "edge:wire": "",
    "edge:external": "style=dashed",
    "edge:order": 'color="#999999", fontcolor="#666666"',
    "edge:broken": 'color="#cc0000", fontcolor="#cc0000", penwidth=3',
    "edge:warning": 'color="#dd8800", fontcolor="#aa6600", penwidth=2',
}

#: How long ``dot`` may take to lay out a graph.
DOT_TIMEOUT = 120


class DotNotFoundError(ScaffoldError):
    """``--format svg`` without Graphviz's ``dot`` program on PATH."""


def escape(text: str) -> str:
    """``text`` safe inside a DOT quoted string."""
    out = []
    for c in text:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "&":
            out.append("&amp;")
        elif c == "\n":
            out.append("&#10;")
        elif c < " " or c == "\x7f" or "\ud800" <= c <= "\udfff":
            out.append("&#65533;")  # controls and lone surrogates: the replacement character
        else:
            # Written as it is (UTF-8): Graphviz 2.43 decodes entities above U+FFFF wrongly.
            out.append(c)
    return "".join(out)


def _label(lines: list[str]) -> str:
    return '"' + "\\n".join(escape(line) for line in lines) + '"'


def _tooltip(marks: list[Mark]) -> str:
    """The rule messages, shown when the pointer rests on the node or wire in the SVG."""
    return f", tooltip={_label([f'{m.message} [{m.rule}]' for m in marks])}" if marks else ""


def _node_line(node: Node, indent: str) -> str:
    lines = [node.title, *node.details, *mark_lines(node.marks)]
    return f"{indent}{node.id} [label={_label(lines)}, {_NODE_STYLE[node_look(node)]}{_tooltip(node.marks)}];"


def _edge_line(edge: Edge) -> str:
    attrs = []
    lines = [*edge.labels, *mark_lines(edge.marks)]
    if lines:
        attrs.append(f"label={_label(lines)}")
    style = _EDGE_STYLE[edge_look(edge)]
    if style:
        attrs.append(style)
    if edge.marks:
        attrs.append(_tooltip(edge.marks)[2:])
    return f"  {edge.src} -> {edge.dst}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";"


def to_dot(graph: Graph, *, legend: bool = True) -> str:
    """The graph as a DOT ``digraph``; the same graph always gives the same text."""
    out = [
        "digraph scaffold {",
        f'  graph [rankdir=LR, fontname="{_FONT}", fontsize=11];',
        f'  node [shape=box, fontname="{_FONT}", fontsize=10];',
        f'  edge [fontname="{_FONT}", fontsize=9, color="#555555"];',
    ]
    done: set[str] = set()
    for node in graph.nodes:
        if node.cluster is None:
            out.append(_node_line(node, "  "))
        elif node.cluster not in done:
            done.add(node.cluster)
            cluster = graph.clusters[node.cluster]
            out.append(f"  subgraph cluster_{cluster.id} {{")
            out.append(f'    label={_label([cluster.title])}; style="rounded,dashed"; color="#999999";')
            out.extend(_node_line(graph.node(member), "    ") for member in cluster.members)
            out.append("  }")
    out.extend(_edge_line(edge) for edge in graph.edges)
    looks = used_looks(graph) if legend else []
    if looks:
        out.append("  subgraph cluster_legend {")
        out.append(f'    label="Legend"; style="rounded"; color="#bbbbbb";')
        for look, text in looks:
            if look.startswith("edge:"):
                name = look.split(":")[1]
                out.append(f"    legend_{name}_a [shape=point, width=0.05];")
                out.append(f"    legend_{name}_b [shape=plaintext, label={_label([text])}];")
                style = _EDGE_STYLE[look]
                out.append(f"    legend_{name}_a -> legend_{name}_b" + (f" [{style}]" if style else "") + ";")
            else:
                out.append(f"    legend_{look} [label={_label([text])}, {_NODE_STYLE[look]}];")
        out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def require_dot() -> str:
    """The path of Graphviz's ``dot``; :class:`DotNotFoundError` saying how to get it."""
    program = shutil.which("dot")
    if program is None:
        raise DotNotFoundError(
            "--format svg needs Graphviz's 'dot' program, which is not on PATH; install Graphviz "
            "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; others: "
            "https://graphviz.org/download/), or write --format dot and draw it elsewhere"
        )
    return program


def to_svg(dot_text: str) -> str:
    """SVG drawn by Graphviz's ``dot``; :class:`DotNotFoundError` when it is not installed."""
    program = require_dot()
    try:
        proc = subprocess.run(
            [program, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=DOT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise ScaffoldError(f"could not run {program}: {err}") from err
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit code {proc.returncode}"
        raise ScaffoldError(f"dot could not draw the graph: {message}")
    return proc.stdout.decode("utf-8", "replace")
