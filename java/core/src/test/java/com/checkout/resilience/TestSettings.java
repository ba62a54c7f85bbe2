package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import com.checkout.config.generated.TimeoutConfig.CircuitBreakerSettings;
import com.checkout.config.generated.TimeoutConfig.LookupSettings;
import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import com.checkout.config.generated.TimeoutConfig.RetrySettings;

/** The incident-fix settings of config/timeout.json, and variations of them. */
final class TestSettings {
    static final RetrySettings RETRY = new RetrySettings(3, 2000, 2.0, 500, 8000);
    static final CircuitBreakerSettings BREAKER = new CircuitBreakerSettings(true, 5, 60000, 3);
    static final RetryBudgetSettings BUDGET = new RetryBudgetSettings(10, 0.1);
    static final BulkheadSettings BULKHEAD = new BulkheadSettings(100);
    /** The charge's call settings: timeout 20 s, deadline 70 s, p99 15 s, floor 1 s, margin 500 ms. */
    static final CallSettings CALL = new CallSettings(20000, 70000, 15000, 1000, 500, RETRY);
    static final LookupSettings LOOKUP = new LookupSettings(5000, 20000, 2000,
            new RetrySettings(3, 500, 2.0, 250, 2000), new CircuitBreakerSettings(true, 5, 30000, 3),
            BUDGET, new BulkheadSettings(20));
    /** A whole payment section: the charge as {@link #CALL}, the lookup as config/timeout.json's. */
    static final PaymentSettings PAYMENT = payment(BREAKER, BUDGET, BULKHEAD, LOOKUP);

    private TestSettings() {}

    static CircuitBreakerSettings breaker(long threshold, long recoveryMs, long halfOpenMaxCalls) {
        return new CircuitBreakerSettings(true, threshold, recoveryMs, halfOpenMaxCalls);
    }

    /** The incident-fix call settings with another provider p99 (the evidence threshold). */
    static CallSettings withP99(long providerExpectedP99Ms) {
        return new CallSettings(20000, 70000, providerExpectedP99Ms, 1000, 500, RETRY);
    }

    /** A payment section whose charge times are {@link #CALL}'s. */
    static PaymentSettings payment(CircuitBreakerSettings breaker, RetryBudgetSettings budget,
            BulkheadSettings bulkhead, LookupSettings lookup) {
        return new PaymentSettings(20000, 70000, 15000, 1000, 500, RETRY, breaker, budget,
                bulkhead, lookup);
    }
}
