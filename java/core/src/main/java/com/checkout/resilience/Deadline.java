package com.checkout.resilience;

import java.util.regex.Pattern;

/** The deadline rules of SEMANTICS.md §5: attempt timeout, the X-Deadline-Ms header, the sleep rule. */
public final class Deadline {
    /**
     * Carries, as a base-10 integer, the milliseconds the caller will wait for this request (the
     * attempt's timeout): relative, so no clocks are compared.
     */
    public static final String HEADER = "X-Deadline-Ms";

    // [0-9] is ASCII only in java.util.regex (no UNICODE_CHARACTER_CLASS), and matches() needs the
    // whole value: no sign but '-', no whitespace, no trailing newline.
    private static final Pattern HEADER_SYNTAX = Pattern.compile("-?[0-9]{1,10}");

    private Deadline() {}

    /**
     * The timeout of the next attempt: {@code min(timeout_ms, deadline_at - now)}.
     *
     * @param nowMs the clock
     * @param deadlineAtMs the call's absolute deadline
     * @param timeoutMs {@code payment.timeout_ms}
     * @return the attempt's timeout, at least 1 ms
     * @throws DeadlineExceededException when no time is left: the attempt does not start
     */
    public static long attemptTimeoutMs(long nowMs, long deadlineAtMs, long timeoutMs) {
        long timeout = remainingTimeoutMs(nowMs, deadlineAtMs, timeoutMs);
        if (timeout <= 0) {
            throw new DeadlineExceededException("no time left for an attempt at " + nowMs
                    + " ms with the deadline at " + deadlineAtMs + " ms");
        }
        return timeout;
    }

    /** {@link #attemptTimeoutMs} without the refusal, for the call loop: ≤ 0 means none. */
    static long remainingTimeoutMs(long nowMs, long deadlineAtMs, long timeoutMs) {
        return Math.min(timeoutMs, deadlineAtMs - nowMs);
    }

    /**
     * The deadline of a request that arrived with (or without) the header:
     * {@code arrival + min(header, deadline_ms)}, or {@code arrival + deadline_ms} without one.
     *
     * @param arrivalMs the clock when the request arrived
     * @param header the header's value exactly as received, or null when there was none
     * @param deadlineMs {@code payment.deadline_ms}, the most a request may be given
     * @return the absolute deadline
     * @throws ResilienceException {@code INVALID_REQUEST} when the value is not an optional '-'
     *     and one to ten ASCII digits
     * @throws DeadlineExceededException when the value is ≤ 0: no work is to be done
     */
    public static long fromHeader(long arrivalMs, String header, long deadlineMs) {
        if (header == null) {
            return arrivalMs + deadlineMs;
        }
        if (!HEADER_SYNTAX.matcher(header).matches()) {
            throw new ResilienceException(ErrorClass.INVALID_REQUEST, HEADER + " is \""
                    + header + "\"; expected a base-10 integer of at most 10 digits", false,
                    null);
        }
        long waitMs = Long.parseLong(header);
        if (waitMs <= 0) {
            throw new DeadlineExceededException(HEADER + " is " + header
                    + "; the caller has stopped waiting");
        }
        return arrivalMs + Math.min(waitMs, deadlineMs);
    }

    /**
     * Whether a backoff sleep may start: only if it ends strictly before the deadline.
     *
     * @param nowMs the clock
     * @param delayMs the backoff delay
     * @param deadlineAtMs the call's absolute deadline
     * @return {@code now + delay < deadline_at}
     */
    public static boolean sleepAllowed(long nowMs, long delayMs, long deadlineAtMs) {
        return nowMs + delayMs < deadlineAtMs;
    }
}
