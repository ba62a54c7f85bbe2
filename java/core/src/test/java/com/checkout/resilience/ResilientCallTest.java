package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.TimeoutConfig.RetrySettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ResilientCallTest {
    /** A fake clock that only attempts and sleeps move, and a queue of draws. */
    private final AtomicLong clock = new AtomicLong();
    private final List<Double> draws = new ArrayList<>(List.of(0.5, 0.5, 0.5, 0.5));
    private final List<Long> timeouts = new ArrayList<>();
    private final List<Integer> attemptNumbers = new ArrayList<>();

    private ResilientCall<String> loop(CallSettings settings, Role role, CircuitBreaker breaker,
            RetryBudget budget) {
        return new ResilientCall<>(settings, role, breaker, budget,
                new Bulkhead(TestSettings.BULKHEAD), CLASSIFIER, clock::get,
                () -> draws.remove(0), delay -> clock.addAndGet(delay));
    }

    private ResilientCall<String> origin() {
        return loop(TestSettings.CALL, Role.ORIGIN, new CircuitBreaker(TestSettings.BREAKER),
                new RetryBudget(TestSettings.BUDGET));
    }

    /** Scripted upstream: each step takes its time, then answers or throws. */
    private interface Step {
        String run(long timeoutMs) throws Exception;
    }

    private Attempt<String> script(Step... steps) {
        return context -> {
            timeouts.add(context.timeoutMs());
            attemptNumbers.add(context.number());
            return steps[context.number() - 1].run(context.timeoutMs());
        };
    }

    private Step answer(long durationMs, String body) {
        return timeoutMs -> {
            clock.addAndGet(durationMs);
            return body;
        };
    }

    private Step hang() {
        return timeoutMs -> {
            clock.addAndGet(timeoutMs);
            throw new HttpTimeoutException("request timed out");
        };
    }

    private Step refused() {
        return timeoutMs -> {
            clock.addAndGet(5);
            throw new ConnectException("Connection refused");
        };
    }

    /** Classifies "ok", "declined" and a class name; exceptions by type. */
    static final Classifier<String> CLASSIFIER = new Classifier<>() {
        @Override
        public AttemptVerdict classifyResult(String body) {
            return switch (body) {
                case "ok" -> AttemptVerdict.SUCCESS;
                case "declined" -> AttemptVerdict.of(ErrorClass.DECLINED);
                default -> AttemptVerdict.of(ErrorClass.valueOf(body));
            };
        }

        @Override
        public AttemptVerdict classifyError(Exception error) {
            if (error instanceof HttpTimeoutException) {
                return AttemptVerdict.TIMED_OUT;
            }
            if (error instanceof IOException) {
                return AttemptVerdict.of(ErrorClass.CONNECTION);
            }
            return AttemptVerdict.of(ErrorClass.INTERNAL);
        }
    };

    @Test
    void hungAttemptIsRetriedAfterBackoffAndTheAnswerReturned() throws Exception {
        CallResult<String> result = origin().call(script(hang(), refused(), answer(300, "ok")));
        assertTrue(result.isSuccess());
        assertEquals("ok", result.orThrow());
        assertEquals(3, result.attempts());
        assertEquals(List.of(2250L, 4250L), result.sleepsMs());
        assertEquals(List.of(20000L, 20000L, 20000L), timeouts);
        assertEquals(List.of(1, 2, 3), attemptNumbers);
        assertEquals(20000 + 2250 + 5 + 4250 + 300, clock.get());
        assertEquals(Optional.empty(), result.errorClass());
    }

    @Test
    void attemptsSpentEndWithTheLastClassAndItsCause() throws Exception {
        CallResult<String> result = origin().call(script(refused(), refused(), refused()));
        assertEquals(Optional.of(ErrorClass.CONNECTION), result.errorClass());
        assertEquals(3, result.attempts());
        ResilienceException error = assertThrows(ResilienceException.class, result::orThrow);
        assertEquals(ErrorClass.CONNECTION, error.errorClass());
        assertEquals("CONNECTION: attempt 3 ended CONNECTION", error.getMessage());
        assertInstanceOf(ConnectException.class, error.getCause());
        assertEquals(OptionalLong.empty(), result.retryAfterMs());
    }

    @Test
    void declinedIsAnAnswerNotAnError() throws Exception {
        RetryBudget budget = new RetryBudget(TestSettings.BUDGET);
        CallResult<String> result = loop(TestSettings.CALL, Role.ORIGIN,
                new CircuitBreaker(TestSettings.BREAKER), budget)
                .call(script(answer(100, "declined")));
        assertEquals("DECLINED", result.outcome());
        assertEquals(Optional.of("declined"), result.value());
        assertEquals("declined", result.orThrow());
        assertEquals(Optional.empty(), result.error());
        assertEquals(10_000, budget.tokensMilli());
    }

    @Test
    void upstreamAnsweringTimeoutIsNotMistakenForTheDeadlineCuttingOurs() throws Exception {
        CallResult<String> result = loop(TestSettings.CALL, Role.RELAY,
                new CircuitBreaker(TestSettings.BREAKER), new RetryBudget(TestSettings.BUDGET))
                .call(script(answer(100, "TIMEOUT")), 5000);
        assertEquals(Optional.of(ErrorClass.TIMEOUT), result.errorClass());
    }

    @Test
    void openBreakerEndsTheCallWithoutAnAttemptAndTellsWhenToComeBack() throws Exception {
        CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(1, 60000, 3));
        breaker.allow(0).record(Outcome.FAILURE, 0);
        clock.set(10_000);
        CallResult<String> result = loop(TestSettings.CALL, Role.ORIGIN, breaker,
                new RetryBudget(TestSettings.BUDGET)).call(script());
        assertEquals(0, result.attempts());
        CircuitOpenException error = assertInstanceOf(CircuitOpenException.class,
                result.error().orElseThrow());
        assertEquals(50_000, error.retryAfterMs());
        assertEquals(OptionalLong.of(50_000), result.retryAfterMs());
        assertSame(error, assertThrows(CircuitOpenException.class, result::orThrow));
    }

    @Test
    void interruptedAttemptGivesItsHalfOpenSlotBackAndStopsTheCall() {
        CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(1, 1000, 1));
        breaker.allow(0).record(Outcome.FAILURE, 0);
        clock.set(1000);
        ResilientCall<String> loop = loop(TestSettings.CALL, Role.ORIGIN, breaker,
                new RetryBudget(TestSettings.BUDGET));
        assertThrows(InterruptedException.class, () -> loop.call(context -> {
            throw new InterruptedException("shutting down");
        }));
        assertEquals(0, loop.bulkhead().inFlight(), "the slot is back");
        assertEquals(BreakerState.HALF_OPEN, breaker.state());
        breaker.allow(1001).record(Outcome.SUCCESS, 1002);
        assertEquals(BreakerState.CLOSED, breaker.state());
    }

    @Test
    void classifierBugPropagatesAndDoesNotLeakTheHalfOpenSlot() {
        CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(1, 1000, 1));
        breaker.allow(0).record(Outcome.FAILURE, 0);
        clock.set(1000);
        ResilientCall<String> loop = loop(TestSettings.CALL, Role.ORIGIN, breaker,
                new RetryBudget(TestSettings.BUDGET));
        assertThrows(IllegalArgumentException.class,
                () -> loop.call(script(answer(10, "NOT_A_CLASS"))));
        assertEquals(0, loop.bulkhead().inFlight(), "the slot is back");
        breaker.allow(1010).record(Outcome.SUCCESS, 1011);
        assertEquals(BreakerState.CLOSED, breaker.state());
    }

    @Test
    void exhaustedBudgetEndsTheCallBeforeAnyDraw() throws Exception {
        RetryBudget budget = new RetryBudget(TestSettings.BUDGET);
        for (int i = 0; i < 5; i++) {
            budget.record(Outcome.FAILURE);
        }
        CallResult<String> result = loop(TestSettings.CALL, Role.ORIGIN,
                new CircuitBreaker(TestSettings.BREAKER), budget)
                .call(script(refused()));
        RetryBudgetExhaustedException error = assertInstanceOf(
                RetryBudgetExhaustedException.class, result.error().orElseThrow());
        assertEquals(ErrorClass.CONNECTION,
                ((ResilienceException) error.getCause()).errorClass());
        assertEquals(4, draws.size(), "no draw taken");
    }

    /**
     * Property: whatever the upstream does, a call never runs past its deadline, never runs more
     * than max_attempts attempts, and takes exactly one draw per computed delay.
     */
    @Test
    void aCallNeverOutlivesItsDeadline() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        for (int run = 0; run < 3000; run++) {
            RetrySettings retry = new RetrySettings(1 + random.nextInt(6),
                    1 + random.nextInt(5000), 1 + random.nextDouble() * 2,
                    random.nextInt(1000), 1 + random.nextInt(20000));
            long marginMs = 1 + random.nextInt(1000);
            CallSettings settings = new CallSettings(1 + random.nextInt(20000),
                    1 + random.nextInt(70000), 1 + random.nextInt(20000), 1000, marginMs, retry);
            long start = random.nextInt(1_000_000);
            clock.set(start);
            long deadlineAt = start + random.nextInt(80000);
            int[] drawn = {0};
            ResilientCall<String> loop = new ResilientCall<>(settings, Role.ORIGIN,
                    new CircuitBreaker(TestSettings.breaker(100, 1000, 1)),
                    new RetryBudget(TestSettings.BUDGET), new Bulkhead(TestSettings.BULKHEAD),
                    CLASSIFIER, clock::get, () -> {
                        drawn[0]++;
                        return random.nextDouble();
                    }, delay -> clock.addAndGet(delay));
            CallResult<String> result = loop.call(context -> {
                long timeoutMs = context.timeoutMs();
                assertTrue(timeoutMs > marginMs && timeoutMs <= settings.timeoutMs());
                long duration = random.nextInt(30000);
                if (duration >= timeoutMs) {
                    clock.addAndGet(timeoutMs);
                    throw new HttpTimeoutException("timed out");
                }
                clock.addAndGet(duration);
                String[] answers = {"ok", "UPSTREAM_UNAVAILABLE", "CONNECTION", "OVERLOADED"};
                return answers[random.nextInt(answers.length)];
            }, deadlineAt);
            String where = settings + " deadline " + (deadlineAt - start) + ": " + result;
            assertTrue(clock.get() <= Math.max(start, deadlineAt), where);
            assertTrue(result.attempts() <= retry.maxAttempts(), where);
            int refusedSleep = drawn[0] - result.sleepsMs().size();
            assertTrue(refusedSleep == 0 || (refusedSleep == 1
                    && result.errorClass().equals(Optional.of(ErrorClass.DEADLINE_EXCEEDED))),
                    where);
        }
    }

    /** One ResilientCall serving many request threads at once, as in the gateway. */
    @Test
    void manyThreadsShareOneCallSiteSafely() throws Exception {
        List<Transition> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(3, 20, 2), events::add);
        RetryBudget budget = new RetryBudget(TestSettings.BUDGET);
        AtomicLong sharedClock = new AtomicLong();
        Bulkhead bulkhead = new Bulkhead(TestSettings.BULKHEAD);
        ResilientCall<String> loop = new ResilientCall<>(TestSettings.CALL, Role.ORIGIN, breaker,
                budget, bulkhead, CLASSIFIER, sharedClock::incrementAndGet,
                () -> ThreadLocalRandom.current().nextDouble(), delay -> sharedClock.addAndGet(1));
        List<CallResult<String>> results =
                java.util.Collections.synchronizedList(new ArrayList<>());
        RetryBudgetTest.runTogether(8, () -> {
            for (int i = 0; i < 2000; i++) {
                try {
                    results.add(loop.call(context -> {
                        int roll = ThreadLocalRandom.current().nextInt(3);
                        return roll == 0 ? "ok" : roll == 1 ? "CONNECTION" : "UPSTREAM_UNAVAILABLE";
                    }));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                long tokens = budget.tokensMilli();
                assertTrue(tokens >= 0 && tokens <= budget.maxMilli(), "tokens " + tokens);
            }
        });
        assertEquals(16_000, results.size());
        for (CallResult<String> r : results) {
            assertTrue(r.attempts() <= 3, r.toString());
            // A sleep is followed by an attempt, unless the breaker rejected the retry.
            int sleeps = r.sleepsMs().size();
            assertTrue(sleeps == Math.max(0, r.attempts() - 1) || (sleeps == r.attempts()
                    && r.outcome().matches("CIRCUIT_OPEN|HALF_OPEN_LIMIT")), r.toString());
        }
        assertEquals(0, bulkhead.inFlight(), "every slot taken was given back");
        assertTrue(breaker.generation() > 0, "the breaker must have cycled");
        assertEquals(events.size(), breaker.generation());
    }
}
