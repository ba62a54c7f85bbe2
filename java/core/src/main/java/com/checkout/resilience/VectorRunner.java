package com.checkout.resilience;

import static com.checkout.resilience.VectorJson.array;
import static com.checkout.resilience.VectorJson.bool;
import static com.checkout.resilience.VectorJson.enumValue;
import static com.checkout.resilience.VectorJson.fields;
import static com.checkout.resilience.VectorJson.integer;
import static com.checkout.resilience.VectorJson.newObject;
import static com.checkout.resilience.VectorJson.number;
import static com.checkout.resilience.VectorJson.object;
import static com.checkout.resilience.VectorJson.text;

import com.checkout.config.generated.TimeoutConfig.CircuitBreakerSettings;
import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import com.checkout.config.generated.TimeoutConfig.RetrySettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs one conformance vector of tests/contracts/ against this kernel (tests/contracts/VECTORS.md).
 * Used by the JUnit vector test and by {@link VectorCli}, which the conformance driver compares
 * with the Python and TypeScript runners.
 */
public final class VectorRunner {
    /** The topic folders, in the order of SEMANTICS.md. */
    public static final List<String> TOPICS =
            List.of("backoff", "breaker", "budget", "deadline", "classification", "call");

    private static final Set<String> HEAD = Set.of("id", "description", "topic");

    private VectorRunner() {}

    /**
     * Runs a vector.
     *
     * @param vector the parsed vector file
     * @return one description per mismatch; empty when the kernel computes every expected value
     */
    public static List<String> runVector(JsonNode vector) {
        List<String> mismatches = new ArrayList<>();
        try {
            String topic = text(vector, "topic", "vector");
            switch (topic) {
                case "backoff" -> backoff(vector, mismatches);
                case "breaker" -> BreakerVector.run(vector, mismatches);
                case "budget" -> budget(vector, mismatches);
                case "deadline" -> deadline(vector, mismatches);
                case "classification" -> classification(vector, mismatches);
                case "call" -> CallVector.run(vector, mismatches);
                default -> throw new VectorJson.Malformed("vector", "unknown topic \"" + topic
                        + "\"; expected one of " + TOPICS);
            }
        } catch (VectorJson.Malformed e) {
            mismatches.add("malformed vector: " + e.getMessage());
        } catch (RuntimeException e) {
            mismatches.add("the kernel threw " + e);
        }
        return mismatches;
    }

    static Set<String> head(String... body) {
        Set<String> names = new java.util.HashSet<>(HEAD);
        names.addAll(List.of(body));
        return names;
    }

    static RetrySettings retrySettings(JsonNode s, String where) {
        fields(s, where, Set.of("max_attempts", "base_delay_ms", "backoff_multiplier",
                "jitter_ms", "max_delay_ms"), Set.of());
        return new RetrySettings(integer(s, "max_attempts", where),
                integer(s, "base_delay_ms", where), number(s, "backoff_multiplier", where),
                integer(s, "jitter_ms", where), integer(s, "max_delay_ms", where));
    }

    static CircuitBreakerSettings breakerSettings(JsonNode s, String where) {
        fields(s, where, Set.of("enabled", "failure_threshold", "recovery_timeout_ms",
                "half_open_max_calls"), Set.of());
        return new CircuitBreakerSettings(bool(s, "enabled", where),
                integer(s, "failure_threshold", where), integer(s, "recovery_timeout_ms", where),
                integer(s, "half_open_max_calls", where));
    }

    static RetryBudgetSettings budgetSettings(JsonNode s, String where) {
        fields(s, where, Set.of("max_tokens", "token_ratio"), Set.of());
        return new RetryBudgetSettings(integer(s, "max_tokens", where),
                number(s, "token_ratio", where));
    }

    private static void backoff(JsonNode vector, List<String> mismatches) {
        fields(vector, "vector", head("settings", "cases"), Set.of());
        RetrySettings settings = retrySettings(object(vector, "settings", "vector"), "settings");
        int i = 0;
        for (JsonNode c : array(vector, "cases", "vector")) {
            String where = "cases[" + i++ + "]";
            fields(c, where, Set.of("retry", "u", "expect"), Set.of());
            long retry = integer(c, "retry", where);
            if (retry < 1 || retry > Integer.MAX_VALUE) {
                throw new VectorJson.Malformed(where, "retry " + retry + " is not in [1, 2^31-1]");
            }
            ObjectNode actual = newObject();
            actual.put("delay_ms", Backoff.delayMs((int) retry, settings, number(c, "u", where)));
            VectorJson.diff(where + " (retry " + retry + ")", object(c, "expect", where), actual,
                    mismatches);
        }
    }

    private static void budget(JsonNode vector, List<String> mismatches) {
        fields(vector, "vector", head("settings", "steps"), Set.of());
        RetryBudget budget =
                new RetryBudget(budgetSettings(object(vector, "settings", "vector"), "settings"));
        int i = 0;
        for (JsonNode step : array(vector, "steps", "vector")) {
            String where = "steps[" + i++ + "]";
            fields(step, where, Set.of("op", "expect"), Set.of());
            String op = text(step, "op", where);
            switch (op) {
                case "check" -> { }
                case "success", "failure", "ignored" -> budget.record(Outcome.fromWireName(op));
                default -> throw new VectorJson.Malformed(where, "unknown op \"" + op + "\"");
            }
            ObjectNode actual = newObject();
            actual.put("tokens_milli", budget.tokensMilli());
            actual.put("allow_retry", budget.allowRetry());
            VectorJson.diff(where + " (" + op + ")", object(step, "expect", where), actual,
                    mismatches);
        }
    }

    private static void deadline(JsonNode vector, List<String> mismatches) {
        fields(vector, "vector", head("settings", "cases"), Set.of());
        JsonNode settings = object(vector, "settings", "vector");
        fields(settings, "settings", Set.of("timeout_ms", "deadline_ms", "min_deadline_ms",
                "answer_margin_ms"), Set.of());
        long timeoutMs = integer(settings, "timeout_ms", "settings");
        long deadlineMs = integer(settings, "deadline_ms", "settings");
        long minDeadlineMs = integer(settings, "min_deadline_ms", "settings");
        long marginMs = integer(settings, "answer_margin_ms", "settings");
        int i = 0;
        for (JsonNode c : array(vector, "cases", "vector")) {
            String where = "cases[" + i++ + "]";
            String op = text(c, "op", where);
            ObjectNode actual = newObject();
            switch (op) {
                case "attempt_timeout" -> {
                    fields(c, where, Set.of("op", "now_ms", "deadline_at_ms", "expect"),
                            Set.of("role"));
                    long capMs = capOf(c, where, timeoutMs, deadlineMs);
                    try {
                        actual.put("timeout_ms", Deadline.attemptTimeoutMs(
                                integer(c, "now_ms", where), integer(c, "deadline_at_ms", where),
                                capMs, marginMs, minDeadlineMs));
                    } catch (ResilienceException e) {
                        actual.put("error", e.errorClass().name());
                    }
                }
                case "from_header" -> {
                    fields(c, where, Set.of("op", "arrival_ms", "header", "expect"), Set.of());
                    JsonNode header = c.get("header");
                    if (!header.isNull() && !header.isTextual()) {
                        throw new VectorJson.Malformed(where, "header is " + header
                                + "; expected a string or null");
                    }
                    try {
                        actual.put("deadline_at_ms", Deadline.fromHeader(
                                integer(c, "arrival_ms", where),
                                header.isNull() ? null : header.textValue(), deadlineMs,
                                minDeadlineMs));
                    } catch (ResilienceException e) {
                        actual.put("error", e.errorClass().name());
                    }
                }
                case "sleep_allowed" -> {
                    fields(c, where, Set.of("op", "now_ms", "delay_ms", "deadline_at_ms",
                            "expect"), Set.of("role"));
                    long capMs = capOf(c, where, timeoutMs, deadlineMs);
                    actual.put("allowed", Deadline.sleepAllowed(integer(c, "now_ms", where),
                            integer(c, "delay_ms", where), integer(c, "deadline_at_ms", where),
                            capMs, marginMs, minDeadlineMs));
                }
                default -> throw new VectorJson.Malformed(where, "unknown op \"" + op + "\"");
            }
            VectorJson.diff(where + " (" + op + ")", object(c, "expect", where), actual,
                    mismatches);
        }
    }

    /** The cap of the case's role (default origin): timeout_ms, or deadline_ms for a relay. */
    private static long capOf(JsonNode c, String where, long timeoutMs, long deadlineMs) {
        Role role = c.has("role") ? role(text(c, "role", where), where) : Role.ORIGIN;
        return Deadline.attemptCapMs(role, timeoutMs, deadlineMs);
    }

    static Role role(String wireName, String where) {
        try {
            return Role.fromWireName(wireName);
        } catch (IllegalArgumentException e) {
            throw new VectorJson.Malformed(where, e.getMessage());
        }
    }

    private static void classification(JsonNode vector, List<String> mismatches) {
        fields(vector, "vector", head("cases"), Set.of());
        int i = 0;
        for (JsonNode c : array(vector, "cases", "vector")) {
            String where = "cases[" + i++ + "]";
            String op = text(c, "op", where);
            ObjectNode actual = newObject();
            switch (op) {
                case "describe" -> {
                    fields(c, where, Set.of("op", "error_class", "expect"), Set.of());
                    ErrorClass errorClass = enumValue(ErrorClass.class, c, "error_class", where);
                    errorClass.breaker().ifPresentOrElse(
                            outcome -> actual.put("breaker", outcome.wireName()),
                            () -> actual.putNull("breaker"));
                    actual.put("retryable", errorClass.retryable());
                    errorClass.httpStatus().ifPresentOrElse(
                            status -> actual.put("http_status", status),
                            () -> actual.putNull("http_status"));
                }
                case "retried" -> {
                    fields(c, where, Set.of("op", "error_class", "role", "downstream_retryable",
                            "expect"), Set.of());
                    ErrorClass errorClass = enumValue(ErrorClass.class, c, "error_class", where);
                    Role role = role(text(c, "role", where), where);
                    JsonNode body = c.get("downstream_retryable");
                    if (!body.isNull() && !body.isBoolean()) {
                        throw new VectorJson.Malformed(where, "downstream_retryable is " + body
                                + "; expected a boolean or null");
                    }
                    // No body (null) forbids nothing, exactly like a body saying true.
                    boolean downstreamRetryable = body.isNull() || body.booleanValue();
                    actual.put("retried", role.isRetried(errorClass, downstreamRetryable));
                }
                default -> throw new VectorJson.Malformed(where, "unknown op \"" + op + "\"");
            }
            VectorJson.diff(where + " (" + op + " " + c.path("error_class").asText() + ")",
                    object(c, "expect", where), actual, mismatches);
        }
    }
}
