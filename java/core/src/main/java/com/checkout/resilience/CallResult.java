package com.checkout.resilience;

import java.util.List;
import java.util.Optional;

/**
 * How a call through {@link ResilientCall} ended (SEMANTICS.md §8): success, {@code DECLINED} (an
 * answer), or the class of the failure, with the attempts run and the backoff sleeps taken.
 *
 * @param <T> what the upstream answers
 */
public final class CallResult<T> {
    private final ErrorClass errorClass;
    private final T answer;
    private final ResilienceException error;
    private final int attempts;
    private final List<Long> sleepsMs;

    CallResult(ErrorClass errorClass, T answer, ResilienceException error, int attempts,
            List<Long> sleepsMs) {
        this.errorClass = errorClass;
        this.answer = answer;
        this.error = error;
        this.attempts = attempts;
        this.sleepsMs = List.copyOf(sleepsMs);
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
    public String result() {
        return errorClass == null ? "success" : errorClass.name();
    }

    /**
     * The answer of the attempt that decided the result.
     *
     * @return the answer for a success, {@code DECLINED} or an error answer; empty when the call
     *     ended on a thrown exception or without running that attempt
     */
    public Optional<T> answer() {
        return Optional.ofNullable(answer);
    }

    /**
     * The failure, typed and carrying its class, with the attempt's exception as its cause.
     *
     * @return empty for a success and for {@code DECLINED}
     */
    public Optional<ResilienceException> error() {
        return Optional.ofNullable(error);
    }

    /**
     * Attempts actually run; a call rejected by the breaker or the deadline before its first
     * attempt ran none.
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
     * Whether the caller of this service may retry: never, once a retry loop ran (§7).
     *
     * @return false
     */
    public boolean retryable() {
        return false;
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
        return answer;
    }

    @Override
    public String toString() {
        return "CallResult[" + result() + ", attempts=" + attempts + ", sleepsMs=" + sleepsMs + "]";
    }
}
