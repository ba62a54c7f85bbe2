package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import com.checkout.payment.api.Json;
import com.checkout.payment.observability.JsonLogEncoder;
import com.checkout.payment.observability.Masking;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Payment tokens and card numbers never reach a log line, whoever logs them and however. */
class MaskingTest {
    private static final String CARD = "4111 1111-1111 1111";

    private static JsonNode encode(String message, Throwable thrown, KeyValuePair... pairs) throws Exception {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("test");
        LoggingEvent event = new LoggingEvent("test", logger, Level.INFO, message, thrown, null);
        for (KeyValuePair pair : pairs) {
            event.addKeyValuePair(pair);
        }
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        byte[] line = encoder.encode(event);
        assertEquals('\n', line[line.length - 1], "one line per event");
        return Json.MAPPER.readTree(new String(line, StandardCharsets.UTF_8));
    }

    @Test
    void cardNumbersAreMaskedInTheMessageFieldsNestedValuesAndStackTraces() throws Exception {
        JsonNode line = encode("charging card " + CARD, new IllegalStateException("bad pan 4111111111111111"),
                new KeyValuePair("note", "pan 5500-0000-0000-0004 seen"),
                new KeyValuePair("nested", Map.of("list", List.of("378282246310005"))));

        String text = line.toString();
        assertFalse(text.contains("4111 1111-1111 1111"), text);
        assertFalse(text.contains("4111111111111111"), text);
        assertFalse(text.contains("5500-0000-0000-0004"), text);
        assertFalse(text.contains("378282246310005"), text);
        assertEquals("charging card ************1111", line.get("event").asText());
        assertEquals("pan ************0004 seen", line.get("note").asText());
        assertTrue(line.get("exception").asText().contains("bad pan ************1111"));
        assertEquals("info", line.get("level").asText());
        assertTrue(line.has("ts") && line.has("logger"));
    }

    @Test
    void paymentTokensAreMaskedByFieldNameAndInsideText() throws Exception {
        JsonNode line = encode("body {\"payment_token\": \"tok_visa_4242\"}", null,
                new KeyValuePair("payment_token", "tok_mastercard_4444"),
                new KeyValuePair("request", Map.of("payment_token", "tok_amex_0005")),
                new KeyValuePair("text", "paymentToken=tok_live_9999&x=1"));

        String text = line.toString();
        for (String token : List.of("tok_visa_4242", "tok_mastercard_4444", "tok_amex_0005", "tok_live_9999")) {
            assertFalse(text.contains(token), token + " leaked: " + text);
        }
        assertEquals("***************4444", line.get("payment_token").asText());
        assertTrue(line.get("text").asText().endsWith("9999&x=1"));
    }

    @Test
    void shortDigitRunsAndOrdinaryTextAreLeftAlone() {
        assertEquals("order 123456789012 of 2026-11-28", Masking.scrub("order 123456789012 of 2026-11-28"));
        assertEquals("****", Masking.maskToken("tok"));
    }

    // A sha256 config fingerprint whose digits include a 19-digit run: card-like on its own.
    private static final String FINGERPRINT = "e3b0c4fa9876543210987654321afbf4c8996fb92427ae41e4649b934ca49599";

    @Test
    void aConfigFingerprintIsLeftWholeWhileACardNumberNextToItIsStillMasked() throws Exception {
        JsonNode line = encode("config loaded " + FINGERPRINT + " card 4111111111111111", null,
                new KeyValuePair("fingerprint", FINGERPRINT),
                new KeyValuePair("note", FINGERPRINT + " 4111 1111 1111 1111"));

        assertFalse(Masking.scrub("x" + FINGERPRINT).contains("9876543210987654321"), "it holds a card-like run");
        assertEquals(FINGERPRINT, line.get("fingerprint").asText());
        assertEquals("config loaded " + FINGERPRINT + " card ************1111", line.get("event").asText());
        assertEquals(FINGERPRINT + " ************1111", line.get("note").asText());
        assertFalse(line.toString().contains("4111111111111111"), line.toString());
    }

    @Test
    void onlyA64HexTokenStandingAloneIsAFingerprint() {
        // A PAN glued onto a fingerprint makes an 81-character hex run: no fingerprint, so masked.
        assertFalse(Masking.scrub(FINGERPRINT + "f4111111111111111").contains("4111111111111111"));
        assertFalse(Masking.scrub("x" + FINGERPRINT).contains("9876543210987654321"));
        assertFalse(Masking.scrub(FINGERPRINT.substring(1)).contains("9876543210987654321"));
        assertEquals("sha256:" + FINGERPRINT, Masking.scrub("sha256:" + FINGERPRINT));
    }

    @Test
    void everyLoggerOfTheGatewayWritesThroughTheMaskingEncoder() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ConsoleAppender<?> appender = assertInstanceOf(ConsoleAppender.class,
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
        assertInstanceOf(JsonLogEncoder.class, appender.getEncoder());
        assertEquals("System.err", appender.getTarget());
    }
}
