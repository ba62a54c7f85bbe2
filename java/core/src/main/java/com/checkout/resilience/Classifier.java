package com.checkout.resilience;

/**
 * Maps how an attempt ended onto the taxonomy (SEMANTICS.md §6).
 *
 * @param <T> what the upstream answers
 */
public interface Classifier<T> {
    /**
     * Classifies an answer: a success, {@code DECLINED}, or an error answer (with its body's
     * {@code retryable}).
     *
     * @param answer what the attempt returned
     * @return its classification
     */
    Classification classify(T answer);

    /**
     * Classifies a thrown exception: {@link Classification#attemptTimedOut()} for the attempt's
     * own timeout, {@code CONNECTION} for a refused or broken connection, and so on.
     *
     * @param error what the attempt threw (never an {@link InterruptedException}: the loop
     *     stops on those)
     * @return its classification
     */
    Classification classifyFailure(Exception error);
}
