package com.checkout.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every vector of the topic folders (vector.schema.json's topic list), one dynamic test each,
 * named by its id. The directory is {@code CONFORMANCE_VECTORS_DIR}, else the repo's
 * tests/contracts found by walking up.
 */
class VectorConformanceTest {
    static Path vectorsDir() {
        String fromEnv = System.getenv(Vectors.DIR_ENV);
        return fromEnv != null && !fromEnv.isEmpty() ? Path.of(fromEnv) : Vectors.contractsDir();
    }

    static List<Path> vectorFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        for (String topic : Vectors.topics()) {
            Path folder = dir.resolve(topic);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> listing = Files.list(folder)) {
                listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    @TestFactory
    Stream<DynamicTest> everyVectorPasses() {
        Path dir = vectorsDir();
        List<Path> files = vectorFiles(dir);
        // An empty or mistyped directory must fail, not pass with nothing run.
        assertFalse(files.isEmpty(), "no vector files in the topic folders of " + dir);
        return files.stream().map(file -> {
            JsonNode vector = read(file);
            String id = vector.path("id").asText(file.getFileName().toString());
            return DynamicTest.dynamicTest(id, file.toUri(), () -> {
                assertEquals(file.getParent().getFileName().toString(),
                        vector.path("topic").asText(), "the vector's topic names its folder");
                assertEquals(List.of(), VectorRunner.runVector(vector), file.toString());
            });
        });
    }

    // A topic the schema names but no folder holds would pass with nothing run.
    @Test
    void everyTopicOfTheSchemaHasVectorsInTheRepo() {
        List<Path> files = vectorFiles(Vectors.contractsDir());
        for (String topic : Vectors.topics()) {
            assertTrue(files.stream().anyMatch(f -> f.getParent().getFileName().toString()
                    .equals(topic)), "no vectors in tests/contracts/" + topic);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return Vectors.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
