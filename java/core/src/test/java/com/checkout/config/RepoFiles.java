package com.checkout.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repo's own config files, found by walking up from the test's working directory. */
final class RepoFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RepoFiles() {}

    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("config/timeout.schema.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no config/timeout.schema.json above " + Path.of("")
                .toAbsolutePath());
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String text(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, mutable copy of config/timeout.json. */
    static ObjectNode timeoutConfig() {
        try {
            return (ObjectNode) MAPPER.readTree(text("config/timeout.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json(ObjectNode document) {
        try {
            return MAPPER.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode at(ObjectNode document, String pointer) {
        return (ObjectNode) document.at(pointer);
    }
}
