package com.checkout.payment.idempotency;

import com.checkout.payment.api.PaymentRequest;

/**
 * What a payment record keeps of its request: what the answers name. Never the payment token — a
 * replay answers the stored answer, and a re-run charges with the token of the request that asks.
 *
 * @param orderId the order
 * @param amountMinor the amount in the currency's minor unit
 * @param currency the ISO 4217 code
 */
public record Payment(String orderId, long amountMinor, String currency) {

    /**
     * The part of a request a record keeps.
     *
     * @param request the validated request
     * @return its order id, amount and currency
     */
    public static Payment of(PaymentRequest request) {
        return new Payment(request.orderId(), request.amountMinor(), request.currency());
    }
}
