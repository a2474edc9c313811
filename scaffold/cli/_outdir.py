"""``scaffold render --out-dir``: one file per preset and a kustomization.yaml, all or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ScaffoldError

KUSTOMIZATION = "kustomization.yaml"


def out_dir_files(results: list[Any], fmt: str) -> list[tuple[str, str]]:
    """(file name, text) for each rendered preset (``NAME.yaml``) and the kustomization that
    lists them; two presets that would write one file are refused."""
    from ..rendering.emit import to_json_list, to_yaml_stream

    ext = "json" if fmt == "json" else "yaml"
    files: list[tuple[str, str]] = []
    owner: dict[str, int] = {}
    for index, result in enumerate(results, 1):
        name = f"{result.preset.get('name')}.{ext}"
        if name in owner or name == KUSTOMIZATION:
            first = f"presets {owner[name]} and {index}" if name in owner else f"preset {index}"
            raise ScaffoldError(f"--out-dir: {first} would write {name}; give each preset its own name "
                                "(nothing was written)")
        owner[name] = index
        files.append((name, to_json_list(result.objects) if ext == "json" else to_yaml_stream(result.objects)))
    kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" + "".join(
        f"- {name}\n" for name, _ in files
    )
    return [*files, (KUSTOMIZATION, kustomization)]


def write_out_dir(out_dir: str, results: list[Any], fmt: str) -> None:
    """Write :func:`out_dir_files` into ``out_dir`` as one set (the wizard's all-or-nothing
    writer: temporary files first, then renames, put back on failure). Other files in the
    directory are left alone; a directory this run created is removed again on failure."""
    from ..wizard.write import Output, write_all

    folder = Path(out_dir)
    outputs = [Output(folder / name, text, replace=True, option="--out-dir") for name, text in out_dir_files(results, fmt)]
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ScaffoldError(f"cannot create {out_dir}: {err.strerror or err}") from None
    try:
        write_all(outputs)
    except BaseException:
        if created:
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
