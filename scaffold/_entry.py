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
import signal
from types import FrameType


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


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    """Python's own Ctrl-C handler, except inside a callback that cannot pass an exception on.

    A KeyboardInterrupt raised inside a weakref callback (importlib drops its per-module
    import locks through one, many times during start-up) is printed as "Exception ignored
    in ..." with a traceback, and the program carries on as if no Ctrl-C came. There, the
    interrupt is put off for a millisecond (SIGALRM, handled here too), by which time the
    callback has returned.
    """
    code = frame.f_code if frame is not None else None
    if code is not None and code.co_name == "cb" and code.co_filename == "<frozen importlib._bootstrap>":
        signal.signal(signal.SIGALRM, _on_sigint)
        signal.setitimer(signal.ITIMER_REAL, 0.001)
        return
    raise KeyboardInterrupt


def main() -> None:
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler and hasattr(signal, "setitimer"):
            signal.signal(signal.SIGINT, _on_sigint)
        import gc

        gc.disable()
        from .cli import main as cli

        cli(prog_name="scaffold")
    except KeyboardInterrupt:
        _interrupted()
