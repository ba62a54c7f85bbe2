package com.checkout.payment.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The deadlines of the requests being handled, so a stop knows how long the slowest of them can
 * still take: the kernel's call loop never runs an attempt or a backoff past its deadline, so every
 * request in flight has answered by its deadline (plus the time to write the answer).
 */
public final class InflightDeadlines {
    /** Time to write an answer once the call loop has ended at its deadline. */
    public static final long ANSWER_MARGIN_MS = 1_000L;

    private final Map<Long, Long> deadlines = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * Tracks a request until {@link #remove} is called with the returned id (in a finally block).
     *
     * @param deadlineAtMs the request's deadline on the kernel's clock
     * @return the id to remove it with
     */
    public long add(long deadlineAtMs) {
        long id = ids.incrementAndGet();
        deadlines.put(id, deadlineAtMs);
        return id;
    }

    /**
     * Stops tracking a request.
     *
     * @param id what {@link #add} returned
     */
    public void remove(long id) {
        deadlines.remove(id);
    }

    /**
     * Requests tracked now.
     *
     * @return the count
     */
    public int size() {
        return deadlines.size();
    }

    /**
     * How long a stop waits for the requests in flight: until the latest deadline among them has
     * passed and its answer is written, but never longer than the cap.
     *
     * @param nowMs the kernel's clock
     * @param capMs the most a stop may wait
     * @return the wait in ms, between {@link #ANSWER_MARGIN_MS} (or the cap, if smaller) and the cap
     */
    public long stopTimeoutMs(long nowMs, long capMs) {
        long longest = 0;
        for (long deadlineAtMs : deadlines.values()) {
            longest = Math.max(longest, deadlineAtMs - nowMs);
        }
        return Math.min(capMs, longest + ANSWER_MARGIN_MS);
    }
}
