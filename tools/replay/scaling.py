"""Time compression: a config and a profile that run k times faster with the same concurrency.

Every duration shrinks by k and every arrival rate grows by k, so λ × latency — the number of
requests, payments and connections in flight — is what the real system would see. Only durations
(`*_ms`) change; counts, ratios and thresholds stay as written.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from checkout_payments.config import ConfigError, LoadedConfig, parse_config
from checkout_payments.generated import TimeoutConfig, worst_case_call_ms

LEGACY_HOLD = "legacy_hold_connection_during_payment"
LEGACY_RETRY = "legacy_retry_timeout_as_new_payment"


@dataclass(frozen=True)
class ScaledConfig:
    document: dict[str, Any]
    loaded: LoadedConfig
    # What had to be nudged after rounding so the scaled copy still passes the lint, in words.
    adjustments: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return json.dumps(self.document, indent=2) + "\n"


def scale_config(
    document: dict[str, Any],
    k: float,
    *,
    hold_connection: bool | None = None,
    retry_as_new_payment: bool | None = None,
) -> ScaledConfig:
    """Every `*_ms` value divided by k (rounded, at least 1 unless 0); the real loader checks the copy.

    `hold_connection` and `retry_as_new_payment` override the two legacy switches of the incident's
    code path (None keeps the document's value). Rounding can
    break a lint rule that held before (e.g. deadline = worst case); the deadline is then raised to the
    smallest value that passes, and the change is listed in `adjustments`.
    """
    scaled = copy.deepcopy(document)
    scaled.pop("$schema", None)
    _scale_durations(scaled, k)
    suffix = f".replay-k{k:g}"
    scaled["version"] = str(scaled.get("version", "config"))[: 64 - len(suffix)] + suffix
    for switch, value in ((LEGACY_HOLD, hold_connection), (LEGACY_RETRY, retry_as_new_payment)):
        if value is not None:
            scaled.setdefault("order_service", {})[switch] = value
    adjustments: list[str] = []
    payment = scaled["payment"]
    # The schema-typed settings, before the lint: the deadline rule is what rounding may break.
    worst = worst_case_call_ms(TimeoutConfig.model_validate(scaled))
    if payment["deadline_ms"] < worst:
        adjustments.append(f"deadline_ms {payment['deadline_ms']} -> {worst} (rounding; worst case of one call)")
        payment["deadline_ms"] = worst
    acquire = scaled["database"]["pool"]["acquire_timeout_ms"]
    if acquire >= payment["deadline_ms"]:
        adjustments.append(f"deadline_ms {payment['deadline_ms']} -> {acquire + 1} (rounding; above acquire)")
        payment["deadline_ms"] = acquire + 1
    return ScaledConfig(scaled, _load(scaled), adjustments)


def _scale_durations(node: Any, k: float) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("_ms") and isinstance(value, int | float) and not isinstance(value, bool):
                # 0 keeps its meaning (e.g. no jitter); anything else stays at least 1 ms.
                node[key] = 0 if value == 0 else max(1, round(value / k))
            else:
                _scale_durations(value, k)


def _load(document: dict[str, Any]) -> LoadedConfig:
    try:
        return parse_config(json.dumps(document), "<scaled replay config>")
    except ConfigError as error:
        problems = "; ".join(f"{v.pointer}: {v.message}" for v in error.violations)
        raise ValueError(f"the time-scaled copy does not load: {problems}") from error
