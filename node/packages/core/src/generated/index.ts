// generated from config/timeout.schema.json — do not edit
// regenerate: nox -s codegen
// schema-sha256: fbb735f61b8f6e54d810973149c1c2ea2aad5b6b68a4e787d128f00bbe59092b

export type { TimeoutConfig, PaymentSettings, RetrySettings, CircuitBreakerSettings, RetryBudgetSettings, DatabaseSettings, PoolSettings, MonitoringSettings, OrderServiceSettings, LambdaSettings } from "./timeoutConfig.js";
export type { LintFinding, LintSeverity } from "./configLint.js";
export { lintConfig, worstCaseCallMs } from "./configLint.js";
export { SCHEMA_SHA256, timeoutSchema } from "./timeoutSchema.js";
