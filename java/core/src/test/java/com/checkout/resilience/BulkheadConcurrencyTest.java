package com.checkout.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Many request threads share one bulkhead: no slot may be granted twice or lost. */
class BulkheadConcurrencyTest {
    private static final int THREADS = 16;

    @RepeatedTest(5)
    void threadsRacingForTheLastSlotsGetExactlyMaxConcurrent() throws Exception {
        Bulkhead bulkhead = new Bulkhead(new BulkheadSettings(3));
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        RetryBudgetTest.runTogether(THREADS, () -> {
            if (bulkhead.tryAcquire() != null) {
                granted.incrementAndGet();
            } else {
                refused.incrementAndGet();
            }
        });
        assertEquals(3, granted.get());
        assertEquals(THREADS - 3, refused.get());
        assertEquals(3, bulkhead.inFlight());
    }

    /**
     * Threads hammer acquire and release (some slots released twice, from another thread) while
     * the limit is resized: the slots held never exceed the limit in force when they were taken,
     * and once every slot is released the bulkhead is empty again.
     */
    @Test
    void hammeredBulkheadNeverHoldsMoreThanItsLimitAndLosesNoSlot() throws Exception {
        long max = 5;
        Bulkhead bulkhead = new Bulkhead(new BulkheadSettings(max));
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger mostHeld = new AtomicInteger();
        ConcurrentLinkedQueue<BulkheadSlot> released = new ConcurrentLinkedQueue<>();
        RetryBudgetTest.runTogether(THREADS, () -> {
            SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
            List<BulkheadSlot> held = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                if (!held.isEmpty() && random.nextBoolean()) {
                    BulkheadSlot slot = held.remove(random.nextInt(held.size()));
                    holding.decrementAndGet();
                    assertTrue(slot.release(), "a held slot's first release applies");
                    released.add(slot);
                    continue;
                }
                BulkheadSlot stale = released.poll();
                if (stale != null) {
                    // Someone else's slot, released already: releasing it again frees nothing.
                    assertTrue(!stale.release(), "a second release applied");
                }
                BulkheadSlot slot = bulkhead.tryAcquire();
                if (slot != null) {
                    int now = holding.incrementAndGet();
                    mostHeld.accumulateAndGet(now, Math::max);
                    held.add(slot);
                }
            }
            for (BulkheadSlot slot : held) {
                holding.decrementAndGet();
                slot.release();
            }
        });
        assertEquals(0, bulkhead.inFlight(), "every slot granted came back exactly once");
        assertTrue(mostHeld.get() <= max, "held " + mostHeld.get() + " slots at once");
        assertEquals(max, mostHeld.get(), "the test must actually fill the bulkhead");
    }

    @Test
    void aResizeRacingAcquiresNeverLetsMoreThanTheLargerLimitIn() throws Exception {
        Bulkhead bulkhead = new Bulkhead(new BulkheadSettings(2));
        AtomicInteger granted = new AtomicInteger();
        RetryBudgetTest.runTogether(THREADS, () -> {
            if (Thread.currentThread().getId() % 2 == 0) {
                bulkhead.resize(new BulkheadSettings(4));
            }
            for (int i = 0; i < 100; i++) {
                if (bulkhead.tryAcquire() != null) {
                    granted.incrementAndGet();
                }
            }
        });
        assertTrue(granted.get() <= 4, "granted " + granted.get());
        assertEquals(granted.get(), bulkhead.inFlight());
    }
}
