"""Semantic lint of config/timeout.json: the rules JSON Schema cannot express."""
