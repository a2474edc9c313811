"""The one error boundary of the command line.

The group runs every command (and the loading of lazy commands) inside :func:`boundary`, so
no command needs one of its own: scaffold's errors are a message and exit 1, Ctrl-C is exit
130, click's usage errors pass through (exit 2), and anything else is one line saying it is a
bug (``SCAFFOLD_DEBUG=1`` re-raises it with its traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..errors import InternalError, PresetError, ScaffoldError

#: ``ctx.meta`` key a command's ``--quiet`` sets, so the boundary hides notices too.
QUIET = "scaffold.quiet"


def _err(text: str) -> None:
    from ..output import escape

    click.echo(escape(text.rstrip("\n")) + "\n", err=True, nl=False)


@contextmanager
def boundary(*, quiet: bool = False, ctx: click.Context | None = None) -> Iterator[None]:
    """Turn what escapes a command into a message and an exit code.

    ``quiet`` (or ``ctx.meta[QUIET]``, read when the error happens) hides notices in a
    preset's problem report.
    """
    try:
        yield
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise  # usage errors (exit 2) and explicit exits: click reports them
    except PresetError as exc:
        from ..output.text import format_failure, use_color

        hide = quiet or bool(ctx is not None and ctx.meta.get(QUIET))
        click.echo(format_failure(exc.issues, exc.warnings, color=use_color(sys.stderr), quiet=hide), err=True, nl=False)
        sys.exit(1)
    except InternalError as exc:  # a bug the library caught: like any other bug below
        if os.environ.get("SCAFFOLD_DEBUG") and exc.__cause__ is not None:
            raise exc.__cause__ from None
        _err(f"{exc}; SCAFFOLD_DEBUG=1 shows the traceback")
        sys.exit(1)
    except ScaffoldError as exc:
        _err(f"error: {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug in scaffold: say so in one line, keep the traceback on request
        if os.environ.get("SCAFFOLD_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (a bug in scaffold; SCAFFOLD_DEBUG=1 shows the traceback)")
        sys.exit(1)
