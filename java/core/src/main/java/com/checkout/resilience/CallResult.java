package com.checkout.resilience;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a call through {@link ResilientCall} ended (SEMANTICS.md §8): success, {@code DECLINED} (an
 * answer), or the class of the failure, with the attempts run and the backoff sleeps taken. It
 * carries no {@code retryable}: a caller of a service that ran this loop is told {@code false}
 * whatever the class (§7).
 *
 * @param <T> what the upstream answers
 */
public final class CallResult<T> {
    private final ErrorClass errorClass;
    private final T value;
    private final ResilienceException error;
    private final int attempts;
    private final List<Long> sleepsMs;
    private final Long retryAfterMs;

    CallResult(ErrorClass errorClass, T value, ResilienceException error, int attempts,
            List<Long> sleepsMs) {
        this.errorClass = errorClass;
        this.value = value;
        this.error = error;
        this.attempts = attempts;
        this.sleepsMs = List.copyOf(sleepsMs);
        this.retryAfterMs = error instanceof CircuitOpenException open ? open.retryAfterMs() : null;
    }

    /**
     * Whether the last attempt succeeded.
     *
     * @return true for a success
     */
    public boolean isSuccess() {
        return errorClass == null;
    }

    /**
     * The class the call ended with.
     *
     * @return empty for a success; {@code DECLINED} for a declined payment
     */
    public Optional<ErrorClass> errorClass() {
        return Optional.ofNullable(errorClass);
    }

    /**
     * The result's wire name, as in vectors and logs.
     *
     * @return {@code success} or the class name
     */
    public String outcome() {
        return errorClass == null ? "success" : errorClass.name();
    }

    /**
     * The answer of the attempt that decided the result.
     *
     * @return the answer for a success, {@code DECLINED} or an error answer; empty when the call
     *     ended on a thrown exception or without running that attempt
     */
    public Optional<T> value() {
        return Optional.ofNullable(value);
    }

    /**
     * The failure, typed and carrying its class, with the attempt's exception (or, for a call
     * refused before a retry, the earlier attempt's failure) as its cause.
     *
     * @return empty for a success and for {@code DECLINED}
     */
    public Optional<ResilienceException> error() {
        return Optional.ofNullable(error);
    }

    /**
     * Attempts actually run; a call refused by the deadline, the bulkhead or the breaker before
     * its first attempt ran none.
     *
     * @return the count, at most {@code max_attempts}
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The backoff delays slept, in order.
     *
     * @return the delays in ms; a delay refused by the deadline rule is not listed
     */
    public List<Long> sleepsMs() {
        return sleepsMs;
    }

    /**
     * When the upstream may be called again, for a {@code Retry-After} answer.
     *
     * @return the open breaker's time until its half-open trials for {@code CIRCUIT_OPEN}; empty
     *     for every other result ({@code BULKHEAD_FULL} included: a slot may free at any moment)
     */
    public OptionalLong retryAfterMs() {
        return retryAfterMs == null ? OptionalLong.empty() : OptionalLong.of(retryAfterMs);
    }

    /**
     * The answer of a call that got one, or the failure.
     *
     * @return the answer of a success or a {@code DECLINED} answer
     * @throws ResilienceException every other result
     */
    public T orThrow() {
        if (error != null) {
            throw error;
        }
        return value;
    }

    @Override
    public String toString() {
        return "CallResult[" + outcome() + ", attempts=" + attempts + ", sleepsMs=" + sleepsMs + "]";
    }
}
