package com.checkout.resilience;

/**
 * One attempt of a call that reads its whole {@link AttemptContext}, the header value included:
 * what {@link ResilientCall#call(ContextAttempt, Classifier, long)} runs once per attempt.
 *
 * @param <T> what the upstream answers
 */
@FunctionalInterface
public interface ContextAttempt<T> {
    /**
     * Calls the upstream once.
     *
     * @param context the attempt's number, its timeout (use it as the HTTP timeout) and the
     *     {@value Deadline#HEADER} value to send
     * @return the upstream's answer, handed to {@link Classifier#classify}
     * @throws Exception anything the call throws, handed to {@link Classifier#classifyFailure}
     */
    T run(AttemptContext context) throws Exception;
}
