package com.checkout.payment.api;

/**
 * One reason a request was refused.
 *
 * @param pointer RFC 6901 pointer into the request: {@code /amount_minor},
 *     {@code /headers/Idempotency-Key}, or {@code ""} for the whole body
 * @param message names the field, the value found (never a secret) and what was expected
 */
public record Detail(String pointer, String message) {}
