package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Step 2 of the loop (SEMANTICS.md §8): the bulkhead, and the slot's way back on every path. */
class ResilientCallBulkheadTest {
    private final AtomicLong clock = new AtomicLong();
    private final List<Integer> inFlightWhileSleeping = new ArrayList<>();
    private final Bulkhead bulkhead = new Bulkhead(new BulkheadSettings(1));
    private Runnable duringSleep = () -> { };

    private ResilientCall<String> loop(CircuitBreaker breaker, Classifier<String> classifier) {
        return new ResilientCall<>(TestSettings.CALL, Role.ORIGIN, breaker,
                new RetryBudget(TestSettings.BUDGET), bulkhead, classifier, clock::get, () -> 0.5,
                delay -> {
                    inFlightWhileSleeping.add(bulkhead.inFlight());
                    duringSleep.run();
                    clock.addAndGet(delay);
                });
    }

    private ResilientCall<String> loop(CircuitBreaker breaker) {
        return loop(breaker, ResilientCallTest.CLASSIFIER);
    }

    /** A breaker that opened at 0 and is due for its one half-open trial at 1000. */
    private static CircuitBreaker dueForATrial() {
        CircuitBreaker breaker = new CircuitBreaker(TestSettings.breaker(1, 1000, 1));
        breaker.allow(0).record(Outcome.FAILURE, 0);
        return breaker;
    }

    @Test
    void aFullBulkheadEndsTheCallBeforeTheBreakerIsAsked() throws Exception {
        CircuitBreaker breaker = dueForATrial();
        clock.set(1000);
        BulkheadSlot other = bulkhead.tryAcquire();
        CallResult<String> full = loop(breaker).call(context -> {
            throw new AssertionError("a full bulkhead sends nothing");
        });
        assertEquals(Optional.of(ErrorClass.BULKHEAD_FULL), full.errorClass());
        assertEquals(0, full.attempts());
        BulkheadFullException error = assertInstanceOf(BulkheadFullException.class,
                full.error().orElseThrow());
        assertEquals(1, error.maxConcurrent());
        assertEquals(OptionalLong.empty(), full.retryAfterMs());
        assertEquals(BreakerState.OPEN, breaker.state(), "the half-open trial is not taken");
        assertEquals(1, breaker.generation());

        other.release();
        CallResult<String> trial = loop(breaker).call(context -> "ok");
        assertEquals("success", trial.outcome());
        assertEquals(BreakerState.CLOSED, breaker.state());
    }

    @Test
    void theSlotIsHeldOnlyWhileAnAttemptRunsNeverAcrossABackoff() throws Exception {
        List<Integer> inFlightDuringAttempts = new ArrayList<>();
        CallResult<String> result = loop(new CircuitBreaker(TestSettings.BREAKER)).call(context -> {
            inFlightDuringAttempts.add(bulkhead.inFlight());
            return context.number() < 3 ? "CONNECTION" : "ok";
        });
        assertEquals("success", result.outcome());
        assertEquals(List.of(1, 1, 1), inFlightDuringAttempts);
        assertEquals(List.of(0, 0), inFlightWhileSleeping);
        assertEquals(0, bulkhead.inFlight());
    }

    @Test
    void aRetryThatFindsTheBulkheadFullEndsWithItAndCarriesTheEarlierFailure() throws Exception {
        // Another call takes the one slot while this one sleeps before its retry.
        BulkheadSlot[] other = new BulkheadSlot[1];
        duringSleep = () -> other[0] = bulkhead.tryAcquire();
        CallResult<String> result = loop(new CircuitBreaker(TestSettings.BREAKER)).call(context -> {
            throw new ConnectException("Connection refused");
        });
        assertNotNull(other[0]);
        assertEquals("BULKHEAD_FULL", result.outcome());
        assertEquals(1, result.attempts());
        assertEquals(List.of(2250L), result.sleepsMs());
        ResilienceException earlier = assertInstanceOf(ResilienceException.class,
                result.error().orElseThrow().getCause());
        assertEquals(ErrorClass.CONNECTION, earlier.errorClass());
        assertInstanceOf(ConnectException.class, earlier.getCause());
    }

    @Test
    void aBreakerRejectionGivesTheSlotBack() throws Exception {
        CircuitBreaker breaker = dueForATrial();
        clock.set(500);
        CallResult<String> rejected = loop(breaker).call(context -> "ok");
        assertEquals("CIRCUIT_OPEN", rejected.outcome());
        assertEquals(0, bulkhead.inFlight());
    }

    @Test
    void anInterruptedAttemptGivesItsSlotAndItsHalfOpenTrialBack() {
        CircuitBreaker breaker = dueForATrial();
        clock.set(1000);
        assertThrows(InterruptedException.class, () -> loop(breaker).call(context -> {
            throw new InterruptedException("shutting down");
        }));
        assertEquals(0, bulkhead.inFlight());
        assertNotNull(breaker.allow(1001), "the trial slot was returned by an ignored record");
    }

    /** Classifies every error as no outcome: a bug the loop must hand back as thrown. */
    private static final Classifier<String> NO_VERDICT_FOR_ERRORS = new Classifier<>() {
        @Override
        public AttemptVerdict classifyResult(String value) {
            return value.equals("null") ? null : AttemptVerdict.SUCCESS;
        }

        @Override
        public AttemptVerdict classifyError(Exception error) {
            return null;
        }
    };

    @Test
    void anErrorWithoutAVerdictIsRethrownAfterTheSlotAndTheTrialAreGivenBack() {
        CircuitBreaker breaker = dueForATrial();
        clock.set(1000);
        IllegalArgumentException bug = new IllegalArgumentException("a bug in the attempt");
        assertSame(bug, assertThrows(IllegalArgumentException.class,
                () -> loop(breaker, NO_VERDICT_FOR_ERRORS).call(context -> {
                    throw bug;
                })), "a runtime exception is rethrown as is");
        assertEquals(0, bulkhead.inFlight());
        assertEquals(BreakerState.HALF_OPEN, breaker.state());

        IOException checked = new IOException("not classified");
        IllegalStateException wrapped = assertThrows(IllegalStateException.class,
                () -> loop(breaker, NO_VERDICT_FOR_ERRORS).call(context -> {
                    throw checked;
                }));
        assertSame(checked, wrapped.getCause(), "a checked one is wrapped");
        assertEquals(0, bulkhead.inFlight());

        assertThrows(IllegalStateException.class,
                () -> loop(breaker, NO_VERDICT_FOR_ERRORS).call(context -> "null"));
        assertEquals(0, bulkhead.inFlight());
        // Three trials ended without a verdict, each recorded ignored: the one slot is free.
        assertNotNull(breaker.allow(1001));
    }
}
