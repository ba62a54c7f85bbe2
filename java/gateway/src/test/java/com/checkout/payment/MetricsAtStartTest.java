package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A counter Prometheus first sees at 1 has no earlier sample, so {@code increase()} misses the
 * first event: every counter whose labels are known up front must be scraped at 0 from start-up.
 */
class MetricsAtStartTest {
    @TempDir
    Path dir;

    private static final String COMMON = "service=\"gateway\"";

    @Test
    void everySeriesWithKnownLabelsIsScrapedRightAfterStartCountersAtZero() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            String metrics = harness.metrics();

            List<String> zeroes = new ArrayList<>(List.of(
                    "checkout_config_reloads_total{result=\"success\"," + COMMON + "} 0.0",
                    "checkout_config_reloads_total{result=\"failure\"," + COMMON + "} 0.0",
                    "checkout_payment_outcomes_total{" + COMMON + ",status=\"authorised\"} 0.0",
                    "checkout_payment_outcomes_total{" + COMMON + ",status=\"declined\"} 0.0",
                    "checkout_payment_outcomes_total{" + COMMON + ",status=\"unknown\"} 0.0",
                    "checkout_payment_outcomes_total{" + COMMON + ",status=\"failed\"} 0.0"));
            for (String operation : List.of("charge", "lookup")) {
                String op = "operation=\"" + operation + "\",";
                zeroes.addAll(List.of(
                        "checkout_breaker_transitions_total{from=\"closed\"," + op + COMMON + ",to=\"open\",upstream=\"provider\"} 0.0",
                        "checkout_breaker_transitions_total{from=\"open\"," + op + COMMON + ",to=\"half_open\",upstream=\"provider\"} 0.0",
                        "checkout_breaker_transitions_total{from=\"half_open\"," + op + COMMON + ",to=\"closed\",upstream=\"provider\"} 0.0",
                        "checkout_breaker_transitions_total{from=\"half_open\"," + op + COMMON + ",to=\"open\",upstream=\"provider\"} 0.0",
                        "checkout_retries_total{" + op + COMMON + ",upstream=\"provider\"} 0.0",
                        "checkout_upstream_latency_seconds_count{" + op + COMMON + ",upstream=\"provider\"} 0",
                        "checkout_bulkhead_in_flight{" + op + COMMON + ",upstream=\"provider\"} 0.0"));
            }
            // The bulkheads of config/timeout.json, which the shortened config keeps.
            zeroes.add("checkout_bulkhead_max_concurrent{operation=\"charge\"," + COMMON + ",upstream=\"provider\"} 200.0");
            zeroes.add("checkout_bulkhead_max_concurrent{operation=\"lookup\"," + COMMON + ",upstream=\"provider\"} 20.0");
            for (String series : zeroes) {
                assertTrue(metrics.lines().anyMatch(series::equals), series + " is missing from\n" + metrics);
            }
            // Only SEMANTICS.md §3's four transitions per operation: no series for one that cannot happen.
            assertEquals(8, metrics.lines().filter(l -> l.startsWith("checkout_breaker_transitions_total{")).count(),
                    metrics);
        }
    }

    @Test
    void onlyBusinessRoutesAreCountedLabelledByMethodAndPathTemplate() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            harness.get("/health");
            harness.get("/openapi.json");
            harness.metrics();
            harness.pay(null, GatewayHarness.PAYMENT);
            harness.provider.enqueue(GatewayHarness.json(404, "{\"error\":{\"class\":\"NOT_FOUND\","
                    + "\"message\":\"no such charge\",\"retryable\":false}}"));
            harness.status("m-unknown");

            String metrics = harness.metrics();
            assertTrue(metrics.lines().noneMatch(l -> l.matches(".*route=\"[^\"]*(health|metrics|openapi).*")),
                    "a probe, a scrape or the document counted as traffic:\n" + metrics);
            assertTrue(metrics.contains("checkout_requests_total{error_class=\"INVALID_REQUEST\",outcome=\"error\","
                    + "route=\"POST /payments\"," + COMMON + "} 1.0"), metrics);
            assertTrue(metrics.contains("route=\"GET /payments/{idempotencyKey}\""), metrics);
        }
    }

    @Test
    void thePreRegisteredCountersAreTheOnesThatCount() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            harness.gateway.metrics().reload(false);

            String metrics = harness.metrics();
            assertTrue(metrics.contains("checkout_config_reloads_total{result=\"failure\"," + COMMON + "} 1.0"), metrics);
            assertTrue(metrics.contains("checkout_config_reloads_total{result=\"success\"," + COMMON + "} 0.0"), metrics);
        }
    }
}
