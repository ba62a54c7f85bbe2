"""The config monitoring reads, validated and fingerprinted the way a Python service does it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from jsonschema import Draft202012Validator

from tools.codegen.model import REPO, SCHEMA_REL, Schema

CONFIG_REL = "config/timeout.json"
CONFIG_PATH = REPO / CONFIG_REL


@dataclass(frozen=True)
class Monitored:
    """The settings monitoring reads, with the identity of the config they came from."""

    version: str
    fingerprint: str
    error_rate: float
    timeout_rate: float
    pool_warn: float
    pool_critical: float
    recovery_timeout_ms: int
    timeout_ms: int
    provider_p99_ms: int
    max_tokens: int


def load_monitored(schema: Schema, path: Path) -> Monitored:
    """Validate and fingerprint the config through the Python binding when installed, else the schema alone."""
    text = path.read_text(encoding="utf-8")
    loaded = load_with_binding(text, str(path))
    document, fingerprint = loaded if loaded is not None else load_with_schema(schema, text, str(path))
    payment, monitoring = document["payment"], document["monitoring"]
    return Monitored(
        version=document["version"],
        fingerprint=fingerprint,
        error_rate=float(monitoring["error_rate_threshold"]),
        timeout_rate=float(monitoring["payment_timeout_rate_threshold"]),
        pool_warn=float(monitoring["pool_utilization_warn"]),
        pool_critical=float(monitoring["pool_utilization_critical"]),
        recovery_timeout_ms=payment["circuit_breaker"]["recovery_timeout_ms"],
        timeout_ms=payment["timeout_ms"],
        provider_p99_ms=payment["provider_expected_p99_ms"],
        max_tokens=payment["retry_budget"]["max_tokens"],
    )


def load_with_binding(text: str, source: str) -> tuple[dict[str, Any], str] | None:
    """Schema, lint and fingerprint exactly as a Python service does; None without the package (plain python3)."""
    try:
        from checkout_payments.config import parse_config
    except ImportError:
        return None
    return json.loads(text), parse_config(text, source).fingerprint


def load_with_schema(schema: Schema, text: str, source: str) -> tuple[dict[str, Any], str]:
    """The fallback: schema validation (no lint) and the same RFC 8785 fingerprint."""
    document = json.loads(text)
    errors = Draft202012Validator(schema.document).iter_errors(document)
    found = sorted(f"{''.join(f'/{part}' for part in e.absolute_path)}: {e.message}" for e in errors)
    if found:
        raise ValueError(f"{source} does not match {SCHEMA_REL}: {'; '.join(found)}")
    return document, hashlib.sha256(rfc8785.dumps(document)).hexdigest()
