package com.checkout.payment.provider;

import com.checkout.payment.api.IdempotencyKeys;
import com.checkout.payment.api.Json;
import com.checkout.payment.api.PaymentRequest;
import com.checkout.resilience.AttemptContext;
import com.checkout.resilience.Deadline;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The provider API over java.net.http: {@code POST /v1/charges} and {@code GET /v1/charges/{key}},
 * one HTTP exchange per call, bounded by the attempt's timeout from the kernel.
 */
public final class ProviderClient {
    private final HttpClient http;
    private final URI base;

    /**
     * A client of one provider.
     *
     * @param http the shared HTTP client
     * @param base the provider's URL, e.g. {@code http://127.0.0.1:40123}
     */
    public ProviderClient(HttpClient http, URI base) {
        this.http = http;
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /**
     * An HTTP/1.1 client: the provider speaks HTTP/1.1, and an h2c upgrade attempt would only
     * add a round of negotiation to every new connection.
     *
     * @return a client for {@link #ProviderClient(HttpClient, URI)}
     */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Charges once.
     *
     * @param key the payment's Idempotency-Key, the same on every attempt
     * @param request the payment
     * @param attempt the attempt's timeout (the whole exchange) and the {@code X-Deadline-Ms} to send
     *     (the timeout less {@code payment.answer_margin_ms}, so the answer has time to come back)
     * @return the provider's answer, whatever its status
     * @throws IOException when the connection failed or broke ({@link HttpTimeoutException}
     *     when no complete answer came within the timeout)
     * @throws InterruptedException when the thread is interrupted
     */
    public ProviderAnswer charge(String key, PaymentRequest request, AttemptContext attempt)
            throws IOException, InterruptedException {
        long timeoutMs = attempt.timeoutMs();
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payment request failed to serialise", e);
        }
        HttpRequest post = HttpRequest.newBuilder(base.resolve("/v1/charges"))
                .timeout(Duration.ofMillis(timeoutMs))
                .header(IdempotencyKeys.HEADER, key)
                .header(Deadline.HEADER, attempt.deadlineHeader())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return exchange(post, timeoutMs);
    }

    /**
     * Asks what the provider knows of a key.
     *
     * @param key the payment's Idempotency-Key
     * @param attempt the attempt's timeout and the {@code X-Deadline-Ms} to send
     * @return 200 with the charge, or 404 {@code NOT_FOUND}, or an error answer
     * @throws IOException when the connection failed or broke, or timed out
     * @throws InterruptedException when the thread is interrupted
     */
    public ProviderAnswer lookup(String key, AttemptContext attempt) throws IOException, InterruptedException {
        long timeoutMs = attempt.timeoutMs();
        HttpRequest get = HttpRequest.newBuilder(base.resolve("/v1/charges/" + pathSegment(key)))
                .timeout(Duration.ofMillis(timeoutMs))
                .header(Deadline.HEADER, attempt.deadlineHeader())
                .GET()
                .build();
        return exchange(get, timeoutMs);
    }

    // HttpRequest.timeout stops waiting once the headers arrive; the future's bound covers the
    // body too, and cancelling it aborts the exchange (JDK 16+), so a hang never outlives its
    // attempt.
    private ProviderAnswer exchange(HttpRequest request, long timeoutMs)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> pending =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("no answer from the provider within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("the provider exchange failed: " + cause, cause);
        }
        return new ProviderAnswer(response.statusCode(), parse(response.body()),
                response.headers().firstValue("Retry-After").isPresent());
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    // Percent-encodes every byte outside RFC 3986's unreserved set: a key may hold ':' or '/'.
    static String pathSegment(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
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
}
