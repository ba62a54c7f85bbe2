/**
 * The resilience kernel of config/SEMANTICS.md: backoff, circuit breaker, retry budget, bulkhead,
 * deadlines, the error taxonomy, the call loop that composes them ({@link
 * com.checkout.resilience.ResilientCall}) and the {@link com.checkout.resilience.Upstream} that
 * holds one loop per operation — pure, with the clock, the random source and the sleep injected,
 * and thread-safe so one breaker, budget and bulkhead per operation of an upstream can be shared
 * by every request thread.
 *
 * <p>The same design, under the same names, exists in Python ({@code checkout_payments.resilience})
 * and TypeScript ({@code @checkout/core} {@code src/resilience/}); the vectors in
 * {@code tests/contracts/} prove the three compute the same numbers. The loop is hand-written
 * rather than built on resilience4j: its half-open state counts permitted calls differently, its
 * jitter vanishes once the interval reaches the cap, and neither its clock nor its random source
 * can be injected.
 */
package com.checkout.resilience;
