package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import org.junit.jupiter.api.Test;

/** The bulkhead of SEMANTICS.md §11 on one thread; {@link BulkheadConcurrencyTest} races it. */
class BulkheadTest {
    private static Bulkhead bulkhead(long maxConcurrent) {
        return new Bulkhead(new BulkheadSettings(maxConcurrent));
    }

    @Test
    void grantsUpToMaxConcurrentThenNothingUntilASlotIsReleased() {
        Bulkhead bulkhead = bulkhead(2);
        BulkheadSlot a = bulkhead.tryAcquire();
        assertNotNull(bulkhead.tryAcquire());
        assertNull(bulkhead.tryAcquire(), "the third attempt finds every slot taken");
        assertEquals(2, bulkhead.inFlight());
        assertTrue(a.release());
        assertEquals(1, bulkhead.inFlight());
        assertNotNull(bulkhead.tryAcquire());
    }

    @Test
    void aSecondReleaseFreesNothingSoAnotherAttemptsSlotIsNeverGivenAway() {
        Bulkhead bulkhead = bulkhead(1);
        BulkheadSlot a = bulkhead.tryAcquire();
        assertTrue(a.release());
        BulkheadSlot b = bulkhead.tryAcquire();
        assertNotNull(b);
        assertFalse(a.release());
        assertEquals(1, bulkhead.inFlight());
        assertNull(bulkhead.tryAcquire());
    }

    @Test
    void resizingBelowTheAttemptsInFlightKeepsThemAndGrantsOnlyBelowTheNewLimit() {
        Bulkhead bulkhead = bulkhead(3);
        BulkheadSlot a = bulkhead.tryAcquire();
        BulkheadSlot b = bulkhead.tryAcquire();
        bulkhead.tryAcquire();
        bulkhead.resize(new BulkheadSettings(1));
        assertEquals(1, bulkhead.maxConcurrent());
        assertEquals(3, bulkhead.inFlight());
        assertNull(bulkhead.tryAcquire());
        a.release();
        b.release();
        assertNull(bulkhead.tryAcquire(), "one in flight fills a limit of one");
        bulkhead.resize(new BulkheadSettings(2));
        assertNotNull(bulkhead.tryAcquire(), "growing grants at once");
    }

    @Test
    void aLimitOutsideTheSchemasRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> bulkhead(0));
        Bulkhead bulkhead = bulkhead(1);
        assertThrows(IllegalArgumentException.class,
                () -> bulkhead.resize(new BulkheadSettings(-1)));
        assertEquals(1, bulkhead.maxConcurrent(), "a refused resize changes nothing");
    }
}
