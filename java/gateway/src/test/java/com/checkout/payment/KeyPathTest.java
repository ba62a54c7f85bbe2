package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.GatewayHarness.Answer;
import com.checkout.payment.api.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every key POST /payments accepts can be named in GET /payments/{idempotencyKey} once
 * percent-encoded — '/', '%', '?', '#' included — both from the local record and, for a key the
 * gateway does not know, from the provider; the two dot segments are refused at POST.
 */
class KeyPathTest {
    @TempDir
    static Path dir;

    private static GatewayHarness harness;

    @BeforeAll
    static void start() {
        harness = GatewayHarness.shortened(dir);
        // The provider charges any key and finds any key it is asked for: the key comes back in
        // the charge, decoded from the path as a server does.
        harness.provider.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String key = request.getMethod().equals("POST")
                        ? request.getHeaders().get("Idempotency-Key")
                        : URLDecoder.decode(request.getUrl().encodedPath().substring("/v1/charges/".length())
                                .replace("+", "%2B"), StandardCharsets.UTF_8);
                return GatewayHarness.json(request.getMethod().equals("POST") ? 201 : 200,
                        charge(key));
            }
        });
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static String charge(String key) {
        try {
            return Json.MAPPER.writeValueAsString(Json.MAPPER.createObjectNode()
                    .put("charge_id", "ch_1").put("idempotency_key", key).put("status", "authorised")
                    .put("amount_minor", 1999).put("currency", "EUR"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"order-17/pay", "a%b", "a?b", "a#b", "a%2Fb", "50%", "/", "a/../b", "a+b", "a\\b",
        "a;b=c", "a//b", "%u002F"})
    void aKeyWithCharactersAPathMustEncodeIsPaidThenFoundUnderItsEncodedPath(String key) {
        Answer paid = harness.pay("local-" + key, GatewayHarness.PAYMENT);
        assertEquals(200, paid.status(), paid.body().toString());

        Answer found = harness.status("local-" + key);

        assertEquals(200, found.status(), found.body().toString());
        assertEquals("local-" + key, found.text("/idempotency_key"));
        assertEquals("authorised", found.text("/status"));
    }

    @Test
    void everyVisibleAsciiCharacterRoundTripsThroughTheGatewayAndTheProviderLookup() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (char c = 0x21; c <= 0x7E; c++) {
            String key = "remote" + c + "k";
            int before = harness.provider.getRequestCount();
            Answer found = harness.status(key); // no local record: the provider is asked
            RecordedRequest lookup = harness.provider.takeRequest(1, TimeUnit.SECONDS);
            if (found.status() != 200 || !key.equals(found.text("/idempotency_key"))
                    || harness.provider.getRequestCount() != before + 1
                    || !("/v1/charges/" + GatewayHarness.pathSegment(key)).equals(lookup.getUrl().encodedPath())) {
                wrong.add(key + " -> " + found.status() + " " + found.body());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void aDotSegmentKeyIsRefusedAtPostNamingTheRule(String key) {
        int before = harness.provider.getRequestCount();

        Answer refused = harness.pay(key, GatewayHarness.PAYMENT);

        assertEquals(400, refused.status());
        assertEquals("INVALID_REQUEST", refused.text("/error/class"));
        assertEquals("/headers/Idempotency-Key", refused.text("/error/details/0/pointer"));
        assertTrue(refused.text("/error/message").contains("other than \".\" or \"..\""),
                refused.text("/error/message"));
        assertEquals(before, harness.provider.getRequestCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%u002Fb", "a%zzb", "%2E%2E", "a//b"})
    void aPathJettyCannotDecodeUnambiguouslyIsA400InTheErrorShapeNeverA500(String rawPath) throws Exception {
        // A raw request line: java.net.URI itself refuses a malformed escape such as %zz.
        String answer;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), harness.gateway.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /payments/" + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        String head = answer.substring(0, answer.indexOf("\r\n\r\n"));

        assertTrue(head.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(head.toLowerCase(Locale.ROOT).contains("content-type: application/json"), answer);
        JsonNode body = Json.MAPPER.readTree(answer.substring(head.length() + 4));
        OpenApi.assertConforms("GET", "/payments/{idempotencyKey}", 400, body);
        assertEquals("INVALID_REQUEST", body.at("/error/class").asText());
    }
}
