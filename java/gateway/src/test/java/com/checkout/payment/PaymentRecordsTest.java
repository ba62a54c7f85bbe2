package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.Fingerprint;
import com.checkout.payment.GatewayHarness.Answer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payment records in PostgreSQL over HTTP, against a provider that answers exactly as each
 * test says: the defects b, d, e and i of issue 11, and the recovery of a key whose gateway died.
 */
class PaymentRecordsTest {
    private static final String OTHER_BODY = "{\"order_id\":\"order-17\",\"amount_minor\":2999,\"currency\":\"EUR\","
            + "\"payment_token\":\"tok_visa_4242\"}";

    @TempDir
    Path dir;

    private GatewayHarness harness;

    @BeforeEach
    void start() {
        harness = GatewayHarness.shortened(dir);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static MockResponse shed() {
        return new MockResponse.Builder(GatewayHarness.error(503, "OVERLOADED", false))
                .addHeader("Retry-After", "1").build();
    }

    // (b) A shed attempt charged nothing: once the provider recovers, the same key and body succeed.
    @Test
    void aShedPaymentRunsAgainWithTheSameKeyOnceTheProviderRecovers() {
        harness.provider.enqueue(shed());
        Answer shedAnswer = harness.pay("b-shed", GatewayHarness.PAYMENT);
        assertEquals(503, shedAnswer.status());
        assertEquals("failed", shedAnswer.text("/status"));

        assertEquals(422, harness.pay("b-shed", OTHER_BODY).status(), "the key keeps its payload");
        harness.provider.enqueue(GatewayHarness.charge(201, "b-shed", "authorised"));
        Answer again = harness.pay("b-shed", GatewayHarness.PAYMENT);

        assertEquals(200, again.status(), again.body().toString());
        assertEquals("authorised", again.text("/status"));
        assertEquals(2, again.body().get("attempts").asInt());
        assertTrue(again.headers().firstValue("Idempotent-Replayed").isEmpty(), "a new run, not a replay");
        assertEquals(2, harness.provider.getRequestCount());
        assertEquals("authorised", harness.status("b-shed").text("/status"));
    }

    // (b) An open breaker called nothing: after recovery the same key runs as a half-open trial.
    @Test
    void aPaymentRefusedByAnOpenBreakerRunsAgainWithTheSameKeyAfterRecovery() throws Exception {
        for (int i = 0; i < 5; i++) {
            harness.provider.enqueue(GatewayHarness.error(500, "UPSTREAM_UNAVAILABLE", true));
        }
        harness.pay("b-trip-1", GatewayHarness.PAYMENT);
        harness.pay("b-trip-2", GatewayHarness.PAYMENT);
        Answer refused = harness.pay("b-open", GatewayHarness.PAYMENT);
        assertEquals("CIRCUIT_OPEN", refused.text("/error/class"));
        assertEquals("failed", refused.text("/status"));

        Thread.sleep(550); // recovery_timeout_ms of the shortened config, and a little
        harness.provider.enqueue(GatewayHarness.charge(201, "b-open", "authorised"));
        Answer again = harness.pay("b-open", GatewayHarness.PAYMENT);

        assertEquals(200, again.status(), again.body().toString());
        assertEquals("authorised", again.text("/status"));
    }

    // (d) GET while a POST for the key is charging: pending, never "failed, nothing charged".
    @Test
    void aLookupRacingAPostInFlightAnswersPendingNeverFailed() throws Exception {
        for (int i = 0; i < 3; i++) {
            harness.provider.enqueue(GatewayHarness.error(500, "UPSTREAM_UNAVAILABLE", true));
        }
        assertEquals("unknown", harness.pay("d-race", GatewayHarness.PAYMENT).text("/status"));
        CountDownLatch lookupSent = new CountDownLatch(1);
        CountDownLatch chargeSent = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        harness.provider.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getMethod().equals("POST")) {
                    chargeSent.countDown();
                    return new MockResponse.Builder(GatewayHarness.charge(201, "d-race", "authorised"))
                            .headersDelay(700, TimeUnit.MILLISECONDS).build();
                }
                MockResponse notFound = GatewayHarness.error(404, "NOT_FOUND", false);
                if (lookups.incrementAndGet() == 1) {
                    lookupSent.countDown(); // the GET's lookup: slow, so the POST takes the key meanwhile
                    return new MockResponse.Builder(notFound).headersDelay(400, TimeUnit.MILLISECONDS).build();
                }
                return notFound;
            }
        });

        CompletableFuture<Answer> lookup = CompletableFuture.supplyAsync(() -> harness.status("d-race"));
        assertTrue(lookupSent.await(5, TimeUnit.SECONDS));
        CompletableFuture<Answer> post = CompletableFuture.supplyAsync(() -> harness.pay("d-race", GatewayHarness.PAYMENT));
        assertTrue(chargeSent.await(5, TimeUnit.SECONDS));

        Answer during = lookup.get(5, TimeUnit.SECONDS);
        assertEquals(200, during.status());
        assertEquals("pending", during.text("/status"), during.body().toString());
        assertEquals("authorised", post.get(5, TimeUnit.SECONDS).text("/status"));
        assertEquals("authorised", harness.status("d-race").text("/status"));
    }

    // (e) The record is lost; a reused key with another body is refused by the provider (422):
    // the gateway answers 422 and keeps no record that would call the real charge failed.
    @Test
    void aReusedKeyWithAnotherBodyAfterTheRecordWasLostAnswers422AndLeavesTheChargeAlone() throws Exception {
        harness.provider.enqueue(GatewayHarness.charge(201, "e-lost", "authorised"));
        assertEquals(200, harness.pay("e-lost", GatewayHarness.PAYMENT).status());
        harness.database.sql("DELETE FROM payment_records WHERE idempotency_key = 'e-lost'"); // the fault

        harness.provider.enqueue(GatewayHarness.json(422, "{\"error\":{\"class\":\"IDEMPOTENCY_CONFLICT\","
                + "\"message\":\"Idempotency-Key 'e-lost' was used with a different payload\",\"retryable\":false}}"));
        Answer conflict = harness.pay("e-lost", OTHER_BODY);

        assertEquals(422, conflict.status(), conflict.body().toString());
        assertEquals("IDEMPOTENCY_CONFLICT", conflict.text("/error/class"));
        assertTrue(conflict.body().path("status").isMissingNode(), "neither failed nor unknown: " + conflict.body());
        assertEquals(0, rows("e-lost"), "no record calls the real charge failed");
        harness.provider.enqueue(GatewayHarness.charge(200, "e-lost", "authorised"));
        Answer status = harness.status("e-lost");
        assertEquals("authorised", status.text("/status"));
        assertEquals("ch_e-lost", status.text("/charge_id"));
    }

    // (i) No record keeps the token, in the database or anywhere it could be read back.
    @Test
    void aPaidRecordKeepsNoPaymentToken() throws Exception {
        harness.provider.enqueue(shed());
        harness.pay("i-token", GatewayHarness.PAYMENT);
        harness.provider.enqueue(GatewayHarness.charge(201, "i-token", "authorised"));
        harness.pay("i-token", GatewayHarness.PAYMENT);

        try (Connection connection = harness.database.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT p::text FROM payment_records p")) {
            assertTrue(row.next());
            assertFalse(row.getString(1).contains("tok_visa"), row.getString(1));
            assertTrue(row.getString(1).contains("order-17"), row.getString(1));
        }
    }

    // A replica died after its claim (the row is in flight, its lease over): the next request asks
    // the provider before anything else, and answers the charge it finds without charging again.
    @Test
    void aKeyWhoseGatewayDiedMidPaymentIsSettledByAskingTheProviderFirst() throws Exception {
        inFlight("dead-post", "now() - interval '1 second'");
        harness.provider.enqueue(GatewayHarness.charge(200, "dead-post", "authorised"));

        Answer answer = harness.pay("dead-post", GatewayHarness.PAYMENT);

        assertEquals(200, answer.status(), answer.body().toString());
        assertEquals("authorised", answer.text("/status"));
        RecordedRequest asked = harness.provider.takeRequest(1, TimeUnit.SECONDS);
        assertNotNull(asked);
        assertEquals("GET /v1/charges/dead-post", asked.getMethod() + " " + asked.getUrl().encodedPath());
        assertEquals(1, harness.provider.getRequestCount(), "no second charge");
        assertEquals("true", harness.pay("dead-post", GatewayHarness.PAYMENT).headers()
                .firstValue("Idempotent-Replayed").orElse(""));
    }

    @Test
    void aLiveLeaseIsPendingAndADeadOneThatNeverChargedIsFailedThenRunsAgain() throws Exception {
        inFlight("live", "now() + interval '1 minute'");
        assertEquals("pending", harness.status("live").text("/status"));
        assertEquals(409, harness.pay("live", GatewayHarness.PAYMENT).status());
        assertEquals(0, harness.provider.getRequestCount(), "a live lease is not the provider's question");

        inFlight("dead-get", "now() - interval '1 second'");
        harness.provider.enqueue(GatewayHarness.error(404, "NOT_FOUND", false));
        Answer settled = harness.status("dead-get");
        assertEquals("failed", settled.text("/status"), settled.body().toString());
        harness.provider.enqueue(GatewayHarness.charge(201, "dead-get", "authorised"));
        assertEquals("authorised", harness.pay("dead-get", GatewayHarness.PAYMENT).text("/status"));
    }

    private void inFlight(String key, String leaseExpiresAt) throws Exception {
        harness.database.sql("INSERT INTO payment_records (idempotency_key, request_hash, state, payment, lease_token,"
                + " lease_expires_at) VALUES ('" + key + "', '" + Fingerprint.ofText(GatewayHarness.PAYMENT)
                + "', 'in_flight', '{\"order_id\":\"order-17\",\"amount_minor\":1999,\"currency\":\"EUR\"}',"
                + " gen_random_uuid(), " + leaseExpiresAt + ")");
    }

    private int rows(String key) throws Exception {
        try (Connection connection = harness.database.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM payment_records WHERE idempotency_key = '"
                        + key + "'")) {
            row.next();
            return row.getInt(1);
        }
    }
}
