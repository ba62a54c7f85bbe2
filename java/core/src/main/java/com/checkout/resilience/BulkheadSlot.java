package com.checkout.resilience;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One slot of a {@link Bulkhead}, held while one attempt runs. Release it exactly once; a second
 * release does nothing, so a slot is never given back twice and another attempt's slot never
 * freed by mistake. From any thread.
 */
public final class BulkheadSlot {
    private final Bulkhead bulkhead;
    private final AtomicBoolean released = new AtomicBoolean();

    BulkheadSlot(Bulkhead bulkhead) {
        this.bulkhead = bulkhead;
    }

    /**
     * Gives the slot back to its bulkhead.
     *
     * @return true the first time; false when it was released already
     */
    public boolean release() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        bulkhead.giveBack();
        return true;
    }
}
