package com.checkout.resilience;

/**
 * What the call loop gives one attempt (SEMANTICS.md §5, §8).
 *
 * @param number the attempt number, 1 for the first
 * @param timeoutMs the attempt's timeout: wait that long for the answer (the HTTP timeout)
 * @param deadlineHeaderMs the {@value Deadline#HEADER} value to send: {@code timeoutMs -
 *     answer_margin_ms}, the time the answer needs to travel back kept out of it
 */
public record AttemptContext(int number, long timeoutMs, long deadlineHeaderMs) {
    /**
     * The header's value as sent.
     *
     * @return {@code deadlineHeaderMs} in base 10
     */
    public String deadlineHeader() {
        return Long.toString(deadlineHeaderMs);
    }
}
