package com.checkout.payment;

import com.checkout.payment.api.PaymentRequest;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.observability.LatencyWindow;
import com.checkout.payment.provider.AttemptEnd;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.payment.provider.ProviderClassifier;
import com.checkout.payment.provider.ProviderClient;
import com.checkout.resilience.Attempt;
import com.checkout.resilience.AttemptVerdict;
import com.checkout.resilience.CallResult;
import com.checkout.resilience.ErrorClass;
import com.checkout.resilience.Operation;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.Upstream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's two operations, each through its own loop of the provider's {@link Upstream}
 * (SEMANTICS.md §11): charges through {@code upstream.charge()}, lookups (status queries,
 * reconciliation, recovery) through {@code upstream.lookup()}, so failing lookups never open the
 * charge breaker. Every attempt is timed, logged and counted, and watched for an answer that may
 * hide a charge.
 */
public final class ProviderCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCalls.class);

    private final ProviderClient client;
    private final Upstream<ProviderAnswer> upstream;
    private final GatewayMetrics metrics;
    private final LatencyWindow latency;
    private final LongSupplier nowMillis;

    /**
     * The calls.
     *
     * @param client the provider's HTTP API
     * @param upstream the provider's loops, one per operation
     * @param metrics attempt counts, retries and latency histogram
     * @param latency the recent-latency window of {@code /health}
     * @param nowMillis the kernel's clock, the one the loops read
     */
    public ProviderCalls(ProviderClient client, Upstream<ProviderAnswer> upstream,
            GatewayMetrics metrics, LatencyWindow latency, LongSupplier nowMillis) {
        this.client = client;
        this.upstream = upstream;
        this.metrics = metrics;
        this.latency = latency;
        this.nowMillis = nowMillis;
    }

    /**
     * How a call of one operation ended.
     *
     * @param operation what was called
     * @param call the loop it ran on, with the policy it started (and finished) with
     * @param result the kernel's result
     * @param maybeCharged whether any attempt may have charged without a definitive answer
     */
    public record Run(Operation operation, ResilientCall<ProviderAnswer> call,
            CallResult<ProviderAnswer> result, boolean maybeCharged) {}

    /**
     * Charges with retries, the same Idempotency-Key on every attempt.
     *
     * @param key the Idempotency-Key
     * @param request the payment
     * @param deadlineAtMs the request's deadline on the kernel's clock
     * @return how the call ended
     * @throws InterruptedException when the thread is interrupted
     */
    public Run charge(String key, PaymentRequest request, long deadlineAtMs)
            throws InterruptedException {
        return run(Operation.CHARGE, upstream.charge(), key, deadlineAtMs,
                context -> client.charge(key, request, context));
    }

    /**
     * Asks the provider what it knows of a key, through the lookup's own breaker and budget.
     * The lookup gets the request's deadline, but at most its own {@code lookup.deadline_ms}: a
     * reconciliation inside {@code POST /payments} leaves the charge the rest.
     *
     * @param key the Idempotency-Key
     * @param deadlineAtMs the request's deadline on the kernel's clock
     * @return a success with the charge, {@code NOT_FOUND}, or the failure
     * @throws InterruptedException when the thread is interrupted
     */
    public Run lookup(String key, long deadlineAtMs) throws InterruptedException {
        ResilientCall<ProviderAnswer> call = upstream.lookup();
        long ownDeadline = nowMillis.getAsLong() + call.settings().deadlineMs();
        return run(Operation.LOOKUP, call, key, Math.min(deadlineAtMs, ownDeadline),
                context -> client.lookup(key, context));
    }

    private Run run(Operation operation, ResilientCall<ProviderAnswer> call, String key,
            long deadlineAtMs, Attempt<ProviderAnswer> exchange) throws InterruptedException {
        AtomicBoolean maybeCharged = new AtomicBoolean();
        ProviderClassifier classifier =
                operation == Operation.CHARGE ? ProviderClassifier.CHARGE : ProviderClassifier.LOOKUP;
        // The evidence bound of this loop's own policy (SEMANTICS.md §5): the lookup's differs.
        long evidenceMs = Math.min(call.settings().timeoutMs(), call.settings().providerExpectedP99Ms());
        Attempt<ProviderAnswer> observed = observed(operation, key, classifier, evidenceMs, exchange,
                maybeCharged);
        CallResult<ProviderAnswer> result = call.call(observed, deadlineAtMs);
        metrics.retries(operation, result.sleepsMs().size());
        return new Run(operation, call, result, maybeCharged.get());
    }

    // The classifier is pure, so classifying here for the log and again in the loop agrees.
    private Attempt<ProviderAnswer> observed(Operation operation, String key,
            ProviderClassifier classifier, long evidenceMs, Attempt<ProviderAnswer> exchange,
            AtomicBoolean maybeCharged) {
        return context -> {
            long started = System.nanoTime();
            int k = context.number();
            long timeoutMs = context.timeoutMs();
            try {
                ProviderAnswer answer = exchange.run(context);
                record(operation, key, k, timeoutMs, evidenceMs, started,
                        classifier.end(answer), answer.status(), maybeCharged);
                return answer;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                record(operation, key, k, timeoutMs, evidenceMs, started,
                        classifier.end(e), null, maybeCharged);
                throw e;
            }
        };
    }

    private void record(Operation operation, String key, int attempt, long timeoutMs,
            long evidenceMs, long startedNanos, AttemptEnd end, Integer httpStatus,
            AtomicBoolean maybeCharged) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        if (end.maybeCharged()) {
            maybeCharged.set(true);
        }
        String result = result(end.verdict(), timeoutMs, evidenceMs);
        metrics.upstreamAttempt(operation, result, took);
        latency.add(took.toNanos() / 1_000_000.0);
        LOG.atInfo().setMessage("provider_attempt")
                .addKeyValue("operation", operation.wireName())
                .addKeyValue("key", key)
                .addKeyValue("attempt", attempt)
                .addKeyValue("timeout_ms", timeoutMs)
                .addKeyValue("duration_ms", Math.round(took.toNanos() / 10_000.0) / 100.0)
                .addKeyValue("result", result)
                .addKeyValue("http_status", httpStatus)
                .addKeyValue("maybe_charged", end.maybeCharged())
                .log();
    }

    // The class the kernel gives the attempt (SEMANTICS.md §5's evidence rule): a timeout is
    // TIMEOUT only if the attempt had at least min(timeout_ms, provider_expected_p99_ms); one cut
    // shorter by the caller's deadline is DEADLINE_EXCEEDED.
    private static String result(AttemptVerdict verdict, long timeoutMs, long evidenceMs) {
        if (verdict.isSuccess()) {
            return "success";
        }
        if (verdict.timedOut()) {
            return timeoutMs < evidenceMs ? ErrorClass.DEADLINE_EXCEEDED.name() : ErrorClass.TIMEOUT.name();
        }
        return verdict.errorClass().orElseThrow().name();
    }
}
