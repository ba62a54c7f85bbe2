package com.checkout.payment.provider;

import com.checkout.resilience.AttemptVerdict;

/**
 * How one provider attempt ended, for the kernel (its verdict) and for the payment's status:
 * {@code maybeCharged} when the attempt may have reached the provider without a definitive
 * answer, which makes a failed payment {@code unknown} rather than {@code failed}.
 *
 * @param verdict the kernel's view of the attempt
 * @param maybeCharged whether a charge may exist that this gateway did not learn of
 */
public record AttemptEnd(AttemptVerdict verdict, boolean maybeCharged) {

    static AttemptEnd answer(AttemptVerdict verdict) {
        return new AttemptEnd(verdict, false);
    }

    static AttemptEnd notSent(AttemptVerdict verdict) {
        return new AttemptEnd(verdict, false);
    }

    static AttemptEnd ambiguous(AttemptVerdict verdict) {
        return new AttemptEnd(verdict, true);
    }
}
