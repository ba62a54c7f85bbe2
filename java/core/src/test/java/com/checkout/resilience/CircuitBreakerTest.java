package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final List<Transition> events = new ArrayList<>();

    private CircuitBreaker breaker(long threshold, long recoveryMs, long halfOpenMaxCalls) {
        return new CircuitBreaker(TestSettings.breaker(threshold, recoveryMs, halfOpenMaxCalls),
                events::add);
    }

    private static void fail(CircuitBreaker breaker, long now) {
        breaker.allow(now).record(Outcome.FAILURE, now);
    }

    @Test
    void fifthConsecutiveFailureOpensTheBreaker() {
        CircuitBreaker breaker = breaker(5, 60000, 3);
        for (int i = 0; i < 4; i++) {
            fail(breaker, i);
        }
        assertEquals(BreakerState.CLOSED, breaker.state());
        fail(breaker, 4);
        assertEquals(BreakerState.OPEN, breaker.state());
        assertEquals(List.of(new Transition(BreakerState.CLOSED, BreakerState.OPEN, 1, 4)),
                events);
    }

    @Test
    void openBreakerRejectsWithTheTimeLeftUntilRecovery() {
        CircuitBreaker breaker = breaker(1, 60000, 3);
        fail(breaker, 1000);
        CircuitOpenException e = assertThrows(CircuitOpenException.class,
                () -> breaker.allow(31000));
        assertEquals(30000, e.retryAfterMs());
        assertEquals(ErrorClass.CIRCUIT_OPEN, e.errorClass());
        assertEquals(0, e.getStackTrace().length, "a rejection under load fills no stack trace");
    }

    @Test
    void recoveryTurnsHalfOpenOnlyWhenAsked() {
        CircuitBreaker breaker = breaker(1, 1000, 2);
        fail(breaker, 0);
        assertEquals(BreakerState.OPEN, breaker.state());
        breaker.allow(1000);
        assertEquals(BreakerState.HALF_OPEN, breaker.state());
        assertEquals(new Transition(BreakerState.OPEN, BreakerState.HALF_OPEN, 2, 1000),
                events.get(1));
    }

    @Test
    void halfOpenAdmitsMaxCallsAtOnceThenRejects() {
        CircuitBreaker breaker = breaker(1, 1000, 3);
        fail(breaker, 0);
        for (int i = 0; i < 3; i++) {
            breaker.allow(1000);
        }
        HalfOpenLimitException e = assertThrows(HalfOpenLimitException.class,
                () -> breaker.allow(1001));
        assertEquals(ErrorClass.HALF_OPEN_LIMIT, e.errorClass());
    }

    @Test
    void halfOpenClosesAfterMaxCallsSuccessesAndReopensOnAFailure() {
        CircuitBreaker breaker = breaker(1, 1000, 2);
        fail(breaker, 0);
        CircuitBreaker.Permit a = breaker.allow(1000);
        CircuitBreaker.Permit b = breaker.allow(1000);
        assertTrue(a.record(Outcome.SUCCESS, 1001));
        assertEquals(BreakerState.HALF_OPEN, breaker.state());
        assertTrue(b.record(Outcome.SUCCESS, 1002));
        assertEquals(BreakerState.CLOSED, breaker.state());

        fail(breaker, 2000);
        breaker.allow(3000).record(Outcome.FAILURE, 3005);
        assertEquals(BreakerState.OPEN, breaker.state());
        // opened_at is the failure's time: recovery counts from 3005.
        assertEquals(1000, assertThrows(CircuitOpenException.class,
                () -> breaker.allow(3005)).retryAfterMs());
    }

    @Test
    void ignoredTrialReturnsItsHalfOpenSlot() {
        CircuitBreaker breaker = breaker(1, 1000, 1);
        fail(breaker, 0);
        CircuitBreaker.Permit trial = breaker.allow(1000);
        assertThrows(HalfOpenLimitException.class, () -> breaker.allow(1000));
        assertTrue(trial.record(Outcome.IGNORED, 1001));
        breaker.allow(1002).record(Outcome.SUCCESS, 1003);
        assertEquals(BreakerState.CLOSED, breaker.state());
    }

    @Test
    void lateResultFromAnEarlierGenerationIsDropped() {
        CircuitBreaker breaker = breaker(1, 1000, 1);
        CircuitBreaker.Permit slow = breaker.allow(0);
        fail(breaker, 1);
        breaker.allow(1001);
        long generation = breaker.generation();
        assertFalse(slow.record(Outcome.SUCCESS, 1002));
        assertEquals(BreakerState.HALF_OPEN, breaker.state());
        assertEquals(generation, breaker.generation());
        assertEquals(0, slow.generation());
    }

    @Test
    void aPermitRecordsOnce() {
        CircuitBreaker breaker = breaker(2, 1000, 1);
        CircuitBreaker.Permit permit = breaker.allow(0);
        assertTrue(permit.record(Outcome.FAILURE, 0));
        assertFalse(permit.record(Outcome.FAILURE, 0));
        assertEquals(BreakerState.CLOSED, breaker.state());
    }

    @Test
    void disabledBreakerAdmitsEverythingAndRecordsNothing() {
        CircuitBreaker breaker = new CircuitBreaker(
                new com.checkout.config.generated.TimeoutConfig.CircuitBreakerSettings(
                        false, 1, 1000, 1), events::add);
        for (int i = 0; i < 10; i++) {
            assertFalse(breaker.allow(i).record(Outcome.FAILURE, i));
        }
        assertEquals(BreakerState.CLOSED, breaker.state());
        assertEquals(0, breaker.generation());
        assertEquals(List.of(), events);
    }

    @Test
    void throwingListenerSeesTheTransitionAlreadyDone() {
        CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(1, 1000, 1), t -> {
            throw new IllegalStateException("listener broke");
        });
        CircuitBreaker.Permit permit = breaker.allow(0);
        assertThrows(IllegalStateException.class, () -> permit.record(Outcome.FAILURE, 0));
        assertEquals(BreakerState.OPEN, breaker.state());
        assertEquals(1, breaker.generation());
    }

    /** Property: whatever came before, an open breaker admits nothing before its recovery time. */
    @Test
    void openBreakerNeverAdmitsBeforeRecovery() {
        SplittableRandom random = new SplittableRandom(11);
        for (int run = 0; run < 300; run++) {
            long recovery = 1 + random.nextInt(5000);
            CircuitBreaker breaker = breaker(1 + random.nextInt(3), recovery,
                    1 + random.nextInt(3));
            List<CircuitBreaker.Permit> open = new ArrayList<>();
            Long openedAt = null;
            long now = 0;
            for (int step = 0; step < 200; step++) {
                now += random.nextInt(1500);
                if (!open.isEmpty() && random.nextBoolean()) {
                    Outcome outcome = Outcome.values()[random.nextInt(3)];
                    open.remove(random.nextInt(open.size())).record(outcome, now);
                } else {
                    BreakerState before = breaker.state();
                    try {
                        open.add(breaker.allow(now));
                        if (before == BreakerState.OPEN) {
                            assertTrue(now - openedAt >= recovery,
                                    "admitted at " + now + ", opened at " + openedAt);
                        }
                    } catch (CircuitOpenException e) {
                        assertEquals(BreakerState.OPEN, before);
                        assertEquals(openedAt + recovery - now, e.retryAfterMs());
                    } catch (HalfOpenLimitException e) {
                        assertEquals(BreakerState.HALF_OPEN, before);
                    }
                }
                Transition last = events.isEmpty() ? null : events.get(events.size() - 1);
                if (last != null && last.to() == BreakerState.OPEN) {
                    openedAt = last.atMs();
                }
                assertEquals(events.size(), breaker.generation(), "one event per generation");
            }
            events.clear();
        }
    }
}
