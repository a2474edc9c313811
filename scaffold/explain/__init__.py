"""``scaffold explain``: the article's troubleshooting table as a command, and offline pod diagnosis.

- :mod:`.knowledge`: the knowledge base (``scaffold/data/troubleshooting.yaml``), read by
  ``explain NAME``, ``--list`` and the generated ``docs/troubleshooting.md``;
- :mod:`.reading`: pods from ``kubectl get pod -o json|yaml`` output, checked and normalized;
- :mod:`.diagnosis` (with :mod:`.containers` and :mod:`.scheduling`): status -> findings tied
  to the spec field to change and the next command to run;
- :mod:`.report`: the text and JSON report, and the exit status.

The click command lives in ``scaffold/cli/explain.py``; this package does not import click.
"""

from __future__ import annotations

from .diagnosis import diagnose, kubectl_status
from .knowledge import Topic, find_topic, format_list, format_topic, render_markdown, topics
from .model import Diagnosis, PodReport
from .reading import PodInputError, normalize, pods_from_text
from .report import Outcome, diagnose_source, format_report

__all__ = [
    "Diagnosis",
    "Outcome",
    "PodInputError",
    "PodReport",
    "Topic",
    "diagnose",
    "diagnose_source",
    "find_topic",
    "format_list",
    "format_report",
    "format_topic",
    "kubectl_status",
    "normalize",
    "pods_from_text",
    "render_markdown",
    "topics",
]
