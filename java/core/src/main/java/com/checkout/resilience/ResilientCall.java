package com.checkout.resilience;

import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.config.generated.TimeoutConfig.RetrySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * One call to an upstream, step by step (SEMANTICS.md §8). Composition, outermost first:
 * deadline ⊃ retry ⊃ breaker ⊃ attempt timeout. A short hand-written loop: resilience4j was not
 * used because its half-open permits, its jitter (which vanishes at the maximum interval) and its
 * missing clock and random injection all differ from the spec.
 *
 * <p>Thread-safe: one instance per upstream serves every request thread. The breaker and the
 * budget are shared and thread-safe; each call's own state lives on its stack. The injected clock,
 * random source and sleeper must be thread-safe too (for example
 * {@code () -> ThreadLocalRandom.current().nextDouble()}, not a method reference bound to one
 * thread's {@code ThreadLocalRandom}).
 */
public final class ResilientCall {
    private final PaymentSettings settings;
    private final Role role;
    private final CircuitBreaker breaker;
    private final RetryBudget budget;
    private final LongSupplier nowMillis;
    private final DoubleSupplier random;
    private final Sleeper sleeper;

    /**
     * The call loop of one call site.
     *
     * @param settings {@code payment}: timeout_ms, deadline_ms, provider_expected_p99_ms,
     *     min_deadline_ms, answer_margin_ms and retry are used here
     * @param role what this call site may retry
     * @param breaker the upstream's breaker, shared by every call to it
     * @param budget the upstream's retry budget, shared by every call to it
     * @param nowMillis a monotonic clock in ms
     * @param random draws in [0, 1), one per computed backoff delay
     * @param sleeper waits out the backoff delays
     */
    public ResilientCall(PaymentSettings settings, Role role, CircuitBreaker breaker,
            RetryBudget budget, LongSupplier nowMillis, DoubleSupplier random, Sleeper sleeper) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.role = Objects.requireNonNull(role, "role");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.nowMillis = Objects.requireNonNull(nowMillis, "nowMillis");
        this.random = Objects.requireNonNull(random, "random");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Runs a call that did not receive a deadline: it gets {@code now + deadline_ms}.
     *
     * @param <T> what the upstream answers
     * @param attempt runs one attempt, given its timeout and number
     * @param classifier classifies each attempt's end
     * @return how the call ended
     * @throws InterruptedException when the thread is interrupted during an attempt or a sleep
     */
    public <T> CallResult<T> call(Attempt<T> attempt, Classifier<T> classifier)
            throws InterruptedException {
        return call(adapt(attempt), classifier);
    }

    /**
     * Runs a call with an absolute deadline (for example from {@link Deadline#fromHeader}).
     *
     * @param <T> what the upstream answers
     * @param attempt runs one attempt, given its timeout and number
     * @param classifier classifies each attempt's end
     * @param deadlineAtMs the call's deadline on the injected clock
     * @return how the call ended; the breaker and the budget have counted every attempt
     * @throws InterruptedException when the thread is interrupted during an attempt or a sleep
     *     (a running attempt's permit records {@code ignored} first)
     */
    public <T> CallResult<T> call(Attempt<T> attempt, Classifier<T> classifier,
            long deadlineAtMs) throws InterruptedException {
        return call(adapt(attempt), classifier, deadlineAtMs);
    }

    /**
     * Runs a call that did not receive a deadline, each attempt given its whole context.
     *
     * @param <T> what the upstream answers
     * @param attempt runs one attempt; sends {@link AttemptContext#deadlineHeaderMs()}
     * @param classifier classifies each attempt's end
     * @return how the call ended
     * @throws InterruptedException when the thread is interrupted during an attempt or a sleep
     */
    public <T> CallResult<T> call(ContextAttempt<T> attempt, Classifier<T> classifier)
            throws InterruptedException {
        long now = nowMillis.getAsLong();
        return run(attempt, classifier, now + settings.deadlineMs(), now);
    }

    /**
     * Runs a call with an absolute deadline, each attempt given its whole context.
     *
     * @param <T> what the upstream answers
     * @param attempt runs one attempt; sends {@link AttemptContext#deadlineHeaderMs()}
     * @param classifier classifies each attempt's end
     * @param deadlineAtMs the call's deadline on the injected clock
     * @return how the call ended; the breaker and the budget have counted every attempt
     * @throws InterruptedException when the thread is interrupted during an attempt or a sleep
     *     (a running attempt's permit records {@code ignored} first)
     */
    public <T> CallResult<T> call(ContextAttempt<T> attempt, Classifier<T> classifier,
            long deadlineAtMs) throws InterruptedException {
        return run(attempt, classifier, deadlineAtMs, nowMillis.getAsLong());
    }

    private static <T> ContextAttempt<T> adapt(Attempt<T> attempt) {
        Objects.requireNonNull(attempt, "attempt");
        return context -> attempt.run(context.timeoutMs(), context.number());
    }

    /** The loop of §8; {@code startMs} is the clock already read for the first attempt. */
    private <T> CallResult<T> run(ContextAttempt<T> attempt, Classifier<T> classifier,
            long deadlineAtMs, long startMs) throws InterruptedException {
        RetrySettings retry = settings.retry();
        long capMs = Deadline.attemptCapMs(role, settings.timeoutMs(), settings.deadlineMs());
        long marginMs = settings.answerMarginMs();
        long floorMs = settings.minDeadlineMs();
        List<Long> sleeps = new ArrayList<>();
        ResilienceException lastError = null;
        for (int k = 1; ; k++) {
            long now = k == 1 ? startMs : nowMillis.getAsLong();
            long timeout = Deadline.remainingTimeoutMs(now, deadlineAtMs, capMs);
            if (!Deadline.attemptStarts(timeout, marginMs, floorMs)) {
                // An X-Deadline-Ms below min_deadline_ms would be refused by the next hop: the
                // attempt does not start, sends nothing and asks the breaker nothing.
                return failed(new DeadlineExceededException("no time for attempt " + k + " at "
                        + now + " ms with the deadline at " + deadlineAtMs + " ms: " + timeout
                        + " ms left would send " + Deadline.HEADER + " " + (timeout - marginMs)
                        + " (answer_margin_ms " + marginMs + "), below min_deadline_ms "
                        + floorMs, lastError), k - 1, sleeps);
            }
            CircuitBreaker.Permit permit;
            try {
                permit = breaker.allow(now);
            } catch (CircuitOpenException | HalfOpenLimitException rejected) {
                return failed(rejected, k - 1, sleeps);
            }

            AttemptContext context =
                    new AttemptContext(k, timeout, Deadline.headerMs(timeout, marginMs));
            Ended<T> ended = runAttempt(attempt, classifier, permit, context, now, capMs);
            ErrorClass errorClass = ended.errorClass();
            now = ended.endedAtMs();
            permit.record(ended.outcome(), now);
            budget.record(ended.outcome());

            if (errorClass == null || errorClass == ErrorClass.DECLINED) {
                return new CallResult<>(errorClass, ended.answer(), null, k, sleeps);
            }
            lastError = ended.error();
            if (!role.isRetried(errorClass, ended.classification().downstreamRetryable())
                    || k >= retry.maxAttempts()) {
                return new CallResult<>(errorClass, ended.answer(), lastError, k, sleeps);
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
            sleeper.sleep(delay);
            sleeps.add(delay);
        }
    }

    /**
     * How one attempt ended: {@code errorClass} is null for a success; {@code outcome} is what the
     * breaker and the budget count, which for an attempt that ran out of time is the evidence
     * rule's, not its class's.
     */
    private record Ended<T>(Classification classification, ErrorClass errorClass,
            Outcome outcome, T answer, ResilienceException error, long endedAtMs) {
    }

    private <T> Ended<T> runAttempt(ContextAttempt<T> attempt, Classifier<T> classifier,
            CircuitBreaker.Permit permit, AttemptContext context, long startedMs, long capMs)
            throws InterruptedException {
        T answer = null;
        Exception failure = null;
        Classification classification = null;
        try {
            try {
                answer = attempt.run(context);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                failure = e;
            }
            classification = Objects.requireNonNull(failure == null
                    ? classifier.classify(answer) : classifier.classifyFailure(failure),
                    "the classifier returned null");
        } finally {
            if (classification == null) {
                // Interrupted, or a bug in the classifier: the trial proved nothing, and a
                // half-open slot must not leak.
                permit.record(Outcome.IGNORED, nowMillis.getAsLong());
            }
        }
        long endedMs = nowMillis.getAsLong();
        int k = context.number();
        long timeout = context.timeoutMs();
        if (classification.isSuccess()) {
            return new Ended<>(classification, null, Outcome.SUCCESS, answer, null, endedMs);
        }
        ErrorClass errorClass = classification.errorClass().orElseThrow();
        // Classes the table gives no breaker outcome (database classes, INTERNAL) say nothing
        // about this upstream's health.
        Outcome outcome = errorClass.breaker().orElse(Outcome.IGNORED);
        if (errorClass == ErrorClass.DECLINED) {
            return new Ended<>(classification, errorClass, outcome, answer, null, endedMs);
        }
        boolean ranOut = errorClass == ErrorClass.TIMEOUT
                && (classification.timedOut() || endedMs - startedMs >= timeout);
        if (ranOut) {
            // §5's evidence rule: no answer in time is evidence against the upstream only if it
            // had the time it is expected to need; a shorter attempt, cut by a caller's deadline,
            // proves nothing (so a caller's short deadline cannot open the shared breaker).
            long evidenceMs = Math.min(settings.timeoutMs(), settings.providerExpectedP99Ms());
            outcome = timeout >= evidenceMs ? Outcome.FAILURE : Outcome.IGNORED;
            if (timeout < capMs) {
                // The deadline cut this attempt and it ran out: the call's time is up.
                return new Ended<>(classification, ErrorClass.DEADLINE_EXCEEDED, outcome, answer,
                        new DeadlineExceededException("attempt " + k + " got no answer within "
                                + timeout + " ms, its timeout cut by the deadline", failure),
                        endedMs);
            }
        }
        return new Ended<>(classification, errorClass, outcome, answer,
                new ResilienceException(errorClass, "attempt " + k + " ended " + classification
                        + (ranOut ? " after " + timeout + " ms" : ""), false, failure),
                endedMs);
    }

    private static <T> CallResult<T> failed(ResilienceException error, int attempts,
            List<Long> sleeps) {
        return new CallResult<>(error.errorClass(), null, error, attempts, sleeps);
    }

    /**
     * The upstream's breaker, for health and metrics.
     *
     * @return the shared breaker
     */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * The upstream's retry budget, for health and metrics.
     *
     * @return the shared budget
     */
    public RetryBudget budget() {
        return budget;
    }
}
