package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.RetrySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * One call to an upstream, step by step (SEMANTICS.md §8). Composition, outermost first:
 * deadline ⊃ retry ⊃ bulkhead ⊃ breaker ⊃ attempt timeout. A short hand-written loop:
 * resilience4j was not used because its half-open permits, its jitter (which vanishes at the
 * maximum interval) and its missing clock and random injection all differ from the spec.
 *
 * <p>Built once per operation of an upstream ({@link Upstream}), with that operation's policy and
 * classifier. Thread-safe: one instance serves every request thread. The breaker, the budget and
 * the bulkhead are shared and thread-safe; each call's own state lives on its stack. The injected
 * clock, random source and sleeper must be thread-safe too (for example
 * {@code () -> ThreadLocalRandom.current().nextDouble()}, not a method reference bound to one
 * thread's {@code ThreadLocalRandom}).
 *
 * @param <T> what the upstream answers
 */
public final class ResilientCall<T> {
    private final CallSettings settings;
    private final Role role;
    private final CircuitBreaker breaker;
    private final RetryBudget budget;
    private final Bulkhead bulkhead;
    private final Classifier<T> classifier;
    private final LongSupplier clock;
    private final DoubleSupplier random;
    private final Sleeper sleep;

    /**
     * The call loop of one operation of an upstream.
     *
     * @param settings the operation's timeouts, floor, margin and backoff
     * @param role what this call site may retry
     * @param breaker the operation's breaker, shared by every call of it
     * @param budget the operation's retry budget, shared by every call of it
     * @param bulkhead the operation's concurrency limit, shared by every call of it
     * @param classifier classifies each attempt's end
     * @param clock a monotonic clock in ms
     * @param random draws in [0, 1), one per computed backoff delay
     * @param sleep waits out the backoff delays
     */
    public ResilientCall(CallSettings settings, Role role, CircuitBreaker breaker,
            RetryBudget budget, Bulkhead bulkhead, Classifier<T> classifier, LongSupplier clock,
            DoubleSupplier random, Sleeper sleep) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.role = Objects.requireNonNull(role, "role");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.sleep = Objects.requireNonNull(sleep, "sleep");
    }

    /**
     * Runs a call that did not receive a deadline: it gets {@code now + deadline_ms}.
     *
     * @param attempt runs one attempt; sends {@link AttemptContext#deadlineHeaderMs()}
     * @return how the call ended
     * @throws InterruptedException when the thread is interrupted during an attempt or a sleep
     */
    public CallResult<T> call(Attempt<T> attempt) throws InterruptedException {
        long now = clock.getAsLong();
        return run(attempt, now + settings.deadlineMs(), now);
    }

    /**
     * Runs a call with an absolute deadline (for example from {@link Deadline#fromHeader}).
     *
     * @param attempt runs one attempt; sends {@link AttemptContext#deadlineHeaderMs()}
     * @param deadlineAtMs the call's deadline on the injected clock
     * @return how the call ended; the breaker and the budget have counted every attempt
     * @throws InterruptedException when the thread is interrupted during an attempt or a sleep
     *     (a running attempt's slot is released and its permit records {@code ignored} first)
     */
    public CallResult<T> call(Attempt<T> attempt, long deadlineAtMs) throws InterruptedException {
        return run(attempt, deadlineAtMs, clock.getAsLong());
    }

    /** The loop of §8; {@code startMs} is the clock already read for the first attempt. */
    private CallResult<T> run(Attempt<T> attempt, long deadlineAtMs, long startMs)
            throws InterruptedException {
        Objects.requireNonNull(attempt, "attempt");
        RetrySettings retry = settings.retry();
        long capMs = Deadline.attemptCapMs(role, settings.timeoutMs(), settings.deadlineMs());
        long marginMs = settings.answerMarginMs();
        long floorMs = settings.minDeadlineMs();
        List<Long> sleeps = new ArrayList<>();
        ResilienceException lastError = null;
        for (int k = 1; ; k++) {
            long now = k == 1 ? startMs : clock.getAsLong();
            // Step 1: an X-Deadline-Ms below min_deadline_ms would be refused by the next hop, so
            // the attempt does not start, sends nothing and takes no slot and no permit.
            long timeout = Deadline.remainingTimeoutMs(now, deadlineAtMs, capMs);
            if (!Deadline.attemptStarts(timeout, marginMs, floorMs)) {
                return failed(new DeadlineExceededException("no time for attempt " + k + " at "
                        + now + " ms with the deadline at " + deadlineAtMs + " ms: " + timeout
                        + " ms left would send " + Deadline.HEADER + " " + (timeout - marginMs)
                        + " (answer_margin_ms " + marginMs + "), below min_deadline_ms "
                        + floorMs, lastError), k - 1, sleeps);
            }
            // Step 2, before the breaker: a full bulkhead says nothing about the upstream and
            // must not take a half-open trial slot.
            BulkheadSlot slot = bulkhead.tryAcquire();
            if (slot == null) {
                return failed(new BulkheadFullException(bulkhead.maxConcurrent(), lastError),
                        k - 1, sleeps);
            }
            // Step 3: a rejection (or a transition callback that threw) gives the slot back.
            CircuitBreaker.Permit permit;
            try {
                permit = breaker.allow(now);
            } catch (CircuitOpenException | HalfOpenLimitException rejected) {
                slot.release();
                return failed(rejected, k - 1, sleeps);
            } catch (RuntimeException | Error e) {
                slot.release();
                throw e;
            }

            AttemptContext context =
                    new AttemptContext(k, timeout, Deadline.headerMs(timeout, marginMs));
            Ended<T> ended = runAttempt(attempt, slot, permit, context, now, capMs);
            ErrorClass errorClass = ended.errorClass();
            now = ended.endedAtMs();
            permit.record(ended.outcome(), now);
            budget.record(ended.outcome());

            if (errorClass == null || errorClass == ErrorClass.DECLINED) {
                return new CallResult<>(errorClass, ended.value(), null, k, sleeps);
            }
            lastError = ended.error();
            if (!role.isRetried(errorClass, ended.verdict().downstreamAllowsRetry())
                    || k >= retry.maxAttempts()) {
                return new CallResult<>(errorClass, ended.value(), lastError, k, sleeps);
            }
            if (!budget.allowRetry()) {
                return failed(new RetryBudgetExhaustedException(budget.tokensMilli(),
                        budget.maxMilli(), lastError), k, sleeps);
            }
            long delay = Backoff.delayMs(k, retry, random.getAsDouble());
            if (!Deadline.sleepAllowed(now, delay, deadlineAtMs, capMs, marginMs, floorMs)) {
                // No sleep whose following attempt could not start.
                return failed(new DeadlineExceededException("a backoff of " + delay
                        + " ms from " + now + " ms would leave no attempt that may start before"
                        + " the deadline at " + deadlineAtMs + " ms (answer_margin_ms " + marginMs
                        + ", min_deadline_ms " + floorMs + ")", lastError), k, sleeps);
            }
            // The slot was released when the attempt ended: a sleep holds none.
            sleep.sleep(delay);
            sleeps.add(delay);
        }
    }

    /**
     * How one attempt ended: {@code errorClass} is null for a success; {@code outcome} is what the
     * breaker and the budget count, which for an attempt that ran out of time is the evidence
     * rule's, not its class's.
     */
    private record Ended<T>(AttemptVerdict verdict, ErrorClass errorClass, Outcome outcome,
            T value, ResilienceException error, long endedAtMs) {
    }

    private Ended<T> runAttempt(Attempt<T> attempt, BulkheadSlot slot,
            CircuitBreaker.Permit permit, AttemptContext context, long startedMs, long capMs)
            throws InterruptedException {
        T value = null;
        Exception failure = null;
        AttemptVerdict verdict = null;
        try {
            try {
                value = attempt.run(context);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failure = e;
            }
            verdict = failure == null ? classifier.classifyResult(value)
                    : classifier.classifyError(failure);
        } finally {
            // Step 4: the slot goes back before any backoff sleep, whatever happened.
            slot.release();
            if (verdict == null) {
                // Interrupted, or no verdict (a bug in the attempt or the classifier): the trial
                // proved nothing, and a half-open slot must not leak.
                permit.record(Outcome.IGNORED, clock.getAsLong());
            }
        }
        if (verdict == null) {
            throw noVerdict(value, failure);
        }
        return ended(verdict, value, failure, context, startedMs, capMs);
    }

    private static RuntimeException noVerdict(Object value, Exception failure) {
        if (failure == null) {
            return new IllegalStateException("the classifier returned no verdict for " + value);
        }
        // The error was no outcome of the attempt but a bug: it is the caller's, as thrown.
        return failure instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("the classifier returned no verdict for " + failure,
                        failure);
    }

    private Ended<T> ended(AttemptVerdict verdict, T value, Exception failure,
            AttemptContext context, long startedMs, long capMs) {
        long endedMs = clock.getAsLong();
        int k = context.number();
        long timeout = context.timeoutMs();
        if (verdict.isSuccess()) {
            return new Ended<>(verdict, null, Outcome.SUCCESS, value, null, endedMs);
        }
        ErrorClass errorClass = verdict.errorClass().orElseThrow();
        // Classes the table gives no breaker outcome (database classes, INTERNAL) say nothing
        // about this upstream's health.
        Outcome outcome = errorClass.breaker().orElse(Outcome.IGNORED);
        if (errorClass == ErrorClass.DECLINED) {
            return new Ended<>(verdict, errorClass, outcome, value, null, endedMs);
        }
        boolean ranOut = errorClass == ErrorClass.TIMEOUT
                && (verdict.timedOut() || endedMs - startedMs >= timeout);
        if (ranOut) {
            // §5's evidence rule: no answer in time is evidence against the upstream only if it
            // had the time it is expected to need; a shorter attempt, cut by a caller's deadline,
            // proves nothing (so a caller's short deadline cannot open the shared breaker).
            long evidenceMs = Math.min(settings.timeoutMs(), settings.providerExpectedP99Ms());
            outcome = timeout >= evidenceMs ? Outcome.FAILURE : Outcome.IGNORED;
            if (timeout < capMs) {
                // The deadline cut this attempt and it ran out: the call's time is up.
                return new Ended<>(verdict, ErrorClass.DEADLINE_EXCEEDED, outcome, value,
                        new DeadlineExceededException("attempt " + k + " got no answer within "
                                + timeout + " ms, its timeout cut by the deadline", failure),
                        endedMs);
            }
        }
        return new Ended<>(verdict, errorClass, outcome, value,
                new ResilienceException(errorClass, "attempt " + k + " ended " + verdict
                        + (ranOut ? " after " + timeout + " ms" : ""), failure),
                endedMs);
    }

    private static <T> CallResult<T> failed(ResilienceException error, int attempts,
            List<Long> sleeps) {
        return new CallResult<>(error.errorClass(), null, error, attempts, sleeps);
    }

    /**
     * The settings this loop runs with.
     *
     * @return the operation's call settings
     */
    public CallSettings settings() {
        return settings;
    }

    /**
     * The operation's breaker, for health and metrics.
     *
     * @return the shared breaker
     */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * The operation's retry budget, for health and metrics.
     *
     * @return the shared budget
     */
    public RetryBudget budget() {
        return budget;
    }

    /**
     * The operation's bulkhead, for metrics.
     *
     * @return the shared bulkhead
     */
    public Bulkhead bulkhead() {
        return bulkhead;
    }
}
