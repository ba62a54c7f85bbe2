package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.GatewayHarness.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running gateway against a real HTTP upstream that fails exactly where each test says, with
 * the shortened config (attempt timeout 1 s, recovery 500 ms, backoff 50 ms).
 */
class ProviderFaultsTest {
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

    private static MockResponse stalled() {
        return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
    }

    private List<RecordedRequest> requests(int count) throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(harness.provider.takeRequest(1, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void a503IsRetriedWithTheSameIdempotencyKeyUntilTheChargeSucceeds() throws Exception {
        harness.provider.enqueue(GatewayHarness.error(503, "UPSTREAM_UNAVAILABLE", true));
        harness.provider.enqueue(GatewayHarness.error(500, "UPSTREAM_UNAVAILABLE", true));
        harness.provider.enqueue(GatewayHarness.charge(201, "k-503", "authorised"));

        Answer answer = harness.pay("k-503", GatewayHarness.PAYMENT);

        assertEquals(200, answer.status());
        assertEquals("authorised", answer.text("/status"));
        assertEquals(3, answer.body().get("attempts").asInt());
        assertEquals("order-17", answer.text("/order_id"));
        for (RecordedRequest request : requests(3)) {
            assertEquals("POST", request.getMethod());
            assertEquals("/v1/charges", request.getUrl().encodedPath());
            assertEquals("k-503", request.getHeaders().get("Idempotency-Key"));
            long deadline = Long.parseLong(request.getHeaders().get("X-Deadline-Ms"));
            assertTrue(deadline > 0 && deadline <= 1000, "X-Deadline-Ms " + deadline);
        }
        assertEquals(3, harness.provider.getRequestCount());
        assertTrue(harness.metrics().contains("checkout_retries_total{operation=\"charge\",service=\"gateway\",upstream=\"provider\"} 2.0"));
    }

    @Test
    void aClientErrorFromTheProviderIsNeverRetried() {
        harness.provider.enqueue(GatewayHarness.error(400, "INVALID_REQUEST", false));

        Answer answer = harness.pay("k-400", GatewayHarness.PAYMENT);

        assertEquals(400, answer.status());
        assertEquals("INVALID_REQUEST", answer.text("/error/class"));
        assertEquals("failed", answer.text("/status"));
        assertFalse(answer.body().at("/error/retryable").asBoolean(true));
        assertEquals(1, harness.provider.getRequestCount());
    }

    @Test
    void aDeclineIsAnAnswerAndNeverRetried() {
        harness.provider.enqueue(GatewayHarness.charge(201, "k-decline", "declined"));

        Answer answer = harness.pay("k-decline", GatewayHarness.PAYMENT);

        assertEquals(200, answer.status());
        assertEquals("declined", answer.text("/status"));
        assertEquals("insufficient_funds", answer.text("/decline_reason"));
        assertEquals(1, answer.body().get("attempts").asInt());
        assertEquals(1, harness.provider.getRequestCount());
    }

    @Test
    void loadSheddingIsNotRetriedAndSurelyChargedNothing() {
        harness.provider.enqueue(new MockResponse.Builder(GatewayHarness.error(503, "OVERLOADED", false))
                .addHeader("Retry-After", "1").build());

        Answer answer = harness.pay("k-shed", GatewayHarness.PAYMENT);

        assertEquals(503, answer.status());
        assertEquals("OVERLOADED", answer.text("/error/class"));
        assertEquals("failed", answer.text("/status"));
        assertEquals(1, harness.provider.getRequestCount());
    }

    @Test
    void aHangingProviderLeavesThePaymentUnknownUntilALookupSettlesIt() throws Exception {
        for (int i = 0; i < 3; i++) {
            harness.provider.enqueue(stalled());
        }
        Answer unknown = harness.pay("k-hang", GatewayHarness.PAYMENT);

        assertEquals(504, unknown.status());
        assertEquals("TIMEOUT", unknown.text("/error/class"));
        assertEquals("unknown", unknown.text("/status"));
        assertFalse(unknown.body().at("/error/retryable").asBoolean(true));
        assertEquals(3, harness.provider.getRequestCount());

        harness.provider.enqueue(GatewayHarness.charge(200, "k-hang", "authorised"));
        Answer settled = harness.status("k-hang");
        assertEquals(200, settled.status());
        assertEquals("authorised", settled.text("/status"));
        assertEquals("ch_k-hang", settled.text("/charge_id"));
        RecordedRequest lookup = requests(4).get(3);
        assertEquals("GET", lookup.getMethod());
        assertEquals("/v1/charges/k-hang", lookup.getUrl().encodedPath());

        Answer replay = harness.pay("k-hang", GatewayHarness.PAYMENT);
        assertEquals(200, replay.status());
        assertEquals("authorised", replay.text("/status"));
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(4, harness.provider.getRequestCount());
    }

    @Test
    void aRetryAfterAnUnknownOutcomeAsksTheProviderAndRunsAgainWhenItNeverCharged() throws Exception {
        for (int i = 0; i < 3; i++) {
            harness.provider.enqueue(stalled());
        }
        assertEquals("unknown", harness.pay("k-rerun", GatewayHarness.PAYMENT).text("/status"));
        harness.provider.enqueue(GatewayHarness.error(404, "NOT_FOUND", false));
        harness.provider.enqueue(GatewayHarness.charge(201, "k-rerun", "authorised"));

        Answer answer = harness.pay("k-rerun", GatewayHarness.PAYMENT);

        assertEquals(200, answer.status());
        assertEquals("authorised", answer.text("/status"));
        assertEquals(4, answer.body().get("attempts").asInt());
        assertTrue(answer.headers().firstValue("Idempotent-Replayed").isEmpty());
        List<RecordedRequest> seen = requests(5);
        assertEquals("GET /v1/charges/k-rerun", seen.get(3).getMethod() + " " + seen.get(3).getUrl().encodedPath());
        assertEquals("POST", seen.get(4).getMethod());
        assertEquals("k-rerun", seen.get(4).getHeaders().get("Idempotency-Key"));
    }

    @Test
    void aHangCutShortByTheCallersDeadlineEndsDeadlineExceededAndUnknown() throws Exception {
        harness.provider.enqueue(stalled());

        Answer answer = harness.pay("k-cut", GatewayHarness.PAYMENT, Map.of("X-Deadline-Ms", "300"));

        assertEquals(504, answer.status());
        assertEquals("DEADLINE_EXCEEDED", answer.text("/error/class"));
        assertEquals("unknown", answer.text("/status"));
        RecordedRequest request = requests(1).get(0);
        assertTrue(Long.parseLong(request.getHeaders().get("X-Deadline-Ms")) <= 300 - 50, "the answer margin kept out");
        assertEquals(1, harness.provider.getRequestCount());
    }

    @Test
    void aDeadlineAlreadyOverAnswers504WithoutCallingTheProvider() {
        Answer answer = harness.pay("k-late", GatewayHarness.PAYMENT, Map.of("X-Deadline-Ms", "0"));

        assertEquals(504, answer.status());
        assertEquals("DEADLINE_EXCEEDED", answer.text("/error/class"));
        assertEquals("failed", answer.text("/status"));
        assertEquals(0, harness.provider.getRequestCount());
    }

    @Test
    void theBreakerOpensAfterThresholdFailuresRejectsFastThenClosesAfterHalfOpenTrials() throws Exception {
        for (int i = 0; i < 5; i++) {
            harness.provider.enqueue(GatewayHarness.error(500, "UPSTREAM_UNAVAILABLE", true));
        }
        Answer first = harness.pay("k-b1", GatewayHarness.PAYMENT); // 3 failed attempts
        assertEquals(502, first.status());
        assertEquals("UPSTREAM_UNAVAILABLE", first.text("/error/class"));
        assertEquals("unknown", first.text("/status"));
        Answer second = harness.pay("k-b2", GatewayHarness.PAYMENT); // failures 4 and 5: opens
        assertEquals(5, harness.provider.getRequestCount());
        assertEquals("open", harness.get("/health").text("/breaker/state"));
        assertEquals("degraded", harness.get("/health").text("/status"));
        assertEquals(503, second.status());

        Answer[] rejected = new Answer[1];
        Duration took = GatewayHarness.timed(() -> rejected[0] = harness.pay("k-b3", GatewayHarness.PAYMENT));
        assertEquals(503, rejected[0].status());
        assertEquals("CIRCUIT_OPEN", rejected[0].text("/error/class"));
        assertEquals("failed", rejected[0].text("/status"));
        assertEquals(5, harness.provider.getRequestCount(), "an open breaker must not call the provider");
        assertTrue(took.toMillis() < 200, "rejected in " + took.toMillis() + " ms, not after an attempt");

        Thread.sleep(550); // recovery_timeout_ms of the shortened config, and a little
        for (int i = 1; i <= 3; i++) {
            harness.provider.enqueue(GatewayHarness.charge(201, "k-t" + i, "authorised"));
            Answer trial = harness.pay("k-t" + i, GatewayHarness.PAYMENT);
            assertEquals(200, trial.status(), "half-open trial " + i);
            assertEquals(i < 3 ? "half_open" : "closed", harness.get("/health").text("/breaker/state"));
        }
        assertEquals(3, harness.get("/health").body().at("/breaker/generation").asInt());
        String metrics = harness.metrics();
        assertTrue(metrics.contains("checkout_breaker_transitions_total{from=\"closed\",operation=\"charge\",service=\"gateway\",to=\"open\",upstream=\"provider\"} 1.0"), metrics);
        assertTrue(metrics.contains("checkout_breaker_transitions_total{from=\"half_open\",operation=\"charge\",service=\"gateway\",to=\"closed\",upstream=\"provider\"} 1.0"), metrics);
        assertTrue(metrics.contains("checkout_breaker_state{operation=\"charge\",service=\"gateway\",state=\"closed\",upstream=\"provider\"} 1.0"), metrics);
    }

    @Test
    void concurrentRequestsWithOneKeyChargeOnce() throws Exception {
        harness.provider.enqueue(new MockResponse.Builder(GatewayHarness.charge(201, "k-dup", "authorised"))
                .headersDelay(150, TimeUnit.MILLISECONDS).build());
        int callers = 8;
        List<Thread> threads = new ArrayList<>();
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < callers; i++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                answers.add(harness.pay("k-dup", GatewayHarness.PAYMENT));
            });
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(5000);
        }

        assertEquals(callers, answers.size());
        long charged = answers.stream().filter(a -> a.status() == 200).count();
        long inFlight = answers.stream().filter(a -> a.status() == 409).count();
        assertEquals(1, charged, "exactly one request runs the charge");
        assertEquals(callers - 1, inFlight);
        answers.stream().filter(a -> a.status() == 409)
                .forEach(a -> assertEquals("IDEMPOTENCY_CONFLICT", a.text("/error/class")));
        assertEquals(1, harness.provider.getRequestCount());
    }
}
