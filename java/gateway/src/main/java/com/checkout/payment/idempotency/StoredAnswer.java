package com.checkout.payment.idempotency;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An HTTP answer kept for replay: the same status and body again.
 *
 * @param httpStatus the status first answered
 * @param body the body first answered
 */
public record StoredAnswer(int httpStatus, JsonNode body) {}
