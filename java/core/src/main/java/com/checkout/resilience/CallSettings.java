package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.LookupSettings;
import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.config.generated.TimeoutConfig.RetrySettings;
import java.util.Objects;

/**
 * What one {@link ResilientCall} reads of the config (SEMANTICS.md §8, §11): the timeouts, the
 * evidence bound, the next hop's header floor, the answer margin and the backoff. The breaker's,
 * the budget's and the bulkhead's settings are those objects' own.
 *
 * @param timeoutMs the per-attempt timeout (an origin's cap)
 * @param deadlineMs the deadline of a call that received none (a relay's cap)
 * @param providerExpectedP99Ms the evidence rule's bound: an attempt that ran out of time is a
 *     failure only if its timeout was at least {@code min(timeoutMs, this)}
 * @param minDeadlineMs the next hop's header floor
 * @param answerMarginMs kept out of every {@value Deadline#HEADER}
 * @param retry the backoff between attempts
 */
public record CallSettings(long timeoutMs, long deadlineMs, long providerExpectedP99Ms,
        long minDeadlineMs, long answerMarginMs, RetrySettings retry) {

    /**
     * Settings with every part present.
     *
     * @throws NullPointerException when {@code retry} is null
     */
    public CallSettings {
        Objects.requireNonNull(retry, "retry");
    }

    /**
     * The charge's policy: {@code payment}'s own fields.
     *
     * @param payment the config's {@code payment}
     * @return its call settings
     */
    public static CallSettings charge(PaymentSettings payment) {
        return new CallSettings(payment.timeoutMs(), payment.deadlineMs(),
                payment.providerExpectedP99Ms(), payment.minDeadlineMs(), payment.answerMarginMs(),
                payment.retry());
    }

    /**
     * The lookup's policy: {@code payment.lookup}'s fields, with the hop's {@code min_deadline_ms}
     * and {@code answer_margin_ms}, which are {@code payment}'s (the same hop receives both).
     *
     * @param payment the config's {@code payment}
     * @return its lookup's call settings
     */
    public static CallSettings lookup(PaymentSettings payment) {
        LookupSettings lookup = Objects.requireNonNull(payment.lookup(), "payment.lookup");
        return new CallSettings(lookup.timeoutMs(), lookup.deadlineMs(),
                lookup.providerExpectedP99Ms(), payment.minDeadlineMs(), payment.answerMarginMs(),
                lookup.retry());
    }
}
