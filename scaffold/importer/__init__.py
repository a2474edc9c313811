"""``scaffold import``: existing YAML (Kubernetes manifests, docker-compose files) -> presets.

Most people already have YAML. The importer turns manifests into one preset per app (a
workload and the objects that travel with it: Services, ServiceAccount, ConfigMaps, claims,
Ingress, HPA, PDB, NetworkPolicy) and compose services into presets, so that what was retyped
by hand becomes short and checked. Rendering an imported preset gives back the input objects,
compared semantically (:mod:`scaffold.importer.canonical`); whatever the format does not model
becomes ``patches``, and objects it cannot render yet are passed through. Every such choice
is in the report, as :class:`~scaffold.errors.Issue` records.

    from scaffold.importer import import_manifests
    result = import_manifests(["deploy.yaml"])
    result.presets[0].preset        # a preset dict
    print(result.stream())          # every preset, then the pass-through objects
"""

from __future__ import annotations

from .manifests import Source, import_manifests, import_objects, import_text, read_sources, read_text
from .result import PASSTHROUGH_FILE, ImportedPreset, ImportResult, PassedThrough, render_unchecked

__all__ = [
    "PASSTHROUGH_FILE",
    "ImportResult",
    "ImportedPreset",
    "PassedThrough",
    "Source",
    "import_manifests",
    "import_objects",
    "import_text",
    "read_sources",
    "read_text",
    "render_unchecked",
]
