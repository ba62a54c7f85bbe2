package com.checkout.payment.idempotency;

import com.checkout.payment.api.PaymentRequest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The Idempotency-Key records of this gateway (after the IETF Idempotency-Key draft): in memory,
 * thread-safe, bounded in size and age. Deciding what a request with a key may do and claiming the
 * key happen in one step under one lock, so of many requests racing with one key exactly one runs.
 *
 * <p>One instance per gateway process: several gateway instances behind a load balancer would
 * need a shared store (a database table with a unique key), or a replay could miss the record.
 */
public final class IdempotencyStore {
    private final int maxEntries;
    private final long ttlMs;
    private final LongSupplier nowMillis;
    // Insertion order is creation order, so expiry and eviction look at the head only.
    private final LinkedHashMap<String, PaymentRecord> records = new LinkedHashMap<>(); // guarded by this

    /** What a request with a key may do. */
    public sealed interface Claim {
    }

    /**
     * The key is now this request's to run: a new key, or an unknown outcome taken for
     * reconciliation.
     *
     * @param record the pending record the request holds
     * @param previous the unknown record it replaced, to put back if reconciliation learns
     *     nothing; null for a new key
     */
    public record Run(PaymentRecord record, PaymentRecord previous) implements Claim {

        /**
         * Whether an earlier run ended unknown, so the provider must be asked first.
         *
         * @return true when a previous record exists
         */
        public boolean reconcile() {
            return previous != null;
        }
    }

    /**
     * The key's outcome is final: answer it again.
     *
     * @param record the settled record
     */
    public record Replay(PaymentRecord record) implements Claim {
    }

    /** Another request with the key is being handled now (409). */
    public record InFlight() implements Claim {
    }

    /** The key was used with another payload (422). */
    public record PayloadMismatch() implements Claim {
    }

    /**
     * A store.
     *
     * @param maxEntries records kept at most (oldest settled records are evicted first)
     * @param ttlMs how long a settled record is kept
     * @param nowMillis a monotonic clock in ms
     */
    public IdempotencyStore(int maxEntries, long ttlMs, LongSupplier nowMillis) {
        if (maxEntries < 1 || ttlMs < 1) {
            throw new IllegalArgumentException("maxEntries is " + maxEntries + " and ttlMs is "
                    + ttlMs + "; expected both at least 1");
        }
        this.maxEntries = maxEntries;
        this.ttlMs = ttlMs;
        this.nowMillis = nowMillis;
    }

    /**
     * Decides what a request may do with its key, claiming the key when it may run.
     *
     * @param key the Idempotency-Key
     * @param requestHash the canonical hash of its body
     * @param request the payment
     * @return the claim
     */
    public synchronized Claim claim(String key, String requestHash, PaymentRequest request) {
        long now = nowMillis.getAsLong();
        expire(now);
        PaymentRecord existing = records.get(key);
        if (existing == null) {
            evictForRoom();
            PaymentRecord pending = PaymentRecord.pending(key, requestHash, request, now);
            records.put(key, pending);
            return new Run(pending, null);
        }
        if (!existing.requestHash().equals(requestHash)) {
            return new PayloadMismatch();
        }
        if (existing.state() == PaymentRecord.State.PENDING) {
            return new InFlight();
        }
        if (existing.state().isFinal()) {
            return new Replay(existing);
        }
        PaymentRecord reclaimed = existing.reclaimed();
        records.put(key, reclaimed);
        return new Run(reclaimed, existing);
    }

    /**
     * Settles a claimed key. Only the holder of the claim can: a record that changed meanwhile is
     * left alone.
     *
     * @param claimed the pending record the claim returned
     * @param settled its successor
     * @return whether it was stored
     */
    public synchronized boolean complete(PaymentRecord claimed, PaymentRecord settled) {
        if (records.get(claimed.key()) != claimed) {
            return false;
        }
        records.put(claimed.key(), settled);
        return true;
    }

    /**
     * Settles an unknown record found by a lookup, unless a request took the key meanwhile.
     *
     * @param unknown the unknown record that was read
     * @param settled its successor
     * @return whether it was stored
     */
    public synchronized boolean settle(PaymentRecord unknown, PaymentRecord settled) {
        return complete(unknown, settled);
    }

    /**
     * The record of a key.
     *
     * @param key the Idempotency-Key
     * @return the record, if the key is known and not expired
     */
    public synchronized Optional<PaymentRecord> get(String key) {
        expire(nowMillis.getAsLong());
        return Optional.ofNullable(records.get(key));
    }

    /**
     * How many keys are held.
     *
     * @return the count
     */
    public synchronized int size() {
        return records.size();
    }

    // Pending records are never dropped: a request still holds them.
    private void expire(long now) {
        for (Iterator<PaymentRecord> it = records.values().iterator(); it.hasNext(); ) {
            PaymentRecord record = it.next();
            if (now - record.createdAtMs() < ttlMs) {
                return;
            }
            if (record.state() != PaymentRecord.State.PENDING) {
                it.remove();
            }
        }
    }

    private void evictForRoom() {
        for (Iterator<Map.Entry<String, PaymentRecord>> it = records.entrySet().iterator();
                it.hasNext() && records.size() >= maxEntries; ) {
            if (it.next().getValue().state() != PaymentRecord.State.PENDING) {
                it.remove();
            }
        }
    }
}
