package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.GatewayHarness.Answer;
import com.checkout.payment.api.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * Real answers of every route and of each status the document lists are valid under
 * openapi.json's schemas (every harness request is checked; this test makes sure each kind of
 * answer happens at least once).
 */
class OpenApiConformanceTest {
    @TempDir
    Path dir;

    @Test
    void theOracleRefusesABodyTheDocumentForbids() throws Exception {
        JsonNode wrong = Json.MAPPER.readTree(
                "{\"idempotency_key\":\"k\",\"order_id\":\"o\",\"status\":\"maybe\",\"charge_id\":\"c\","
                        + "\"amount_minor\":1,\"currency\":\"EUR\",\"attempts\":1}");
        assertThrows(AssertionFailedError.class,
                () -> OpenApi.assertConforms("POST", "/payments", 200, wrong));
        assertThrows(AssertionFailedError.class,
                () -> OpenApi.assertConforms("POST", "/payments", 418, wrong), "an undocumented status");
        JsonNode extra = Json.MAPPER.readTree(
                "{\"error\":{\"class\":\"TIMEOUT\",\"message\":\"m\",\"retryable\":false},\"status\":\"unknown\",\"x\":1}");
        assertThrows(AssertionFailedError.class,
                () -> OpenApi.assertConforms("POST", "/payments", 504, extra));
    }

    @Test
    void everyRouteAnswersAsTheDocumentSays() throws Exception {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            assertEquals(200, harness.get("/health").status());
            Answer document = harness.get("/openapi.json");
            assertEquals(OpenApi.document(), document.body());
            harness.provider.enqueue(GatewayHarness.charge(201, "c-1", "authorised"));
            assertEquals(200, harness.pay("c-1", GatewayHarness.PAYMENT).status());
            // Counted from the first business request on (a probe or a scrape is not counted).
            assertTrue(harness.metrics().contains("# TYPE checkout_requests_total counter"));
            assertEquals(200, harness.pay("c-1", GatewayHarness.PAYMENT).status()); // replay
            assertEquals(422, harness.pay("c-1", GatewayHarness.PAYMENT.replace("1999", "2000")).status());
            assertEquals(400, harness.pay("c-2", "{}").status());
            assertEquals(413, harness.pay("c-3", "x".repeat(70_000)).status());
            assertEquals(504, harness.pay("c-4", GatewayHarness.PAYMENT, Map.of("X-Deadline-Ms", "-0")).status());
            harness.provider.enqueue(GatewayHarness.error(502, "UPSTREAM_UNAVAILABLE", false));
            assertEquals(502, harness.pay("c-5", GatewayHarness.PAYMENT).status());
            harness.provider.enqueue(GatewayHarness.error(409, "IDEMPOTENCY_CONFLICT", false));
            assertEquals(409, harness.pay("c-6", GatewayHarness.PAYMENT).status());
            harness.provider.enqueue(new MockResponse.Builder().code(429).build());
            assertEquals(503, harness.pay("c-7", GatewayHarness.PAYMENT).status());

            assertEquals(200, harness.status("c-1").status());
            harness.provider.enqueue(GatewayHarness.error(404, "NOT_FOUND", false));
            assertEquals(404, harness.status("never-seen").status());
            harness.provider.enqueue(GatewayHarness.charge(200, "pending-1", "pending"));
            Answer pending = harness.status("pending-1");
            assertEquals("pending", pending.text("/status"));
            harness.provider.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).build());
            harness.provider.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).build());
            harness.provider.enqueue(new MockResponse.Builder().headersDelay(2, TimeUnit.SECONDS).build());
            Answer unreachable = harness.status("c-unreachable");
            assertEquals(200, unreachable.status());
            assertEquals("unknown", unreachable.text("/status"));

            Answer noRoute = harness.send(HttpRequest.newBuilder(harness.url("/nowhere")).GET().build(),
                    "GET", "/payments/{idempotencyKey}");
            assertEquals(404, noRoute.status());
            assertEquals("NOT_FOUND", noRoute.text("/error/class"));
        }
    }
}
