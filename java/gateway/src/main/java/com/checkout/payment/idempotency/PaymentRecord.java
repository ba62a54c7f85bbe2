package com.checkout.payment.idempotency;

import java.util.Objects;
import java.util.UUID;

/**
 * One Idempotency-Key's row as read from the database: immutable; the store changes a row only
 * where it still is what the change was decided on (its state and its lease token).
 *
 * @param key the Idempotency-Key
 * @param requestHash SHA-256 of the body's RFC 8785 canonical JSON: the payload the key is bound to
 * @param state where the payment stands
 * @param payment order id, amount and currency (never the token)
 * @param answer the stored answer (status and body); null exactly while in flight
 * @param attempts charge attempts sent to the provider so far, over every run for this key
 * @param leaseToken the token of the claim that last took the key; settling needs it
 * @param leaseExpired whether an in-flight record's lease ran out, by the database's clock
 */
public record PaymentRecord(String key, String requestHash, State state, Payment payment,
        StoredAnswer answer, int attempts, UUID leaseToken, boolean leaseExpired) {

    /** Where a payment stands; {@link #dbName} is the {@code state} column. */
    public enum State {
        /** A request holds the key under a lease (the API says {@code pending}). */
        IN_FLIGHT("in_flight", "pending"),
        /** Authorised by the provider: final. */
        AUTHORISED("authorised", "authorised"),
        /** Declined by the provider: final. */
        DECLINED("declined", "declined"),
        /** No attempt can have charged: the same body may run again. */
        FAILED("failed", "failed"),
        /** An attempt may have charged: settled by asking the provider. */
        UNKNOWN("unknown", "unknown");

        private final String dbName;
        private final String wireName;

        State(String dbName, String wireName) {
            this.dbName = dbName;
            this.wireName = wireName;
        }

        /**
         * The status as the API spells it.
         *
         * @return e.g. {@code authorised}, {@code pending}
         */
        public String wireName() {
            return wireName;
        }

        /**
         * The value of the {@code state} column.
         *
         * @return e.g. {@code in_flight}
         */
        public String dbName() {
            return dbName;
        }

        /**
         * Whether the outcome is the provider's last word, replayed as it is.
         *
         * @return true for authorised and declined
         */
        public boolean isFinal() {
            return this == AUTHORISED || this == DECLINED;
        }

        /**
         * The state of a {@code state} column value.
         *
         * @param dbName the column's value
         * @return the state
         */
        public static State ofDb(String dbName) {
            for (State state : values()) {
                if (state.dbName.equals(dbName)) {
                    return state;
                }
            }
            throw new IllegalArgumentException("state column is " + dbName + "; expected one of in_flight,"
                    + " authorised, declined, failed, unknown");
        }
    }

    public PaymentRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(payment, "payment");
        Objects.requireNonNull(leaseToken, "leaseToken");
        if ((state == State.IN_FLIGHT) != (answer == null)) {
            throw new IllegalArgumentException("a " + state + " record " + (answer == null ? "needs" : "has no")
                    + " stored answer");
        }
    }
}
