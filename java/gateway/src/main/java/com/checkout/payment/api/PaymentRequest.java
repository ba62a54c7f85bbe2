package com.checkout.payment.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.checkout.payment.observability.Masking;

/**
 * A validated {@code POST /payments} body; also what is sent to the provider's
 * {@code POST /v1/charges}.
 *
 * @param orderId 1-64 characters
 * @param amountMinor 1 to 10^12, in the currency's minor unit
 * @param currency an ISO 4217 alphabetic code known to {@link java.util.Currency}
 * @param paymentToken the provider's card token: never logged, never echoed
 */
public record PaymentRequest(
        @JsonProperty("order_id") String orderId,
        @JsonProperty("amount_minor") long amountMinor,
        @JsonProperty("currency") String currency,
        @JsonProperty("payment_token") String paymentToken) {

    // A record's generated toString would print the token into any log or exception message.
    @Override
    public String toString() {
        return "PaymentRequest[orderId=" + orderId + ", amountMinor=" + amountMinor + ", currency="
                + currency + ", paymentToken=" + Masking.maskToken(paymentToken) + "]";
    }
}
