"""The console-script entry (``scaffold`` and ``python -m scaffold``).

It pauses Python's cyclic garbage collector before anything heavy is imported. A cold
``scaffold render`` imports click, PyYAML and Jinja2: some hundred thousand objects that live
until the process exits, which the collector would otherwise scan again and again (about a
twentieth of the whole run, measured with benchmarks/bench_render.py). Reference counting
still frees everything that is not in a cycle, and the commands are short-lived; the
interactive wizard turns the collector back on.
"""

from __future__ import annotations


def main() -> None:
    import gc

    gc.disable()
    from .cli import main as cli

    cli(prog_name="scaffold")
