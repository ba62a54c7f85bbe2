package com.checkout.resilience;

import java.util.Objects;
import java.util.Optional;

/**
 * How one attempt ended, as a {@link Classifier} sees it: a success, an answer of a class of the
 * taxonomy ({@code DECLINED} included), or no answer within the attempt's timeout — which the call
 * loop turns into {@code TIMEOUT}, or {@code DEADLINE_EXCEEDED} when the deadline had cut that
 * timeout (SEMANTICS.md §5).
 */
public final class Classification {
    /** The upstream did what was asked. */
    public static final Classification SUCCESS = new Classification(null, true, false);

    private static final Classification TIMED_OUT =
            new Classification(ErrorClass.TIMEOUT, true, true);

    private final ErrorClass errorClass;
    private final boolean downstreamRetryable;
    private final boolean timedOut;

    private Classification(ErrorClass errorClass, boolean downstreamRetryable, boolean timedOut) {
        this.errorClass = errorClass;
        this.downstreamRetryable = downstreamRetryable;
        this.timedOut = timedOut;
    }

    /**
     * An attempt that ended with this class and no error body (or one that did not say
     * {@code "retryable": false}).
     *
     * @param errorClass how it ended; {@link ErrorClass#DECLINED} for a declined payment
     * @return the classification
     */
    public static Classification of(ErrorClass errorClass) {
        return of(errorClass, true);
    }

    /**
     * An error answer of this class whose body said whether it may be retried.
     *
     * @param errorClass how it ended
     * @param downstreamRetryable the body's {@code retryable}; false forbids a retry
     * @return the classification
     */
    public static Classification of(ErrorClass errorClass, boolean downstreamRetryable) {
        return new Classification(Objects.requireNonNull(errorClass, "errorClass"),
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
     * @param bodyRetryable false only when the body said {@code "retryable": false}
     * @param retryAfter whether the answer carried a {@code Retry-After} header
     * @return the classification
     * @throws IllegalArgumentException for a status that is not an error answer
     */
    public static Classification ofErrorAnswer(int status, String bodyErrorClass,
            boolean bodyRetryable, boolean retryAfter) {
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
        if (status == 429 || (status == 503 && retryAfter)) {
            byStatus = ErrorClass.OVERLOADED;
        } else if (status >= 500) {
            byStatus = ErrorClass.UPSTREAM_UNAVAILABLE;
        } else {
            byStatus = ErrorClass.INVALID_REQUEST;
        }
        return of(byStatus, bodyRetryable);
    }

    /**
     * No answer arrived within the timeout the loop gave the attempt (for example
     * {@code java.net.http.HttpTimeoutException}). Not for an upstream that answered
     * {@code TIMEOUT}: that is {@code of(ErrorClass.TIMEOUT)}.
     *
     * @return the classification
     */
    public static Classification attemptTimedOut() {
        return TIMED_OUT;
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
     * @return empty for a success; {@code TIMEOUT} for {@link #attemptTimedOut()}
     */
    public Optional<ErrorClass> errorClass() {
        return Optional.ofNullable(errorClass);
    }

    /**
     * The error body's {@code retryable}.
     *
     * @return false only when the upstream said its error must not be retried
     */
    public boolean downstreamRetryable() {
        return downstreamRetryable;
    }

    /**
     * Whether the attempt's own timeout ran out.
     *
     * @return true for {@link #attemptTimedOut()}
     */
    public boolean timedOut() {
        return timedOut;
    }

    @Override
    public String toString() {
        if (timedOut) {
            return "attempt timed out";
        }
        if (errorClass == null) {
            return "success";
        }
        return downstreamRetryable ? errorClass.name() : errorClass.name() + " (retryable: false)";
    }
}
