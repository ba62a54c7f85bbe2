package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.CircuitBreakerSettings;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The circuit breaker of SEMANTICS.md §3. Time is a parameter: nothing runs on a timer and the
 * clock is never read here; state changes only when {@link #allow} or {@link Permit#record} is
 * called. Every transition goes through one door, which bumps the generation and emits the event;
 * a permit remembers its generation, so a late result from an earlier generation is dropped.
 *
 * <p>Thread-safe: one breaker per upstream is shared by every request thread. State lives in
 * immutable per-state records swapped under one lock. The transition callback runs under that lock,
 * so events arrive in the order the transitions happened; it must be short and must not block. If
 * it throws, the transition has already happened and the exception reaches the caller of
 * {@code allow} or {@code record}.
 */
public final class CircuitBreaker {
    private final CircuitBreakerSettings settings;
    private final Consumer<Transition> onTransition;
    private final Object lock = new Object();
    private StateData state = new Closed(0); // guarded by lock
    private long generation; // guarded by lock

    /** The data each state has, and nothing else: no opened_at outside OPEN, no counts outside. */
    private sealed interface StateData permits Closed, Open, HalfOpen {
        BreakerState name();
    }

    private record Closed(long consecutiveFailures) implements StateData {
        @Override
        public BreakerState name() {
            return BreakerState.CLOSED;
        }
    }

    private record Open(long openedAt) implements StateData {
        @Override
        public BreakerState name() {
            return BreakerState.OPEN;
        }
    }

    private record HalfOpen(long admitted, long successes) implements StateData {
        @Override
        public BreakerState name() {
            return BreakerState.HALF_OPEN;
        }
    }

    /**
     * A closed breaker in generation 0 whose transitions are not observed.
     *
     * @param settings {@code payment.circuit_breaker}
     */
    public CircuitBreaker(CircuitBreakerSettings settings) {
        this(settings, transition -> { });
    }

    /**
     * A closed breaker in generation 0.
     *
     * @param settings {@code payment.circuit_breaker}; when {@code enabled} is false the breaker
     *     admits everything, records nothing and stays closed
     * @param onTransition receives every transition, under the breaker's lock (for logs and
     *     metrics)
     */
    public CircuitBreaker(CircuitBreakerSettings settings, Consumer<Transition> onTransition) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.onTransition = Objects.requireNonNull(onTransition, "onTransition");
    }

    /**
     * Asks to call the upstream. An open breaker whose recovery timeout has passed turns
     * half-open here and admits the first trial.
     *
     * @param now the clock, in ms
     * @return a permit on which to record the attempt's outcome
     * @throws CircuitOpenException while open, with the time left until recovery
     * @throws HalfOpenLimitException while half-open with every trial slot taken
     */
    public Permit allow(long now) {
        if (!settings.enabled()) {
            return new Permit(this, 0);
        }
        synchronized (lock) {
            if (state instanceof Open open) {
                long elapsed = now - open.openedAt();
                if (elapsed < settings.recoveryTimeoutMs()) {
                    throw new CircuitOpenException(settings.recoveryTimeoutMs() - elapsed);
                }
                transition(BreakerState.HALF_OPEN, now);
            }
            if (state instanceof HalfOpen halfOpen) {
                if (halfOpen.admitted() >= settings.halfOpenMaxCalls()) {
                    throw new HalfOpenLimitException(settings.halfOpenMaxCalls());
                }
                state = new HalfOpen(halfOpen.admitted() + 1, halfOpen.successes());
            }
            return new Permit(this, generation);
        }
    }

    /**
     * The state now, as stored: an open breaker due for recovery stays open until asked.
     *
     * @return the state; always {@link BreakerState#CLOSED} when the breaker is disabled
     */
    public BreakerState state() {
        synchronized (lock) {
            return state.name();
        }
    }

    /**
     * How many transitions have happened.
     *
     * @return the generation, 0 for a new breaker
     */
    public long generation() {
        synchronized (lock) {
            return generation;
        }
    }

    private boolean record(Permit permit, Outcome outcome, long now) {
        Objects.requireNonNull(outcome, "outcome");
        if (!settings.enabled()) {
            return false;
        }
        synchronized (lock) {
            if (permit.recorded) {
                return false;
            }
            permit.recorded = true;
            if (permit.generation != generation) {
                return false;
            }
            if (state instanceof Closed closed) {
                recordClosed(closed, outcome, now);
            } else if (state instanceof HalfOpen halfOpen) {
                recordHalfOpen(halfOpen, outcome, now);
            } else {
                throw new IllegalStateException("a current permit exists in state " + state);
            }
            return true;
        }
    }

    private void recordClosed(Closed closed, Outcome outcome, long now) {
        switch (outcome) {
            case SUCCESS -> state = new Closed(0);
            case FAILURE -> {
                long failures = closed.consecutiveFailures() + 1;
                if (failures >= settings.failureThreshold()) {
                    transition(BreakerState.OPEN, now);
                } else {
                    state = new Closed(failures);
                }
            }
            case IGNORED -> { }
            default -> throw new IllegalArgumentException("outcome is " + outcome);
        }
    }

    private void recordHalfOpen(HalfOpen halfOpen, Outcome outcome, long now) {
        switch (outcome) {
            case SUCCESS -> {
                long successes = halfOpen.successes() + 1;
                if (successes >= settings.halfOpenMaxCalls()) {
                    transition(BreakerState.CLOSED, now);
                } else {
                    state = new HalfOpen(halfOpen.admitted(), successes);
                }
            }
            case FAILURE -> transition(BreakerState.OPEN, now);
            // The trial proved nothing, so its slot is returned: otherwise a half-open breaker
            // whose trials are all declined would never close.
            case IGNORED -> state = new HalfOpen(halfOpen.admitted() - 1, halfOpen.successes());
            default -> throw new IllegalArgumentException("outcome is " + outcome);
        }
    }

    /** The one door: fresh state data, the next generation, the event. Caller holds the lock. */
    private void transition(BreakerState to, long now) {
        BreakerState from = state.name();
        state = switch (to) {
            case CLOSED -> new Closed(0);
            case OPEN -> new Open(now);
            case HALF_OPEN -> new HalfOpen(0, 0);
        };
        generation++;
        onTransition.accept(new Transition(from, to, generation, now));
    }

    /**
     * Permission for one attempt, granted in one generation of one breaker. Record its outcome
     * exactly once; from any thread.
     */
    public static final class Permit {
        private final CircuitBreaker breaker;
        private final long generation;
        private boolean recorded; // guarded by breaker.lock

        private Permit(CircuitBreaker breaker, long generation) {
            this.breaker = breaker;
            this.generation = generation;
        }

        /**
         * Records the outcome of the attempt this permit admitted.
         *
         * @param outcome the breaker outcome of how the attempt ended (§6)
         * @param now the clock, in ms
         * @return whether it was applied: false when the permit already recorded, its
         *     generation is over (a stale result), or the breaker is disabled
         */
        public boolean record(Outcome outcome, long now) {
            return breaker.record(this, outcome, now);
        }

        /**
         * The generation the permit was granted in, for logs.
         *
         * @return the breaker's generation at {@code allow}
         */
        public long generation() {
            return generation;
        }
    }
}
