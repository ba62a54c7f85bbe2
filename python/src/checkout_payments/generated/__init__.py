# generated from config/timeout.schema.json — do not edit
# regenerate: nox -s codegen
# schema-sha256: fbb735f61b8f6e54d810973149c1c2ea2aad5b6b68a4e787d128f00bbe59092b
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
