// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 21d762da1984a1460699b3481ad912089494a9f57e6ddb8b7a9ccefd91c590e3

export type { TimeoutConfig, PaymentSettings, RetrySettings, CircuitBreakerSettings, RetryBudgetSettings, DatabaseSettings, PoolSettings, GatewaySettings, IdempotencySettings, FleetSettings, MonitoringSettings, OrderServiceSettings, LambdaSettings } from "./timeoutConfig.js";
export type { LintFinding, LintSeverity } from "./configLint.js";
export { lintConfig, worstCaseCallMs } from "./configLint.js";
export { SCHEMA_SHA256, timeoutSchema } from "./timeoutSchema.js";
export type { ApiLimits } from "./apiLimits.js";
export { API_LIMITS } from "./apiLimits.js";
