package com.checkout.resilience;

import com.checkout.config.generated.Vocabulary;
import java.util.regex.Pattern;

/** The deadline rules of SEMANTICS.md §5: attempt timeout, the X-Deadline-Ms header, the sleep rule. */
public final class Deadline {
    /**
     * Carries, as a base-10 integer, the milliseconds the caller will wait for the answer to this
     * request to arrive (the attempt's timeout minus {@code answer_margin_ms}): relative, so no
     * clocks are compared.
     */
    public static final String HEADER = Vocabulary.DEADLINE_HEADER;

    // [0-9] is ASCII only in java.util.regex (no UNICODE_CHARACTER_CLASS), and matches() needs the
    // whole value: no sign but '-', no whitespace, no trailing newline.
    private static final Pattern HEADER_SYNTAX = Pattern.compile(Vocabulary.DEADLINE_HEADER_PATTERN);

    private Deadline() {}

    /**
     * The most one attempt may take (SEMANTICS.md §5, §7): {@code timeout_ms} for an origin,
     * {@code deadline_ms} for a relay, whose upstream runs its own retries inside the time it is
     * given.
     *
     * @param role the call site's role
     * @param timeoutMs {@code payment.timeout_ms}
     * @param deadlineMs {@code payment.deadline_ms}
     * @return the cap of {@link #attemptTimeoutMs(long, long, long, long)}
     */
    public static long attemptCapMs(Role role, long timeoutMs, long deadlineMs) {
        return role == Role.ORIGIN ? timeoutMs : deadlineMs;
    }

    /**
     * The timeout of the next attempt: {@code min(timeout_ms, deadline_at - now)}, with no answer
     * margin (equivalent to {@code attemptTimeoutMs(nowMs, deadlineAtMs, timeoutMs, 0)}).
     *
     * @param nowMs the clock
     * @param deadlineAtMs the call's absolute deadline
     * @param timeoutMs {@code payment.timeout_ms}
     * @return the attempt's timeout, at least 1 ms
     * @throws DeadlineExceededException when no time is left: the attempt does not start
     */
    public static long attemptTimeoutMs(long nowMs, long deadlineAtMs, long timeoutMs) {
        return attemptTimeoutMs(nowMs, deadlineAtMs, timeoutMs, 0);
    }

    /**
     * The timeout of the next attempt: {@code min(cap, deadline_at - now)}, which must exceed the
     * answer margin, for the attempt sends {@code X-Deadline-Ms = timeout - answer_margin_ms}
     * (equivalent to {@code attemptTimeoutMs(nowMs, deadlineAtMs, capMs, answerMarginMs, 1)}).
     *
     * @param nowMs the clock
     * @param deadlineAtMs the call's absolute deadline
     * @param capMs {@link #attemptCapMs}: {@code timeout_ms} (origin) or {@code deadline_ms} (relay)
     * @param answerMarginMs {@code payment.answer_margin_ms}
     * @return the attempt's timeout, more than {@code answerMarginMs}
     * @throws DeadlineExceededException when the timeout would be at most the answer margin: the
     *     attempt does not start
     */
    public static long attemptTimeoutMs(long nowMs, long deadlineAtMs, long capMs,
            long answerMarginMs) {
        return attemptTimeoutMs(nowMs, deadlineAtMs, capMs, answerMarginMs, 1);
    }

    /**
     * The timeout of the next attempt (SEMANTICS.md §8 step 1): {@code min(cap, deadline_at - now)},
     * provided the {@value #HEADER} it sends, {@code timeout - answer_margin_ms}, is at least the
     * next hop's floor {@code min_deadline_ms}, below which the request would be refused.
     *
     * @param nowMs the clock
     * @param deadlineAtMs the call's absolute deadline
     * @param capMs {@link #attemptCapMs}: {@code timeout_ms} (origin) or {@code deadline_ms} (relay)
     * @param answerMarginMs {@code payment.answer_margin_ms}
     * @param minDeadlineMs {@code payment.min_deadline_ms}
     * @return the attempt's timeout, at least {@code answerMarginMs + minDeadlineMs}
     * @throws DeadlineExceededException when the header would be below {@code minDeadlineMs}: the
     *     attempt does not start
     */
    public static long attemptTimeoutMs(long nowMs, long deadlineAtMs, long capMs,
            long answerMarginMs, long minDeadlineMs) {
        long timeout = remainingTimeoutMs(nowMs, deadlineAtMs, capMs);
        if (timeout <= 0) {
            throw new DeadlineExceededException("no time left for an attempt at " + nowMs
                    + " ms with the deadline at " + deadlineAtMs + " ms");
        }
        if (!attemptStarts(timeout, answerMarginMs, minDeadlineMs)) {
            throw new DeadlineExceededException("an attempt would get " + timeout
                    + " ms and send " + HEADER + " " + (timeout - answerMarginMs)
                    + " (answer_margin_ms " + answerMarginMs + "), below min_deadline_ms "
                    + minDeadlineMs + ": it does not start");
        }
        return timeout;
    }

    /**
     * Whether an attempt of {@code timeoutMs} may start: its {@value #HEADER},
     * {@code timeoutMs - answerMarginMs}, is at least the next hop's {@code minDeadlineMs} (a lower
     * value would be refused with 400 INVALID_REQUEST).
     *
     * @param timeoutMs the attempt's timeout
     * @param answerMarginMs {@code payment.answer_margin_ms}
     * @param minDeadlineMs {@code payment.min_deadline_ms}
     * @return {@code timeoutMs - answerMarginMs >= minDeadlineMs}
     */
    public static boolean attemptStarts(long timeoutMs, long answerMarginMs, long minDeadlineMs) {
        return timeoutMs - answerMarginMs >= minDeadlineMs;
    }

    /** {@link #attemptTimeoutMs} without the refusal, for the call loop: ≤ the margin means none. */
    static long remainingTimeoutMs(long nowMs, long deadlineAtMs, long capMs) {
        return Math.min(capMs, deadlineAtMs - nowMs);
    }

    /**
     * The {@value #HEADER} an attempt sends: the answer needs the margin to travel back.
     *
     * @param timeoutMs the attempt's timeout
     * @param answerMarginMs {@code payment.answer_margin_ms}
     * @return {@code timeoutMs - answerMarginMs}
     */
    public static long headerMs(long timeoutMs, long answerMarginMs) {
        return timeoutMs - answerMarginMs;
    }

    /**
     * The deadline of a request that arrived with (or without) the header, accepting every
     * positive value (equivalent to {@code fromHeader(arrivalMs, header, deadlineMs, 1)}); a
     * service passes {@code payment.min_deadline_ms} to {@link #fromHeader(long, String, long,
     * long)} instead.
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
        return fromHeader(arrivalMs, header, deadlineMs, 1);
    }

    /**
     * The deadline of a request that arrived with (or without) the header:
     * {@code arrival + min(header, deadline_ms)}, or {@code arrival + deadline_ms} without one.
     *
     * @param arrivalMs the clock when the request arrived
     * @param header the header's value exactly as received, or null when there was none
     * @param deadlineMs {@code payment.deadline_ms}, the most a request may be given
     * @param minDeadlineMs {@code payment.min_deadline_ms}, the shortest value accepted
     * @return the absolute deadline
     * @throws ResilienceException {@code INVALID_REQUEST} when the value is not an optional '-'
     *     and one to ten ASCII digits, or is in {@code 1 .. minDeadlineMs - 1}
     * @throws DeadlineExceededException when the value is ≤ 0: no work is to be done
     */
    public static long fromHeader(long arrivalMs, String header, long deadlineMs,
            long minDeadlineMs) {
        if (header == null) {
            return arrivalMs + deadlineMs;
        }
        if (!HEADER_SYNTAX.matcher(header).matches()) {
            throw new ResilienceException(ErrorClass.INVALID_REQUEST, HEADER + " is \""
                    + header + "\"; expected a base-10 integer of at most 10 digits", null);
        }
        long waitMs = Long.parseLong(header);
        if (waitMs <= 0) {
            throw new DeadlineExceededException(HEADER + " is " + header
                    + "; the caller has stopped waiting");
        }
        if (waitMs < minDeadlineMs) {
            throw new ResilienceException(ErrorClass.INVALID_REQUEST, HEADER + " is " + waitMs
                    + " ms, below min_deadline_ms " + minDeadlineMs + "; expected at least "
                    + minDeadlineMs + " ms (or a value <= 0 for a deadline already spent)", null);
        }
        return arrivalMs + Math.min(waitMs, deadlineMs);
    }

    /**
     * Whether a backoff sleep may start, with no cap, margin or floor: only if it ends strictly
     * before the deadline (equivalent to
     * {@code sleepAllowed(nowMs, delayMs, deadlineAtMs, Long.MAX_VALUE, 0, 1)}).
     *
     * @param nowMs the clock
     * @param delayMs the backoff delay
     * @param deadlineAtMs the call's absolute deadline
     * @return {@code now + delay < deadline_at}
     */
    public static boolean sleepAllowed(long nowMs, long delayMs, long deadlineAtMs) {
        return sleepAllowed(nowMs, delayMs, deadlineAtMs, Long.MAX_VALUE, 0, 1);
    }

    /**
     * Whether a backoff sleep may start (SEMANTICS.md §8 step 9): only if the attempt after it would
     * start, {@code min(cap, deadline_at - now - delay) - answer_margin_ms >= min_deadline_ms}.
     *
     * @param nowMs the clock
     * @param delayMs the backoff delay
     * @param deadlineAtMs the call's absolute deadline
     * @param capMs {@link #attemptCapMs}: {@code timeout_ms} (origin) or {@code deadline_ms} (relay)
     * @param answerMarginMs {@code payment.answer_margin_ms}
     * @param minDeadlineMs {@code payment.min_deadline_ms}
     * @return whether the attempt after the sleep would start
     */
    public static boolean sleepAllowed(long nowMs, long delayMs, long deadlineAtMs, long capMs,
            long answerMarginMs, long minDeadlineMs) {
        return attemptStarts(Math.min(capMs, deadlineAtMs - nowMs - delayMs), answerMarginMs,
                minDeadlineMs);
    }
}
