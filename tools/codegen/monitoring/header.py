"""The comment lines every generated monitoring file starts with: what generated it, from which config."""

from __future__ import annotations

from tools.codegen.model import Schema, header_lines
from tools.codegen.monitoring.config import CONFIG_REL, Monitored


def header(schema: Schema, config: Monitored) -> list[str]:
    return [
        *header_lines(),
        f"schema-sha256: {schema.sha256}",
        f"config: {CONFIG_REL} version {config.version} fingerprint {config.fingerprint}",
    ]
