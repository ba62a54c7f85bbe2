package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClassificationTest {
    @Test
    void bodyClassWithABreakerOutcomeWins() {
        Classification c = Classification.ofErrorAnswer(503, "CIRCUIT_OPEN", false, true);
        assertEquals(Optional.of(ErrorClass.CIRCUIT_OPEN), c.errorClass());
        assertFalse(c.downstreamRetryable());
        assertEquals(Optional.of(ErrorClass.DECLINED),
                Classification.ofErrorAnswer(402, "DECLINED", false, false).errorClass());
    }

    @Test
    void bodyClassWithoutABreakerOutcomeFallsBackToTheStatus() {
        Classification c = Classification.ofErrorAnswer(503, "POOL_ACQUIRE_TIMEOUT", true, false);
        assertEquals(Optional.of(ErrorClass.UPSTREAM_UNAVAILABLE), c.errorClass());
        assertTrue(c.downstreamRetryable());
        assertEquals(Optional.of(ErrorClass.UPSTREAM_UNAVAILABLE),
                Classification.ofErrorAnswer(500, "INTERNAL", false, false).errorClass());
    }

    @Test
    void statusDecidesWithoutABody() {
        assertEquals(Optional.of(ErrorClass.OVERLOADED),
                Classification.ofErrorAnswer(429, null, true, false).errorClass());
        assertEquals(Optional.of(ErrorClass.OVERLOADED),
                Classification.ofErrorAnswer(503, null, true, true).errorClass());
        assertEquals(Optional.of(ErrorClass.UPSTREAM_UNAVAILABLE),
                Classification.ofErrorAnswer(503, null, true, false).errorClass());
        assertEquals(Optional.of(ErrorClass.INVALID_REQUEST),
                Classification.ofErrorAnswer(418, "SOMETHING_ELSE", true, false).errorClass());
    }

    @Test
    void aSuccessStatusIsNotAnErrorAnswer() {
        assertThrows(IllegalArgumentException.class,
                () -> Classification.ofErrorAnswer(200, null, true, false));
    }

    @Test
    void relayRetriesOnlyConnectionAndABodyCanForbidIt() {
        assertTrue(Role.RELAY.isRetried(ErrorClass.CONNECTION, true));
        assertFalse(Role.RELAY.isRetried(ErrorClass.CONNECTION, false));
        assertFalse(Role.RELAY.isRetried(ErrorClass.TIMEOUT, true));
        assertTrue(Role.ORIGIN.isRetried(ErrorClass.TIMEOUT, true));
        assertFalse(Role.ORIGIN.isRetried(ErrorClass.DB_SERIALIZATION, true));
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
