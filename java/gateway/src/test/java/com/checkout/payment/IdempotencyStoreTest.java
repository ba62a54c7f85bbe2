package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.api.Json;
import com.checkout.payment.api.PaymentRequest;
import com.checkout.payment.idempotency.IdempotencyStore;
import com.checkout.payment.idempotency.IdempotencyStore.Claim;
import com.checkout.payment.idempotency.PaymentRecord;
import com.checkout.payment.idempotency.PaymentRecord.State;
import com.checkout.payment.idempotency.StoredAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdempotencyStoreTest {
    private static final PaymentRequest REQUEST = new PaymentRequest("o", 1999, "EUR", "tok_visa_4242");
    private static final StoredAnswer OK = new StoredAnswer(200, Json.MAPPER.createObjectNode().put("status", "authorised"));

    private final AtomicLong clock = new AtomicLong();
    private final IdempotencyStore store = new IdempotencyStore(3, 1000, clock::get);

    @Test
    void ofManyThreadsClaimingOneKeyExactlyOneRuns() throws Exception {
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<Claim>> claims = new ArrayList<>();
        Callable<Claim> claim = () -> {
            together.await();
            return store.claim("k", "h", REQUEST);
        };
        for (int i = 0; i < threads; i++) {
            claims.add(pool.submit(claim));
        }
        int runs = 0;
        int inFlight = 0;
        for (Future<Claim> future : claims) {
            Claim result = future.get();
            if (result instanceof IdempotencyStore.Run) {
                runs++;
            } else if (result instanceof IdempotencyStore.InFlight) {
                inFlight++;
            }
        }
        pool.shutdown();

        assertEquals(1, runs);
        assertEquals(threads - 1, inFlight);
    }

    @Test
    void aSettledKeyIsReplayedAndADifferentPayloadIsAMismatch() {
        IdempotencyStore.Run run = (IdempotencyStore.Run) store.claim("k", "h", REQUEST);
        assertTrue(store.complete(run.record(), run.record().settled(State.AUTHORISED, OK, 1)));

        IdempotencyStore.Replay replay = assertInstanceOf(IdempotencyStore.Replay.class, store.claim("k", "h", REQUEST));
        assertSame(OK, replay.record().answer());
        assertInstanceOf(IdempotencyStore.PayloadMismatch.class, store.claim("k", "other", REQUEST));
    }

    @Test
    void anUnknownKeyIsClaimedAgainForReconciliationByOneRequestOnly() {
        IdempotencyStore.Run first = (IdempotencyStore.Run) store.claim("k", "h", REQUEST);
        PaymentRecord unknown = first.record().settled(State.UNKNOWN, new StoredAnswer(504,
                Json.MAPPER.createObjectNode()), 3);
        store.complete(first.record(), unknown);

        IdempotencyStore.Run again = assertInstanceOf(IdempotencyStore.Run.class, store.claim("k", "h", REQUEST));
        assertTrue(again.reconcile());
        assertSame(unknown, again.previous());
        assertEquals(3, again.record().attempts());
        assertInstanceOf(IdempotencyStore.InFlight.class, store.claim("k", "h", REQUEST));
        assertFalse(store.complete(first.record(), unknown), "an old claim can no longer settle the key");
    }

    @Test
    void theStoreIsBoundedAndNeverEvictsAPendingKey() {
        IdempotencyStore.Run pending = (IdempotencyStore.Run) store.claim("pending", "h", REQUEST);
        for (String key : List.of("a", "b", "c", "d")) {
            IdempotencyStore.Run run = (IdempotencyStore.Run) store.claim(key, "h", REQUEST);
            store.complete(run.record(), run.record().settled(State.FAILED, OK, 1));
        }

        assertEquals(3, store.size());
        assertTrue(store.get("pending").isPresent());
        assertSame(pending.record(), store.get("pending").orElseThrow());
        assertTrue(store.get("a").isEmpty());
        assertTrue(store.get("d").isPresent());
    }

    @Test
    void settledKeysExpireAfterTheTtl() {
        IdempotencyStore.Run run = (IdempotencyStore.Run) store.claim("k", "h", REQUEST);
        store.complete(run.record(), run.record().settled(State.AUTHORISED, OK, 1));

        clock.set(999);
        assertTrue(store.get("k").isPresent());
        clock.set(1000);
        assertTrue(store.get("k").isEmpty());
        assertInstanceOf(IdempotencyStore.Run.class, store.claim("k", "other", REQUEST));
    }

    @Test
    void aRequestsToStringNeverShowsTheToken() {
        assertFalse(REQUEST.toString().contains("tok_visa"));
        assertTrue(REQUEST.toString().contains("4242"));
    }
}
