"""Kubernetes knowledge that does not depend on presets: kinds, quantities, field formats."""
