package com.checkout.resilience;

/**
 * Maps how an attempt ended onto the taxonomy (SEMANTICS.md §6). Bound to a {@link ResilientCall}
 * at construction: one per operation of an upstream.
 *
 * @param <T> what the upstream answers
 */
public interface Classifier<T> {
    /**
     * Classifies an answer: a success, {@code DECLINED}, or an error answer (with its body's
     * {@code retryable}).
     *
     * @param value what the attempt returned
     * @return its verdict, never null
     */
    AttemptVerdict classifyResult(T value);

    /**
     * Classifies a thrown exception: {@link AttemptVerdict#TIMED_OUT} for the attempt's own
     * timeout, {@code CONNECTION} for a refused or broken connection, and so on.
     *
     * @param error what the attempt threw (never an {@link InterruptedException}: the loop stops
     *     on those)
     * @return its verdict; null when the error is no outcome of the attempt but a bug, which the
     *     loop then rethrows (a checked one wrapped in {@link IllegalStateException}) after
     *     releasing the attempt's slot and recording {@code ignored} on its permit
     */
    AttemptVerdict classifyError(Exception error);
}
