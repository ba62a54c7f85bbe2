package com.checkout.payment.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.checkout.payment.observability.Masking;
import com.checkout.resilience.ErrorClass;
import java.util.List;

/**
 * The repo's one error shape (SEMANTICS.md §6), plus {@code status} for payment errors.
 *
 * @param error what went wrong
 * @param status {@code unknown} or {@code failed} for a payment error; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(ErrorDetail error, String status) {

    /**
     * The error object.
     *
     * @param errorClass the taxonomy class
     * @param message what happened, naming the values involved
     * @param retryable whether the caller may retry; false once this gateway's retry loop ran
     * @param details one entry per refused field; null when there are none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorDetail(@JsonProperty("class") String errorClass, String message,
            boolean retryable, List<Detail> details) {

        // Every error message of the gateway passes here: card-like numbers are masked (issue 11, k).
        public ErrorDetail {
            message = Masking.scrub(message);
            details = details == null || details.isEmpty() ? null : List.copyOf(details);
        }
    }

    /**
     * An error body without payment status.
     *
     * @param errorClass the class
     * @param message what happened
     * @param details refused fields, or an empty list
     * @return the body, retryable false
     */
    public static ErrorBody of(ErrorClass errorClass, String message, List<Detail> details) {
        return new ErrorBody(new ErrorDetail(errorClass.name(), message, false, details), null);
    }
}
