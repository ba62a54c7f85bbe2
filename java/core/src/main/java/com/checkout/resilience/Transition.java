package com.checkout.resilience;

/**
 * A state change of a circuit breaker, emitted by its one transition door.
 *
 * @param from the state left
 * @param to the state entered
 * @param generation the breaker's generation after the change (the first transition is 1)
 * @param atMs the clock reading of the call that caused the change
 */
public record Transition(BreakerState from, BreakerState to, long generation, long atMs) {
}
