"""Generates the typed config bindings of all three languages from config/timeout.schema.json."""
