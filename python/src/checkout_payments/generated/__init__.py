# generated from config/timeout.schema.json — do not edit
# regenerate: nox -s codegen
# schema-sha256: b0bf5bb456dcd6c045aa74edf59c2758e57eb3bbd7d9b5b55c3daec106bc92ee
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
