package com.checkout.perf.forwarder;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The baseline of the gateway (perf/README.md): a bare Javalin app with one route, {@code POST /payments},
 * that reads the gateway's JSON body, forwards it to the provider's {@code POST /v1/charges} with
 * {@code java.net.http} (same Idempotency-Key) and answers 200 with the provider's result — what a user
 * would otherwise write. No retries, no breaker, no deadline, no idempotency records, no metrics, no
 * per-request logs: it is the floor the gateway is compared with, not a payment service.
 *
 * <pre>java -jar javalin-forwarder.jar --provider-url URL [--host 127.0.0.1] [--port 0] [--timeout-ms 20000]</pre>
 */
public final class Forwarder {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json";
    private static final String KEY = "Idempotency-Key";

    /** The gateway's request body, strictly: Jackson refuses unknown fields by default. */
    record Payment(@JsonProperty("order_id") String orderId, @JsonProperty("amount_minor") long amountMinor,
            @JsonProperty("currency") String currency, @JsonProperty("payment_token") String paymentToken) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI charges;
    private final Duration timeout;

    private Forwarder(URI provider, Duration timeout) {
        String base = provider.toString().replaceAll("/+$", "");
        this.charges = URI.create(base + "/v1/charges");
        this.timeout = timeout;
    }

    /**
     * Starts the forwarder and prints {@code {"event":"listening",...}} on stdout.
     *
     * @param args the command line
     * @throws IOException when the listening line cannot be written
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        String provider = options.get("provider-url");
        if (provider == null) {
            System.err.println("usage: java -jar javalin-forwarder.jar --provider-url URL [--host H] [--port P]"
                    + " [--timeout-ms N]");
            System.exit(2);
            return;
        }
        Forwarder forwarder = new Forwarder(URI.create(provider),
                Duration.ofMillis(Long.parseLong(options.getOrDefault("timeout-ms", "20000"))));
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.routes.post("/payments", forwarder::pay);
        });
        String host = options.getOrDefault("host", "127.0.0.1");
        app.start(host, Integer.parseInt(options.getOrDefault("port", "0")));
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "shutdown"));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "listening");
        line.put("service", "javalin-forwarder");
        line.put("host", host);
        line.put("port", app.port());
        System.out.println(MAPPER.writeValueAsString(line));
        System.out.flush();
    }

    private void pay(Context ctx) throws InterruptedException {
        String key = ctx.header(KEY);
        if (key == null || key.isEmpty()) {
            ctx.status(400).contentType(JSON).result("{\"error\":\"Idempotency-Key is required\"}");
            return;
        }
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(MAPPER.readValue(ctx.bodyAsBytes(), Payment.class));
        } catch (IOException e) {
            ctx.status(400).contentType(JSON).result("{\"error\":\"invalid payment body\"}");
            return;
        }
        HttpRequest post = HttpRequest.newBuilder(charges).timeout(timeout)
                .header(KEY, key).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            ctx.status(502).contentType(JSON).result("{\"error\":\"the provider did not answer\"}");
            return;
        }
        // 201 (a new charge) or 200 (a replay) is the result; anything else is passed on as a 502.
        int status = answer.statusCode() == 201 || answer.statusCode() == 200 ? 200 : 502;
        ctx.status(status).contentType(JSON).result(answer.body());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
