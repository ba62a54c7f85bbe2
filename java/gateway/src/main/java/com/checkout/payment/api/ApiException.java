package com.checkout.payment.api;

import com.checkout.resilience.ErrorClass;
import java.util.List;

/**
 * A request this gateway refuses before any work: answered with its status and the error body,
 * never logged with the request's content.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;
    private final int httpStatus;
    private final transient List<Detail> details;

    /**
     * A refusal.
     *
     * @param errorClass the taxonomy class
     * @param httpStatus the answer's status
     * @param message what was wrong, naming the value and the expectation
     * @param details one entry per refused field (may be empty)
     */
    public ApiException(ErrorClass errorClass, int httpStatus, String message, List<Detail> details) {
        super(message, null, false, false);
        this.errorClass = errorClass;
        this.httpStatus = httpStatus;
        this.details = List.copyOf(details);
    }

    /**
     * An invalid request (400) with its field-level reasons.
     *
     * @param message the summary
     * @param details one entry per refused field
     * @return the exception
     */
    public static ApiException invalid(String message, List<Detail> details) {
        return new ApiException(ErrorClass.INVALID_REQUEST, 400, message, details);
    }

    /**
     * The class of the refusal.
     *
     * @return the taxonomy class
     */
    public ErrorClass errorClass() {
        return errorClass;
    }

    /**
     * The status to answer with.
     *
     * @return an HTTP status
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The answer's body.
     *
     * @return the error body, retryable false
     */
    public ErrorBody body() {
        return ErrorBody.of(errorClass, getMessage(), details);
    }
}
