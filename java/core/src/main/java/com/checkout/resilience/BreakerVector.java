package com.checkout.resilience;

import static com.checkout.resilience.VectorJson.array;
import static com.checkout.resilience.VectorJson.fields;
import static com.checkout.resilience.VectorJson.integer;
import static com.checkout.resilience.VectorJson.newObject;
import static com.checkout.resilience.VectorJson.object;
import static com.checkout.resilience.VectorJson.outcome;
import static com.checkout.resilience.VectorJson.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The breaker topic: one breaker driven step by step, each step checked with its events. */
final class BreakerVector {
    private BreakerVector() {}

    static void run(JsonNode vector, List<String> mismatches) {
        fields(vector, "vector", VectorRunner.head("settings", "steps"), Set.of());
        List<Transition> events = new ArrayList<>();
        CircuitBreaker breaker = new CircuitBreaker(
                VectorRunner.breakerSettings(object(vector, "settings", "vector"), "settings"),
                events::add);
        Map<String, CircuitBreaker.Permit> permits = new HashMap<>();
        long previousAt = 0;
        int i = 0;
        for (JsonNode step : array(vector, "steps", "vector")) {
            String where = "steps[" + i++ + "]";
            long at = integer(step, "at_ms", where);
            if (at < previousAt) {
                throw new VectorJson.Malformed(where, "at_ms " + at + " is before " + previousAt);
            }
            previousAt = at;
            events.clear();
            ObjectNode actual = newObject();
            String kind;
            if (step.has("allow")) {
                kind = "allow";
                fields(step, where, Set.of("at_ms", "allow", "expect"), Set.of());
                JsonNode allow = object(step, "allow", where);
                fields(allow, where + " allow", Set.of(), Set.of("as"));
                CircuitBreaker.Permit permit = allow(breaker, at, actual);
                if (allow.has("as")) {
                    String label = text(allow, "as", where);
                    if (permits.containsKey(label)) {
                        throw new VectorJson.Malformed(where, "label \"" + label + "\" reused");
                    }
                    if (permit != null) {
                        permits.put(label, permit);
                    }
                }
            } else if (step.has("record")) {
                kind = "record";
                fields(step, where, Set.of("at_ms", "record", "expect"), Set.of());
                JsonNode record = object(step, "record", where);
                fields(record, where + " record", Set.of("permit", "outcome"), Set.of());
                String label = text(record, "permit", where);
                CircuitBreaker.Permit permit = permits.get(label);
                if (permit == null) {
                    throw new VectorJson.Malformed(where, "no admitted permit labelled \"" + label
                            + "\"");
                }
                actual.put("applied", permit.record(outcome(record, "outcome", where), at));
            } else if (step.has("call")) {
                kind = "call";
                fields(step, where, Set.of("at_ms", "call", "expect"), Set.of());
                Outcome outcome = outcome(step, "call", where);
                CircuitBreaker.Permit permit = allow(breaker, at, actual);
                if (permit != null) {
                    actual.put("applied", permit.record(outcome, at));
                }
            } else {
                throw new VectorJson.Malformed(where, "expected one of allow, record, call");
            }
            actual.put("state", breaker.state().wireName());
            actual.put("generation", breaker.generation());
            ArrayNode emitted = actual.putArray("events");
            for (Transition t : events) {
                ObjectNode event = emitted.addObject();
                event.put("from", t.from().wireName());
                event.put("to", t.to().wireName());
                event.put("generation", t.generation());
                event.put("at_ms", t.atMs());
            }
            VectorJson.diff(where + " (" + kind + " at " + at + ")", object(step, "expect", where),
                    actual, mismatches);
        }
    }

    private static CircuitBreaker.Permit allow(CircuitBreaker breaker, long at, ObjectNode actual) {
        try {
            CircuitBreaker.Permit permit = breaker.allow(at);
            actual.put("admitted", true);
            return permit;
        } catch (CircuitOpenException e) {
            actual.put("admitted", false);
            actual.put("error", e.errorClass().name());
            actual.put("retry_after_ms", e.retryAfterMs());
        } catch (HalfOpenLimitException e) {
            actual.put("admitted", false);
            actual.put("error", e.errorClass().name());
        }
        return null;
    }
}
