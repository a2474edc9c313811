"""``scaffold graph``: options and one library call (:func:`scaffold.graph.draw`)."""

from __future__ import annotations

import click


@click.command("graph")
@click.argument("sources", nargs=-1, required=True, metavar="PRESET|FILE...|-")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "svg"]), default="mermaid", show_default=True,
              help="mermaid: GitHub and docs tools render it; dot: Graphviz; svg: drawn by Graphviz's dot (must be on PATH).")
@click.option("--legend/--no-legend", default=True, show_default=True, help="Add a legend of the looks the graph uses.")
def graph_command(sources: tuple[str, ...], fmt: str, legend: bool) -> None:
    """Draw the objects and their wiring: Ingress -> Service -> pods -> ConfigMaps, Secrets, ...

    Give a preset (built-in name or file; it is rendered first) or manifests (files,
    directories, - for stdin; several documents, kind: List). Broken wiring found by the rule
    engine is drawn red (errors) or orange (warnings) with its rule id, references to objects
    not in the input as dashed boxes.
    Exit 0 when drawn (even with broken wiring), 1 on bad input, 2 when svg lacks Graphviz.
    """
    from ..graph import DotNotFoundError, draw
    from ..output import write

    try:
        text = draw(sources, fmt=fmt, legend=legend)
    except DotNotFoundError as err:
        click.echo(f"error: {err}", err=True)
        click.get_current_context().exit(2)
    write(text)
