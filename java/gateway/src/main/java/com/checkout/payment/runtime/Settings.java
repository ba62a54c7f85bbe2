package com.checkout.payment.runtime;

import com.checkout.config.LoadedConfig;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.payment.provider.ProviderClassifier;
import com.checkout.resilience.Operation;
import com.checkout.resilience.Role;
import com.checkout.resilience.Sleeper;
import com.checkout.resilience.Transition;
import com.checkout.resilience.Upstream;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Holds the one {@link Snapshot} in force in an AtomicReference, and the provider's
 * {@link Upstream}: the charge's and the lookup's policies, breakers, budgets and bulkheads, which
 * a reload reconfigures in place (SEMANTICS.md §11) — a breaker or budget whose settings did not
 * change is kept, so a reload of an unrelated field keeps an open breaker open.
 */
public final class Settings {
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final Upstream<ProviderAnswer> upstream;
    private final Clock wallClock;

    /**
     * Settings built from a first config.
     *
     * @param initial the config loaded at start
     * @param nowMillis the kernel's monotonic clock in ms
     * @param random the kernel's draws in [0, 1), thread-safe
     * @param sleeper waits out backoff delays
     * @param onTransition receives every breaker transition with its operation (logs, metrics)
     * @param wallClock stamps {@code loaded_at}
     */
    public Settings(LoadedConfig initial, LongSupplier nowMillis, DoubleSupplier random,
            Sleeper sleeper, BiConsumer<Operation, Transition> onTransition, Clock wallClock) {
        this.wallClock = wallClock;
        // The gateway does the work itself (role origin); each operation's classifier is bound here.
        this.upstream = new Upstream<>(initial.settings().payment(), Role.ORIGIN,
                ProviderClassifier.CHARGE, ProviderClassifier.LOOKUP, nowMillis, random, sleeper,
                onTransition);
        current.set(new Snapshot(initial, wallClock.instant()));
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
     * The payment provider, one call loop per operation.
     *
     * @return the upstream, the same object for the gateway's lifetime
     */
    public Upstream<ProviderAnswer> upstream() {
        return upstream;
    }

    /**
     * Puts a new config in force: the upstream is reconfigured (keeping each breaker and budget
     * whose settings did not change, resizing each bulkhead in place), then the snapshot swapped.
     *
     * @param next the new config
     * @return the snapshot now in force
     */
    public synchronized Snapshot replace(LoadedConfig next) {
        upstream.reconfigure(next.settings().payment());
        Snapshot snapshot = new Snapshot(next, wallClock.instant());
        current.set(snapshot);
        return snapshot;
    }
}
