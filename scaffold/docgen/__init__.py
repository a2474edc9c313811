"""Generators of the reference pages in docs/ (each test-checked against the committed page)."""
