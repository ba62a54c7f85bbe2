package com.checkout.payment;

import com.checkout.payment.db.DatabaseException;
import com.checkout.payment.idempotency.IdempotencyStore;
import com.checkout.payment.idempotency.PaymentRecord;
import com.checkout.payment.idempotency.PaymentRecord.State;
import com.checkout.payment.idempotency.StoredAnswer;
import com.checkout.payment.provider.ProviderAnswer;
import com.checkout.resilience.CallResult;
import com.checkout.resilience.ErrorClass;
import com.checkout.resilience.ResilienceException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * {@code GET /payments/{key}}: the record as it is; an unknown one, one whose lease ran out (its
 * gateway died mid-payment) or a key unknown here is settled by asking the provider. A settlement
 * is stored only if the record is still what was read, so a request that took the key meanwhile
 * (issue 11, d) is never overwritten, and its in-flight record answers {@code pending} — never
 * "failed" while a charge may be running.
 */
public final class PaymentStatusService {
    private final ProviderCalls provider;
    private final IdempotencyStore store;

    /**
     * The lookups.
     *
     * @param provider the provider's calls, observed
     * @param store the payment records
     */
    public PaymentStatusService(ProviderCalls provider, IdempotencyStore store) {
        this.provider = provider;
        this.store = store;
    }

    /**
     * The payment of a key.
     *
     * @param key the Idempotency-Key
     * @param deadlineAtMs the request's deadline on the kernel's clock
     * @return the answer
     * @throws InterruptedException when the thread is interrupted
     */
    public Reply status(String key, long deadlineAtMs) throws InterruptedException {
        Optional<PaymentRecord> local;
        try {
            local = store.get(key);
        } catch (DatabaseException e) {
            PaymentService.logDatabase("read", key, e);
            return PaymentAnswers.databaseError(e, PaymentMessages.databaseOnLookup(e));
        }
        if (local.isPresent() && !needsTheProvider(local.get())) {
            return PaymentAnswers.statusReply(PaymentAnswers.status(local.get()), local.get().state());
        }
        PaymentRecord seen = local.orElse(null);
        ProviderCalls.Run asked = provider.lookup(key, deadlineAtMs);
        CallResult<ProviderAnswer> lookup = asked.result();
        if (lookup.isSuccess()) {
            ProviderAnswer charge = lookup.value().orElseThrow();
            State state = PaymentAnswers.stateOf(charge.text("status").orElse(""));
            if (seen == null || !state.isFinal()) {
                return PaymentAnswers.statusReply(PaymentAnswers.status(key, charge), state);
            }
            StoredAnswer answer = PaymentAnswers.result(key, seen.payment(), charge, seen.attempts());
            return settled(seen, state, answer).orElseGet(() -> current(key));
        }
        if (lookup.errorClass().orElse(null) == ErrorClass.NOT_FOUND) {
            if (seen == null) {
                // A POST may have claimed the key while the provider was asked: it is then pending.
                return current(key);
            }
            return settled(seen, State.FAILED, neverCharged(seen)).orElseGet(() -> current(key));
        }
        ResilienceException error = lookup.error().orElseThrow();
        return PaymentAnswers.statusReply(PaymentAnswers.unknown(key, seen, error.errorClass(),
                PaymentMessages.lookupFailed(error, asked)), State.UNKNOWN);
    }

    // Unknown, or in flight under a lease that ran out by the database's clock.
    private static boolean needsTheProvider(PaymentRecord record) {
        return record.state() == State.UNKNOWN || (record.state() == State.IN_FLIGHT && record.leaseExpired());
    }

    // The settled record's answer, or empty when the record changed since it was read.
    private Optional<Reply> settled(PaymentRecord seen, State state, StoredAnswer answer) {
        PaymentRecord after = new PaymentRecord(seen.key(), seen.requestHash(), state, seen.payment(), answer,
                seen.attempts(), seen.leaseToken(), false);
        Reply reply = PaymentAnswers.statusReply(PaymentAnswers.status(after), state);
        try {
            if (!store.settleSeen(seen, state, answer)) {
                return Optional.empty();
            }
        } catch (DatabaseException e) {
            // The provider's word is still the answer; the record is settled by a later request.
            PaymentService.logDatabase("settle", seen.key(), e);
            return Optional.of(reply);
        }
        PaymentService.logSettled(seen.key(), state, "lookup");
        return Optional.of(reply);
    }

    // The record as it is now, after another request changed it.
    private Reply current(String key) {
        try {
            Optional<PaymentRecord> now = store.get(key);
            if (now.isEmpty()) {
                return PaymentAnswers.error(404, ErrorClass.NOT_FOUND, "Neither the gateway nor the payment"
                        + " provider knows a payment with Idempotency-Key " + key + ", so nothing was charged under it:"
                        + " paying with it is safe.");
            }
            return PaymentAnswers.statusReply(PaymentAnswers.status(now.get()), now.get().state());
        } catch (DatabaseException e) {
            PaymentService.logDatabase("read", key, e);
            return PaymentAnswers.databaseError(e, PaymentMessages.databaseOnLookup(e));
        }
    }

    private static StoredAnswer neverCharged(PaymentRecord seen) {
        if (seen.answer() == null || !seen.answer().body().path("error").isObject()) {
            return PaymentAnswers.paymentError(ErrorClass.NOT_FOUND, PaymentMessages.neverCharged(), State.FAILED);
        }
        ObjectNode body = seen.answer().body().deepCopy();
        body.put("status", State.FAILED.wireName());
        ((ObjectNode) body.get("error")).put("message", PaymentMessages.neverCharged());
        return new StoredAnswer(seen.answer().httpStatus(), body);
    }
}
