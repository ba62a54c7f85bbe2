package com.checkout.payment;

import com.checkout.payment.api.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repo's config/timeout.json, and a shortened copy whose timings a test can wait out. */
final class TestConfigs {
    private TestConfigs() {}

    /** The repo's config, found by walking up from the working directory. */
    static Path repoConfig() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("config/timeout.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no config/timeout.json above " + Path.of("").toAbsolutePath());
    }

    /**
     * The repo's config with every payment timing cut down: attempt timeout 1 s (room for a cold JVM's first exchange), recovery
     * 500 ms, backoff 50 ms x 2 (+ up to 10 ms), 3 attempts, breaker threshold 5 and 3 half-open
     * trials as in production; the lookup's policy the same; deadline floor 100 ms, answer margin
     * 50 ms, lease 6 s, database acquire timeout 1 s; the bulkheads as in production. Still valid
     * under the schema and the lint, without warnings.
     */
    static ObjectNode shortened() {
        ObjectNode doc = read(repoConfig());
        doc.put("version", "test-shortened");
        ObjectNode payment = (ObjectNode) doc.get("payment");
        payment.put("timeout_ms", 1000);
        payment.put("deadline_ms", 5000);
        payment.put("provider_expected_p99_ms", 800);
        ObjectNode retry = (ObjectNode) payment.get("retry");
        retry.put("max_attempts", 3);
        retry.put("base_delay_ms", 50);
        retry.put("backoff_multiplier", 2.0);
        retry.put("jitter_ms", 10);
        retry.put("max_delay_ms", 200);
        ObjectNode breaker = (ObjectNode) payment.get("circuit_breaker");
        breaker.put("enabled", true);
        breaker.put("failure_threshold", 5);
        breaker.put("recovery_timeout_ms", 500);
        breaker.put("half_open_max_calls", 3);
        // The lookup's own policy cut down the same way, so a reconciliation takes as long as a charge.
        ObjectNode lookup = (ObjectNode) payment.get("lookup");
        lookup.put("timeout_ms", 1000);
        lookup.put("deadline_ms", 5000);
        lookup.put("provider_expected_p99_ms", 800);
        lookup.set("retry", retry.deepCopy());
        lookup.set("circuit_breaker", breaker.deepCopy());
        // A request's deadline may go down to 100 ms here (tests cut attempts short on purpose).
        payment.put("min_deadline_ms", 100);
        payment.put("answer_margin_ms", 50);
        ((ObjectNode) doc.get("database").get("pool")).put("acquire_timeout_ms", 1000);
        ((ObjectNode) doc.get("database").get("gateway_pool")).put("acquire_timeout_ms", 1000);
        // The lease must outlive deadline_ms (lint); a test that waits one out waits 6 s at most.
        ((ObjectNode) doc.at("/gateway/idempotency")).put("lease_ms", 6000);
        return doc;
    }

    static ObjectNode read(Path path) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, JsonNode doc) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc),
                    StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
