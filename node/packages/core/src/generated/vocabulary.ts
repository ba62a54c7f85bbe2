// generated from config/vocabulary.json — do not edit
// regenerate: nox -s codegen
// vocabulary-sha256: 58e2e82e8d0b0acb694efa8cdb79a44d3f051be8bbd9f6e3fa7771a933f91ac0

/** One metric of the vocabulary (config/METRICS.md): name, type, label names, help, known label values. */
export interface MetricSpec<L extends string = string> {
  readonly name: string;
  readonly type: "counter" | "gauge" | "histogram";
  readonly labels: readonly L[];
  readonly help: string;
  readonly values: Readonly<Partial<Record<L, readonly string[]>>>;
}

/** requests answered by this service */
export const REQUESTS_TOTAL = {
  name: "checkout_requests_total",
  type: "counter",
  labels: ["service", "route", "outcome", "error_class"],
  help: "requests answered by this service",
  values: { outcome: ["success", "declined", "unknown", "error"] },
} as const satisfies MetricSpec<"service" | "route" | "outcome" | "error_class">;

/** time to answer a request */
export const REQUEST_DURATION_SECONDS = {
  name: "checkout_request_duration_seconds",
  type: "histogram",
  labels: ["service", "route"],
  help: "time to answer a request",
  values: {},
} as const satisfies MetricSpec<"service" | "route">;

/** attempts made to the upstream */
export const UPSTREAM_ATTEMPTS_TOTAL = {
  name: "checkout_upstream_attempts_total",
  type: "counter",
  labels: ["service", "upstream", "operation", "result"],
  help: "attempts made to the upstream",
  values: { operation: ["charge", "lookup"], result: ["success", "DECLINED"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation" | "result">;

/** duration of each upstream attempt */
export const UPSTREAM_LATENCY_SECONDS = {
  name: "checkout_upstream_latency_seconds",
  type: "histogram",
  labels: ["service", "upstream", "operation"],
  help: "duration of each upstream attempt",
  values: { operation: ["charge", "lookup"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation">;

/** retries scheduled (backoff sleeps begun) */
export const RETRIES_TOTAL = {
  name: "checkout_retries_total",
  type: "counter",
  labels: ["service", "upstream", "operation"],
  help: "retries scheduled (backoff sleeps begun)",
  values: { operation: ["charge", "lookup"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation">;

/** 1 for the current state, 0 for the others */
export const BREAKER_STATE = {
  name: "checkout_breaker_state",
  type: "gauge",
  labels: ["service", "upstream", "operation", "state"],
  help: "1 for the current state, 0 for the others",
  values: { operation: ["charge", "lookup"], state: ["closed", "open", "half_open"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation" | "state">;

/** breaker transitions */
export const BREAKER_TRANSITIONS_TOTAL = {
  name: "checkout_breaker_transitions_total",
  type: "counter",
  labels: ["service", "upstream", "operation", "from", "to"],
  help: "breaker transitions",
  values: { operation: ["charge", "lookup"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation" | "from" | "to">;

/** tokens left (milli-tokens / 1000) */
export const RETRY_BUDGET_TOKENS = {
  name: "checkout_retry_budget_tokens",
  type: "gauge",
  labels: ["service", "upstream", "operation"],
  help: "tokens left (milli-tokens / 1000)",
  values: { operation: ["charge", "lookup"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation">;

/** bucket size */
export const RETRY_BUDGET_MAX_TOKENS = {
  name: "checkout_retry_budget_max_tokens",
  type: "gauge",
  labels: ["service", "upstream", "operation"],
  help: "bucket size",
  values: { operation: ["charge", "lookup"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation">;

/** attempts of the operation in flight now (SEMANTICS §11) */
export const BULKHEAD_IN_FLIGHT = {
  name: "checkout_bulkhead_in_flight",
  type: "gauge",
  labels: ["service", "upstream", "operation"],
  help: "attempts of the operation in flight now (SEMANTICS §11)",
  values: { operation: ["charge", "lookup"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation">;

/** the operation's bulkhead size from config */
export const BULKHEAD_MAX_CONCURRENT = {
  name: "checkout_bulkhead_max_concurrent",
  type: "gauge",
  labels: ["service", "upstream", "operation"],
  help: "the operation's bulkhead size from config",
  values: { operation: ["charge", "lookup"] },
} as const satisfies MetricSpec<"service" | "upstream" | "operation">;

/** requests being handled now */
export const INFLIGHT_REQUESTS = {
  name: "checkout_inflight_requests",
  type: "gauge",
  labels: ["service"],
  help: "requests being handled now",
  values: {},
} as const satisfies MetricSpec<"service">;

/** database pool; waiting counts clients queued for a connection */
export const POOL_CONNECTIONS = {
  name: "checkout_pool_connections",
  type: "gauge",
  labels: ["service", "state"],
  help: "database pool; waiting counts clients queued for a connection",
  values: { state: ["in_use", "idle", "waiting"] },
} as const satisfies MetricSpec<"service" | "state">;

/** pool size from config */
export const POOL_MAX_CONNECTIONS = {
  name: "checkout_pool_max_connections",
  type: "gauge",
  labels: ["service"],
  help: "pool size from config",
  values: {},
} as const satisfies MetricSpec<"service">;

/** always 1: the active config */
export const CONFIG_INFO = {
  name: "checkout_config_info",
  type: "gauge",
  labels: ["service", "version", "fingerprint"],
  help: "always 1: the active config",
  values: {},
} as const satisfies MetricSpec<"service" | "version" | "fingerprint">;

/** config reload attempts */
export const CONFIG_RELOADS_TOTAL = {
  name: "checkout_config_reloads_total",
  type: "counter",
  labels: ["service", "result"],
  help: "config reload attempts",
  values: { result: ["success", "failure"] },
} as const satisfies MetricSpec<"service" | "result">;

/** payment outcomes as first reported */
export const PAYMENT_OUTCOMES_TOTAL = {
  name: "checkout_payment_outcomes_total",
  type: "counter",
  labels: ["service", "status"],
  help: "payment outcomes as first reported",
  values: { status: ["authorised", "declined", "unknown", "failed"] },
} as const satisfies MetricSpec<"service" | "status">;

/** Every metric of the vocabulary, in the order of METRICS.md. */
export const METRICS: readonly MetricSpec[] = [REQUESTS_TOTAL, REQUEST_DURATION_SECONDS, UPSTREAM_ATTEMPTS_TOTAL, UPSTREAM_LATENCY_SECONDS, RETRIES_TOTAL, BREAKER_STATE, BREAKER_TRANSITIONS_TOTAL, RETRY_BUDGET_TOKENS, RETRY_BUDGET_MAX_TOKENS, BULKHEAD_IN_FLIGHT, BULKHEAD_MAX_CONCURRENT, INFLIGHT_REQUESTS, POOL_CONNECTIONS, POOL_MAX_CONNECTIONS, CONFIG_INFO, CONFIG_RELOADS_TOTAL, PAYMENT_OUTCOMES_TOTAL];

/** The upper bounds of every histogram, in seconds. */
export const HISTOGRAM_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60];

/** A card-like number (regular expression source): masked wherever it appears in a log line or message. */
export const CARD_LIKE_PATTERN = "(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])";
/** A config fingerprint (a sha256 standing alone; regular expression source): left whole. */
export const FINGERPRINT_PATTERN = "(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])";
/** How many trailing digits of a card number a mask may show. */
export const LAST_DIGITS_SHOWN = 4;

/** The header carrying the remaining deadline in integer ms (SEMANTICS.md §5). */
export const DEADLINE_HEADER_NAME = "X-Deadline-Ms";
/** The syntax of the header's whole value (regular expression source, unanchored). */
export const DEADLINE_HEADER_PATTERN = "-?[0-9]{1,10}";
