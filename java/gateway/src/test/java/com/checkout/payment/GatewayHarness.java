package com.checkout.payment;

import com.checkout.config.ConfigLoader;
import com.checkout.payment.api.Json;
import com.checkout.payment.db.DatabaseUrl;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Assertions;

/**
 * A real gateway on 127.0.0.1 in front of a real HTTP upstream (MockWebServer) that plays the
 * provider, on a real PostgreSQL database of its own ({@link TestDatabase}); every answer the
 * tests read is checked against openapi.json on the way.
 */
final class GatewayHarness implements AutoCloseable {
    /** The kernel's "CLASS: …" prefix, which error.class already carries. */
    static final Pattern CLASS_PREFIX = Pattern.compile("\\b[A-Z][A-Z_]{3,}: ");

    static final String PAYMENT = "{\"order_id\":\"order-17\",\"amount_minor\":1999,\"currency\":\"EUR\","
            + "\"payment_token\":\"tok_visa_4242\"}";

    final MockWebServer provider = new MockWebServer();
    final GatewayServer gateway;
    final Path configFile;
    final TestDatabase database;
    private final boolean ownsDatabase;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** What the gateway answered. */
    record Answer(int status, JsonNode body, HttpHeaders headers) {
        String text(String pointer) {
            return body.at(pointer).asText();
        }
    }

    GatewayHarness(Path configFile) {
        this(configFile, GatewayOptions.DEFAULT_STOP_GRACE_MS);
    }

    GatewayHarness(Path configFile, long stopGraceMs) {
        this(configFile, stopGraceMs, TestDatabase.create(GatewayHarness.class), true);
    }

    /** A gateway on a database another harness (or the test) made: closing it leaves the database. */
    GatewayHarness(Path configFile, TestDatabase database) {
        this(configFile, GatewayOptions.DEFAULT_STOP_GRACE_MS, database, false);
    }

    private GatewayHarness(Path configFile, long stopGraceMs, TestDatabase database, boolean ownsDatabase) {
        this.configFile = configFile;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        try {
            provider.start(InetAddress.getLoopbackAddress(), 0);
            URI providerUrl = URI.create("http://127.0.0.1:" + provider.getPort());
            // Reload polls are driven by the tests (reloadNow) unless a test starts its own.
            GatewayOptions options = new GatewayOptions("127.0.0.1", 0, providerUrl, configFile, 3_600_000L,
                    stopGraceMs, DatabaseUrl.parse(database.url), false);
            gateway = GatewayServer.start(options, ConfigLoader.load(configFile), () -> configFile);
        } catch (IOException e) {
            closeAfterFailedStart();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeAfterFailedStart();
            throw e;
        }
    }

    private void closeAfterFailedStart() {
        provider.close();
        if (ownsDatabase) {
            database.close();
        }
    }

    static GatewayHarness shortened(Path dir) {
        return new GatewayHarness(TestConfigs.write(dir.resolve("timeout.json"), TestConfigs.shortened()));
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    Answer pay(String key, String body) {
        return pay(key, body, Map.of());
    }

    Answer pay(String key, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url("/payments"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        headers.forEach(request::header);
        return send(request.build(), "POST", "/payments");
    }

    Answer status(String key) {
        return send(HttpRequest.newBuilder(url("/payments/" + pathSegment(key))).GET().build(),
                "GET", "/payments/{idempotencyKey}");
    }

    /** RFC 3986: every byte outside the unreserved set percent-encoded, as a client should. */
    static String pathSegment(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(url(path)).GET().build(), "GET", path);
    }

    String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(url("/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer send(HttpRequest request, String method, String template) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(response.body());
            OpenApi.assertConforms(method, template, response.statusCode(), body);
            JsonNode message = body.at("/error/message");
            if (message.isTextual()) {
                Assertions.assertFalse(CLASS_PREFIX.matcher(message.asText()).find(),
                        () -> "the message repeats a class prefix: " + message.asText());
            }
            return new Answer(response.statusCode(), body, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The provider's charge answer. */
    static MockResponse charge(int status, String key, String chargeStatus) {
        String decline = chargeStatus.equals("declined") ? ",\"decline_reason\":\"insufficient_funds\"" : "";
        return json(status, "{\"charge_id\":\"ch_" + key + "\",\"idempotency_key\":\"" + key
                + "\",\"status\":\"" + chargeStatus + "\",\"amount_minor\":1999,\"currency\":\"EUR\"" + decline + "}");
    }

    /** An error answer in the repo's shape. */
    static MockResponse error(int status, String errorClass, boolean retryable) {
        return json(status, "{\"error\":{\"class\":\"" + errorClass + "\",\"message\":\"simulated\",\"retryable\":"
                + retryable + "}}");
    }

    static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .body(body).build();
    }

    static Duration timed(Runnable action) {
        long started = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public void close() {
        try {
            gateway.close();
            provider.close();
        } finally {
            if (ownsDatabase) {
                database.close();
            }
        }
    }
}
