package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.GatewayHarness.Answer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charge's bulkhead (SEMANTICS.md §11) on the running gateway: with {@code max_concurrent} 1
 * and one slow charge in flight, another payment is refused at once — nothing sent, {@code failed},
 * 503 with {@code Retry-After: 1} — and the same key pays once the slot is free.
 */
class ChargeBulkheadTest {
    private static final String LABELS = "operation=\"charge\",service=\"gateway\",upstream=\"provider\"";

    @TempDir
    Path dir;

    @Test
    void aFullChargeBulkheadAnswers503AndTheSameKeyPaysOnceASlotIsFree() throws Exception {
        ObjectNode doc = TestConfigs.shortened();
        ((ObjectNode) doc.at("/payment/bulkhead")).put("max_concurrent", 1);
        try (GatewayHarness harness = new GatewayHarness(TestConfigs.write(dir.resolve("timeout.json"), doc))) {
            harness.provider.enqueue(new MockResponse.Builder(GatewayHarness.charge(201, "k-slow", "authorised"))
                    .headersDelay(700, TimeUnit.MILLISECONDS).build());
            CompletableFuture<Answer> slow =
                    CompletableFuture.supplyAsync(() -> harness.pay("k-slow", GatewayHarness.PAYMENT));
            assertNotNull(harness.provider.takeRequest(5, TimeUnit.SECONDS), "the slow charge holds the one slot");
            assertTrue(harness.metrics().contains("checkout_bulkhead_in_flight{" + LABELS + "} 1.0"),
                    harness.metrics());
            assertTrue(harness.metrics().contains("checkout_bulkhead_max_concurrent{" + LABELS + "} 1.0"),
                    harness.metrics());

            Answer full = harness.pay("k-full", GatewayHarness.PAYMENT);

            assertEquals(503, full.status(), full.body().toString());
            assertEquals("BULKHEAD_FULL", full.text("/error/class"));
            assertEquals("failed", full.text("/status"));
            assertFalse(full.body().at("/error/retryable").asBoolean(true), "no relay retries it at once");
            assertEquals("1", full.headers().firstValue("Retry-After").orElse(""));
            assertEquals("The gateway already runs as many charge attempts to the payment provider as its bulkhead"
                    + " allows (max_concurrent 1), and the provider was not called, so nothing was charged: retrying"
                    + " with the same Idempotency-Key is safe after a pause.", full.text("/error/message"));
            assertEquals(1, harness.provider.getRequestCount(), "the refused payment sent nothing");
            assertEquals("closed", harness.get("/health").text("/breaker/state"), "a full bulkhead is no failure");

            // Lookups have a bulkhead of their own: the provider is still asked about a key.
            harness.provider.enqueue(GatewayHarness.error(404, "NOT_FOUND", false));
            assertEquals(404, harness.status("k-never").status());
            assertEquals(2, harness.provider.getRequestCount());

            assertEquals("authorised", slow.get(5, TimeUnit.SECONDS).text("/status"));
            harness.provider.enqueue(GatewayHarness.charge(201, "k-full", "authorised"));
            Answer again = harness.pay("k-full", GatewayHarness.PAYMENT);

            assertEquals(200, again.status(), again.body().toString());
            assertEquals("authorised", again.text("/status"));
            assertEquals(1, again.body().get("attempts").asInt(), "the refused run sent no attempt");
            assertTrue(again.headers().firstValue("Idempotent-Replayed").isEmpty(), "a new run, not a replay");
            assertTrue(again.headers().firstValue("Retry-After").isEmpty());
            assertEquals("authorised", harness.status("k-full").text("/status"));
            String metrics = harness.metrics();
            assertTrue(metrics.contains("checkout_bulkhead_in_flight{" + LABELS + "} 0.0"), metrics);
            assertTrue(metrics.contains("checkout_requests_total{error_class=\"BULKHEAD_FULL\",outcome=\"error\","
                    + "route=\"POST /payments\",service=\"gateway\"} 1.0"), metrics);
            assertTrue(metrics.contains("checkout_payment_outcomes_total{service=\"gateway\",status=\"failed\"} 1.0"),
                    metrics);
        }
    }
}
