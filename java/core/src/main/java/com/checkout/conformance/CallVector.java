package com.checkout.conformance;

import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.resilience.CallResult;
import com.checkout.resilience.CircuitBreaker;
import com.checkout.resilience.Classification;
import com.checkout.resilience.Classifier;
import com.checkout.resilience.ContextAttempt;
import com.checkout.resilience.ErrorClass;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.RetryBudget;
import com.checkout.resilience.Role;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

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

    /** The scripted attempt the upstream answered with, or null when it hung past the timeout. */
    private record Answer(JsonNode scripted) {
    }

    private static final Classifier<Answer> CLASSIFIER = new Classifier<>() {
        @Override
        public Classification classify(Answer answer) {
            if (answer.scripted() == null) {
                return Classification.attemptTimedOut();
            }
            String result = answer.scripted().get("result").textValue();
            return result.equals("success") ? Classification.SUCCESS
                    : Classification.of(ErrorClass.valueOf(result),
                            answer.scripted().path("retryable").asBoolean(true));
        }

        @Override
        public Classification classifyFailure(Exception error) {
            throw error instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(error);
        }
    };

    static void run(JsonNode vector, List<String> mismatches) {
        PaymentSettings settings = VectorRunner.bind(vector.get("settings"), PaymentSettings.class);
        JsonNode draws = vector.get("draws");
        long[] now = {0};
        int[] drawsUsed = {0};
        CircuitBreaker breaker = new CircuitBreaker(settings.circuitBreaker());
        RetryBudget budget = new RetryBudget(settings.retryBudget());
        ResilientCall loop = new ResilientCall(settings, Role.fromWireName(
                vector.get("role").textValue()), breaker, budget, () -> now[0], () -> {
                    if (drawsUsed[0] >= draws.size()) {
                        throw new ScriptBroken("the kernel asked for draw " + (drawsUsed[0] + 1)
                                + " but the vector lists " + draws.size());
                    }
                    return draws.get(drawsUsed[0]++).doubleValue();
                }, delay -> now[0] += delay);
        int i = 0;
        for (JsonNode call : vector.get("calls")) {
            String where = "calls[" + i++ + "]";
            now[0] = call.get("start_ms").longValue();
            long deadlineAt = call.has("deadline_at_ms") ? call.get("deadline_at_ms").longValue()
                    : now[0] + settings.deadlineMs();
            JsonNode attempts = call.get("attempts");
            int[] used = {0};
            ObjectNode actual = Vectors.MAPPER.createObjectNode();
            ArrayNode timeouts = actual.putArray("attempt_timeouts_ms");
            ArrayNode headers = actual.putArray("deadline_headers_ms");
            ContextAttempt<Answer> upstream = context -> {
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
                now[0] += Math.min(duration, context.timeoutMs());
                return new Answer(duration < context.timeoutMs() ? scripted : null);
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
            actual.put("result", result.result()).put("attempts", result.attempts());
            result.sleepsMs().forEach(actual.putArray("sleeps_ms")::add);
            actual.put("end_ms", now[0]).put("breaker_state", breaker.state().wireName())
                    .put("breaker_generation", breaker.generation())
                    .put("tokens_milli", budget.tokensMilli()).put("draws_used", drawsUsed[0]);
            Vectors.diff(where, call.get("expect"), actual, mismatches);
        }
    }
}
