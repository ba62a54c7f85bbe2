package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.TimeoutConfig.RetrySettings;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void incidentConfigDoublesFromTwoSecondsAndAddsFlooredJitter() {
        assertEquals(2000, Backoff.delayMs(1, TestSettings.RETRY, 0.0));
        assertEquals(4250, Backoff.delayMs(2, TestSettings.RETRY, 0.5));
        assertEquals(8499, Backoff.delayMs(3, TestSettings.RETRY, 0.9999999999999999));
    }

    @Test
    void cappedDelayStillGetsJitter() {
        assertEquals(8000 + 499, Backoff.delayMs(10, TestSettings.RETRY, 0.999));
    }

    @Test
    void largestRetryNumberIsComputedAtOnceWithoutOverflow() {
        RetrySettings slowGrowth = new RetrySettings(10, 1, 1.0000001, 0, 3_600_000);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertEquals(1, Backoff.delayMs(Integer.MAX_VALUE, slowGrowth, 0.0)));
        RetrySettings largest = new RetrySettings(10, 600000, 10, 600000, 3_600_000);
        assertEquals(3_600_000 + 599_999,
                Backoff.delayMs(Integer.MAX_VALUE, largest, 0.9999999999999999));
    }

    @Test
    void everyDelayStaysWithinMaxDelayPlusJitter() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            RetrySettings s = new RetrySettings(10, 1 + random.nextInt(600_000),
                    1 + random.nextDouble() * 9, random.nextInt(600_001),
                    1 + random.nextInt(3_600_000));
            int retry = 1 + random.nextInt(50);
            long delay = Backoff.delayMs(retry, s, random.nextDouble());
            String where = s + " retry " + retry;
            assertTrue(delay >= Math.min(s.baseDelayMs(), s.maxDelayMs()), where);
            assertTrue(delay < s.maxDelayMs() + Math.max(1, s.jitterMs()), where);
        }
    }

    @Test
    void delaysNeverShrinkFromOneRetryToTheNext() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            RetrySettings s = new RetrySettings(10, 1 + random.nextInt(10_000),
                    1 + random.nextDouble() * 3, 0, 1 + random.nextInt(100_000));
            long previous = 0;
            for (int retry = 1; retry <= 30; retry++) {
                long delay = Backoff.delayMs(retry, s, 0.0);
                assertTrue(delay >= previous, s + " retry " + retry);
                previous = delay;
            }
        }
    }

    @Test
    void retryBelowOneIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backoff.delayMs(0, TestSettings.RETRY, 0.5));
        assertEquals("retry is 0; expected at least 1", e.getMessage());
    }

    @Test
    void drawOutsideTheUnitIntervalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.delayMs(1, TestSettings.RETRY, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Backoff.delayMs(1, TestSettings.RETRY, -0.1));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.delayMs(1, TestSettings.RETRY, Double.NaN));
    }
}
