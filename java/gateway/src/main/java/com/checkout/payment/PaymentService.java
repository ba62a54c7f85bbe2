package com.checkout.payment;

import com.checkout.payment.api.PaymentRequest;
import com.checkout.payment.idempotency.IdempotencyStore;
import com.checkout.payment.idempotency.PaymentRecord;
import com.checkout.payment.idempotency.PaymentRecord.State;
import com.checkout.payment.idempotency.StoredAnswer;
import com.checkout.payment.observability.GatewayMetrics;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.payment.runtime.Settings;
import com.checkout.payment.runtime.Snapshot;
import com.checkout.resilience.CallResult;
import com.checkout.resilience.ErrorClass;
import com.checkout.resilience.ResilienceException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payments with one Idempotency-Key each: claims the key, reconciles an unknown outcome with the
 * provider, charges through the kernel's call loop (role origin) and stores the answer to replay.
 */
public final class PaymentService {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);

    private final Settings settings;
    private final ProviderCalls provider;
    private final IdempotencyStore store;
    private final GatewayMetrics metrics;

    /**
     * The service.
     *
     * @param settings the snapshot in force (breaker, budget, call loop)
     * @param provider the provider's calls, observed
     * @param store the Idempotency-Key records
     * @param metrics payment outcome counts
     */
    public PaymentService(Settings settings, ProviderCalls provider, IdempotencyStore store,
            GatewayMetrics metrics) {
        this.settings = settings;
        this.provider = provider;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * {@code POST /payments} after validation.
     *
     * @param key the Idempotency-Key
     * @param request the payment
     * @param requestHash the canonical hash of the body
     * @param deadlineAtMs the request's deadline on the kernel's clock
     * @return the answer
     * @throws InterruptedException when the thread is interrupted (the record is left unknown)
     */
    public Reply pay(String key, PaymentRequest request, String requestHash, long deadlineAtMs)
            throws InterruptedException {
        IdempotencyStore.Claim claim = store.claim(key, requestHash, request);
        if (claim instanceof IdempotencyStore.PayloadMismatch) {
            return PaymentAnswers.error(422, ErrorClass.IDEMPOTENCY_CONFLICT, "Idempotency-Key " + key
                    + " already names a payment with a different body, so this request did nothing: send the"
                    + " same body again, or use a new Idempotency-Key for a new payment.");
        }
        if (claim instanceof IdempotencyStore.InFlight) {
            return PaymentAnswers.error(409, ErrorClass.IDEMPOTENCY_CONFLICT, "A payment with Idempotency-Key "
                    + key + " is still in flight, so this request did nothing: do not retry it under a new"
                    + " Idempotency-Key; " + PaymentMessages.LOOKUP + " tells its outcome once it ends.");
        }
        if (claim instanceof IdempotencyStore.Replay replay) {
            PaymentRecord record = replay.record();
            LOG.atInfo().setMessage("payment_replayed").addKeyValue("key", key)
                    .addKeyValue("status", record.state().wireName()).log();
            return PaymentAnswers.reply(record.answer(), record.state(), true);
        }
        IdempotencyStore.Run run = (IdempotencyStore.Run) claim;
        Snapshot snapshot = settings.current();
        boolean settled = false;
        try {
            Reply reply = run.reconcile()
                    ? reconcileThenCharge(run, snapshot, request, deadlineAtMs)
                    : charge(run.record(), snapshot, request, deadlineAtMs);
            settled = true;
            return reply;
        } finally {
            if (!settled) {
                // Interrupted or a bug: attempts may have gone out, so the key is unknown, never
                // pending for ever; the next request with it reconciles first.
                store.complete(run.record(), run.record().settled(State.UNKNOWN,
                        PaymentAnswers.paymentError(ErrorClass.INTERNAL, PaymentMessages.interrupted(),
                                State.UNKNOWN), run.record().attempts()));
            }
        }
    }

    /**
     * {@code GET /payments/{key}}: the local record, settled with the provider when it is unknown
     * or absent.
     *
     * @param key the Idempotency-Key
     * @param deadlineAtMs the request's deadline on the kernel's clock
     * @return the answer
     * @throws InterruptedException when the thread is interrupted
     */
    public Reply status(String key, long deadlineAtMs) throws InterruptedException {
        Optional<PaymentRecord> local = store.get(key);
        if (local.isPresent() && local.get().state() != State.UNKNOWN) {
            return statusReply(PaymentAnswers.status(local.get()), local.get().state());
        }
        PaymentRecord unknown = local.orElse(null);
        Snapshot snapshot = settings.current();
        CallResult<ProviderAnswer> lookup = provider.lookup(snapshot, key, deadlineAtMs);
        Optional<ProviderAnswer> found = lookup.isSuccess() ? lookup.answer() : Optional.empty();
        if (found.isPresent()) {
            ProviderAnswer charge = found.get();
            String chargeStatus = charge.text("status").orElse("");
            if (unknown != null && unknown.request() != null
                    && (chargeStatus.equals("authorised") || chargeStatus.equals("declined"))) {
                PaymentRecord settledRecord = unknown.settled(stateOf(chargeStatus),
                        PaymentAnswers.result(key, unknown.request(), charge, unknown.attempts()),
                        unknown.attempts());
                store.settle(unknown, settledRecord);
                logSettled(key, settledRecord.state(), "lookup");
                return statusReply(PaymentAnswers.status(settledRecord), settledRecord.state());
            }
            return statusReply(PaymentAnswers.status(key, charge), stateOfOrPending(chargeStatus));
        }
        if (lookup.errorClass().orElse(null) == ErrorClass.NOT_FOUND) {
            if (unknown == null) {
                return PaymentAnswers.error(404, ErrorClass.NOT_FOUND, "Neither the gateway nor the payment"
                        + " provider knows a payment with Idempotency-Key " + key + ", so nothing was charged under it:"
                        + " paying with it is safe.");
            }
            PaymentRecord failed = unknown.settled(State.FAILED, neverCharged(unknown), unknown.attempts());
            store.settle(unknown, failed);
            logSettled(key, State.FAILED, "lookup");
            return statusReply(PaymentAnswers.status(failed), State.FAILED);
        }
        ResilienceException error = lookup.error().orElseThrow();
        return statusReply(PaymentAnswers.unknown(key, unknown, error.errorClass(), PaymentMessages.lookupFailed(
                error, lookup, snapshot.config().settings().payment().timeoutMs())), State.UNKNOWN);
    }

    private Reply reconcileThenCharge(IdempotencyStore.Run run, Snapshot snapshot,
            PaymentRequest request, long deadlineAtMs) throws InterruptedException {
        PaymentRecord claimed = run.record();
        PaymentRecord previous = run.previous();
        String key = claimed.key();
        CallResult<ProviderAnswer> lookup = provider.lookup(snapshot, key, deadlineAtMs);
        if (lookup.isSuccess()) {
            ProviderAnswer charge = lookup.answer().orElseThrow();
            String chargeStatus = charge.text("status").orElse("");
            if (chargeStatus.equals("authorised") || chargeStatus.equals("declined")) {
                State state = stateOf(chargeStatus);
                StoredAnswer answer = PaymentAnswers.result(key, request, charge, claimed.attempts());
                store.complete(claimed, claimed.settled(state, answer, claimed.attempts()));
                logSettled(key, state, "reconcile");
                return PaymentAnswers.reply(answer, state, false);
            }
            store.complete(claimed, previous);
            return PaymentAnswers.error(409, ErrorClass.IDEMPOTENCY_CONFLICT, "The payment provider is still"
                    + " processing the charge with Idempotency-Key " + key + " (status " + chargeStatus + "), so the"
                    + " payment may yet be charged: do not retry it under a new Idempotency-Key; ask "
                    + PaymentMessages.LOOKUP + " again later.");
        }
        if (lookup.errorClass().orElse(null) == ErrorClass.NOT_FOUND) {
            LOG.atInfo().setMessage("payment_rerun").addKeyValue("key", key)
                    .addKeyValue("reason", "the provider has no charge for the key").log();
            return charge(claimed, snapshot, request, deadlineAtMs);
        }
        // The provider could not be asked: the outcome is as unknown as before.
        store.complete(claimed, previous);
        return PaymentAnswers.reply(previous.answer(), previous.state(), true);
    }

    private Reply charge(PaymentRecord claimed, Snapshot snapshot, PaymentRequest request,
            long deadlineAtMs) throws InterruptedException {
        String key = claimed.key();
        ProviderCalls.ChargeRun run = provider.charge(snapshot, key, request, deadlineAtMs);
        CallResult<ProviderAnswer> result = run.result();
        int attempts = claimed.attempts() + result.attempts();
        State state;
        StoredAnswer answer;
        if (result.isSuccess() || result.errorClass().orElse(null) == ErrorClass.DECLINED) {
            ProviderAnswer charge = result.answer().orElseThrow();
            state = result.isSuccess() ? State.AUTHORISED : State.DECLINED;
            answer = PaymentAnswers.result(key, request, charge, attempts);
        } else {
            ResilienceException error = result.error().orElseThrow();
            // Unknown whenever an attempt may have charged without an answer (a timeout, a broken
            // connection, a 5xx, a 409 in flight). A re-run follows the provider's word that the
            // earlier runs charged nothing, so only this run's attempts count.
            state = run.maybeCharged() ? State.UNKNOWN : State.FAILED;
            answer = PaymentAnswers.paymentError(error.errorClass(), PaymentMessages.chargeEnded(error, result,
                    state, snapshot.config().settings().payment().timeoutMs()), state);
        }
        store.complete(claimed, claimed.settled(state, answer, attempts));
        if (claimed.attempts() == 0) {
            metrics.paymentOutcome(state.wireName()); // as first reported: not a re-run's
        }
        LOG.atInfo().setMessage("payment")
                .addKeyValue("key", key)
                .addKeyValue("order_id", request.orderId())
                .addKeyValue("status", state.wireName())
                .addKeyValue("result", result.result())
                .addKeyValue("attempts", result.attempts())
                .addKeyValue("sleeps_ms", result.sleepsMs())
                .addKeyValue("breaker", snapshot.breaker().state().wireName())
                .log();
        return PaymentAnswers.reply(answer, state, false);
    }

    private static StoredAnswer neverCharged(PaymentRecord unknown) {
        StoredAnswer before = unknown.answer();
        ObjectNode body = before.body().deepCopy();
        body.put("status", State.FAILED.wireName());
        if (body.path("error").isObject()) {
            ((ObjectNode) body.get("error")).put("message", PaymentMessages.neverCharged());
        }
        return new StoredAnswer(before.httpStatus(), body);
    }

    private static State stateOf(String chargeStatus) {
        return chargeStatus.equals("authorised") ? State.AUTHORISED : State.DECLINED;
    }

    private static State stateOfOrPending(String chargeStatus) {
        return switch (chargeStatus) {
            case "authorised" -> State.AUTHORISED;
            case "declined" -> State.DECLINED;
            default -> State.PENDING;
        };
    }

    private static Reply statusReply(JsonNode body, State state) {
        String outcome = switch (state) {
            case DECLINED -> "declined";
            case UNKNOWN -> "unknown";
            default -> "success";
        };
        return new Reply(200, body, false, outcome, "");
    }

    private static void logSettled(String key, State state, String how) {
        LOG.atInfo().setMessage("payment_settled").addKeyValue("key", key)
                .addKeyValue("status", state.wireName()).addKeyValue("by", how).log();
    }
}
