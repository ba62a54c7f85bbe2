// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 304ab6cdf5c8e7abdbfff6935905646e54b1443426162508684663abe58f3dd9

export type { TimeoutConfig, PaymentSettings, RetrySettings, CircuitBreakerSettings, RetryBudgetSettings, DatabaseSettings, PoolSettings, GatewaySettings, IdempotencySettings, FleetSettings, MonitoringSettings, OrderServiceSettings, LambdaSettings } from "./timeoutConfig.js";
export type { LintFinding, LintSeverity } from "./configLint.js";
export { lintConfig, worstCaseCallMs } from "./configLint.js";
export { SCHEMA_SHA256, timeoutSchema } from "./timeoutSchema.js";
export type { ApiLimits } from "./apiLimits.js";
export { API_LIMITS } from "./apiLimits.js";
