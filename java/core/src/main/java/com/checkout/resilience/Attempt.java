package com.checkout.resilience;

/**
 * One attempt of a call: what {@link ResilientCall} runs once per attempt, given its timeout and
 * number. A call site that sends {@value Deadline#HEADER} uses {@link ContextAttempt} instead,
 * whose {@link AttemptContext#deadlineHeaderMs()} keeps the answer margin out of the header.
 *
 * @param <T> what the upstream answers
 */
@FunctionalInterface
public interface Attempt<T> {
    /**
     * Calls the upstream once.
     *
     * @param timeoutMs the attempt's timeout: use it as the HTTP timeout (the header to send is
     *     {@code timeoutMs - answer_margin_ms}: {@link ContextAttempt} is given it)
     * @param attempt the attempt number, 1 for the first
     * @return the upstream's answer, handed to {@link Classifier#classify}
     * @throws Exception anything the call throws, handed to {@link Classifier#classifyFailure}
     */
    T run(long timeoutMs, int attempt) throws Exception;
}
