package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The deadline rules of the call loop (SEMANTICS.md §5): evidence, answer margin, relay cap. */
class ResilientCallDeadlineTest {
    private final AtomicLong clock = new AtomicLong();
    private final List<Double> draws = new ArrayList<>(List.of(0.5, 0.5, 0.5));
    private final List<AttemptContext> seen = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(1, 60000, 1));
    private final RetryBudget budget = new RetryBudget(TestSettings.BUDGET);

    private ResilientCall<String> loop(CallSettings settings, Role role) {
        return loop(settings, role, breaker);
    }

    private ResilientCall<String> loop(CallSettings settings, Role role, CircuitBreaker shared) {
        return new ResilientCall<>(settings, role, shared, budget,
                new Bulkhead(TestSettings.BULKHEAD), CLASSIFIER, clock::get,
                () -> draws.remove(0), delay -> clock.addAndGet(delay));
    }

    /** Each step: how long the upstream takes, then its answer; a hang runs out the timeout. */
    private Attempt<String> script(long... durations) {
        return context -> {
            seen.add(context);
            long duration = durations[context.number() - 1];
            if (duration >= context.timeoutMs()) {
                clock.addAndGet(context.timeoutMs());
                throw new HttpTimeoutException("request timed out");
            }
            clock.addAndGet(duration);
            return context.number() < durations.length ? "TIMEOUT" : "ok";
        };
    }

    private static final Classifier<String> CLASSIFIER = new Classifier<>() {
        @Override
        public AttemptVerdict classifyResult(String body) {
            return body.equals("ok") ? AttemptVerdict.SUCCESS
                    : AttemptVerdict.of(ErrorClass.valueOf(body));
        }

        @Override
        public AttemptVerdict classifyError(Exception error) {
            return error instanceof HttpTimeoutException ? AttemptVerdict.TIMED_OUT
                    : AttemptVerdict.of(ErrorClass.INTERNAL);
        }
    };

    @Test
    void everyAttemptSendsItsTimeoutLessTheAnswerMargin() throws Exception {
        // The first attempt's quick TIMEOUT answer is an answer, not a cut attempt running out:
        // an origin retries it.
        CallResult<String> result = loop(TestSettings.CALL, Role.ORIGIN,
                new CircuitBreaker(TestSettings.BREAKER)).call(script(100, 100), 15000);
        assertEquals("success", result.outcome());
        assertEquals(List.of(new AttemptContext(1, 15000, 14500),
                new AttemptContext(2, 12650, 12150)), seen);
        assertEquals("14500", seen.get(0).deadlineHeader());
    }

    @Test
    void hangCutBelowTheEvidenceThresholdIsIgnoredAndEndsDeadlineExceeded() throws Exception {
        // min(timeout_ms 20000, provider_expected_p99_ms 15000) = 15000 > the 5000 ms attempt.
        CallResult<String> result = loop(TestSettings.CALL, Role.ORIGIN)
                .call(script(60000), 5000);
        assertEquals(Optional.of(ErrorClass.DEADLINE_EXCEEDED), result.errorClass());
        assertEquals(BreakerState.CLOSED, breaker.state());
        assertEquals(10_000, budget.tokensMilli());
        assertInstanceOf(HttpTimeoutException.class,
                result.error().orElseThrow().getCause());
    }

    @Test
    void hangCutAtOrAboveTheEvidenceThresholdEndsDeadlineExceededAsAFailure() throws Exception {
        CallResult<String> result = loop(TestSettings.withP99(5000), Role.ORIGIN)
                .call(script(60000), 5000);
        assertEquals(Optional.of(ErrorClass.DEADLINE_EXCEEDED), result.errorClass());
        assertEquals(List.of(new AttemptContext(1, 5000, 4500)), seen);
        assertEquals(5000, clock.get());
        assertEquals(BreakerState.OPEN, breaker.state());
        assertEquals(9000, budget.tokensMilli());
        DeadlineExceededException error = assertInstanceOf(DeadlineExceededException.class,
                result.error().orElseThrow());
        assertInstanceOf(HttpTimeoutException.class, error.getCause());
    }

    @Test
    void attemptWithinTheAnswerMarginTakesNoPermitAndSendsNothing() throws Exception {
        breaker.allow(0).record(Outcome.FAILURE, 0);
        clock.set(60000);
        CallResult<String> result = loop(TestSettings.CALL, Role.ORIGIN)
                .call(script(), 60500);
        assertEquals(Optional.of(ErrorClass.DEADLINE_EXCEEDED), result.errorClass());
        assertEquals(0, result.attempts());
        assertEquals(List.of(), seen);
        assertEquals(BreakerState.OPEN, breaker.state());
        assertEquals(1, breaker.generation());
    }

    @Test
    void attemptWhoseHeaderWouldBeBelowTheFloorTakesNoPermitAndSendsNothing() throws Exception {
        breaker.allow(0).record(Outcome.FAILURE, 0);
        clock.set(60000);
        // 1499 ms would send X-Deadline-Ms 999, below min_deadline_ms 1000: the breaker, due for
        // recovery, is not asked and stays open.
        CallResult<String> refused = loop(TestSettings.CALL, Role.ORIGIN)
                .call(script(), 61499);
        assertEquals(Optional.of(ErrorClass.DEADLINE_EXCEEDED), refused.errorClass());
        assertEquals(0, refused.attempts());
        assertTrue(refused.error().orElseThrow().getMessage()
                .contains("X-Deadline-Ms 999 (answer_margin_ms 500), below min_deadline_ms 1000"),
                refused.error().orElseThrow().getMessage());
        assertEquals(BreakerState.OPEN, breaker.state());
        assertEquals(1, breaker.generation());
        // 1500 ms sends exactly the floor, as the half-open trial.
        CallResult<String> sent = loop(TestSettings.CALL, Role.ORIGIN)
                .call(script(100), 61500);
        assertEquals("success", sent.outcome());
        assertEquals(List.of(new AttemptContext(1, 1500, 1000)), seen);
        assertEquals(BreakerState.CLOSED, breaker.state());
        assertEquals(3, breaker.generation());
    }

    @Test
    void backoffLeavingAnAttemptAtTheFloorIsSlept() throws Exception {
        // 4750 - 1000 - 2250 = 1500 ms: the retry sends X-Deadline-Ms 1000.
        CallResult<String> result = loop(TestSettings.CALL, Role.ORIGIN,
                new CircuitBreaker(TestSettings.BREAKER)).call(script(1000, 10), 4750);
        assertEquals("success", result.outcome());
        assertEquals(List.of(2250L), result.sleepsMs());
        assertEquals(List.of(new AttemptContext(1, 4750, 4250), new AttemptContext(2, 1500, 1000)),
                seen);
    }

    @Test
    void backoffLeavingNoAttemptThatCouldStartIsNotSleptButCostsItsDraw() throws Exception {
        // 4749 - 1000 - 2250 = 1499 ms would leave a retry sending 999.
        CallResult<String> result = loop(TestSettings.CALL, Role.ORIGIN,
                new CircuitBreaker(TestSettings.BREAKER)).call(script(1000, 10), 4749);
        assertEquals(Optional.of(ErrorClass.DEADLINE_EXCEEDED), result.errorClass());
        assertEquals(List.of(), result.sleepsMs());
        assertEquals(1, result.attempts());
        assertEquals(1000, clock.get());
        assertEquals(2, draws.size());
    }

    @Test
    void relayAttemptGetsTheWholeRemainingDeadline() throws Exception {
        clock.set(5);
        CallResult<String> result = loop(TestSettings.CALL, Role.RELAY)
                .call(script(45000), 70000);
        assertEquals("success", result.outcome());
        assertEquals(List.of(new AttemptContext(1, 69995, 69495)), seen);
    }
}
