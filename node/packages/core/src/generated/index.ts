// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: 8700e0736495d18a413da37ad545f6a7f8af406e9ccc54abab531aaeff578dfd

export type { TimeoutConfig, PaymentSettings, RetrySettings, CircuitBreakerSettings, RetryBudgetSettings, DatabaseSettings, PoolSettings, MonitoringSettings, OrderServiceSettings, LambdaSettings } from "./timeoutConfig.js";
export type { LintFinding, LintSeverity } from "./configLint.js";
export { lintConfig, worstCaseCallMs } from "./configLint.js";
export { SCHEMA_SHA256, timeoutSchema } from "./timeoutSchema.js";
