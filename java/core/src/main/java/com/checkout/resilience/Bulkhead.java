package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bulkhead of SEMANTICS.md §11: a counter of the attempts of one operation in flight in this
 * process, at most {@code max_concurrent}. It never waits: under a provider slowdown a queue
 * would only move the pile-up of pinned workers, so a call that finds every slot taken ends
 * {@code BULKHEAD_FULL} at once and sends nothing.
 *
 * <p>Thread-safe without a lock: a slot is granted by a compare-and-set on the count, so no two
 * threads can take the last slot, and {@link #resize} only moves the limit — attempts in flight
 * keep their slots and a new one is granted while {@code in_flight < max_concurrent}.
 */
public final class Bulkhead {
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long maxConcurrent;

    /**
     * An empty bulkhead.
     *
     * @param settings {@code payment.bulkhead} or {@code payment.lookup.bulkhead}
     */
    public Bulkhead(BulkheadSettings settings) {
        this.maxConcurrent = limit(settings);
    }

    private static long limit(BulkheadSettings settings) {
        long max = Objects.requireNonNull(settings, "settings").maxConcurrent();
        if (max < 1 || max > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bulkhead max_concurrent is " + max
                    + "; expected 1 to " + Integer.MAX_VALUE);
        }
        return max;
    }

    /**
     * Takes a slot if one is free.
     *
     * @return the slot, to release once the attempt ended; null when {@code max_concurrent}
     *     attempts are in flight
     */
    public BulkheadSlot tryAcquire() {
        for (;;) {
            int now = inFlight.get();
            if (now >= maxConcurrent) {
                return null;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return new BulkheadSlot(this);
            }
        }
    }

    /** Gives one slot back; only {@link BulkheadSlot#release()} calls it, once per slot. */
    void giveBack() {
        inFlight.decrementAndGet();
    }

    /**
     * Puts a reloaded limit in force, in place: attempts in flight keep their slots, even above
     * a smaller limit, and no new slot is granted until they are below it.
     *
     * @param settings the new {@code bulkhead}
     */
    public void resize(BulkheadSettings settings) {
        maxConcurrent = limit(settings);
    }

    /**
     * The attempts in flight now.
     *
     * @return the slots taken and not yet released
     */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * The limit in force.
     *
     * @return {@code max_concurrent}
     */
    public long maxConcurrent() {
        return maxConcurrent;
    }
}
