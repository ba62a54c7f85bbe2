package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.BulkheadSettings;
import com.checkout.config.generated.TimeoutConfig.CircuitBreakerSettings;
import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.config.generated.TimeoutConfig.RetryBudgetSettings;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * What a service holds per upstream it calls (SEMANTICS.md §11): for each {@link Operation} one
 * {@link ResilientCall} with its own policy, breaker, retry budget and bulkhead, all built from the
 * config's {@code payment} section — so a storm of failing lookups opens only the lookup breaker
 * and spends only the lookup budget, and a charge is never refused because lookups failed.
 *
 * <p>Thread-safe. The calls in force are published as one immutable map through an
 * {@link AtomicReference}: a call takes its {@code ResilientCall} once (from {@link #charge()},
 * {@link #lookup()} or {@link #operation}) and finishes with that policy whatever a
 * {@link #reconfigure} does meanwhile; reconfigures are serialised.
 *
 * @param <T> what the upstream answers
 */
public final class Upstream<T> {
    private final Role role;
    private final Map<Operation, Classifier<T>> classifiers = new EnumMap<>(Operation.class);
    private final Map<Operation, Bulkhead> bulkheads = new EnumMap<>(Operation.class);
    private final LongSupplier clock;
    private final DoubleSupplier random;
    private final Sleeper sleep;
    private final BiConsumer<Operation, Transition> onTransition;
    private final AtomicReference<Map<Operation, ResilientCall<T>>> calls = new AtomicReference<>();
    // The settings the calls in force were built from; guarded by this.
    private PaymentSettings payment;

    /**
     * One operation's share of {@code payment}: what its call, breaker, budget and bulkhead read
     * (the same {@code OperationPolicy} as Python's and TypeScript's).
     */
    private record OperationPolicy(CallSettings settings, CircuitBreakerSettings circuitBreaker,
            RetryBudgetSettings retryBudget, BulkheadSettings bulkhead) {
        static OperationPolicy of(PaymentSettings payment, Operation operation) {
            return switch (operation) {
                case CHARGE -> new OperationPolicy(CallSettings.charge(payment),
                        payment.circuitBreaker(),
                        payment.retryBudget(), payment.bulkhead());
                case LOOKUP -> new OperationPolicy(CallSettings.lookup(payment),
                        payment.lookup().circuitBreaker(), payment.lookup().retryBudget(),
                        payment.lookup().bulkhead());
            };
        }
    }

    /**
     * An upstream whose breaker transitions are not observed.
     *
     * @param payment the config's {@code payment}, the lookup's policy included
     * @param role what this service's call sites may retry
     * @param chargeClassifier classifies each charge attempt's end
     * @param lookupClassifier classifies each lookup attempt's end
     * @param clock a monotonic clock in ms
     * @param random draws in [0, 1), thread-safe
     * @param sleep waits out the backoff delays
     */
    public Upstream(PaymentSettings payment, Role role, Classifier<T> chargeClassifier,
            Classifier<T> lookupClassifier, LongSupplier clock, DoubleSupplier random,
            Sleeper sleep) {
        this(payment, role, chargeClassifier, lookupClassifier, clock, random, sleep,
                (operation, transition) -> { });
    }

    /**
     * An upstream with a closed breaker (generation 0), a full budget and an empty bulkhead per
     * operation.
     *
     * @param payment the config's {@code payment}, the lookup's policy included
     * @param role what this service's call sites may retry
     * @param chargeClassifier classifies each charge attempt's end
     * @param lookupClassifier classifies each lookup attempt's end
     * @param clock a monotonic clock in ms
     * @param random draws in [0, 1), thread-safe
     * @param sleep waits out the backoff delays
     * @param onTransition receives every transition of either breaker with its operation, under
     *     that breaker's lock (for logs and metrics: short, never blocking)
     */
    public Upstream(PaymentSettings payment, Role role, Classifier<T> chargeClassifier,
            Classifier<T> lookupClassifier, LongSupplier clock, DoubleSupplier random,
            Sleeper sleep, BiConsumer<Operation, Transition> onTransition) {
        this.role = Objects.requireNonNull(role, "role");
        classifiers.put(Operation.CHARGE,
                Objects.requireNonNull(chargeClassifier, "chargeClassifier"));
        classifiers.put(Operation.LOOKUP,
                Objects.requireNonNull(lookupClassifier, "lookupClassifier"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.sleep = Objects.requireNonNull(sleep, "sleep");
        this.onTransition = Objects.requireNonNull(onTransition, "onTransition");
        synchronized (this) {
            Map<Operation, ResilientCall<T>> built = new EnumMap<>(Operation.class);
            for (Operation operation : Operation.values()) {
                OperationPolicy policy =
                        OperationPolicy.of(Objects.requireNonNull(payment, "payment"), operation);
                Bulkhead bulkhead = new Bulkhead(policy.bulkhead());
                bulkheads.put(operation, bulkhead);
                built.put(operation, call(operation, policy, breaker(operation, policy),
                        new RetryBudget(policy.retryBudget()), bulkhead));
            }
            this.payment = payment;
            calls.set(Collections.unmodifiableMap(built));
        }
    }

    /**
     * The charge's loop in force.
     *
     * @return the call to run a charge with; take it once per call
     */
    public ResilientCall<T> charge() {
        return operation(Operation.CHARGE);
    }

    /**
     * The lookup's loop in force.
     *
     * @return the call to run a lookup with; take it once per call
     */
    public ResilientCall<T> lookup() {
        return operation(Operation.LOOKUP);
    }

    /**
     * An operation's loop in force.
     *
     * @param operation which one
     * @return the call to run it with; take it once per call
     */
    public ResilientCall<T> operation(Operation operation) {
        return calls.get().get(Objects.requireNonNull(operation, "operation"));
    }

    /**
     * Puts a reloaded {@code payment} in force, per operation (SEMANTICS.md §11): a breaker whose
     * {@code circuit_breaker} settings are unchanged is kept, state and generation included (an
     * open breaker stays open), one whose settings changed is replaced by a new closed one; the
     * same for the budget and {@code retry_budget} (a new one starts full); the bulkhead is
     * resized in place. The new loops are published together; calls already running finish with
     * the loop they started with.
     *
     * @param next the new {@code payment}, the lookup's policy included
     */
    public synchronized void reconfigure(PaymentSettings next) {
        Objects.requireNonNull(next, "next");
        Map<Operation, ResilientCall<T>> previous = calls.get();
        Map<Operation, ResilientCall<T>> built = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            OperationPolicy before = OperationPolicy.of(payment, operation);
            OperationPolicy after = OperationPolicy.of(next, operation);
            ResilientCall<T> old = previous.get(operation);
            CircuitBreaker breaker = Objects.equals(before.circuitBreaker(), after.circuitBreaker())
                    ? old.breaker() : breaker(operation, after);
            RetryBudget budget = Objects.equals(before.retryBudget(), after.retryBudget())
                    ? old.budget() : new RetryBudget(after.retryBudget());
            Bulkhead bulkhead = bulkheads.get(operation);
            built.put(operation, call(operation, after, breaker, budget, bulkhead));
        }
        // Resized only once every new loop is built: settings missing a part throw above, having
        // changed nothing.
        for (Operation operation : Operation.values()) {
            bulkheads.get(operation).resize(OperationPolicy.of(next, operation).bulkhead());
        }
        payment = next;
        calls.set(Collections.unmodifiableMap(built));
    }

    private CircuitBreaker breaker(Operation operation, OperationPolicy policy) {
        return new CircuitBreaker(policy.circuitBreaker(),
                transition -> onTransition.accept(operation, transition));
    }

    private ResilientCall<T> call(Operation operation, OperationPolicy policy,
            CircuitBreaker breaker, RetryBudget budget, Bulkhead bulkhead) {
        return new ResilientCall<>(policy.settings(), role, breaker, budget, bulkhead,
                classifiers.get(operation), clock, random, sleep);
    }
}
