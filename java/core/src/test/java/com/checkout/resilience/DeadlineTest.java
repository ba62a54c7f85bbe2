package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeadlineTest {
    @Test
    void headerNameIsTheSharedOne() {
        assertEquals("X-Deadline-Ms", Deadline.HEADER);
    }

    @Test
    void attemptTimeoutIsCutByTheDeadline() {
        assertEquals(20000, Deadline.attemptTimeoutMs(0, 70000, 20000));
        assertEquals(1, Deadline.attemptTimeoutMs(69999, 70000, 20000));
    }

    @Test
    void attemptWithoutTimeLeftIsDeadlineExceeded() {
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> Deadline.attemptTimeoutMs(70000, 70000, 20000));
        assertEquals(ErrorClass.DEADLINE_EXCEEDED, e.errorClass());
        assertTrue(e.getMessage().contains("70000"), e.getMessage());
    }

    @Test
    void malformedHeaderIsInvalidRequestNamingTheValue() {
        ResilienceException e = assertThrows(ResilienceException.class,
                () -> Deadline.fromHeader(0, "1500ms", 70000));
        assertEquals(ErrorClass.INVALID_REQUEST, e.errorClass());
        assertEquals("INVALID_REQUEST: X-Deadline-Ms is \"1500ms\"; expected a base-10 integer"
                + " of at most 10 digits", e.getMessage());
    }

    @Test
    void headerAtOrBelowZeroIsDeadlineExceeded() {
        assertThrows(DeadlineExceededException.class, () -> Deadline.fromHeader(0, "-0", 70000));
        assertThrows(DeadlineExceededException.class, () -> Deadline.fromHeader(0, "0", 70000));
    }

    @Test
    void headerBeyondDeadlineMsIsCappedAndAbsentHeaderGetsDeadlineMs() {
        assertEquals(70010, Deadline.fromHeader(10, "9999999999", 70000));
        assertEquals(70010, Deadline.fromHeader(10, null, 70000));
        assertEquals(2500, Deadline.fromHeader(1000, "0000001500", 70000));
    }

    @Test
    void withoutCapMarginAndFloorASleepMustEndStrictlyBeforeTheDeadline() {
        assertTrue(Deadline.sleepAllowed(65999, 4000, 70000));
        assertFalse(Deadline.sleepAllowed(66000, 4000, 70000));
    }

    @Test
    void sleepMustLeaveAnAttemptWhoseHeaderReachesTheFloor() {
        assertTrue(Deadline.sleepAllowed(64500, 4000, 70000, 20000, 500, 1000));
        assertFalse(Deadline.sleepAllowed(64501, 4000, 70000, 20000, 500, 1000));
        assertFalse(Deadline.sleepAllowed(65999, 4000, 70000, 20000, 500, 1000));
        // The cap counts too: an origin whose full attempt would send less than the floor never
        // sleeps.
        assertFalse(Deadline.sleepAllowed(0, 1000, 70000, 1000, 500, 600));
        assertTrue(Deadline.sleepAllowed(0, 1000, 70000, 70000, 500, 600));
    }

    @Test
    void attemptWhoseHeaderWouldBeBelowTheFloorDoesNotStart() {
        assertEquals(1500, Deadline.attemptTimeoutMs(0, 1500, 20000, 500, 1000));
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> Deadline.attemptTimeoutMs(0, 1499, 20000, 500, 1000));
        assertEquals("DEADLINE_EXCEEDED: an attempt would get 1499 ms and send X-Deadline-Ms 999"
                + " (answer_margin_ms 500), below min_deadline_ms 1000: it does not start",
                e.getMessage());
        assertTrue(Deadline.attemptStarts(1500, 500, 1000));
        assertFalse(Deadline.attemptStarts(1499, 500, 1000));
    }

    @Test
    void headerBelowTheFloorIsAnInvalidRequestNamingHeaderValueAndFloor() {
        ResilienceException e = assertThrows(ResilienceException.class,
                () -> Deadline.fromHeader(0, "0200", 70000, 1000));
        assertEquals(ErrorClass.INVALID_REQUEST, e.errorClass());
        assertEquals("INVALID_REQUEST: X-Deadline-Ms is 200 ms, below min_deadline_ms 1000; "
                + "expected at least 1000 ms (or a value <= 0 for a deadline already spent)",
                e.getMessage());
        assertEquals(1000, Deadline.fromHeader(0, "1000", 70000, 1000));
        assertThrows(DeadlineExceededException.class,
                () -> Deadline.fromHeader(0, "0", 70000, 1000));
        // The three-argument parse the gateway calls today accepts every positive value.
        assertEquals(1, Deadline.fromHeader(0, "1", 70000));
    }

    @Test
    void capIsTheTimeoutForAnOriginAndTheDeadlineForARelay() {
        assertEquals(20000, Deadline.attemptCapMs(Role.ORIGIN, 20000, 70000));
        assertEquals(70000, Deadline.attemptCapMs(Role.RELAY, 20000, 70000));
    }

    @Test
    void attemptWithinTheAnswerMarginDoesNotStart() {
        assertEquals(501, Deadline.attemptTimeoutMs(0, 501, 20000, 500));
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> Deadline.attemptTimeoutMs(0, 500, 20000, 500));
        assertTrue(e.getMessage().contains("answer_margin_ms 500"), e.getMessage());
        assertEquals(1, Deadline.headerMs(501, 500));
    }
}
