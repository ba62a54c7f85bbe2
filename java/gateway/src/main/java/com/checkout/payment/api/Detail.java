package com.checkout.payment.api;

import com.checkout.payment.observability.Masking;

/**
 * One reason a request was refused.
 *
 * @param pointer RFC 6901 pointer into the request: {@code /amount_minor},
 *     {@code /headers/Idempotency-Key}, or {@code ""} for the whole body
 * @param message names the field, the value found (never a secret) and what was expected
 */
public record Detail(String pointer, String message) {

    // Issue 11 (k): a card-like number anywhere in a request (a field's value, a field's name)
    // comes back masked as the logs mask it, never as sent.
    public Detail {
        pointer = Masking.scrub(pointer);
        message = Masking.scrub(message);
    }
}
