package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttemptVerdictTest {
    @Test
    void bodyClassWithABreakerOutcomeWins() {
        AttemptVerdict v = AttemptVerdict.classifyAnswer(503, "CIRCUIT_OPEN", false, true);
        assertEquals(Optional.of(ErrorClass.CIRCUIT_OPEN), v.errorClass());
        assertEquals(Boolean.FALSE, v.downstreamRetryable());
        assertFalse(v.downstreamAllowsRetry());
        assertEquals(Optional.of(ErrorClass.DECLINED),
                AttemptVerdict.classifyAnswer(402, "DECLINED", false, false).errorClass());
        assertEquals(Optional.of(ErrorClass.BULKHEAD_FULL),
                AttemptVerdict.classifyAnswer(503, "BULKHEAD_FULL", false, true).errorClass());
    }

    @Test
    void bodyClassWithoutABreakerOutcomeFallsBackToTheStatus() {
        AttemptVerdict v = AttemptVerdict.classifyAnswer(503, "POOL_ACQUIRE_TIMEOUT", true, false);
        assertEquals(Optional.of(ErrorClass.UPSTREAM_UNAVAILABLE), v.errorClass());
        assertEquals(Boolean.TRUE, v.downstreamRetryable());
        assertEquals(Optional.of(ErrorClass.UPSTREAM_UNAVAILABLE),
                AttemptVerdict.classifyAnswer(500, "INTERNAL", false, false).errorClass());
    }

    @Test
    void statusDecidesWithoutABodyAndNoBodyForbidsNothing() {
        AttemptVerdict throttled = AttemptVerdict.classifyAnswer(429, null, null, false);
        assertEquals(Optional.of(ErrorClass.OVERLOADED), throttled.errorClass());
        assertNull(throttled.downstreamRetryable());
        assertTrue(throttled.downstreamAllowsRetry());
        assertEquals(Optional.of(ErrorClass.OVERLOADED),
                AttemptVerdict.classifyAnswer(503, null, null, true).errorClass());
        assertEquals(Optional.of(ErrorClass.UPSTREAM_UNAVAILABLE),
                AttemptVerdict.classifyAnswer(503, null, null, false).errorClass());
        assertEquals(Optional.of(ErrorClass.INVALID_REQUEST),
                AttemptVerdict.classifyAnswer(418, "SOMETHING_ELSE", true, false).errorClass());
    }

    @Test
    void aSuccessStatusIsNotAnErrorAnswer() {
        assertThrows(IllegalArgumentException.class,
                () -> AttemptVerdict.classifyAnswer(200, null, null, false));
    }

    @Test
    void aTimedOutAttemptIsATimeoutThatRanOutWhileAnUpstreamsTimeoutAnswerDidNot() {
        assertTrue(AttemptVerdict.TIMED_OUT.timedOut());
        assertEquals(Optional.of(ErrorClass.TIMEOUT), AttemptVerdict.TIMED_OUT.errorClass());
        assertFalse(AttemptVerdict.of(ErrorClass.TIMEOUT).timedOut());
        assertNotEquals(AttemptVerdict.TIMED_OUT, AttemptVerdict.of(ErrorClass.TIMEOUT));
        assertTrue(AttemptVerdict.SUCCESS.isSuccess());
        assertEquals(Optional.empty(), AttemptVerdict.SUCCESS.errorClass());
    }

    @Test
    void verdictsAreValues() {
        assertEquals(AttemptVerdict.of(ErrorClass.CONNECTION, false),
                AttemptVerdict.of(ErrorClass.CONNECTION, false));
        assertNotEquals(AttemptVerdict.of(ErrorClass.CONNECTION, false),
                AttemptVerdict.of(ErrorClass.CONNECTION));
        assertEquals("CONNECTION (retryable: false)",
                AttemptVerdict.of(ErrorClass.CONNECTION, false).toString());
    }

    @Test
    void relayRetriesOnlyConnectionAndABodyCanForbidIt() {
        assertTrue(Role.RELAY.isRetried(ErrorClass.CONNECTION, true));
        assertFalse(Role.RELAY.isRetried(ErrorClass.CONNECTION, false));
        assertFalse(Role.RELAY.isRetried(ErrorClass.TIMEOUT, true));
        assertTrue(Role.ORIGIN.isRetried(ErrorClass.TIMEOUT, true));
        assertFalse(Role.ORIGIN.isRetried(ErrorClass.DB_SERIALIZATION, true));
        assertFalse(Role.ORIGIN.isRetried(ErrorClass.BULKHEAD_FULL, true));
    }

    @Test
    void everyRetriedClassIsARetryableBreakerFailure() {
        for (Role role : Role.values()) {
            for (ErrorClass c : ErrorClass.values()) {
                if (role.isRetried(c, true)) {
                    assertTrue(c.retryable(), role + " retries " + c);
                    assertEquals(Optional.of(Outcome.FAILURE), c.breaker(), role + " " + c);
                }
            }
        }
    }
}
