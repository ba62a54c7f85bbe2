# generated from config/timeout.schema.json — do not edit
# regenerate: nox -s codegen
# schema-sha256: 304ab6cdf5c8e7abdbfff6935905646e54b1443426162508684663abe58f3dd9
"""The generated config binding: settings models, lint and the schema copy."""

from .config_lint import LintFinding, lint_config, worst_case_call_ms
from .timeout_config import (
    CircuitBreakerSettings,
    DatabaseSettings,
    FleetSettings,
    GatewaySettings,
    IdempotencySettings,
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
    "FleetSettings",
    "GatewaySettings",
    "IdempotencySettings",
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
