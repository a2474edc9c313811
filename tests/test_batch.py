"""Batch render: many presets in one process, all or nothing (`scaffold render A B dir/`,
`--out-dir`, `scaffold.render_many`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import scaffold
from conftest import ROOT
from scaffold.cli import main

GOOD = "name: {name}\ncontainers:\n  - name: app\n    image: nginx:1.27\n    ports: [80]\nservice: true\n"
BAD = "name: broken\ncontainers:\n  - name: app\n    image: nginx:1.27\n    replica: 3\n"
WORSE = "name: worse\nkind: Deploymnet\ncontainers:\n  - name: app\n    image: nginx:1.27\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_render_many_returns_each_preset_in_order() -> None:
    results = scaffold.render_many(["web-app", "nginx", "myapp"])
    assert [r.objects for r in results] == [scaffold.render(n) for n in ("web-app", "nginx", "myapp")]


def test_render_many_reports_every_problem_of_every_preset_naming_its_file(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", GOOD.format(name="a"))
    bad = write(tmp_path / "bad.yaml", BAD)
    worse = write(tmp_path / "worse.yaml", WORSE)
    with pytest.raises(scaffold.PresetError) as err:
        scaffold.render_many([a, bad, tmp_path / "missing.yaml", worse])
    by_file = {(i.file, i.path) for i in err.value.issues}
    assert (str(bad), "containers[0].replica") in by_file
    assert (str(worse), "kind") in by_file
    assert any(f == str(tmp_path / "missing.yaml") for f, _ in by_file)
    assert all(i.file is not None for i in err.value.issues)
    assert not any(i.file == str(a) for i in err.value.issues)


def test_render_many_names_dict_presets_by_their_place() -> None:
    good = {"name": "a", "containers": [{"name": "a", "image": "nginx:1.27"}]}
    with pytest.raises(scaffold.PresetError) as err:
        scaffold.render_many([good, {"name": "b", "containers": []}])
    assert {i.file for i in err.value.issues} == {"presets[1]"}


def test_overrides_apply_to_every_preset() -> None:
    results = scaffold.render_many(["web-app", "nginx"], overrides={"namespace": "shop"})
    assert {o["metadata"]["namespace"] for r in results for o in r.objects} == {"shop"}


def test_a_directory_stands_for_the_presets_under_it_recursively(tmp_path: Path) -> None:
    write(tmp_path / "apps" / "b.yaml", GOOD.format(name="b"))
    write(tmp_path / "apps" / "sub" / "a.yml", GOOD.format(name="a"))
    write(tmp_path / "apps" / "values.yaml", "replicas: 3\n")  # a values file, not a preset
    write(tmp_path / "apps" / "manifest.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    write(tmp_path / "apps" / "kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
    write(tmp_path / "apps" / "notes.txt", "name: not yaml by name\n")
    write(tmp_path / "apps" / ".hidden" / "c.yaml", GOOD.format(name="c"))
    results = scaffold.render_many([tmp_path / "apps"])
    assert [r.preset["name"] for r in results] == ["b", "a"]


def test_cli_renders_one_stream_in_argument_order(runner, tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", GOOD.format(name="zeta"))
    result = runner.invoke(main, ["render", "nginx", str(a), "web-app"])
    assert result.exit_code == 0, result.output
    docs = list(yaml.safe_load_all(result.stdout))
    want = scaffold.render("nginx") + scaffold.render(a) + scaffold.render("web-app")
    assert docs == want


def test_cli_json_is_one_list_of_all_objects(runner) -> None:
    result = runner.invoke(main, ["render", "nginx", "web-app", "-o", "json"])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["items"] == scaffold.render("nginx") + scaffold.render("web-app")


def test_cli_reports_all_problems_and_writes_nothing(cli, tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", GOOD.format(name="a"))
    bad = write(tmp_path / "bad.yaml", BAD)
    worse = write(tmp_path / "worse.yaml", WORSE)
    result = cli("render", str(a), str(bad), str(worse))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "replica" in result.stderr and str(bad) in result.stderr
    assert "Deploymnet" in result.stderr and str(worse) in result.stderr


def test_out_dir_writes_a_file_per_preset_and_a_kustomization(runner, tmp_path: Path) -> None:
    a = write(tmp_path / "in" / "a.yaml", GOOD.format(name="alpha"))
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(a), "web-app", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    web = scaffold.render("web-app")
    web_name = web[0]["metadata"]["name"]
    assert sorted(os.listdir(out)) == sorted(["alpha.yaml", f"{web_name}.yaml", "kustomization.yaml"])
    assert list(yaml.safe_load_all((out / "alpha.yaml").read_text())) == scaffold.render(a)
    kustomization = yaml.safe_load((out / "kustomization.yaml").read_text())
    assert kustomization["kind"] == "Kustomization"
    assert kustomization["resources"] == ["alpha.yaml", f"{web_name}.yaml"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_kustomize_reads_the_out_dir(runner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", "nginx", "web-app", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    built = subprocess.run(["kubectl", "kustomize", str(out)], capture_output=True, text=True, timeout=60)
    assert built.returncode == 0, built.stderr
    kinds = sorted((o["kind"], o["metadata"]["name"]) for o in yaml.safe_load_all(built.stdout))
    want = sorted((o["kind"], o["metadata"]["name"]) for o in scaffold.render("nginx") + scaffold.render("web-app"))
    assert kinds == want


def test_a_failed_out_dir_run_leaves_the_directory_as_it_was(runner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = runner.invoke(main, ["render", "nginx", "--out-dir", str(out)])
    assert first.exit_code == 0, first.output
    write(out / "mine.txt", "kept\n")
    before = tree(out)
    bad = write(tmp_path / "bad.yaml", BAD)
    result = runner.invoke(main, ["render", "web-app", str(bad), "--out-dir", str(out)])
    assert result.exit_code == 1
    assert tree(out) == before


def test_a_failed_out_dir_run_creates_no_directory(runner, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", BAD)
    result = runner.invoke(main, ["render", "nginx", str(bad), "--out-dir", str(tmp_path / "new")])
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()


def test_a_file_that_cannot_be_written_leaves_every_other_file_as_it_was(runner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, ["render", "nginx", "web-app", "--out-dir", str(out)]).exit_code == 0
    before = tree(out)
    (out / "kustomization.yaml").unlink()
    (out / "kustomization.yaml").mkdir()  # a directory where the last file must go
    result = runner.invoke(main, ["render", "myapp", "web-app", "--out-dir", str(out)])
    assert result.exit_code == 1
    assert "kustomization.yaml" in result.output
    after = tree(out)
    before.pop("kustomization.yaml")
    assert after == before


def test_two_presets_of_one_name_are_refused_in_out_dir(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["render", "nginx", "nginx", "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "presets 1 and 2 would write" in result.output
    assert not (tmp_path / "out").exists()


def test_builtin_directory_renders_like_each_preset(runner) -> None:
    result = runner.invoke(main, ["render", str(ROOT / "presets")])
    assert result.exit_code == 0, result.output
    names = sorted(p.stem for p in (ROOT / "presets").glob("*.yaml"))
    assert list(yaml.safe_load_all(result.stdout)) == [o for n in names for o in scaffold.render(n)]


def test_validate_many_reports_every_preset_in_one_json_document(runner, tmp_path: Path) -> None:
    import json

    bad = write(tmp_path / "bad.yaml", BAD)
    result = runner.invoke(main, ["validate", "web-app", str(bad), str(tmp_path / "missing.yaml"), "-o", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["presets"] == ["web-app", str(bad), str(tmp_path / "missing.yaml")]
    files = {i["file"] for i in report["issues"] if i["severity"] == "error"}
    assert files == {str(bad), str(tmp_path / "missing.yaml")}
    assert report["summary"]["objects"] == len(scaffold.render("web-app"))


def test_validate_many_good_presets_exit_0_with_notes_per_preset(runner) -> None:
    result = runner.invoke(main, ["validate", "web-app", "nginx"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "web-app:" in lines and "nginx:" in lines
    assert lines[-1].startswith(f"ok: {len(scaffold.render('web-app')) + len(scaffold.render('nginx'))} objects")


def test_a_directory_without_presets_is_an_error_not_an_empty_stream(runner, tmp_path: Path) -> None:
    write(tmp_path / "k8s" / "manifest.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    result = runner.invoke(main, ["render", str(tmp_path / "k8s")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no presets" in result.stderr
