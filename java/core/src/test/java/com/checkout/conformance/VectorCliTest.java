package com.checkout.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorCliTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return VectorCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> parsed = new java.util.ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            parsed.add(Vectors.MAPPER.readTree(line));
        }
        return parsed;
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static final String BACKOFF = "{\"id\": \"b\", \"description\": \"first retry\","
            + " \"topic\": \"backoff\", \"settings\": {\"max_attempts\": 3, \"base_delay_ms\": 2000,"
            + " \"backoff_multiplier\": 2.0, \"jitter_ms\": 500, \"max_delay_ms\": 8000},"
            + " \"cases\": [{\"retry\": 1, \"u\": 0.5, \"expect\": {\"delay_ms\": %d}}]}";

    @Test
    void passingVectorPrintsOneLineWithPassTrue() throws IOException {
        Path file = write("b.json", String.format(BACKOFF, 2250));
        assertEquals(0, run(file.toString()));
        JsonNode line = lines().get(0);
        assertEquals("b", line.get("id").asText());
        assertTrue(line.get("pass").asBoolean());
        assertEquals(0, line.get("mismatches").size());
    }

    @Test
    void wrongExpectationIsAMismatchNamingCaseExpectedAndActual() throws IOException {
        Path file = write("b.json", String.format(BACKOFF, 2251));
        assertEquals(0, run(file.toString()));
        JsonNode line = lines().get(0);
        assertEquals(false, line.get("pass").asBoolean());
        assertEquals("cases[0]: delay_ms expected 2251, got 2250",
                line.get("mismatches").get(0).asText());
    }

    @Test
    void unknownFieldFailsTheSchemaBeforeAnyKernelCall() throws IOException {
        Path file = write("b.json", String.format(BACKOFF, 2250).replace("\"u\": 0.5",
                "\"u\": 0.5, \"skip\": true"));
        assertEquals(0, run(file.toString()));
        JsonNode line = lines().get(0);
        assertEquals(false, line.get("pass").asBoolean());
        assertEquals("malformed vector: /cases/0: property 'skip' is not defined in the schema"
                + " and the schema does not allow additional properties",
                line.get("mismatches").get(0).asText());
    }

    @Test
    void unknownTopicFailsTheVector() throws IOException {
        Path file = write("x.json", "{\"id\": \"x\", \"topic\": \"retry\"}");
        assertEquals(0, run(file.toString()));
        assertEquals(false, lines().get(0).get("pass").asBoolean());
    }

    @Test
    void unreadableFileExitsTwoAndStillRunsTheOthers() throws IOException {
        Path good = write("b.json", String.format(BACKOFF, 2250));
        assertEquals(2, run(tmp.resolve("absent.json").toString(), good.toString()));
        assertEquals(1, lines().size());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("absent.json"));
    }

    @Test
    void noArgumentsIsAUsageErrorWithExitTwo() {
        assertEquals(2, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage:"));
    }
}
