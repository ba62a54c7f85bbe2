package com.checkout.payment;

import com.checkout.payment.api.PaymentRequest;
import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.idempotency.IdempotencyStore;
import com.checkout.payment.idempotency.Payment;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /payments}: claims the key in the database (a short statement), asks the provider
 * first when an earlier run may have charged, charges through the kernel's call loop (role
 * origin) with no connection held, then settles the record — only while this request's claim
 * still holds it. A process killed anywhere in between leaves an in-flight record whose lease
 * runs out; the next request with the key asks the provider before anything else.
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
     * @param settings the snapshot in force (the lease)
     * @param provider the provider's calls, observed
     * @param store the payment records
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
        Snapshot snapshot = settings.current();
        IdempotencyStore.Claim claim;
        try {
            claim = store.claim(key, requestHash, Payment.of(request),
                    snapshot.config().settings().gateway().idempotency().leaseMs());
        } catch (DatabaseException e) {
            logDatabase("claim", key, e);
            return PaymentAnswers.databaseError(e, PaymentMessages.databaseBeforeCharge(e));
        }
        if (claim instanceof IdempotencyStore.PayloadMismatch) {
            return PaymentAnswers.error(422, ErrorClass.IDEMPOTENCY_CONFLICT, "Idempotency-Key " + key
                    + " already names a payment with a different body, so this request did nothing: send the"
                    + " same body again, or use a new Idempotency-Key for a new payment.");
        }
        if (claim instanceof IdempotencyStore.InFlight) {
            return inFlight(key);
        }
        if (claim instanceof IdempotencyStore.Replay replay) {
            PaymentRecord record = replay.record();
            LOG.atInfo().setMessage("payment_replayed").addKeyValue("key", key)
                    .addKeyValue("status", record.state().wireName()).log();
            return PaymentAnswers.reply(record.answer(), record.state(), true);
        }
        IdempotencyStore.Run run = (IdempotencyStore.Run) claim;
        boolean answered = false;
        try {
            Reply reply = run.reconcile()
                    ? reconcileThenCharge(run, request, deadlineAtMs)
                    : charge(run, request, deadlineAtMs);
            answered = true;
            return reply;
        } finally {
            if (!answered) {
                // Interrupted or a bug: attempts may have gone out, so the key is unknown; if even
                // this write fails, the lease runs out and the next request asks the provider.
                // 503 as the interrupted request itself is answered (GatewayApp): a replay is never a 500.
                StoredAnswer stopped = PaymentAnswers.paymentError(ErrorClass.INTERNAL, PaymentMessages.interrupted(),
                        State.UNKNOWN);
                record(run.record(), State.UNKNOWN, new StoredAnswer(503, stopped.body()), run.record().attempts());
            }
        }
    }

    // The provider is asked first: an earlier run ended unknown, or its gateway died mid-payment.
    private Reply reconcileThenCharge(IdempotencyStore.Run run, PaymentRequest request, long deadlineAtMs)
            throws InterruptedException {
        PaymentRecord claimed = run.record();
        PaymentRecord previous = run.previous();
        String key = claimed.key();
        ProviderCalls.Run asked = provider.lookup(key, deadlineAtMs);
        CallResult<ProviderAnswer> lookup = asked.result();
        if (lookup.isSuccess()) {
            ProviderAnswer charge = lookup.value().orElseThrow();
            String chargeStatus = charge.text("status").orElse("");
            State state = PaymentAnswers.stateOf(chargeStatus);
            if (state.isFinal()) {
                StoredAnswer answer = PaymentAnswers.result(key, claimed.payment(), charge, claimed.attempts());
                settleOrAnswerCurrent(claimed, state, answer, claimed.attempts());
                logSettled(key, state, previous.state() == State.IN_FLIGHT ? "recovery" : "reconcile");
                return PaymentAnswers.reply(answer, state, false);
            }
            putBack(run, ErrorClass.IDEMPOTENCY_CONFLICT, "the payment provider is still processing it");
            return PaymentAnswers.error(409, ErrorClass.IDEMPOTENCY_CONFLICT, "The payment provider is still"
                    + " processing the charge with Idempotency-Key " + key + " (status " + chargeStatus + "), so the"
                    + " payment may yet be charged: do not retry it under a new Idempotency-Key; ask "
                    + PaymentMessages.LOOKUP + " again later.");
        }
        if (lookup.errorClass().orElse(null) == ErrorClass.NOT_FOUND) {
            LOG.atInfo().setMessage("payment_rerun").addKeyValue("key", key)
                    .addKeyValue("reason", "the provider has no charge for the key").log();
            return charge(run, request, deadlineAtMs);
        }
        // The provider could not be asked: the outcome is as unknown as before.
        ResilienceException error = lookup.error().orElseThrow();
        StoredAnswer kept = putBack(run, error.errorClass(), "the payment provider could not be asked about it ("
                + PaymentMessages.lookupEnded(error, asked) + ")");
        return PaymentAnswers.reply(kept, State.UNKNOWN, previous.state() == State.UNKNOWN);
    }

    private Reply charge(IdempotencyStore.Run run, PaymentRequest request, long deadlineAtMs)
            throws InterruptedException {
        PaymentRecord claimed = run.record();
        String key = claimed.key();
        ProviderCalls.Run charge = provider.charge(key, request, deadlineAtMs);
        CallResult<ProviderAnswer> result = charge.result();
        int attempts = claimed.attempts() + result.attempts();
        if (otherPaymentAtProvider(charge)) {
            // Issue 11 (e): the provider holds this key with another body — a real charge that this
            // gateway no longer has a record of. Keep no record that would call it failed.
            abandon(claimed);
            LOG.atWarn().setMessage("payment_conflict_at_provider").addKeyValue("key", key).log();
            return PaymentAnswers.error(422, ErrorClass.IDEMPOTENCY_CONFLICT,
                    PaymentMessages.otherPaymentAtProvider(key));
        }
        State state;
        StoredAnswer answer;
        if (result.isSuccess() || result.errorClass().orElse(null) == ErrorClass.DECLINED) {
            state = result.isSuccess() ? State.AUTHORISED : State.DECLINED;
            answer = PaymentAnswers.result(key, claimed.payment(), result.value().orElseThrow(), attempts);
        } else {
            ResilienceException error = result.error().orElseThrow();
            // Unknown whenever an attempt may have charged without an answer (a timeout, a broken
            // connection, a 5xx, a 409 in flight). A re-run follows the provider's word that the
            // earlier runs charged nothing, so only this run's attempts count. Refused before any
            // attempt (an open breaker, a full bulkhead) sent nothing: failed, the same key runs again.
            state = charge.maybeCharged() ? State.UNKNOWN : State.FAILED;
            answer = PaymentAnswers.paymentError(error.errorClass(), PaymentMessages.chargeEnded(error, charge,
                    state), state);
        }
        Optional<Reply> other = settleOrAnswerCurrent(claimed, state, answer, attempts);
        if (run.previous() == null) {
            metrics.paymentOutcome(state.wireName()); // as first reported: not a re-run's
        }
        LOG.atInfo().setMessage("payment")
                .addKeyValue("key", key)
                .addKeyValue("order_id", request.orderId())
                .addKeyValue("status", state.wireName())
                .addKeyValue("result", result.outcome())
                .addKeyValue("attempts", result.attempts())
                .addKeyValue("sleeps_ms", result.sleepsMs())
                .addKeyValue("breaker", charge.call().breaker().state().wireName())
                .log();
        return other.orElseGet(() -> PaymentAnswers.reply(answer, state, false));
    }

    private static boolean otherPaymentAtProvider(ProviderCalls.Run charge) {
        CallResult<ProviderAnswer> result = charge.result();
        return !charge.maybeCharged() && result.errorClass().orElse(null) == ErrorClass.IDEMPOTENCY_CONFLICT
                && result.value().map(ProviderAnswer::status).orElse(0) == 422;
    }

    // Settles the claim. When another request took the key meanwhile (this claim's lease ran out),
    // the record is theirs: an outcome the provider gave is still this request's true answer, but an
    // unknown or failed one is not the key's any more — that request's answer is.
    private Optional<Reply> settleOrAnswerCurrent(PaymentRecord claimed, State state, StoredAnswer answer,
            int attempts) {
        if (record(claimed, state, answer, attempts) || state.isFinal()) {
            return Optional.empty();
        }
        try {
            Optional<PaymentRecord> now = store.get(claimed.key());
            if (now.isPresent() && now.get().state().isFinal()) {
                return Optional.of(PaymentAnswers.reply(now.get().answer(), now.get().state(), true));
            }
        } catch (DatabaseException e) {
            logDatabase("read", claimed.key(), e);
        }
        return Optional.of(inFlight(claimed.key()));
    }

    // Puts an unknown record back as it was, or marks a recovered one unknown; returns its answer.
    private StoredAnswer putBack(IdempotencyStore.Run run, ErrorClass errorClass, String why) {
        PaymentRecord previous = run.previous();
        StoredAnswer answer = previous.state() == State.UNKNOWN ? previous.answer()
                : PaymentAnswers.paymentError(errorClass, PaymentMessages.recoveryUnknown(why), State.UNKNOWN);
        record(run.record(), State.UNKNOWN, answer, run.record().attempts());
        return answer;
    }

    // Whether the claim was settled; a database failure is logged and answered as if it had been:
    // the answer is what the provider said, and the lease lets the next request recover the record.
    private boolean record(PaymentRecord claimed, State state, StoredAnswer answer, int attempts) {
        try {
            boolean stored = store.settle(claimed, state, answer, attempts);
            if (!stored) {
                LOG.atWarn().setMessage("payment_claim_lost").addKeyValue("key", claimed.key())
                        .addKeyValue("status", state.wireName()).log();
            }
            return stored;
        } catch (DatabaseException e) {
            logDatabase("settle", claimed.key(), e);
            return true;
        }
    }

    private void abandon(PaymentRecord claimed) {
        try {
            store.abandon(claimed);
        } catch (DatabaseException e) {
            logDatabase("abandon", claimed.key(), e);
        }
    }

    private static Reply inFlight(String key) {
        return PaymentAnswers.error(409, ErrorClass.IDEMPOTENCY_CONFLICT, "A payment with Idempotency-Key "
                + key + " is still in flight, so this request did nothing: do not retry it under a new"
                + " Idempotency-Key; " + PaymentMessages.LOOKUP + " tells its outcome once it ends.");
    }

    static void logSettled(String key, State state, String how) {
        LOG.atInfo().setMessage("payment_settled").addKeyValue("key", key)
                .addKeyValue("status", state.wireName()).addKeyValue("by", how).log();
    }

    static void logDatabase(String step, String key, DatabaseException e) {
        LOG.atWarn().setMessage("payment_database_failed").addKeyValue("step", step).addKeyValue("key", key)
                .addKeyValue("error_class", e.errorClass().name()).addKeyValue("reason", e.getMessage()).log();
    }
}
