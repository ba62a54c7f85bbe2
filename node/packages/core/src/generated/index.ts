// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 49f9e6003bb26c232dae4a74d38f1e307363b1c0167905535ccc69ef75a14903

export type { TimeoutConfig, PaymentSettings, RetrySettings, CircuitBreakerSettings, RetryBudgetSettings, BulkheadSettings, LookupSettings, DatabaseSettings, PoolSettings, GatewaySettings, IdempotencySettings, FleetSettings, MonitoringSettings, OrderServiceSettings, LambdaSettings } from "./timeoutConfig.js";
export type { LintFinding, LintSeverity } from "./configLint.js";
export { lintConfig, worstCaseCallMs } from "./configLint.js";
export { SCHEMA_SHA256, timeoutSchema } from "./timeoutSchema.js";
export type { ApiLimits } from "./apiLimits.js";
export { API_LIMITS } from "./apiLimits.js";
export * from "./vocabulary.js";
