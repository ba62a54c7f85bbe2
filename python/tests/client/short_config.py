"""Shortened copies of config/timeout.json, so tests wait milliseconds where production waits seconds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from checkout_payments.config import LoadedConfig, load_config

REPO = Path(__file__).resolve().parents[3]
CONFIG = REPO / "config" / "timeout.json"

# Every value keeps the config's lint rules: timeout ≥ p99, deadline ≥ 3 × 400 + (40 + 10) + (80 + 10).
SHORT: dict[str, Any] = {
    "payment/timeout_ms": 400,
    "payment/deadline_ms": 2000,
    "payment/provider_expected_p99_ms": 300,
    # floor + margin <= timeout and margin < floor (the lint): a 400 ms attempt sends X-Deadline-Ms 350.
    "payment/min_deadline_ms": 100,
    "payment/answer_margin_ms": 50,
    "payment/retry/max_attempts": 3,
    "payment/retry/base_delay_ms": 40,
    "payment/retry/backoff_multiplier": 2.0,
    "payment/retry/jitter_ms": 10,
    "payment/retry/max_delay_ms": 160,
    "payment/circuit_breaker/failure_threshold": 3,
    "payment/circuit_breaker/recovery_timeout_ms": 300,
    "payment/circuit_breaker/half_open_max_calls": 1,
    "database/pool/acquire_timeout_ms": 1000,
    "lambda/safety_margin_ms": 300,
}


def short_config_file(directory: Path, changes: dict[str, Any] | None = None) -> Path:
    """Write the shortened config with `a/b/c` paths changed; returns its path."""
    document = json.loads(CONFIG.read_text(encoding="utf-8"))
    document.pop("$schema", None)
    for pointer, value in {**SHORT, **(changes or {})}.items():
        *parents, last = pointer.split("/")
        target = document
        for part in parents:
            target = target[part]
        target[last] = value
    written = directory / "timeout.json"
    written.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return written


def short_config(directory: Path, changes: dict[str, Any] | None = None) -> LoadedConfig:
    """The shortened config, loaded through the real loader (so the schema and lint still hold)."""
    return load_config(short_config_file(directory, changes))
