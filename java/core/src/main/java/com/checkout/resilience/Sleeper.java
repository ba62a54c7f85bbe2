package com.checkout.resilience;

/** Waits out a backoff delay; injected so tests advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    /** Sleeps on the calling thread. */
    Sleeper THREAD = Thread::sleep;

    /**
     * Waits.
     *
     * @param delayMs the backoff delay
     * @throws InterruptedException when the thread is interrupted; the call then stops
     */
    void sleep(long delayMs) throws InterruptedException;
}
