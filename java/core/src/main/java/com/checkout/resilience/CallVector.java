package com.checkout.resilience;

import static com.checkout.resilience.VectorJson.array;
import static com.checkout.resilience.VectorJson.fields;
import static com.checkout.resilience.VectorJson.integer;
import static com.checkout.resilience.VectorJson.newObject;
import static com.checkout.resilience.VectorJson.object;
import static com.checkout.resilience.VectorJson.text;

import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * The call topic: calls run one after another through the real {@link ResilientCall}, with a fake
 * clock that only the scripted attempts and the backoff sleeps move, a scripted upstream and one
 * queue of draws (tests/contracts/VECTORS.md, attempt simulation).
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

    /** What the scripted upstream did: answered {@code result}, or hung past the timeout. */
    private record Answer(String result, boolean downstreamRetryable, boolean hung) {
    }

    private static final Classifier<Answer> CLASSIFIER = new Classifier<>() {
        @Override
        public Classification classify(Answer answer) {
            if (answer.hung()) {
                return Classification.attemptTimedOut();
            }
            if (answer.result().equals("success")) {
                return Classification.SUCCESS;
            }
            return Classification.of(ErrorClass.valueOf(answer.result()),
                    answer.downstreamRetryable());
        }

        @Override
        public Classification classifyFailure(Exception error) {
            if (error instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(error);
        }
    };

    /** The fake clock and the draw queue, shared by the calls of one vector. */
    private static final class World {
        long now;
        int drawsUsed;
        final double[] draws;

        World(double[] draws) {
            this.draws = draws;
        }

        double draw() {
            if (drawsUsed >= draws.length) {
                throw new ScriptBroken("the kernel asked for draw " + (drawsUsed + 1)
                        + " but the vector lists " + draws.length);
            }
            return draws[drawsUsed++];
        }
    }

    static void run(JsonNode vector, List<String> mismatches) {
        fields(vector, "vector", VectorRunner.head("settings", "role", "draws", "calls"), Set.of());
        JsonNode s = object(vector, "settings", "vector");
        fields(s, "settings", Set.of("timeout_ms", "deadline_ms", "provider_expected_p99_ms",
                "min_deadline_ms", "answer_margin_ms", "retry", "circuit_breaker",
                "retry_budget"), Set.of());
        long deadlineMs = integer(s, "deadline_ms", "settings");
        PaymentSettings settings = new PaymentSettings(integer(s, "timeout_ms", "settings"),
                deadlineMs, integer(s, "provider_expected_p99_ms", "settings"),
                integer(s, "min_deadline_ms", "settings"),
                integer(s, "answer_margin_ms", "settings"),
                VectorRunner.retrySettings(object(s, "retry", "settings"), "settings.retry"),
                VectorRunner.breakerSettings(object(s, "circuit_breaker", "settings"),
                        "settings.circuit_breaker"),
                VectorRunner.budgetSettings(object(s, "retry_budget", "settings"),
                        "settings.retry_budget"));
        Role role;
        try {
            role = Role.fromWireName(text(vector, "role", "vector"));
        } catch (IllegalArgumentException e) {
            throw new VectorJson.Malformed("vector", e.getMessage());
        }
        ArrayNode drawList = array(vector, "draws", "vector");
        double[] draws = new double[drawList.size()];
        for (int d = 0; d < draws.length; d++) {
            draws[d] = VectorJson.number(drawList.get(d), "draws[" + d + "]");
        }

        World world = new World(draws);
        CircuitBreaker breaker = new CircuitBreaker(settings.circuitBreaker());
        RetryBudget budget = new RetryBudget(settings.retryBudget());
        ResilientCall loop = new ResilientCall(settings, role, breaker, budget,
                () -> world.now, world::draw, delay -> world.now += delay);

        int i = 0;
        for (JsonNode call : array(vector, "calls", "vector")) {
            String where = "calls[" + i++ + "]";
            fields(call, where, Set.of("start_ms", "attempts", "expect"), Set.of("deadline_at_ms"));
            long start = integer(call, "start_ms", where);
            if (start < world.now) {
                throw new VectorJson.Malformed(where, "start_ms " + start
                        + " is before the previous call's end " + world.now);
            }
            world.now = start;
            long deadlineAt = call.has("deadline_at_ms")
                    ? integer(call, "deadline_at_ms", where) : start + deadlineMs;
            ArrayNode attempts = array(call, "attempts", where);
            int[] used = {0};
            ObjectNode actual = newObject();
            ArrayNode timeouts = VectorJson.MAPPER.createArrayNode();
            ArrayNode headers = VectorJson.MAPPER.createArrayNode();
            ContextAttempt<Answer> upstream = context -> {
                int k = context.number();
                if (k > attempts.size()) {
                    throw new ScriptBroken("the kernel asked for attempt " + k
                            + " but the call lists " + attempts.size());
                }
                used[0] = k;
                timeouts.add(context.timeoutMs());
                headers.add(context.deadlineHeaderMs());
                return simulate(attempts.get(k - 1), where + " attempts[" + (k - 1) + "]",
                        context.timeoutMs(), world);
            };
            CallResult<Answer> result;
            try {
                result = loop.call(upstream, CLASSIFIER, deadlineAt);
            } catch (ScriptBroken e) {
                mismatches.add(where + ": " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (used[0] < attempts.size()) {
                mismatches.add(where + ": the kernel ran " + used[0] + " of the "
                        + attempts.size() + " listed attempts");
            }
            actual.put("result", result.result());
            actual.put("attempts", result.attempts());
            actual.set("attempt_timeouts_ms", timeouts);
            actual.set("deadline_headers_ms", headers);
            ArrayNode sleeps = actual.putArray("sleeps_ms");
            result.sleepsMs().forEach(sleeps::add);
            actual.put("end_ms", world.now);
            actual.put("breaker_state", breaker.state().wireName());
            actual.put("breaker_generation", breaker.generation());
            actual.put("tokens_milli", budget.tokensMilli());
            actual.put("draws_used", world.drawsUsed);
            VectorJson.diff(where + " (start " + start + ")", object(call, "expect", where),
                    actual, mismatches);
        }
    }

    private static Answer simulate(JsonNode attempt, String where, long timeout, World world) {
        fields(attempt, where, Set.of("duration_ms", "result"), Set.of("retryable"));
        long duration = integer(attempt, "duration_ms", where);
        String result = text(attempt, "result", where);
        if (!result.equals("success")) {
            VectorJson.enumValue(ErrorClass.class, attempt, "result", where);
        }
        boolean downstreamRetryable = true;
        if (attempt.has("retryable")) {
            if (VectorJson.bool(attempt, "retryable", where)) {
                throw new VectorJson.Malformed(where, "retryable may only be false");
            }
            downstreamRetryable = false;
        }
        if (duration < timeout) {
            world.now += duration;
            return new Answer(result, downstreamRetryable, false);
        }
        // The upstream did not answer in time: the attempt's own timeout fires, and the kernel
        // applies the evidence rule (SEMANTICS.md §5) to it.
        world.now += timeout;
        return new Answer(result, downstreamRetryable, true);
    }
}
