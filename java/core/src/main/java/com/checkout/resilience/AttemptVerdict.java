package com.checkout.resilience;

import java.util.Objects;
import java.util.Optional;

/**
 * How one attempt ended, as a {@link Classifier} sees it (SEMANTICS.md §8): a success, an answer
 * of a class of the taxonomy ({@code DECLINED} included) with the error body's {@code retryable}
 * if it had one, or no answer within the attempt's timeout — which the call loop turns into
 * {@code TIMEOUT}, or {@code DEADLINE_EXCEEDED} when the deadline had cut that timeout (§5).
 */
public final class AttemptVerdict {
    /** The upstream did what was asked. */
    public static final AttemptVerdict SUCCESS = new AttemptVerdict(null, null, false);

    /**
     * No answer arrived within the timeout the loop gave the attempt (for example
     * {@code java.net.http.HttpTimeoutException}). Not for an upstream that answered
     * {@code TIMEOUT}: that is {@code of(ErrorClass.TIMEOUT)}. A constant rather than a
     * {@code timedOut()} factory, which would clash with the accessor of that name.
     */
    public static final AttemptVerdict TIMED_OUT =
            new AttemptVerdict(ErrorClass.TIMEOUT, null, true);

    private final ErrorClass errorClass;
    private final Boolean downstreamRetryable;
    private final boolean timedOut;

    private AttemptVerdict(ErrorClass errorClass, Boolean downstreamRetryable, boolean timedOut) {
        this.errorClass = errorClass;
        this.downstreamRetryable = downstreamRetryable;
        this.timedOut = timedOut;
    }

    /**
     * An attempt that ended with this class and no error body.
     *
     * @param errorClass how it ended; {@link ErrorClass#DECLINED} for a declined payment
     * @return the verdict
     */
    public static AttemptVerdict of(ErrorClass errorClass) {
        return of(errorClass, null);
    }

    /**
     * An error answer of this class whose body may have said whether it may be retried.
     *
     * @param errorClass how it ended
     * @param downstreamRetryable the body's {@code retryable}; null when there was no body (or no
     *     such field); false forbids a retry
     * @return the verdict
     */
    public static AttemptVerdict of(ErrorClass errorClass, Boolean downstreamRetryable) {
        return new AttemptVerdict(Objects.requireNonNull(errorClass, "errorClass"),
                downstreamRetryable, false);
    }

    /**
     * Classifies an error answer of an upstream that speaks this repo's error shape (SEMANTICS.md
     * §6, "at a call site"): by the body's {@code error.class} when that class has a breaker
     * outcome; otherwise by status — 429, or 503 with {@code Retry-After}, is {@code OVERLOADED},
     * any other 5xx {@code UPSTREAM_UNAVAILABLE}, any other 4xx {@code INVALID_REQUEST}.
     *
     * @param status the HTTP status, 400 to 599
     * @param bodyErrorClass the body's {@code error.class}, or null when there was no such body
     * @param bodyRetryable the body's {@code retryable}, or null when it had none
     * @param hasRetryAfter whether the answer carried a {@code Retry-After} header
     * @return the verdict
     * @throws IllegalArgumentException for a status that is not an error answer
     */
    public static AttemptVerdict classifyAnswer(int status, String bodyErrorClass,
            Boolean bodyRetryable, boolean hasRetryAfter) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status is " + status
                    + "; expected an error answer, 400 to 599");
        }
        for (ErrorClass candidate : ErrorClass.values()) {
            if (candidate.name().equals(bodyErrorClass) && candidate.breaker().isPresent()) {
                return of(candidate, bodyRetryable);
            }
        }
        ErrorClass byStatus;
        if (status == 429 || (status == 503 && hasRetryAfter)) {
            byStatus = ErrorClass.OVERLOADED;
        } else if (status >= 500) {
            byStatus = ErrorClass.UPSTREAM_UNAVAILABLE;
        } else {
            byStatus = ErrorClass.INVALID_REQUEST;
        }
        return of(byStatus, bodyRetryable);
    }

    /**
     * Whether the attempt succeeded.
     *
     * @return true for {@link #SUCCESS}
     */
    public boolean isSuccess() {
        return errorClass == null;
    }

    /**
     * The class the attempt ended with.
     *
     * @return empty for a success; {@code TIMEOUT} for {@link #TIMED_OUT}
     */
    public Optional<ErrorClass> errorClass() {
        return Optional.ofNullable(errorClass);
    }

    /**
     * The error body's {@code retryable}.
     *
     * @return true or false as the body said; null when there was no body or it did not say
     */
    public Boolean downstreamRetryable() {
        return downstreamRetryable;
    }

    /**
     * Whether the upstream leaves a retry to the role (§7): a body can forbid a retry, never
     * widen the role's list, and no body forbids nothing.
     *
     * @return false only when the body said {@code "retryable": false}
     */
    public boolean downstreamAllowsRetry() {
        return !Boolean.FALSE.equals(downstreamRetryable);
    }

    /**
     * Whether the attempt's own timeout ran out.
     *
     * @return true for {@link #TIMED_OUT}
     */
    public boolean timedOut() {
        return timedOut;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AttemptVerdict that && errorClass == that.errorClass
                && Objects.equals(downstreamRetryable, that.downstreamRetryable)
                && timedOut == that.timedOut;
    }

    @Override
    public int hashCode() {
        return Objects.hash(errorClass, downstreamRetryable, timedOut);
    }

    @Override
    public String toString() {
        if (timedOut) {
            return "attempt timed out";
        }
        if (errorClass == null) {
            return "success";
        }
        return downstreamRetryable == null ? errorClass.name()
                : errorClass.name() + " (retryable: " + downstreamRetryable + ")";
    }
}
