package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.GatewayHarness.Answer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A U+0000 is a legal JSON string character (PostgreSQL text, in the order service, cannot hold it).
 * The gateway stores nothing in a database: it passes such a value on to the provider unchanged and
 * answers as for any payment — never a 500.
 */
class NulCharacterTest {
    @TempDir
    Path dir;

    @Test
    void aNulInOrderIdAndPaymentTokenIsPassedOnNeverA500() throws Exception {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            harness.provider.enqueue(GatewayHarness.charge(200, "nul-1", "authorised"));

            Answer answer = harness.pay("nul-1", "{\"order_id\":\"o-\\u0000-1\",\"amount_minor\":1999,"
                    + "\"currency\":\"EUR\",\"payment_token\":\"tok_\\u0000_4242\"}");

            assertEquals(200, answer.status(), answer.body().toString());
            assertEquals("authorised", answer.text("/status"));
            assertEquals("o-\u0000-1", answer.text("/order_id"));
            RecordedRequest sent = harness.provider.takeRequest(1, TimeUnit.SECONDS);
            assertNotNull(sent, "the provider was called");
            String body = sent.getBody().utf8();
            assertTrue(body.contains("\"order_id\":\"o-\\u0000-1\""), body);
            assertTrue(body.contains("\"payment_token\":\"tok_\\u0000_4242\""), "the token is forwarded as given");
            assertEquals(200, harness.status("nul-1").status(), "the stored record is read back");
        }
    }
}
