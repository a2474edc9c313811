"""The console-script entry (``scaffold`` and ``python -m scaffold``).

Ctrl-C: start-up imports click, PyYAML and Jinja2 for tens of milliseconds before any
command runs; an interrupt then must still be "interrupted" and exit 130, not a traceback.
So the whole import-and-run is inside one ``try`` here, before anything heavy is imported
(the commands themselves run inside the CLI's error boundary, which says the same).
What runs before this module (the interpreter's own start-up, ``import scaffold``) is out of
any Python program's reach.

It also pauses Python's cyclic garbage collector before anything heavy is imported. A cold
``scaffold render`` imports click, PyYAML and Jinja2: some hundred thousand objects that live
until the process exits, which the collector would otherwise scan again and again (about a
twentieth of the whole run, measured with benchmarks/bench_render.py). Reference counting
still frees everything that is not in a cycle, and the commands are short-lived; the
interactive wizard turns the collector back on.
"""

from __future__ import annotations

import os


def _interrupted() -> None:
    """Say so and leave at once: exit 130 (128 + SIGINT), as shells report an interrupt.

    ``os._exit``: no clean-up that a second Ctrl-C could interrupt with a traceback; the
    output written so far was flushed by each write.
    """
    try:
        os.write(2, b"interrupted\n")
    except OSError:
        pass
    os._exit(130)


def main() -> None:
    try:
        import gc

        gc.disable()
        from .cli import main as cli

        cli(prog_name="scaffold")
    except KeyboardInterrupt:
        _interrupted()
