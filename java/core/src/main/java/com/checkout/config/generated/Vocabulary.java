// generated from config/vocabulary.json — do not edit
// regenerate: nox -s codegen
// vocabulary-sha256: 58e2e82e8d0b0acb694efa8cdb79a44d3f051be8bbd9f6e3fa7771a933f91ac0
package com.checkout.config.generated;

import java.util.List;
import java.util.Map;

/** config/vocabulary.json: the metric vocabulary, the card-masking rule, the deadline header. */
public final class Vocabulary {
    private Vocabulary() {}

    /**
     * One metric of the vocabulary (config/METRICS.md).
     *
     * @param name the metric's name
     * @param type counter, gauge or histogram
     * @param labels the label names, in order
     * @param help the help text
     * @param values the label values known in advance, by label
     */
    public record MetricSpec(String name, String type, List<String> labels, String help,
            Map<String, List<String>> values) {
        /**
         * The label names as an array, for registries that take varargs.
         *
         * @return a fresh array of the label names
         */
        public String[] labelArray() {
            return labels.toArray(String[]::new);
        }
    }

    /** requests answered by this service. */
    public static final MetricSpec REQUESTS_TOTAL = new MetricSpec(
            "checkout_requests_total", "counter",
            List.of("service", "route", "outcome", "error_class"),
            "requests answered by this service",
            Map.of("outcome", List.of("success", "declined", "unknown", "error")));

    /** time to answer a request. */
    public static final MetricSpec REQUEST_DURATION_SECONDS = new MetricSpec(
            "checkout_request_duration_seconds", "histogram",
            List.of("service", "route"),
            "time to answer a request",
            Map.of());

    /** attempts made to the upstream. */
    public static final MetricSpec UPSTREAM_ATTEMPTS_TOTAL = new MetricSpec(
            "checkout_upstream_attempts_total", "counter",
            List.of("service", "upstream", "operation", "result"),
            "attempts made to the upstream",
            Map.of("operation", List.of("charge", "lookup"), "result", List.of("success", "DECLINED")));

    /** duration of each upstream attempt. */
    public static final MetricSpec UPSTREAM_LATENCY_SECONDS = new MetricSpec(
            "checkout_upstream_latency_seconds", "histogram",
            List.of("service", "upstream", "operation"),
            "duration of each upstream attempt",
            Map.of("operation", List.of("charge", "lookup")));

    /** retries scheduled (backoff sleeps begun). */
    public static final MetricSpec RETRIES_TOTAL = new MetricSpec(
            "checkout_retries_total", "counter",
            List.of("service", "upstream", "operation"),
            "retries scheduled (backoff sleeps begun)",
            Map.of("operation", List.of("charge", "lookup")));

    /** 1 for the current state, 0 for the others. */
    public static final MetricSpec BREAKER_STATE = new MetricSpec(
            "checkout_breaker_state", "gauge",
            List.of("service", "upstream", "operation", "state"),
            "1 for the current state, 0 for the others",
            Map.of("operation", List.of("charge", "lookup"), "state", List.of("closed", "open", "half_open")));

    /** breaker transitions. */
    public static final MetricSpec BREAKER_TRANSITIONS_TOTAL = new MetricSpec(
            "checkout_breaker_transitions_total", "counter",
            List.of("service", "upstream", "operation", "from", "to"),
            "breaker transitions",
            Map.of("operation", List.of("charge", "lookup")));

    /** tokens left (milli-tokens / 1000). */
    public static final MetricSpec RETRY_BUDGET_TOKENS = new MetricSpec(
            "checkout_retry_budget_tokens", "gauge",
            List.of("service", "upstream", "operation"),
            "tokens left (milli-tokens / 1000)",
            Map.of("operation", List.of("charge", "lookup")));

    /** bucket size. */
    public static final MetricSpec RETRY_BUDGET_MAX_TOKENS = new MetricSpec(
            "checkout_retry_budget_max_tokens", "gauge",
            List.of("service", "upstream", "operation"),
            "bucket size",
            Map.of("operation", List.of("charge", "lookup")));

    /** attempts of the operation in flight now (SEMANTICS §11). */
    public static final MetricSpec BULKHEAD_IN_FLIGHT = new MetricSpec(
            "checkout_bulkhead_in_flight", "gauge",
            List.of("service", "upstream", "operation"),
            "attempts of the operation in flight now (SEMANTICS §11)",
            Map.of("operation", List.of("charge", "lookup")));

    /** the operation's bulkhead size from config. */
    public static final MetricSpec BULKHEAD_MAX_CONCURRENT = new MetricSpec(
            "checkout_bulkhead_max_concurrent", "gauge",
            List.of("service", "upstream", "operation"),
            "the operation's bulkhead size from config",
            Map.of("operation", List.of("charge", "lookup")));

    /** requests being handled now. */
    public static final MetricSpec INFLIGHT_REQUESTS = new MetricSpec(
            "checkout_inflight_requests", "gauge",
            List.of("service"),
            "requests being handled now",
            Map.of());

    /** database pool; waiting counts clients queued for a connection. */
    public static final MetricSpec POOL_CONNECTIONS = new MetricSpec(
            "checkout_pool_connections", "gauge",
            List.of("service", "state"),
            "database pool; waiting counts clients queued for a connection",
            Map.of("state", List.of("in_use", "idle", "waiting")));

    /** pool size from config. */
    public static final MetricSpec POOL_MAX_CONNECTIONS = new MetricSpec(
            "checkout_pool_max_connections", "gauge",
            List.of("service"),
            "pool size from config",
            Map.of());

    /** always 1: the active config. */
    public static final MetricSpec CONFIG_INFO = new MetricSpec(
            "checkout_config_info", "gauge",
            List.of("service", "version", "fingerprint"),
            "always 1: the active config",
            Map.of());

    /** config reload attempts. */
    public static final MetricSpec CONFIG_RELOADS_TOTAL = new MetricSpec(
            "checkout_config_reloads_total", "counter",
            List.of("service", "result"),
            "config reload attempts",
            Map.of("result", List.of("success", "failure")));

    /** payment outcomes as first reported. */
    public static final MetricSpec PAYMENT_OUTCOMES_TOTAL = new MetricSpec(
            "checkout_payment_outcomes_total", "counter",
            List.of("service", "status"),
            "payment outcomes as first reported",
            Map.of("status", List.of("authorised", "declined", "unknown", "failed")));

    /** Every metric of the vocabulary, in the order of METRICS.md. */
    public static final List<MetricSpec> METRICS = List.of(
            REQUESTS_TOTAL,
            REQUEST_DURATION_SECONDS,
            UPSTREAM_ATTEMPTS_TOTAL,
            UPSTREAM_LATENCY_SECONDS,
            RETRIES_TOTAL,
            BREAKER_STATE,
            BREAKER_TRANSITIONS_TOTAL,
            RETRY_BUDGET_TOKENS,
            RETRY_BUDGET_MAX_TOKENS,
            BULKHEAD_IN_FLIGHT,
            BULKHEAD_MAX_CONCURRENT,
            INFLIGHT_REQUESTS,
            POOL_CONNECTIONS,
            POOL_MAX_CONNECTIONS,
            CONFIG_INFO,
            CONFIG_RELOADS_TOTAL,
            PAYMENT_OUTCOMES_TOTAL);

    /** The upper bounds of every histogram, in seconds. */
    public static final List<Double> HISTOGRAM_BUCKETS_SECONDS =
            List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0);

    /** A card-like number (regular expression): masked wherever it appears in a log line. */
    public static final String CARD_LIKE_PATTERN = "(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])";

    /** A config fingerprint (a sha256 standing alone; regular expression): left whole. */
    public static final String FINGERPRINT_PATTERN = "(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])";

    /** How many trailing digits of a card number a mask may show. */
    public static final int LAST_DIGITS_SHOWN = 4;

    /** The header carrying the remaining deadline in integer ms (SEMANTICS.md section 5). */
    public static final String DEADLINE_HEADER = "X-Deadline-Ms";

    /** The syntax of the header's whole value (regular expression). */
    public static final String DEADLINE_HEADER_PATTERN =
            "-?[0-9]{1,10}";
}
