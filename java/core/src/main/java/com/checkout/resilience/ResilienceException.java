package com.checkout.resilience;

/**
 * A failure carrying its class of the shared taxonomy, so every layer (HTTP body, log, metric)
 * names it the same way. It says nothing of whether the caller may retry: once a retry loop ran,
 * the answer's {@code retryable} is false (SEMANTICS.md §7), and the service writing that answer
 * says so itself.
 */
public class ResilienceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;

    /**
     * A failure of the given class.
     *
     * @param errorClass the class of SEMANTICS.md §6
     * @param message what happened, naming the values involved
     * @param cause the underlying exception, or null
     */
    public ResilienceException(ErrorClass errorClass, String message, Throwable cause) {
        super(errorClass.name() + ": " + message, cause);
        this.errorClass = errorClass;
    }

    /**
     * For rejections that are part of normal flow under load (an open breaker or a full bulkhead
     * answers every call with one): no stack trace is filled in, so rejecting stays cheap.
     *
     * @param errorClass the class of SEMANTICS.md §6
     * @param message what happened, naming the values involved
     * @param cause how an earlier attempt of the call ended, or null
     * @param writableStackTrace false to skip filling in the stack trace
     */
    protected ResilienceException(ErrorClass errorClass, String message, Throwable cause,
            boolean writableStackTrace) {
        super(errorClass.name() + ": " + message, cause, false, writableStackTrace);
        this.errorClass = errorClass;
    }

    /**
     * The class of the failure.
     *
     * @return the taxonomy class
     */
    public ErrorClass errorClass() {
        return errorClass;
    }
}
