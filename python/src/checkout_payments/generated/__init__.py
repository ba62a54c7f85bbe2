# generated from config/timeout.schema.json — do not edit
# regenerate: nox -s codegen
# schema-sha256: 8700e0736495d18a413da37ad545f6a7f8af406e9ccc54abab531aaeff578dfd
"""The generated config binding: settings models, lint and the schema copy."""

from .config_lint import LintFinding, lint_config, worst_case_call_ms
from .timeout_config import (
    CircuitBreakerSettings,
    DatabaseSettings,
    LambdaSettings,
    MonitoringSettings,
    OrderServiceSettings,
    PaymentSettings,
    PoolSettings,
    RetryBudgetSettings,
    RetrySettings,
    TimeoutConfig,
)
from .timeout_schema import SCHEMA_SHA256, SCHEMA_TEXT

__all__ = [
    "SCHEMA_SHA256",
    "SCHEMA_TEXT",
    "CircuitBreakerSettings",
    "DatabaseSettings",
    "LambdaSettings",
    "LintFinding",
    "MonitoringSettings",
    "OrderServiceSettings",
    "PaymentSettings",
    "PoolSettings",
    "RetryBudgetSettings",
    "RetrySettings",
    "TimeoutConfig",
    "lint_config",
    "worst_case_call_ms",
]
