package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Many request threads share one breaker: no admission, transition or count may be lost. */
class CircuitBreakerConcurrencyTest {
    private static final int THREADS = 16;

    @RepeatedTest(5)
    void threadsRacingIntoHalfOpenGetExactlyMaxCallsPermits() throws Exception {
        List<Transition> events = new CopyOnWriteArrayList<>();
        CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(1, 1000, 3), events::add);
        breaker.allow(0).record(Outcome.FAILURE, 0);
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger limited = new AtomicInteger();
        RetryBudgetTest.runTogether(THREADS, () -> {
            try {
                breaker.allow(1000);
                admitted.incrementAndGet();
            } catch (HalfOpenLimitException e) {
                limited.incrementAndGet();
            }
        });
        assertEquals(3, admitted.get());
        assertEquals(THREADS - 3, limited.get());
        assertEquals(2, breaker.generation(), "exactly one open → half_open transition");
        assertEquals(BreakerState.HALF_OPEN, events.get(1).to());
    }

    /**
     * Threads hammer allow/record with successes and failures on a breaker that keeps cycling
     * through open and half-open. In every half-open generation at most half_open_max_calls
     * permits are granted (no ignored outcomes, so no slot is returned); every generation has
     * exactly one event, emitted in order.
     */
    @Test
    void hammeredBreakerNeverGrantsMoreThanMaxCallsPerHalfOpenEpisode() throws Exception {
        long maxCalls = 3;
        Map<Long, BreakerState> stateOfGeneration = new ConcurrentHashMap<>();
        stateOfGeneration.put(0L, BreakerState.CLOSED);
        List<Transition> events = new CopyOnWriteArrayList<>();
        CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(2, 5, maxCalls), t -> {
            events.add(t);
            stateOfGeneration.put(t.generation(), t.to());
        });
        AtomicLong clock = new AtomicLong();
        Map<Long, AtomicInteger> grants = new ConcurrentHashMap<>();
        RetryBudgetTest.runTogether(THREADS, () -> {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
            List<CircuitBreaker.Permit> held = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                long now = clock.incrementAndGet();
                if (!held.isEmpty() && (held.size() > 2 || random.nextBoolean())) {
                    Outcome outcome = random.nextInt(4) == 0 ? Outcome.FAILURE : Outcome.SUCCESS;
                    held.remove(random.nextInt(held.size())).record(outcome, now);
                    continue;
                }
                try {
                    CircuitBreaker.Permit permit = breaker.allow(now);
                    grants.computeIfAbsent(permit.generation(), g -> new AtomicInteger())
                            .incrementAndGet();
                    held.add(permit);
                } catch (CircuitOpenException | HalfOpenLimitException rejected) {
                    // expected under load
                }
            }
        });
        int halfOpenEpisodes = 0;
        for (Map.Entry<Long, AtomicInteger> entry : grants.entrySet()) {
            BreakerState state = stateOfGeneration.get(entry.getKey());
            assertTrue(state != BreakerState.OPEN, "a permit granted in an open generation");
            if (state == BreakerState.HALF_OPEN) {
                halfOpenEpisodes++;
                assertTrue(entry.getValue().get() <= maxCalls, "generation " + entry.getKey()
                        + " granted " + entry.getValue() + " half-open permits");
            }
        }
        assertTrue(halfOpenEpisodes > 10, "the test must actually cycle: " + halfOpenEpisodes);
        assertEquals(events.size(), breaker.generation());
        for (int i = 0; i < events.size(); i++) {
            Transition t = events.get(i);
            assertEquals(i + 1, t.generation(), "events arrive in generation order");
            if (i > 0) {
                assertEquals(events.get(i - 1).to(), t.from(), "each transition starts where "
                        + "the previous one ended");
            }
        }
    }
}
