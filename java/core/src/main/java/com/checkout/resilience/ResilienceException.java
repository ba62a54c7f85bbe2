package com.checkout.resilience;

/**
 * A failure carrying its class of the shared taxonomy, so every layer (HTTP body, log, metric)
 * names it the same way.
 */
public class ResilienceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;
    private final boolean retryable;

    /**
     * A failure of the given class.
     *
     * @param errorClass the class of SEMANTICS.md §6
     * @param message what happened, naming the values involved
     * @param retryable whether the caller may retry it: false once a retry loop ran (§7)
     * @param cause the underlying exception, or null
     */
    public ResilienceException(ErrorClass errorClass, String message, boolean retryable,
            Throwable cause) {
        super(errorClass.name() + ": " + message, cause);
        this.errorClass = errorClass;
        this.retryable = retryable;
    }

    /**
     * For rejections that are part of normal flow under load (an open breaker answers every call
     * with one): no stack trace is filled in, so rejecting stays cheap.
     *
     * @param errorClass the class of SEMANTICS.md §6
     * @param message what happened, naming the values involved
     * @param retryable whether the caller may retry it
     * @param writableStackTrace false to skip filling in the stack trace
     */
    protected ResilienceException(ErrorClass errorClass, String message, boolean retryable,
            boolean writableStackTrace) {
        super(errorClass.name() + ": " + message, null, false, writableStackTrace);
        this.errorClass = errorClass;
        this.retryable = retryable;
    }

    /**
     * The class of the failure.
     *
     * @return the taxonomy class
     */
    public ErrorClass errorClass() {
        return errorClass;
    }

    /**
     * Whether the caller of this service may retry: the HTTP body's {@code retryable}.
     *
     * @return false for every error a retry loop ended with
     */
    public boolean retryable() {
        return retryable;
    }
}
