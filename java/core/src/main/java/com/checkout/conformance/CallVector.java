package com.checkout.conformance;

import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.resilience.Attempt;
import com.checkout.resilience.AttemptVerdict;
import com.checkout.resilience.Bulkhead;
import com.checkout.resilience.BulkheadSlot;
import com.checkout.resilience.CallResult;
import com.checkout.resilience.CallSettings;
import com.checkout.resilience.CircuitBreaker;
import com.checkout.resilience.Classifier;
import com.checkout.resilience.ErrorClass;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.RetryBudget;
import com.checkout.resilience.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The call topic: calls run one after another through the real {@link ResilientCall}, with a fake
 * clock that only the scripted attempts and the backoff sleeps move, a scripted upstream and one
 * queue of draws (tests/contracts/VECTORS.md, attempt simulation). The upstream topic runs its
 * call steps through {@link #runCall} too.
 */
final class CallVector {
    private CallVector() {}

    /** The scripted upstream broke the vector's rules (an unlisted attempt or draw). */
    private static final class ScriptBroken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ScriptBroken(String message) {
            super(message);
        }
    }

    /** The scripted attempt the upstream answered with, or null when it hung past the timeout. */
    record Answer(JsonNode scripted) {
    }

    /**
     * The fake clock and the draws of one vector, shared by all its calls: only attempts and
     * sleeps move the clock, and each draw is the next one listed.
     */
    static final class World {
        private final JsonNode draws;
        long now;
        int drawsUsed;

        World(JsonNode draws) {
            this.draws = draws;
        }

        long clock() {
            return now;
        }

        double draw() {
            if (drawsUsed >= draws.size()) {
                throw new ScriptBroken("the kernel asked for draw " + (drawsUsed + 1)
                        + " but the vector lists " + draws.size());
            }
            return draws.get(drawsUsed++).doubleValue();
        }

        void sleep(long delayMs) {
            now += delayMs;
        }
    }

    /** The scripted upstream's classifier: the scripted result, or a timeout when it hung. */
    static final Classifier<Answer> CLASSIFIER = new Classifier<>() {
        @Override
        public AttemptVerdict classifyResult(Answer answer) {
            if (answer.scripted() == null) {
                return AttemptVerdict.TIMED_OUT;
            }
            String result = answer.scripted().get("result").textValue();
            JsonNode retryable = answer.scripted().get("retryable");
            return result.equals("success") ? AttemptVerdict.SUCCESS
                    : AttemptVerdict.of(ErrorClass.valueOf(result),
                            retryable == null ? null : retryable.booleanValue());
        }

        @Override
        public AttemptVerdict classifyError(Exception error) {
            // The script throws only when the kernel broke the vector's rules: no outcome, so
            // the loop rethrows it.
            return null;
        }
    };

    static void run(JsonNode vector, List<String> mismatches) {
        PaymentSettings settings = VectorRunner.bind(vector.get("settings"), PaymentSettings.class);
        World world = new World(vector.get("draws"));
        ResilientCall<Answer> loop = new ResilientCall<>(CallSettings.charge(settings),
                Role.fromWireName(vector.get("role").textValue()),
                new CircuitBreaker(settings.circuitBreaker()),
                new RetryBudget(settings.retryBudget()), new Bulkhead(settings.bulkhead()),
                CLASSIFIER, world::clock, world::draw, world::sleep);
        int i = 0;
        for (JsonNode call : vector.get("calls")) {
            if (!runCall("calls[" + i++ + "]", call, loop, world, mismatches)) {
                return;
            }
        }
    }

    /**
     * Runs one call step through {@code loop} and compares its {@code expect}, whose breaker and
     * budget fields are that loop's.
     *
     * @return false when the kernel broke the script, which ends the vector
     */
    static boolean runCall(String where, JsonNode call, ResilientCall<Answer> loop, World world,
            List<String> mismatches) {
        world.now = call.get("start_ms").longValue();
        long deadlineAt = call.has("deadline_at_ms") ? call.get("deadline_at_ms").longValue()
                : world.now + loop.settings().deadlineMs();
        JsonNode attempts = call.get("attempts");
        int[] used = {0};
        ObjectNode actual = Vectors.MAPPER.createObjectNode();
        ArrayNode timeouts = actual.putArray("attempt_timeouts_ms");
        ArrayNode headers = actual.putArray("deadline_headers_ms");
        Attempt<Answer> upstream = context -> {
            int k = context.number();
            if (k > attempts.size()) {
                throw new ScriptBroken("the kernel asked for attempt " + k
                        + " but the call lists " + attempts.size());
            }
            used[0] = k;
            timeouts.add(context.timeoutMs());
            headers.add(context.deadlineHeaderMs());
            JsonNode scripted = attempts.get(k - 1);
            long duration = scripted.get("duration_ms").longValue();
            // An answer arrives strictly before the timeout; otherwise the attempt's own
            // timeout fires and the kernel applies the evidence rule (SEMANTICS.md §5).
            world.now += Math.min(duration, context.timeoutMs());
            return new Answer(duration < context.timeoutMs() ? scripted : null);
        };
        // Slots other calls hold while this one runs.
        List<BulkheadSlot> occupied = new ArrayList<>();
        CallResult<Answer> result;
        try {
            for (int n = call.path("occupied").asInt(0); n > 0; n--) {
                BulkheadSlot slot = loop.bulkhead().tryAcquire();
                if (slot == null) {
                    mismatches.add(where + ": only " + occupied.size() + " of the "
                            + call.get("occupied") + " occupied slots could be taken");
                    return false;
                }
                occupied.add(slot);
            }
            result = loop.call(upstream, deadlineAt);
        } catch (ScriptBroken e) {
            mismatches.add(where + ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            occupied.forEach(BulkheadSlot::release);
        }
        if (used[0] < attempts.size()) {
            mismatches.add(where + ": the kernel ran " + used[0] + " of the "
                    + attempts.size() + " listed attempts");
        }
        actual.put("result", result.outcome()).put("attempts", result.attempts());
        result.sleepsMs().forEach(actual.putArray("sleeps_ms")::add);
        actual.put("end_ms", world.now).put("breaker_state", loop.breaker().state().wireName())
                .put("breaker_generation", loop.breaker().generation())
                .put("tokens_milli", loop.budget().tokensMilli())
                .put("draws_used", world.drawsUsed);
        Vectors.diff(where, call.get("expect"), actual, mismatches);
        return true;
    }
}
