package com.checkout.payment.runtime;

import com.checkout.config.LoadedConfig;
import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.resilience.CircuitBreaker;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.RetryBudget;
import com.checkout.resilience.Role;
import com.checkout.resilience.Sleeper;
import com.checkout.resilience.Transition;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Holds the one {@link Snapshot} in force in an AtomicReference and builds the next one on a
 * reload: a new breaker or budget only when their settings changed, so a reload of an unrelated
 * field keeps an open breaker open.
 */
public final class Settings {
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final LongSupplier nowMillis;
    private final DoubleSupplier random;
    private final Sleeper sleeper;
    private final Consumer<Transition> onTransition;
    private final Clock wallClock;

    /**
     * Settings built from a first config.
     *
     * @param initial the config loaded at start
     * @param nowMillis the kernel's monotonic clock in ms
     * @param random the kernel's draws in [0, 1), thread-safe
     * @param sleeper waits out backoff delays
     * @param onTransition receives every breaker transition (logs, metrics)
     * @param wallClock stamps {@code loaded_at}
     */
    public Settings(LoadedConfig initial, LongSupplier nowMillis, DoubleSupplier random,
            Sleeper sleeper, Consumer<Transition> onTransition, Clock wallClock) {
        this.nowMillis = nowMillis;
        this.random = random;
        this.sleeper = sleeper;
        this.onTransition = onTransition;
        this.wallClock = wallClock;
        PaymentSettings payment = initial.settings().payment();
        current.set(new Snapshot(initial, wallClock.instant(), call(payment,
                new CircuitBreaker(payment.circuitBreaker(), onTransition),
                new RetryBudget(payment.retryBudget()))));
    }

    /**
     * The snapshot in force.
     *
     * @return it; take it once per request
     */
    public Snapshot current() {
        return current.get();
    }

    /**
     * Puts a new config in force, keeping the breaker and the budget whose settings did not
     * change.
     *
     * @param next the new config
     * @return the snapshot now in force
     */
    public synchronized Snapshot replace(LoadedConfig next) {
        Snapshot previous = current.get();
        PaymentSettings before = previous.config().settings().payment();
        PaymentSettings after = next.settings().payment();
        CircuitBreaker breaker = Objects.equals(before.circuitBreaker(), after.circuitBreaker())
                ? previous.breaker() : new CircuitBreaker(after.circuitBreaker(), onTransition);
        RetryBudget budget = Objects.equals(before.retryBudget(), after.retryBudget())
                ? previous.budget() : new RetryBudget(after.retryBudget());
        Snapshot snapshot = new Snapshot(next, wallClock.instant(), call(after, breaker, budget));
        current.set(snapshot);
        return snapshot;
    }

    private ResilientCall call(PaymentSettings payment, CircuitBreaker breaker, RetryBudget budget) {
        return new ResilientCall(payment, Role.ORIGIN, breaker, budget, nowMillis, random, sleeper);
    }
}
