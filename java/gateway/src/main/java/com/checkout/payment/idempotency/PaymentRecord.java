package com.checkout.payment.idempotency;

import com.checkout.payment.api.PaymentRequest;
import java.util.Objects;

/**
 * What the gateway knows of one Idempotency-Key. Immutable: the store swaps whole records, and a
 * claimant completes only the very record it claimed.
 *
 * @param key the Idempotency-Key
 * @param requestHash SHA-256 of the body's RFC 8785 canonical JSON: the payload the key is bound to
 * @param request the payment
 * @param state where the payment stands
 * @param answer the stored answer (status and body) of a final or unknown outcome; null while pending
 * @param attempts charge attempts sent to the provider so far, over every run for this key
 * @param createdAtMs when the key was first seen, on the store's clock (for the TTL)
 */
public record PaymentRecord(String key, String requestHash, PaymentRequest request, State state,
        StoredAnswer answer, int attempts, long createdAtMs) {

    /** Where a payment stands. */
    public enum State {
        /** A request with this key is being handled now. */
        PENDING("pending"),
        /** Authorised by the provider. */
        AUTHORISED("authorised"),
        /** Declined by the provider. */
        DECLINED("declined"),
        /** Surely not charged. */
        FAILED("failed"),
        /** May have been charged: settled by asking the provider. */
        UNKNOWN("unknown");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        /**
         * The status as the API spells it.
         *
         * @return e.g. {@code authorised}
         */
        public String wireName() {
            return wireName;
        }

        /**
         * Whether a replay answers this outcome as it is (no reconciliation needed).
         *
         * @return true for authorised, declined and failed
         */
        public boolean isFinal() {
            return this == AUTHORISED || this == DECLINED || this == FAILED;
        }
    }

    public PaymentRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(state, "state");
        if ((state == State.PENDING) != (answer == null)) {
            throw new IllegalArgumentException("a " + state + " record "
                    + (answer == null ? "needs" : "has no") + " stored answer");
        }
    }

    /**
     * A record of a key just claimed.
     *
     * @param key the Idempotency-Key
     * @param requestHash the payload's hash
     * @param request the payment
     * @param nowMs the store's clock
     * @return a pending record
     */
    public static PaymentRecord pending(String key, String requestHash, PaymentRequest request,
            long nowMs) {
        return new PaymentRecord(key, requestHash, request, State.PENDING, null, 0, nowMs);
    }

    /**
     * This record, settled.
     *
     * @param outcome the new state (not pending)
     * @param stored the answer to replay
     * @param totalAttempts attempts over every run for this key
     * @return the settled record
     */
    public PaymentRecord settled(State outcome, StoredAnswer stored, int totalAttempts) {
        return new PaymentRecord(key, requestHash, request, outcome, stored, totalAttempts, createdAtMs);
    }

    /**
     * This record claimed again (an unknown outcome being reconciled or re-run).
     *
     * @return a pending record keeping the key's attempts and creation time
     */
    public PaymentRecord reclaimed() {
        return new PaymentRecord(key, requestHash, request, State.PENDING, null, attempts, createdAtMs);
    }
}
