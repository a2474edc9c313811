"""Writing the files of a run as one set: all of them, or none.

Every file is first written to a temporary file in its target directory. Only when all of them
are written are they moved into place: a file that may be replaced (``--force``, or the person
said yes) by a rename over it; a file that must not exist yet by a hard link, which fails if
the name exists, so of several runs racing for one name exactly one wins (O_EXCL semantics
for a finished file). If any step fails, the files already moved are put back as they were.
Nothing but a regular file is ever replaced: not a directory, a FIFO, a device or a link.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import WizardError


@dataclass(frozen=True)
class Output:
    """One file to write."""

    path: Path
    text: str
    #: May replace an existing regular file; otherwise the name must not exist.
    replace: bool = False
    #: The option that chooses this file, for messages ("--output", "--render").
    option: str = "--output"


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))


def not_regular(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file ("a FIFO", ...), else None."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as err:
        return f"unreadable ({err.strerror})"
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def refuse_non_regular(path: Path, option: str) -> None:
    """Raise when ``path`` exists and is not a regular file; ``option`` chooses another file."""
    what = not_regular(path)
    if what == "a directory":
        raise WizardError(f"{path} is a directory; give a file name with {option}")
    if what is not None:
        raise WizardError(f"{path} is {what}, not a regular file; scaffold new only replaces regular files "
                          f"(nothing was written). Choose another file with {option}")


def _exists(out: Output) -> WizardError:
    return WizardError(f"{out.path} already exists; nothing was written. Use --force to overwrite it, "
                       f"or {out.option} another file")


def _check(out: Output) -> None:
    refuse_non_regular(out.path, out.option)
    if not out.replace and os.path.lexists(out.path):
        raise _exists(out)


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _write_temp(out: Output, umask: int) -> str:
    folder = _folder(out.path)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(out.text.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~umask)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _create(tmp: str, out: Output) -> None:
    """Put ``tmp`` at ``out.path``, failing if that name exists (even if it appeared just now)."""
    try:
        os.link(tmp, out.path)
        return
    except FileExistsError:
        raise _exists(out) from None
    except OSError:  # a file system without hard links: claim the name, then rename over it
        pass
    try:
        os.close(os.open(out.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise _exists(out) from None
    os.replace(tmp, out.path)


def _backup(path: Path) -> str | None:
    """A second name for the file about to be replaced, to put it back if a later step fails."""
    if not os.path.lexists(path):
        return None
    name = os.path.join(_folder(path), f".{path.name}.{secrets.token_hex(6)}.old")
    try:
        os.link(path, name)
    except OSError:
        return None
    return name


def write_all(outputs: Sequence[Output]) -> None:
    """Write every file of ``outputs``, or none of them (see the module docstring)."""
    seen: set[str] = set()
    for out in outputs:
        real = os.path.realpath(out.path)
        if real in seen:
            raise WizardError(f"{out.path} is named twice; give each file its own name")
        seen.add(real)
        folder = _folder(out.path)
        if not folder.is_dir():
            raise WizardError(f"cannot write {out.path}: directory {folder} does not exist")
        _check(out)
    umask = os.umask(0)
    os.umask(umask)
    temps: list[str] = []
    backups: list[str] = []
    #: What was moved into place so far: (output, its temp file, backup of the old file or None,
    #: whether a file was there before).
    done: list[tuple[Output, str, str | None, bool]] = []
    try:
        try:
            for out in outputs:
                temps.append(_write_temp(out, umask))
        except OSError as err:
            raise WizardError(f"cannot write {outputs[len(temps)].path}: {err.strerror or err}") from None
        for out, tmp in zip(outputs, temps):
            try:
                _check(out)  # again, right before: the name may have changed since
                if out.replace:
                    existed = os.path.lexists(out.path)
                    backup = _backup(out.path)
                    if backup is not None:
                        backups.append(backup)
                    os.replace(tmp, out.path)
                    done.append((out, tmp, backup, existed))
                else:
                    _create(tmp, out)
                    done.append((out, tmp, None, False))
            except OSError as err:
                raise WizardError(f"cannot write {out.path}: {err.strerror or err}; nothing was written") from None
    except BaseException:
        _undo(done)
        raise
    finally:
        for name in temps + backups:
            try:
                os.unlink(name)
            except FileNotFoundError:
                pass
            except OSError:  # pragma: no cover - left behind rather than hiding the real error
                pass


def _undo(done: list[tuple[Output, str, str | None, bool]]) -> None:
    """Put back what was moved into place, newest first."""
    for out, tmp, backup, existed in reversed(done):
        try:
            if backup is not None:
                os.replace(backup, out.path)
            elif not existed:
                if os.path.exists(tmp) and not os.path.samefile(tmp, out.path):
                    continue  # the name holds another run's file by now: not ours to remove
                os.unlink(out.path)
        except OSError:  # pragma: no cover - best effort; the error being raised says what failed
            pass
