"""Images: present, parseable by the runtime, and pinned.

A bad reference is accepted by the API server and only fails on the node
(InvalidImageName); a floating tag works until two nodes run different builds.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..k8s.validators import image_ref, split_image
from ..k8s.vocab import CONTAINER_GROUPS
from . import Finding, Workload, rule
from .common import containers


@rule(
    "image-required",
    severity="error",
    scope="pod",
    summary="Every container needs an image.",
    prevents="the API server rejects it",
    fix="Set image to a reference such as nginx:1.27.",
    example="""\
name: web
containers:
  - {name: web, image: ""}
""",
)
def image_required(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec, CONTAINER_GROUPS):
        image = container.get("image")
        if image is None or (isinstance(image, str) and not image.strip()):
            yield Finding((*path, "image"), "the container has no image; set one such as nginx:1.27")


@rule(
    "image-format",
    severity="error",
    scope="pod",
    mark="RUN",
    summary="The image is a valid reference: [registry[:port]/]path[:tag][@sha256:<64 hex>], lowercase path, no spaces.",
    prevents="InvalidImageName / ImagePullBackOff",
    fix="Write the reference as the registry shows it, e.g. registry.example.com:5000/team/app:1.4.2.",
    example="""\
name: web
containers:
  - {name: web, image: "Nginx:1.27"}
""",
)
def image_format(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec, CONTAINER_GROUPS):
        image = container.get("image")
        if image is None or (isinstance(image, str) and not image.strip()):
            continue  # image-required says it
        problem = image_ref(image)
        if problem:
            yield Finding((*path, "image"), problem)


@rule(
    "image-tag-pinned",
    severity="warning",
    scope="pod",
    mark="PRACTICE",
    summary="An image without a tag or with :latest is not reproducible; a digest is the strongest pin.",
    prevents="different versions on different nodes (IfNotPresent keeps whatever latest was pulled first)",
    fix="Pin a version tag (nginx:1.27.3) or a digest (nginx@sha256:...).",
    example="""\
name: web
containers:
  - {name: web, image: nginx}
""",
)
def image_tag_pinned(w: Workload) -> Iterator[Finding]:
    for path, container in containers(w.spec, CONTAINER_GROUPS):
        image = container.get("image")
        if not isinstance(image, str) or image_ref(image):
            continue
        _, _, tag, digest = split_image(image)
        if digest is not None or (tag is not None and tag != "latest"):
            continue
        what = "has no tag (that means :latest)" if tag is None else "uses the floating tag :latest"
        note = ""
        if container.get("imagePullPolicy") == "IfNotPresent":
            note = "; with imagePullPolicy IfNotPresent each node keeps whichever latest it pulled first"
        yield Finding((*path, "image"), f"image {image!r} {what}, so the version is not reproducible{note}; pin a version or a digest")
