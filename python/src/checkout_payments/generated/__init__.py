# generated from config/timeout.schema.json — do not edit
# regenerate: nox -s codegen
# schema-sha256: 49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903
"""The generated config binding: settings models, lint and the schema copy."""

from .config_lint import LintFinding, lint_config, worst_case_call_ms
from .timeout_config import (
    BulkheadSettings,
    CircuitBreakerSettings,
    DatabaseSettings,
    FleetSettings,
    GatewaySettings,
    IdempotencySettings,
    LambdaSettings,
    LookupSettings,
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
    "BulkheadSettings",
    "CircuitBreakerSettings",
    "DatabaseSettings",
    "FleetSettings",
    "GatewaySettings",
    "IdempotencySettings",
    "LambdaSettings",
    "LintFinding",
    "LookupSettings",
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
