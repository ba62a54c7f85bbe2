package com.checkout.payment.provider;

import com.checkout.resilience.Classification;

/**
 * How one provider attempt ended, for the kernel (its classification) and for the payment's
 * status: {@code maybeCharged} when the attempt may have reached the provider without a
 * definitive answer, which makes a failed payment {@code unknown} rather than {@code failed}.
 *
 * @param classification the kernel's view of the attempt
 * @param maybeCharged whether a charge may exist that this gateway did not learn of
 */
public record AttemptEnd(Classification classification, boolean maybeCharged) {

    static AttemptEnd answer(Classification classification) {
        return new AttemptEnd(classification, false);
    }

    static AttemptEnd notSent(Classification classification) {
        return new AttemptEnd(classification, false);
    }

    static AttemptEnd ambiguous(Classification classification) {
        return new AttemptEnd(classification, true);
    }
}
