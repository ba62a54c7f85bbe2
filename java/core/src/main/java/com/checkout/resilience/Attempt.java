package com.checkout.resilience;

/**
 * One attempt of a call: what {@link ResilientCall} runs once per attempt, given its
 * {@link AttemptContext} — its number, its timeout and the {@value Deadline#HEADER} value to send,
 * which keeps the answer margin out of the header.
 *
 * @param <T> what the upstream answers
 */
@FunctionalInterface
public interface Attempt<T> {
    /**
     * Calls the upstream once.
     *
     * @param context the attempt's number, its timeout (use it as the HTTP timeout) and the
     *     {@value Deadline#HEADER} value to send
     * @return the upstream's answer, handed to {@link Classifier#classifyResult}
     * @throws Exception anything the call throws, handed to {@link Classifier#classifyError}
     *     (an {@link InterruptedException} stops the call instead)
     */
    T run(AttemptContext context) throws Exception;
}
