"""Every shell and Python example in README.md and docs/ runs, and shows what scaffold says.

The convention (write new examples to it; a block that cannot run fails here, never silently):

- Tested blocks: fenced ``python``, ``sh`` and ``console`` blocks, and unlabelled blocks whose
  first line starts with ``$ ``. Other blocks (yaml, text, output formats) are not run.
- A document's blocks run in order, in one fresh directory, with ``scaffold`` on PATH (this
  checkout) and no colour. A ``yaml`` block whose first line is ``# NAME.yaml`` is written there
  as NAME.yaml first, so later blocks can use the file the reader was shown.
- ``sh``: every line (a trailing ``# comment`` dropped) is a command that must exit 0.
- ``console`` and ``$`` blocks: every ``$ COMMAND`` line is run; the lines after it up to the
  next ``$`` line are its expected output (stdout then stderr), compared exactly when there are
  any; a command shown without output must exit 0.
- ``python``: run as a script; it must exit 0.
- Markers, an HTML comment on the line just before the fence:
  ``<!-- doctest: skip REASON -->`` for an example that needs a cluster, the network, a
  terminal or files of the reader's own; ``<!-- doctest: stub kubectl -->`` runs it with a
  ``kubectl`` that reads its input and succeeds (for scripts that end in ``kubectl apply``).
- Generated pages are not read here: docs/validation.md and docs/troubleshooting.md run their
  examples through the code when they are generated (and their staleness tests), and
  docs/preset-format.md has no commands.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = {"docs/validation.md", "docs/troubleshooting.md", "docs/preset-format.md"}
DOCUMENTS = ["README.md"] + sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md") if str(p.relative_to(ROOT)) not in GENERATED
)
FENCE = re.compile(r"^```(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*doctest:\s*(skip|stub)\s*(.*?)\s*-->$")


class Block(NamedTuple):
    line: int
    info: str
    body: list[str]
    marker: tuple[str, str] | None


def blocks(text: str) -> list[Block]:
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
            marker = MARKER.match(lines[i - 1].strip()) if i else None
            out.append(Block(i + 1, m.group(1), lines[i + 1 : end], marker.groups() if marker else None))  # type: ignore[arg-type]
            i = end
        i += 1
    return out


def runnable(block: Block) -> bool:
    return block.info in ("python", "sh", "console") or (block.info == "" and bool(block.body) and block.body[0].startswith("$ "))


def _environment(tmp: Path, stub_kubectl: bool) -> dict[str, str]:
    bin_dir = tmp / ".bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "scaffold"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m scaffold "$@"\n')
    shim.chmod(0o755)
    if stub_kubectl:
        stub = bin_dir / "kubectl"
        stub.write_text("#!/bin/sh\ncat > /dev/null\necho applied\n")
        stub.chmod(0o755)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("SCAFFOLD_DEBUG", None)
    return env


def _without_comment(command: str) -> str:
    return re.sub(r"\s+#\s.*$", "", command).strip()


def _shell(command: str, tmp: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=tmp, env=env, capture_output=True, text=True, timeout=120)


def run_block(block: Block, tmp: Path, where: str) -> None:
    env = _environment(tmp, stub_kubectl=block.marker == ("stub", "kubectl"))
    if block.info == "python":
        proc = subprocess.run([sys.executable, "-c", "\n".join(block.body)], cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, f"{where}: the Python example fails:\n{proc.stderr}"
    elif block.info == "sh":
        for line in block.body:
            command = _without_comment(line)
            if command and not command.startswith("#"):
                proc = _shell(command, tmp, env)
                assert proc.returncode == 0, f"{where}: `{command}` exits {proc.returncode}:\n{proc.stderr}"
    else:
        commands: list[tuple[str, list[str]]] = []
        for line in block.body:
            if line.startswith("$ "):
                commands.append((_without_comment(line[2:]), []))
            elif commands:
                commands[-1][1].append(line)
        for command, expected in commands:
            proc = _shell(command, tmp, env)
            if expected:
                assert (proc.stdout + proc.stderr).rstrip("\n").split("\n") == expected, f"{where}: `{command}` says otherwise"
            else:
                assert proc.returncode == 0, f"{where}: `{command}` exits {proc.returncode}:\n{proc.stderr}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_examples_of_a_document_run_and_show_what_scaffold_says(document: str, tmp_path: Path) -> None:
    for block in blocks((ROOT / document).read_text(encoding="utf-8")):
        where = f"{document}:{block.line}"
        if block.info == "yaml" and block.body and re.fullmatch(r"#\s*[\w.-]+\.yaml", block.body[0].strip()):
            (tmp_path / block.body[0].strip().lstrip("#").strip()).write_text("\n".join(block.body) + "\n", encoding="utf-8")
            continue
        if not runnable(block):
            continue
        if block.marker is not None and block.marker[0] == "skip":
            assert block.marker[1], f"{where}: a skip marker says why"
            continue
        run_block(block, tmp_path, where)


def test_the_convention_finds_runnable_blocks_and_markers() -> None:
    text = "<!-- doctest: skip needs a cluster -->\n```sh\nkubectl get pods\n```\n\n```\n$ scaffold validate x\n```\n\n```text\nno\n```\n"
    found = blocks(text)
    assert [(b.info, b.marker, runnable(b)) for b in found] == [("sh", ("skip", "needs a cluster"), True), ("", None, True), ("text", None, False)]


def test_a_wrong_output_in_an_example_fails(tmp_path: Path) -> None:
    block = Block(1, "console", ["$ scaffold presets show nginx | head -1", "# not what it says"], None)
    with pytest.raises(AssertionError):
        run_block(block, tmp_path, "example")
