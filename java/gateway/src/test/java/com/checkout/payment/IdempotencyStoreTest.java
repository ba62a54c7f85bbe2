package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.TimeoutConfig.IdempotencySettings;
import com.checkout.config.generated.TimeoutConfig.PoolSettings;
import com.checkout.payment.api.Json;
import com.checkout.payment.api.PaymentRequest;
import com.checkout.payment.db.Database;
import com.checkout.payment.db.DatabaseUrl;
import com.checkout.payment.db.Migrations;
import com.checkout.payment.idempotency.IdempotencyStore;
import com.checkout.payment.idempotency.IdempotencyStore.Claim;
import com.checkout.payment.idempotency.Payment;
import com.checkout.payment.idempotency.PaymentRecord;
import com.checkout.payment.idempotency.PaymentRecord.State;
import com.checkout.payment.idempotency.PostgresIdempotencyStore;
import com.checkout.payment.idempotency.Reaper;
import com.checkout.payment.idempotency.StoredAnswer;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The payment records on a real PostgreSQL: claims, leases, settling by the claim only, the reaper. */
class IdempotencyStoreTest {
    private static final Payment PAYMENT = new Payment("o", 1999, "EUR");
    private static final StoredAnswer OK = new StoredAnswer(200, Json.MAPPER.createObjectNode().put("status", "authorised"));
    private static final StoredAnswer SHED = new StoredAnswer(503, Json.MAPPER.createObjectNode().put("status", "failed"));
    private static final long LEASE = 60_000;

    private static TestDatabase db;
    private static Database database;
    private static IdempotencyStore store;

    @BeforeAll
    static void open() {
        db = TestDatabase.create(IdempotencyStoreTest.class);
        database = Database.open(DatabaseUrl.parse(db.url), new PoolSettings(40, 2000, 30000));
        Migrations.apply(database.dataSource());
        store = new PostgresIdempotencyStore(database.dataSource());
    }

    @AfterAll
    static void close() {
        database.close();
        db.close();
    }

    private static IdempotencyStore.Run run(String key, long leaseMs) {
        return assertInstanceOf(IdempotencyStore.Run.class, store.claim(key, "h", PAYMENT, leaseMs));
    }

    private static int racing(int threads, Callable<Claim> claim, Class<?> winner) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<Claim>> claims = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            claims.add(pool.submit(() -> {
                together.await();
                return claim.call();
            }));
        }
        int wins = 0;
        for (Future<Claim> future : claims) {
            wins += winner.isInstance(future.get()) ? 1 : 0;
        }
        pool.shutdown();
        return wins;
    }

    @Test
    void ofManyThreadsClaimingANewKeyExactlyOneRunsAndTheOthersSeeItInFlight() throws Exception {
        assertEquals(1, racing(32, () -> store.claim("race", "h", PAYMENT, LEASE), IdempotencyStore.Run.class));
        assertInstanceOf(IdempotencyStore.InFlight.class, store.claim("race", "h", PAYMENT, LEASE));
    }

    @Test
    void aSettledKeyIsReplayedAndADifferentPayloadIsAMismatch() {
        IdempotencyStore.Run run = run("settled", LEASE);
        assertTrue(store.settle(run.record(), State.AUTHORISED, OK, 1));

        IdempotencyStore.Replay replay = assertInstanceOf(IdempotencyStore.Replay.class,
                store.claim("settled", "h", PAYMENT, LEASE));
        assertEquals(OK.body(), replay.record().answer().body());
        assertEquals(200, replay.record().answer().httpStatus());
        assertInstanceOf(IdempotencyStore.PayloadMismatch.class, store.claim("settled", "other", PAYMENT, LEASE));
    }

    @Test
    void aFailedKeyRunsAgainWithTheSameBodyAndStaysBoundToItsPayload() {
        IdempotencyStore.Run first = run("failed", LEASE);
        store.settle(first.record(), State.FAILED, SHED, 1);

        assertInstanceOf(IdempotencyStore.PayloadMismatch.class, store.claim("failed", "other", PAYMENT, LEASE));
        IdempotencyStore.Run again = run("failed", LEASE);
        assertFalse(again.reconcile(), "nothing can have been charged: no need to ask the provider first");
        assertEquals(State.FAILED, again.previous().state());
        assertEquals(1, again.record().attempts());
    }

    @Test
    void anUnknownKeyIsTakenOverForReconciliationByOneRequestOnly() throws Exception {
        IdempotencyStore.Run first = run("unknown", LEASE);
        store.settle(first.record(), State.UNKNOWN, new StoredAnswer(504, Json.MAPPER.createObjectNode()), 3);

        assertEquals(1, racing(8, () -> store.claim("unknown", "h", PAYMENT, LEASE), IdempotencyStore.Run.class));
        IdempotencyStore.InFlight held = assertInstanceOf(IdempotencyStore.InFlight.class,
                store.claim("unknown", "h", PAYMENT, LEASE));
        assertEquals(3, held.record().attempts());
        assertFalse(store.settle(first.record(), State.FAILED, SHED, 3), "an old claim can no longer settle the key");
    }

    @Test
    void anInFlightKeyIsTakenOverOnlyOnceItsLeaseRanOutAndThenByOneRequest() throws Exception {
        IdempotencyStore.Run held = run("leased", LEASE);
        assertInstanceOf(IdempotencyStore.InFlight.class, store.claim("leased", "h", PAYMENT, LEASE));

        IdempotencyStore.Run dying = run("expiring", 0); // a lease that ends at once: its replica "died"
        assertEquals(1, racing(8, () -> store.claim("expiring", "h", PAYMENT, LEASE), IdempotencyStore.Run.class));
        IdempotencyStore.InFlight taken = assertInstanceOf(IdempotencyStore.InFlight.class,
                store.claim("expiring", "h", PAYMENT, LEASE));
        assertNotEquals(dying.record().leaseToken(), taken.record().leaseToken());
        assertFalse(store.settle(dying.record(), State.AUTHORISED, OK, 1), "the stale replica cannot settle");
        assertTrue(store.settle(held.record(), State.AUTHORISED, OK, 1));
    }

    @Test
    void aTakeOverOfAnExpiredLeaseAsksTheProviderFirst() {
        run("recover", 0);
        IdempotencyStore.Run recovered = run("recover", LEASE);
        assertTrue(recovered.reconcile());
        assertEquals(State.IN_FLIGHT, recovered.previous().state());
    }

    @Test
    void aLookupSettlesARecordOnlyIfItIsStillWhatWasRead() {
        IdempotencyStore.Run first = run("seen", LEASE);
        store.settle(first.record(), State.UNKNOWN, new StoredAnswer(504, Json.MAPPER.createObjectNode()), 3);
        PaymentRecord seen = store.get("seen").orElseThrow();
        run("seen", LEASE); // a POST takes the key meanwhile

        assertFalse(store.settleSeen(seen, State.FAILED, SHED));
        assertEquals(State.IN_FLIGHT, store.get("seen").orElseThrow().state());
        PaymentRecord live = store.get("seen").orElseThrow();
        assertFalse(store.settleSeen(live, State.FAILED, SHED), "a live lease is not a lookup's to settle");
    }

    @Test
    void theReaperDeletesOnlyFinishedRecordsPastTheRetentionInBoundedBatches() throws Exception {
        for (String key : List.of("old-1", "old-2", "old-3", "new-1")) {
            store.settle(run(key, LEASE).record(), State.AUTHORISED, OK, 1);
        }
        store.settle(run("old-unknown", LEASE).record(), State.UNKNOWN, OK, 1);
        run("old-inflight", 0);
        db.sql("UPDATE payment_records SET updated_at = now() - interval '2 days' WHERE idempotency_key LIKE 'old-%'");

        assertEquals(2, store.reap(86_400_000L, 2));
        assertEquals(1, store.reap(86_400_000L, 2));
        assertEquals(0, store.reap(86_400_000L, 2));
        assertTrue(store.get("new-1").isPresent());
        assertTrue(store.get("old-unknown").isPresent(), "an unknown outcome is kept until it is settled");
        assertTrue(store.get("old-inflight").isPresent(), "a record in flight is never reaped");
        assertTrue(store.get("old-1").isEmpty());
    }

    @Test
    void aReaperRoundDeletesBatchAfterBatchUntilNoOldRecordIsLeft() {
        db.sql("INSERT INTO payment_records (idempotency_key, request_hash, state, payment, answer_status, answer_body,"
                + " lease_token, updated_at) SELECT 'bulk-' || i, 'h', 'declined', '{}', 200, '{}', gen_random_uuid(),"
                + " now() - interval '25 hours' FROM generate_series(1, " + (Reaper.BATCH * 2 + 7) + ") AS i");
        Reaper reaper = new Reaper(store, () -> new IdempotencySettings(86_400_000L, LEASE, 60_000L));

        assertEquals(Reaper.BATCH * 2 + 7, reaper.reapNow());
        assertTrue(store.get("bulk-1").isEmpty());
        assertEquals(0, reaper.reapNow());
    }

    @Test
    void noRecordKeepsThePaymentTokenInTheDatabaseOrInMemory() throws Exception {
        PaymentRequest request = new PaymentRequest("o-token", 1999, "EUR", "tok_visa_4242");
        IdempotencyStore.Run run = assertInstanceOf(IdempotencyStore.Run.class,
                store.claim("token", "h", Payment.of(request), LEASE));
        store.settle(run.record(), State.AUTHORISED, OK, 1);

        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT p::text FROM payment_records p")) {
            while (rows.next()) {
                assertFalse(rows.getString(1).contains("tok_"), rows.getString(1));
            }
        }
        for (Class<?> type : List.of(PaymentRecord.class, Payment.class)) {
            for (RecordComponent component : type.getRecordComponents()) {
                assertNotEquals(PaymentRequest.class, component.getType(), type + " holds the request");
                assertFalse(component.getName().toLowerCase(java.util.Locale.ROOT).contains("token")
                        && component.getType() == String.class, type + "." + component.getName());
            }
        }
    }

    @Test
    void aRequestsToStringNeverShowsTheToken() {
        PaymentRequest request = new PaymentRequest("o", 1999, "EUR", "tok_visa_4242");
        assertFalse(request.toString().contains("tok_visa"));
        assertTrue(request.toString().contains("4242"));
    }
}
