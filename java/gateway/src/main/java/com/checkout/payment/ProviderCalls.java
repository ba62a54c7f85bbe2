package com.checkout.payment;

import com.checkout.payment.api.PaymentRequest;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.observability.LatencyWindow;
import com.checkout.payment.provider.AttemptEnd;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.payment.provider.ProviderClassifier;
import com.checkout.payment.provider.ProviderClient;
import com.checkout.payment.runtime.Snapshot;
import com.checkout.resilience.CallResult;
import com.checkout.resilience.Classification;
import com.checkout.resilience.ContextAttempt;
import com.checkout.resilience.ErrorClass;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's two calls run through the kernel's loop of the snapshot in force, every attempt
 * timed, logged and counted, and watched for an answer that may hide a charge.
 */
public final class ProviderCalls {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderCalls.class);

    private final ProviderClient client;
    private final GatewayMetrics metrics;
    private final LatencyWindow latency;

    /**
     * The calls.
     *
     * @param client the provider's HTTP API
     * @param metrics attempt counts and latency histogram
     * @param latency the recent-latency window of {@code /health}
     */
    public ProviderCalls(ProviderClient client, GatewayMetrics metrics, LatencyWindow latency) {
        this.client = client;
        this.metrics = metrics;
        this.latency = latency;
    }

    /**
     * How a charge call ended.
     *
     * @param result the kernel's result
     * @param maybeCharged whether any attempt may have charged without a definitive answer
     */
    public record ChargeRun(CallResult<ProviderAnswer> result, boolean maybeCharged) {}

    /**
     * Charges with retries, the same Idempotency-Key on every attempt.
     *
     * @param snapshot the settings the call starts (and finishes) with
     * @param key the Idempotency-Key
     * @param request the payment
     * @param deadlineAtMs the deadline on the kernel's clock
     * @return how the call ended
     * @throws InterruptedException when the thread is interrupted
     */
    public ChargeRun charge(Snapshot snapshot, String key, PaymentRequest request, long deadlineAtMs)
            throws InterruptedException {
        AtomicBoolean maybeCharged = new AtomicBoolean();
        ContextAttempt<ProviderAnswer> attempt = observed(snapshot, "charge", key, ProviderClassifier.CHARGE,
                context -> client.charge(key, request, context), maybeCharged);
        CallResult<ProviderAnswer> result =
                snapshot.call().call(attempt, ProviderClassifier.CHARGE, deadlineAtMs);
        return new ChargeRun(result, maybeCharged.get());
    }

    /**
     * Asks the provider what it knows of a key, through the same breaker and budget.
     *
     * @param snapshot the settings the call starts with
     * @param key the Idempotency-Key
     * @param deadlineAtMs the deadline on the kernel's clock
     * @return a success with the charge, {@code NOT_FOUND}, or the failure
     * @throws InterruptedException when the thread is interrupted
     */
    public CallResult<ProviderAnswer> lookup(Snapshot snapshot, String key, long deadlineAtMs)
            throws InterruptedException {
        ContextAttempt<ProviderAnswer> attempt = observed(snapshot, "lookup", key, ProviderClassifier.LOOKUP,
                context -> client.lookup(key, context), new AtomicBoolean());
        return snapshot.call().call(attempt, ProviderClassifier.LOOKUP, deadlineAtMs);
    }

    // The classifier is pure, so classifying here for the log and again in the loop agrees.
    private ContextAttempt<ProviderAnswer> observed(Snapshot snapshot, String operation, String key,
            ProviderClassifier classifier, ContextAttempt<ProviderAnswer> exchange, AtomicBoolean maybeCharged) {
        long evidenceMs = Math.min(snapshot.config().settings().payment().timeoutMs(),
                snapshot.config().settings().payment().providerExpectedP99Ms());
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

    private void record(String operation, String key, int attempt, long timeoutMs,
            long evidenceMs, long startedNanos, AttemptEnd end, Integer httpStatus,
            AtomicBoolean maybeCharged) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        if (end.maybeCharged()) {
            maybeCharged.set(true);
        }
        String result = result(end.classification(), timeoutMs, evidenceMs);
        metrics.upstreamAttempt(result, took);
        latency.add(took.toNanos() / 1_000_000.0);
        LOG.atInfo().setMessage("provider_attempt")
                .addKeyValue("operation", operation)
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
    private static String result(Classification classification, long timeoutMs, long evidenceMs) {
        if (classification.isSuccess()) {
            return "success";
        }
        if (classification.timedOut()) {
            return timeoutMs < evidenceMs ? ErrorClass.DEADLINE_EXCEEDED.name() : ErrorClass.TIMEOUT.name();
        }
        return classification.errorClass().orElseThrow().name();
    }
}
