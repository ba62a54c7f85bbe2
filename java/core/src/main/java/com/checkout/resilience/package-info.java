/**
 * The resilience kernel of config/SEMANTICS.md: backoff, circuit breaker, retry budget, deadlines,
 * the error taxonomy and the call loop that composes them — pure, with the clock, the random
 * source and the sleep injected, and thread-safe so one breaker and one budget per upstream can be
 * shared by every request thread.
 *
 * <p>The same design exists in Python ({@code checkout_payments.resilience}) and TypeScript
 * ({@code @checkout/core} {@code src/resilience/}); the vectors in {@code tests/contracts/} prove
 * the three compute the same numbers. The loop is hand-written rather than built on resilience4j:
 * its half-open state counts permitted calls differently, its jitter vanishes once the interval
 * reaches the cap, and neither its clock nor its random source can be injected.
 */
package com.checkout.resilience;
