"""The preset format: schema and vocabularies, short forms, normalize, overrides, built-ins."""
