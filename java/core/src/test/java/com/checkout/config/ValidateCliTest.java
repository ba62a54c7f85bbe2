package com.checkout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCliTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Path... files) {
        String[] args = new String[files.length];
        for (int i = 0; i < files.length; i++) {
            args[i] = files[i].toString();
        }
        return ValidateCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void printsOneVerdictLinePerCaseInOrder() throws IOException {
        String config = RepoFiles.text("config/timeout.json");
        String fingerprint = ConfigLoader.parse(config, "x").fingerprint();
        Path valid = write("valid.json", "{\"id\": \"valid\", \"document\": " + config + "}");
        String pre = RepoFiles.text("config/examples/pre-incident.json");
        Path invalid = write("pre.json", "{\"id\": \"pre\", \"document\": " + pre + "}");
        Path malformed = write("bad.json", "{\"id\": \"bad\", \"document_text\": \"{\\\"a\\\":\"}");

        assertEquals(0, run(valid, invalid, malformed));
        assertEquals(String.join("\n",
                "{\"id\":\"valid\",\"valid\":true,\"errors\":[],\"warnings\":[],\"fingerprint\":\""
                        + fingerprint + "\"}",
                "{\"id\":\"pre\",\"valid\":false,\"errors\":[\"/payment/timeout_ms\"],"
                        + "\"warnings\":[\"/payment/circuit_breaker/enabled\","
                        + "\"/payment/retry/backoff_multiplier\",\"/payment/retry/jitter_ms\"],"
                        + "\"fingerprint\":null}",
                "{\"id\":\"bad\",\"valid\":false,\"errors\":[\"\"],\"warnings\":[],"
                        + "\"fingerprint\":null}",
                ""), out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void warningsAreSortedDistinctPointers() throws IOException {
        String config = RepoFiles.text("config/timeout.json")
                .replace("\"backoff_multiplier\": 2.0", "\"backoff_multiplier\": 1.0")
                .replace("\"jitter_ms\": 500", "\"jitter_ms\": 0");
        Path file = write("fixed.json", "{\"id\": \"fixed\", \"document_text\": "
                + ConfigLoader.MAPPER.writeValueAsString(config) + "}");
        assertEquals(0, run(file));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(
                "\"warnings\":[\"/payment/retry/backoff_multiplier\",\"/payment/retry/jitter_ms\"]"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unreadableCaseFileExitsTwoButOtherCasesStillRun() throws IOException {
        Path valid = write("valid.json", "{\"id\": \"valid\", \"document\": "
                + RepoFiles.text("config/timeout.json") + "}");
        Path notACase = write("readme.json", "{\"title\": \"no id\"}");
        assertEquals(2, run(tmp.resolve("missing.json"), notACase, valid));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("{\"id\":\"valid\""));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("missing.json") && errors.contains("readme.json"), errors);
    }
}
