package com.checkout.conformance;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import com.checkout.config.generated.TimeoutConfig.CircuitBreakerSettings;
import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import com.checkout.config.generated.TimeoutConfig.RetrySettings;
import com.checkout.resilience.Backoff;
import com.checkout.resilience.Bulkhead;
import com.checkout.resilience.BulkheadSlot;
import com.checkout.resilience.CircuitBreaker;
import com.checkout.resilience.CircuitOpenException;
import com.checkout.resilience.Deadline;
import com.checkout.resilience.ErrorClass;
import com.checkout.resilience.Outcome;
import com.checkout.resilience.ResilienceException;
import com.checkout.resilience.RetryBudget;
import com.checkout.resilience.Role;
import com.checkout.resilience.Transition;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one conformance vector of tests/contracts/ through the real kernel (VECTORS.md): the
 * vector is validated against vector.schema.json, then trusted for its shape.
 */
public final class VectorRunner {
    private VectorRunner() {}

    /**
     * Runs a vector.
     *
     * @param vector the parsed vector file
     * @return one description per mismatch; empty when the kernel computes every expected value
     */
    public static List<String> runVector(JsonNode vector) {
        List<String> mismatches = new ArrayList<>(Vectors.schemaErrors(vector));
        if (!mismatches.isEmpty()) {
            return mismatches;
        }
        try {
            switch (vector.get("topic").textValue()) {
                case "backoff" -> backoff(vector, mismatches);
                case "breaker" -> breaker(vector, mismatches);
                case "budget" -> budget(vector, mismatches);
                case "deadline" -> deadline(vector, mismatches);
                case "classification" -> classification(vector, mismatches);
                case "call" -> CallVector.run(vector, mismatches);
                case "bulkhead" -> bulkhead(vector, mismatches);
                case "upstream" -> UpstreamVector.run(vector, mismatches);
                // The schema's topic list grew and this runner did not: say so, never pass.
                default -> mismatches.add("no runner for topic \"" + vector.get("topic").textValue()
                        + "\" of vector.schema.json");
            }
        } catch (RuntimeException e) {
            mismatches.add("the kernel threw " + e);
        }
        return mismatches;
    }

    static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return Vectors.MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static void backoff(JsonNode vector, List<String> mismatches) {
        RetrySettings settings = bind(vector.get("settings"), RetrySettings.class);
        int i = 0;
        for (JsonNode c : vector.get("cases")) {
            ObjectNode actual = Vectors.MAPPER.createObjectNode();
            actual.put("delay_ms", Backoff.delayMs(c.get("retry").intValue(), settings,
                    c.get("u").doubleValue()));
            Vectors.diff("cases[" + i++ + "]", c.get("expect"), actual, mismatches);
        }
    }

    private static void budget(JsonNode vector, List<String> mismatches) {
        RetryBudget budget = new RetryBudget(bind(vector.get("settings"), RetryBudgetSettings.class));
        int i = 0;
        for (JsonNode step : vector.get("steps")) {
            String op = step.get("op").textValue();
            if (!op.equals("check")) {
                budget.record(Outcome.fromWireName(op));
            }
            ObjectNode actual = Vectors.MAPPER.createObjectNode();
            actual.put("tokens_milli", budget.tokensMilli());
            actual.put("allow_retry", budget.allowRetry());
            Vectors.diff("steps[" + i++ + "] (" + op + ")", step.get("expect"), actual, mismatches);
        }
    }

    private static void deadline(JsonNode vector, List<String> mismatches) {
        JsonNode s = vector.get("settings");
        long timeoutMs = s.get("timeout_ms").longValue();
        long deadlineMs = s.get("deadline_ms").longValue();
        long floor = s.get("min_deadline_ms").longValue();
        long margin = s.get("answer_margin_ms").longValue();
        int i = 0;
        for (JsonNode c : vector.get("cases")) {
            String op = c.get("op").textValue();
            Role role = Role.fromWireName(c.path("role").asText("origin"));
            long cap = Deadline.attemptCapMs(role, timeoutMs, deadlineMs);
            ObjectNode actual = Vectors.MAPPER.createObjectNode();
            try {
                switch (op) {
                    case "attempt_timeout" -> actual.put("timeout_ms", Deadline.attemptTimeoutMs(
                            c.get("now_ms").longValue(), c.get("deadline_at_ms").longValue(), cap,
                            margin, floor));
                    case "from_header" -> actual.put("deadline_at_ms", Deadline.fromHeader(
                            c.get("arrival_ms").longValue(), c.get("header").textValue(),
                            deadlineMs, floor));
                    default -> actual.put("allowed", Deadline.sleepAllowed(
                            c.get("now_ms").longValue(), c.get("delay_ms").longValue(),
                            c.get("deadline_at_ms").longValue(), cap, margin, floor));
                }
            } catch (ResilienceException e) {
                actual.put("error", e.errorClass().name());
            }
            Vectors.diff("cases[" + i++ + "] (" + op + ")", c.get("expect"), actual, mismatches);
        }
    }

    private static void classification(JsonNode vector, List<String> mismatches) {
        int i = 0;
        for (JsonNode c : vector.get("cases")) {
            String op = c.get("op").textValue();
            ErrorClass errorClass = ErrorClass.valueOf(c.get("error_class").textValue());
            ObjectNode actual = Vectors.MAPPER.createObjectNode();
            if (op.equals("describe")) {
                errorClass.breaker().ifPresentOrElse(o -> actual.put("breaker", o.wireName()),
                        () -> actual.putNull("breaker"));
                actual.put("retryable", errorClass.retryable());
                errorClass.httpStatus().ifPresentOrElse(status -> actual.put("http_status", status),
                        () -> actual.putNull("http_status"));
            } else {
                // No body (null) forbids nothing, exactly like a body saying true.
                JsonNode body = c.get("downstream_retryable");
                actual.put("retried", Role.fromWireName(c.get("role").textValue())
                        .isRetried(errorClass, body.isNull() || body.booleanValue()));
            }
            Vectors.diff("cases[" + i++ + "] (" + op + " " + errorClass + ")", c.get("expect"),
                    actual, mismatches);
        }
    }

    private static void bulkhead(JsonNode vector, List<String> mismatches) {
        Bulkhead bulkhead = new Bulkhead(bind(vector.get("settings"), BulkheadSettings.class));
        Map<String, BulkheadSlot> slots = new HashMap<>();
        int i = 0;
        for (JsonNode step : vector.get("steps")) {
            String where = "steps[" + i++ + "]";
            ObjectNode actual = Vectors.MAPPER.createObjectNode();
            if (step.has("acquire")) {
                BulkheadSlot slot = bulkhead.tryAcquire();
                actual.put("granted", slot != null);
                if (slot != null) {
                    slots.put(step.get("acquire").textValue(), slot);
                }
            } else if (step.has("release")) {
                BulkheadSlot slot = slots.get(step.get("release").textValue());
                if (slot == null) {
                    mismatches.add(where + ": releases a slot no earlier step was granted");
                    return;
                }
                actual.put("applied", slot.release());
            } else {
                bulkhead.resize(bind(step.get("resize"), BulkheadSettings.class));
            }
            actual.put("in_flight", bulkhead.inFlight());
            Vectors.diff(where, step.get("expect"), actual, mismatches);
        }
    }

    private static void breaker(JsonNode vector, List<String> mismatches) {
        List<Transition> events = new ArrayList<>();
        CircuitBreaker breaker = new CircuitBreaker(
                bind(vector.get("settings"), CircuitBreakerSettings.class), events::add);
        Map<String, CircuitBreaker.Permit> permits = new HashMap<>();
        int i = 0;
        for (JsonNode step : vector.get("steps")) {
            String where = "steps[" + i++ + "]";
            long at = step.get("at_ms").longValue();
            events.clear();
            ObjectNode actual = Vectors.MAPPER.createObjectNode();
            if (step.has("record")) {
                CircuitBreaker.Permit permit = permits.get(step.at("/record/permit").textValue());
                if (permit == null) {
                    mismatches.add(where + ": records a permit no earlier step was granted");
                    return;
                }
                actual.put("applied", permit.record(
                        Outcome.fromWireName(step.at("/record/outcome").textValue()), at));
            } else {
                CircuitBreaker.Permit permit = allow(breaker, at, actual);
                if (permit != null && step.has("call")) {
                    actual.put("applied", permit.record(
                            Outcome.fromWireName(step.get("call").textValue()), at));
                } else if (permit != null && step.at("/allow/as").isTextual()) {
                    permits.put(step.at("/allow/as").textValue(), permit);
                }
            }
            actual.put("state", breaker.state().wireName());
            actual.put("generation", breaker.generation());
            var emitted = actual.putArray("events");
            for (Transition t : events) {
                emitted.addObject().put("from", t.from().wireName()).put("to", t.to().wireName())
                        .put("generation", t.generation()).put("at_ms", t.atMs());
            }
            Vectors.diff(where + " (at " + at + ")", step.get("expect"), actual, mismatches);
        }
    }

    private static CircuitBreaker.Permit allow(CircuitBreaker breaker, long at, ObjectNode actual) {
        try {
            CircuitBreaker.Permit permit = breaker.allow(at);
            actual.put("admitted", true);
            return permit;
        } catch (CircuitOpenException e) {
            actual.put("admitted", false).put("error", e.errorClass().name())
                    .put("retry_after_ms", e.retryAfterMs());
        } catch (ResilienceException e) {
            actual.put("admitted", false).put("error", e.errorClass().name());
        }
        return null;
    }
}
