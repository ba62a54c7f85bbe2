package com.checkout.payment;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An answer of the gateway, with what the request metrics need to know about it.
 *
 * @param httpStatus the status
 * @param body the JSON body
 * @param replayed whether it is a stored answer given again ({@code Idempotent-Replayed: true})
 * @param outcome {@code success}, {@code declined}, {@code unknown} or {@code error}
 * @param errorClass the error class of an error answer, {@code ""} otherwise
 */
public record Reply(int httpStatus, JsonNode body, boolean replayed, String outcome, String errorClass) {}
