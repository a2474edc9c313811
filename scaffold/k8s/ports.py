"""Service ports that expose container ports one to one.

A preset's default Service (``service: true``) and a StatefulSet's governing headless Service
both publish every port of the first container under its own number and name; this is that
mapping, written once.
"""

from __future__ import annotations

from typing import Any


def service_ports(container_ports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``{name, port, targetPort, protocol}`` for each normalized ``containerPort`` entry
    (name and protocol only when the container port has them)."""
    out = []
    for port in container_ports:
        entry = {k: port[k] for k in ("name",) if k in port}
        entry["port"] = port["containerPort"]
        entry["targetPort"] = port["containerPort"]
        if "protocol" in port:
            entry["protocol"] = port["protocol"]
        out.append(entry)
    return out
