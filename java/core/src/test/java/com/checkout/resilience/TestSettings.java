package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.CircuitBreakerSettings;
import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import com.checkout.config.generated.TimeoutConfig.RetrySettings;

/** The incident-fix settings of config/timeout.json, and variations of them. */
final class TestSettings {
    static final RetrySettings RETRY = new RetrySettings(3, 2000, 2.0, 500, 8000);
    static final CircuitBreakerSettings BREAKER = new CircuitBreakerSettings(true, 5, 60000, 3);
    static final RetryBudgetSettings BUDGET = new RetryBudgetSettings(10, 0.1);
    static final PaymentSettings PAYMENT =
            new PaymentSettings(20000, 70000, 15000, 1000, 500, RETRY, BREAKER, BUDGET);

    private TestSettings() {}

    static CircuitBreakerSettings breaker(long threshold, long recoveryMs, long halfOpenMaxCalls) {
        return new CircuitBreakerSettings(true, threshold, recoveryMs, halfOpenMaxCalls);
    }

    /** The incident-fix payment settings with another provider p99 (the evidence threshold). */
    static PaymentSettings withP99(long providerExpectedP99Ms) {
        return new PaymentSettings(20000, 70000, providerExpectedP99Ms, 1000, 500, RETRY, BREAKER,
                BUDGET);
    }

    static PaymentSettings payment(RetrySettings retry, CircuitBreakerSettings breaker) {
        return new PaymentSettings(20000, 70000, 15000, 1000, 500, retry, breaker, BUDGET);
    }
}
