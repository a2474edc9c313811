"""Every rendered object passes the official Kubernetes JSON schemas in strict mode."""

from __future__ import annotations

import pytest

import scaffold
from conftest import PRESETS

kubernetes_validate = pytest.importorskip("kubernetes_validate")
VERSIONS = ["1.30.0", kubernetes_validate.latest_version()]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", PRESETS)
def test_builtin_preset_objects_pass_strict_schema(name, version):
    for obj in scaffold.render(name):
        kubernetes_validate.validate(obj, version, strict=True)


def test_strict_schema_check_would_catch_an_unknown_field():
    # The check above can fail: a stray field is rejected in strict mode.
    (dep,) = scaffold.render("nginx")
    dep["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(dep, VERSIONS[0], strict=True)
