package com.checkout.payment.runtime;

import com.checkout.config.LoadedConfig;
import com.checkout.resilience.CircuitBreaker;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.RetryBudget;
import java.time.Instant;

/**
 * The settings in force and what is built from them, swapped as one: a call takes the snapshot
 * once and finishes on it, whatever a reload does meanwhile.
 *
 * @param config the loaded config
 * @param loadedAt when it was loaded
 * @param call the provider's call loop, holding the provider's one breaker and one budget
 */
public record Snapshot(LoadedConfig config, Instant loadedAt, ResilientCall call) {

    /**
     * The provider's breaker.
     *
     * @return the breaker of this snapshot
     */
    public CircuitBreaker breaker() {
        return call.breaker();
    }

    /**
     * The provider's retry budget.
     *
     * @return the budget of this snapshot
     */
    public RetryBudget budget() {
        return call.budget();
    }
}
