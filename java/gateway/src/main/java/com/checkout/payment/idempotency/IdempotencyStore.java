package com.checkout.payment.idempotency;

import com.checkout.payment.idempotency.PaymentRecord.State;
import java.util.Optional;

/**
 * The payment records of every gateway replica (after the IETF Idempotency-Key draft and the
 * "idempotency keys in Postgres" design): an atomic claim of a key, the payload hash kept with it,
 * a lease on a key in flight, settling only by the claim that holds it. Every method is one short
 * statement or transaction: none is held across a call to the provider. Failures throw
 * {@link com.checkout.payment.db.DatabaseException}.
 */
public interface IdempotencyStore {

    /** What a request with a key may do. */
    sealed interface Claim permits Run, Replay, InFlight, PayloadMismatch {
    }

    /**
     * The key is now this request's to run, under a lease.
     *
     * @param record the in-flight record the request holds (its token settles it)
     * @param previous the record it took over: null for a new key; failed (re-run), unknown
     *     (ask the provider first) or in flight with an expired lease (its replica died: ask first)
     */
    record Run(PaymentRecord record, PaymentRecord previous) implements Claim {

        /**
         * Whether an earlier run may have charged, so the provider must be asked before anything.
         *
         * @return true after an unknown outcome or an expired lease
         */
        public boolean reconcile() {
            return previous != null && (previous.state() == State.UNKNOWN || previous.state() == State.IN_FLIGHT);
        }
    }

    /**
     * The key's outcome is final (authorised or declined): answer it again.
     *
     * @param record the settled record
     */
    record Replay(PaymentRecord record) implements Claim {
    }

    /**
     * Another request holds the key's lease now (409).
     *
     * @param record the in-flight record
     */
    record InFlight(PaymentRecord record) implements Claim {
    }

    /**
     * The key is bound to another payload (422).
     *
     * @param record the record of the other payload
     */
    record PayloadMismatch(PaymentRecord record) implements Claim {
    }

    /**
     * Decides what a request may do with its key, claiming the key when it may run: a new key is
     * inserted in flight; a failed or unknown one, or one whose lease expired, is taken over by
     * exactly one request.
     *
     * @param key the Idempotency-Key
     * @param requestHash the canonical hash of its body
     * @param payment what the record keeps of the request
     * @param leaseMs how long the claim holds the key ({@code gateway.idempotency.lease_ms})
     * @return the claim
     */
    Claim claim(String key, String requestHash, Payment payment, long leaseMs);

    /**
     * Settles a claim: only while the record is still in flight under the claim's lease token.
     *
     * @param claimed the in-flight record the claim returned
     * @param state the outcome (not in flight)
     * @param answer the answer to replay
     * @param attempts attempts over every run for this key
     * @return whether it was stored (false: another claim took the key)
     */
    boolean settle(PaymentRecord claimed, State state, StoredAnswer answer, int attempts);

    /**
     * Deletes a claim of a new key that learnt nothing to keep (the provider holds the key with
     * another payload), so the key is as unknown here as before.
     *
     * @param claimed the in-flight record the claim returned
     * @return whether it was deleted
     */
    boolean abandon(PaymentRecord claimed);

    /**
     * Settles a record read by {@code GET /payments/{key}} after asking the provider: only if it is
     * still what was read (same state and lease token; in flight only with an expired lease).
     *
     * @param seen the record as read
     * @param state the outcome the provider gave
     * @param answer the answer to keep
     * @return whether it was stored
     */
    boolean settleSeen(PaymentRecord seen, State state, StoredAnswer answer);

    /**
     * The record of a key.
     *
     * @param key the Idempotency-Key
     * @return the record, if the key is known
     */
    Optional<PaymentRecord> get(String key);

    /**
     * Deletes one batch of finished records (authorised, declined, failed) older than the
     * retention, by the database's clock.
     *
     * @param retentionMs {@code gateway.idempotency.retention_ms}
     * @param limit the most rows to delete
     * @return how many were deleted
     */
    int reap(long retentionMs, int limit);
}
