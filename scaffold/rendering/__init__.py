"""Templates to objects, objects to YAML/JSON."""
