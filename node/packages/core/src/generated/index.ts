// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: b0bf5bb456dcd6c045aa74edf59c2758e57eb3bbd7d9b5b55c3daec106bc92ee

export type { TimeoutConfig, PaymentSettings, RetrySettings, CircuitBreakerSettings, RetryBudgetSettings, DatabaseSettings, PoolSettings, GatewaySettings, IdempotencySettings, FleetSettings, MonitoringSettings, OrderServiceSettings, LambdaSettings } from "./timeoutConfig.js";
export type { LintFinding, LintSeverity } from "./configLint.js";
export { lintConfig, worstCaseCallMs } from "./configLint.js";
export { SCHEMA_SHA256, timeoutSchema } from "./timeoutSchema.js";
export type { ApiLimits } from "./apiLimits.js";
export { API_LIMITS } from "./apiLimits.js";
export * from "./vocabulary.js";
