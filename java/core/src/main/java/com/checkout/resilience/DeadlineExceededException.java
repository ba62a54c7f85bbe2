package com.checkout.resilience;

/** The deadline left no time for (another) attempt or sleep ({@code DEADLINE_EXCEEDED}). */
public final class DeadlineExceededException extends ResilienceException {
    private static final long serialVersionUID = 1L;

    /**
     * A deadline that ran out.
     *
     * @param message what had no time left, with the clock and the deadline
     */
    public DeadlineExceededException(String message) {
        this(message, null);
    }

    /**
     * A deadline that ran out after an attempt failed.
     *
     * @param message what had no time left, with the clock and the deadline
     * @param cause how the last attempt ended, or null
     */
    public DeadlineExceededException(String message, Throwable cause) {
        super(ErrorClass.DEADLINE_EXCEEDED, message, cause);
    }
}
