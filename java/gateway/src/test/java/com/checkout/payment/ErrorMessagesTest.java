package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.GatewayHarness.Answer;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway error message is one sentence naming what happened, whether the payment may have
 * been charged and whether retrying is safe — not the kernel's "CLASS: …" text (every answer the
 * harness reads is also checked for that prefix).
 */
class ErrorMessagesTest {
    @TempDir
    Path dir;

    private GatewayHarness harness;

    // One sentence: a capital, no full stop until the end (none of these messages names a key).
    private static final Pattern ONE_SENTENCE = Pattern.compile("[A-Z][^.]*\\.");

    @BeforeEach
    void start() {
        harness = GatewayHarness.shortened(dir);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private static String message(Answer answer) {
        String message = answer.text("/error/message");
        assertTrue(ONE_SENTENCE.matcher(message).matches(), "not one sentence: " + message);
        return message;
    }

    @Test
    void aServerErrorOnEveryAttemptSaysThePaymentMayHaveBeenChargedAndHowToSettleIt() {
        for (int i = 0; i < 3; i++) {
            harness.provider.enqueue(GatewayHarness.error(500, "UPSTREAM_UNAVAILABLE", true));
        }

        Answer answer = harness.pay("m-500", GatewayHarness.PAYMENT);

        assertEquals("unknown", answer.text("/status"));
        assertEquals("The payment provider answered attempt 3 with HTTP 500, so the payment may have been charged:"
                + " do not retry it under a new Idempotency-Key; GET /payments/{idempotencyKey} settles its outcome.",
                message(answer));
    }

    @Test
    void aHangCutByTheDeadlineSaysSoAndThatThePaymentMayHaveBeenCharged() {
        harness.provider.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

        Answer answer = harness.pay("m-cut", GatewayHarness.PAYMENT, Map.of("X-Deadline-Ms", "300"));

        assertEquals("DEADLINE_EXCEEDED", answer.text("/error/class"));
        assertEquals("The request's deadline ran out while attempt 1 waited for the payment provider, so the payment"
                + " may have been charged: do not retry it under a new Idempotency-Key;"
                + " GET /payments/{idempotencyKey} settles its outcome.", message(answer));
    }

    @Test
    void aProviderRefusalSaysNothingWasChargedAndThatRetryingFailsTheSameWay() {
        harness.provider.enqueue(GatewayHarness.error(400, "INVALID_REQUEST", false));

        Answer answer = harness.pay("m-400", GatewayHarness.PAYMENT);

        assertEquals("The payment provider refused the charge as invalid (HTTP 400), so nothing was charged:"
                + " retrying the same payment fails the same way.", message(answer));
    }

    // Issue 11 (b): a failed payment is run again by the same key, so the message says so.
    @Test
    void loadSheddingSaysNothingWasChargedAndRetryingWithTheSameKeyIsSafe() {
        harness.provider.enqueue(new MockResponse.Builder(GatewayHarness.error(503, "OVERLOADED", false))
                .addHeader("Retry-After", "1").build());

        Answer answer = harness.pay("m-shed", GatewayHarness.PAYMENT);

        assertEquals("The payment provider shed attempt 1 for load (HTTP 503), so nothing was charged: retrying"
                + " with the same Idempotency-Key is safe after a pause.", message(answer));
        assertFalse(answer.body().at("/error/retryable").asBoolean(true), "no relay retries it at once");
    }

    @Test
    void anOpenBreakerSaysTheProviderWasNotCalledAndWhenItWillBeTriedAgain() {
        for (int i = 0; i < 5; i++) {
            harness.provider.enqueue(GatewayHarness.error(500, "UPSTREAM_UNAVAILABLE", true));
        }
        harness.pay("m-b1", GatewayHarness.PAYMENT);
        harness.pay("m-b2", GatewayHarness.PAYMENT);

        Answer answer = harness.pay("m-b3", GatewayHarness.PAYMENT);

        assertEquals("CIRCUIT_OPEN", answer.text("/error/class"));
        assertTrue(Pattern.matches("The gateway's circuit breaker is open because the payment provider kept failing,"
                + " and the provider was not called, so nothing was charged: retrying with the same Idempotency-Key"
                + " is safe, and the breaker tries the provider again in [0-9]+ ms\\.", message(answer)),
                message(answer));
    }

    @Test
    void aLookupThatCannotReachTheProviderSaysTheOutcomeIsStillUnknown() {
        for (int i = 0; i < 3; i++) {
            harness.provider.enqueue(GatewayHarness.error(500, "UPSTREAM_UNAVAILABLE", true));
        }

        Answer answer = harness.status("m-lookup");

        assertEquals("unknown", answer.text("/status"));
        assertEquals("This payment's outcome is still unknown because the provider could not be asked (the payment"
                + " provider answered attempt 3 with HTTP 500): do not retry it under a new Idempotency-Key;"
                + " ask GET /payments/{idempotencyKey} again later.", message(answer));
    }

    @Test
    void deadlineHeaderAnswersCarryNoClassPrefix() {
        Answer over = harness.pay("m-d0", GatewayHarness.PAYMENT, Map.of("X-Deadline-Ms", "0"));
        assertEquals("X-Deadline-Ms is 0, so the caller had stopped waiting and the payment provider was not called:"
                + " nothing was charged and retrying with a positive X-Deadline-Ms is safe.", over.text("/error/message"));
        assertEquals("X-Deadline-Ms is 0; expected a positive number of milliseconds",
                over.text("/error/details/0/message"));

        Answer malformed = harness.pay("m-dx", GatewayHarness.PAYMENT, Map.of("X-Deadline-Ms", "soon"));
        assertEquals(400, malformed.status());
        assertEquals("X-Deadline-Ms is \"soon\"; expected a base-10 integer of at most 10 digits",
                malformed.text("/error/message"));
        assertEquals(0, harness.provider.getRequestCount());
    }
}
