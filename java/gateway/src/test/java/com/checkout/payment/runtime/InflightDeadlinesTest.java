package com.checkout.payment.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A stop waits for the latest deadline in flight plus the time to answer, never past the cap. */
class InflightDeadlinesTest {
    private static final long CAP = 25_000;

    @Test
    void nothingInFlightWaitsOnlyTheAnswerMargin() {
        assertEquals(InflightDeadlines.ANSWER_MARGIN_MS, new InflightDeadlines().stopTimeoutMs(0, CAP));
        assertEquals(300, new InflightDeadlines().stopTimeoutMs(0, 300));
    }

    @Test
    void theLatestDeadlineInFlightSetsTheWait() {
        InflightDeadlines deadlines = new InflightDeadlines();
        deadlines.add(10_000 + 2_000);
        long latest = deadlines.add(10_000 + 7_500);
        deadlines.add(10_000 - 50); // already past: answering now

        assertEquals(7_500 + InflightDeadlines.ANSWER_MARGIN_MS, deadlines.stopTimeoutMs(10_000, CAP));

        deadlines.remove(latest);
        assertEquals(2_000 + InflightDeadlines.ANSWER_MARGIN_MS, deadlines.stopTimeoutMs(10_000, CAP));
        assertEquals(2, deadlines.size());
    }

    @Test
    void aDeadlineBeyondTheCapIsCutToTheCap() {
        InflightDeadlines deadlines = new InflightDeadlines();
        deadlines.add(70_000); // payment.deadline_ms of config/timeout.json

        assertEquals(CAP, deadlines.stopTimeoutMs(0, CAP));
    }
}
