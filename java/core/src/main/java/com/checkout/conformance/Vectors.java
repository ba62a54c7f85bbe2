package com.checkout.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading, validating and comparing vector JSON: a vector is checked against
 * tests/contracts/vector.schema.json first and then trusted for its shape.
 */
public final class Vectors {
    /** Refuses duplicate keys and trailing tokens, like every loader of the repo. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Names another directory of vectors (one holding the topic folders of {@link #topics()}). */
    public static final String DIR_ENV = "CONFORMANCE_VECTORS_DIR";

    private static Schema schema;
    private static List<String> topics;

    private Vectors() {}

    /**
     * The repo's tests/contracts, found by walking up from the working directory.
     *
     * @return the directory holding vector.schema.json
     */
    public static Path contractsDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tests/contracts");
            if (Files.isRegularFile(candidate.resolve("vector.schema.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no tests/contracts above " + Path.of("").toAbsolutePath());
    }

    private static synchronized Schema schema() {
        if (schema == null) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .pathType(PathType.JSON_POINTER).build()))
                    .getSchema(schemaText(), InputFormat.JSON);
        }
        return schema;
    }

    private static String schemaText() {
        try {
            return Files.readString(contractsDir().resolve("vector.schema.json"),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The topics, and so the folders of a vector directory: vector.schema.json's
     * {@code properties.topic.enum}, the one list every language's runner reads.
     *
     * @return the topic names, in the schema's order
     */
    public static synchronized List<String> topics() {
        if (topics == null) {
            JsonNode names;
            try {
                names = MAPPER.readTree(schemaText()).at("/properties/topic/enum");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!names.isArray() || names.isEmpty()) {
                throw new IllegalStateException("vector.schema.json has no properties.topic.enum");
            }
            List<String> read = new ArrayList<>();
            names.forEach(name -> read.add(name.textValue()));
            topics = List.copyOf(read);
        }
        return topics;
    }

    /**
     * What vector.schema.json says is wrong with a vector, each at its JSON Pointer.
     *
     * @param vector the parsed vector file
     * @return one line per schema error; empty when the vector conforms
     */
    public static List<String> schemaErrors(JsonNode vector) {
        return schema().validate(vector).stream()
                .filter(e -> !"then".equals(e.getKeyword()) && !"if".equals(e.getKeyword()))
                .map(e -> "malformed vector: " + pointer(e.getInstanceLocation().toString())
                        + ": " + e.getMessage())
                .toList();
    }

    private static String pointer(String location) {
        return location.isEmpty() ? "/" : location;
    }

    // Numbers by value (an int and a long, 2 and 2.0, are equal); everything else structurally.
    private static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.isIntegralNumber() && b.isIntegralNumber()
                    ? a.bigIntegerValue().compareTo(b.bigIntegerValue())
                    : Double.compare(a.doubleValue(), b.doubleValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    /**
     * Compares an {@code expect} object with what the kernel produced, every field both ways.
     *
     * @param where names the case in each mismatch
     * @param expected the vector's expectation
     * @param actual what the kernel did
     * @param mismatches receives one line per differing field
     */
    public static void diff(String where, JsonNode expected, JsonNode actual,
            List<String> mismatches) {
        Set<String> names = new TreeSet<>();
        expected.fieldNames().forEachRemaining(names::add);
        actual.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode want = expected.get(name);
            JsonNode got = actual.get(name);
            if (want == null || got == null || !want.equals(NUMERIC, got)) {
                mismatches.add(where + ": " + name + " expected "
                        + (want == null ? "nothing" : want) + ", got "
                        + (got == null ? "nothing" : got));
            }
        }
    }
}
