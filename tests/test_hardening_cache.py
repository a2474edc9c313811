"""The compiled-template cache never runs code that another user could have written.

Cached templates are code. A poisoned entry (a pickle whose ``__reduce__`` runs something, or
marshalled code that does) is planted where the cache reads, in every layout scaffold has
used, and a real render runs in a fresh process. The marker file the poison would create
tells whether it ran. The positive control shows the same poison *does* run from a private
directory, so its absence elsewhere means something.
"""

from __future__ import annotations

import marshal
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.bccache import bc_magic

from conftest import ROOT
import scaffold
from scaffold.resources import resource_dir

TEMPLATES = sorted(n for n in os.listdir(resource_dir("templates")) if n.endswith(".j2"))
OTHER_UID = 65534  # nobody

needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")


class _Poison:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (open, (self.marker, "w"))


def _render(cache_home: Path, *, verbose: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT)}
    env.pop("SCAFFOLD_NO_CACHE", None)
    env.pop("SCAFFOLD_VERBOSE", None)
    if verbose:
        env["SCAFFOLD_VERBOSE"] = "1"
    code = "import sys, scaffold; sys.stdout.write(scaffold.render_yaml('web-app'))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def _sources() -> list[tuple[str, str, str]]:
    loader = jinja2.FileSystemLoader(resource_dir("templates"))
    env = jinja2.Environment()
    out = []
    for name in TEMPLATES:
        source, filename, _ = loader.get_source(env, name)
        out.append((name, filename, source))
    return out


def _plant(cache_home: Path, marker: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Poisoned entries for every template, in the old and in the current layout."""
    planted = []
    legacy = cache_home / "scaffold" / "jinja"  # jinja2.FileSystemBytecodeCache, pickled checksums
    legacy.mkdir(parents=True, exist_ok=True)
    key = jinja2.BytecodeCache()
    for name, filename, _ in _sources():
        path = legacy / f"__jinja2_{key.get_cache_key(name, filename)}.cache"
        path.write_bytes(bc_magic + pickle.dumps(_Poison(str(marker)), 2))
        planted.append(path)
    # The current layout: exactly the file the cache would read, with marshalled code that
    # creates the marker when Jinja runs it.
    from scaffold.rendering import templates

    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    monkeypatch.delenv("SCAFFOLD_NO_CACHE", raising=False)
    cache = templates._bytecode_cache()
    assert cache is not None
    if not hasattr(cache, "_path"):  # the old jinja2.FileSystemBytecodeCache: legacy layout only
        return planted
    poison = compile(f"open({str(marker)!r}, 'w').close()", "poison", "exec")
    for name, filename, source in _sources():
        bucket = cache.get_bucket(jinja2.Environment(), name, filename, source)
        path = Path(cache._path(bucket))
        path.write_bytes(cache._header(bucket) + marshal.dumps(poison))
        planted.append(path)
    return planted


def _chown_tree(top: Path, uid: int) -> None:
    for dirpath, dirnames, filenames in os.walk(top):
        os.chown(dirpath, uid, uid)
        for name in filenames:
            os.chown(os.path.join(dirpath, name), uid, uid)


def _version_dir(cache_home: Path) -> Path:
    return cache_home / "scaffold" / f"jinja-{scaffold.__version__}"


def test_poison_in_a_private_cache_directory_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Positive control: the cache does read this exact file, so the tests below mean something.
    marker = tmp_path / "ran"
    _plant(tmp_path / "cache", marker, monkeypatch)
    _render(tmp_path / "cache")
    assert marker.exists()


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_cache_directory_writable_by_others_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int) -> None:
    marker = tmp_path / "ran"
    cache_home = tmp_path / "cache"
    _plant(cache_home, marker, monkeypatch)
    os.chmod(cache_home / "scaffold", mode)
    proc = _render(cache_home)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    assert proc.stdout == scaffold.render_yaml("web-app")


@needs_root
def test_a_cache_directory_owned_by_another_user_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran"
    cache_home = tmp_path / "cache"
    _plant(cache_home, marker, monkeypatch)
    _chown_tree(cache_home / "scaffold", OTHER_UID)
    os.chmod(cache_home / "scaffold", 0o755)
    proc = _render(cache_home)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()


@needs_root
def test_a_version_directory_owned_by_another_user_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "ran"
    cache_home = tmp_path / "cache"
    _plant(cache_home, marker, monkeypatch)
    _chown_tree(_version_dir(cache_home), OTHER_UID)
    proc = _render(cache_home)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()


@needs_root
@pytest.mark.parametrize("foreign", ["owner", "mode"])
def test_a_foreign_entry_in_a_private_directory_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, foreign: str) -> None:
    marker = tmp_path / "ran"
    cache_home = tmp_path / "cache"
    for path in _plant(cache_home, marker, monkeypatch):
        if foreign == "owner":
            os.chown(path, OTHER_UID, OTHER_UID)
        else:
            os.chmod(path, 0o666)
    proc = _render(cache_home)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()


def test_the_cache_is_created_private_and_keyed_by_version(tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    first = _render(cache_home)
    second = _render(cache_home)
    assert first.returncode == second.returncode == 0
    assert first.stdout == second.stdout == scaffold.render_yaml("web-app")
    for directory in (cache_home / "scaffold", _version_dir(cache_home)):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    entries = list(_version_dir(cache_home).iterdir())
    assert entries, "nothing was cached"
    for entry in entries:
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600


def test_skipping_the_cache_says_why_under_scaffold_verbose(tmp_path: Path) -> None:
    cache_home = tmp_path / "cache"
    (cache_home / "scaffold").mkdir(parents=True)
    os.chmod(cache_home / "scaffold", 0o777)
    quiet = _render(cache_home)
    loud = _render(cache_home, verbose=True)
    assert quiet.returncode == loud.returncode == 0
    assert quiet.stderr == ""
    assert "template cache not used" in loud.stderr
    assert "writable by other users" in loud.stderr and "0777" in loud.stderr
    assert not (cache_home / "scaffold" / f"jinja-{scaffold.__version__}").exists()
