package com.checkout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class FingerprintTest {
    // The vector every language shares (docs of the foundation issue).
    private static final String VECTOR = "{\"b\":2.0,\"a\":[1,0.8,\"x\"],\"c\":{\"z\":true,\"y\":null}}";
    private static final String VECTOR_SHA256 =
            "04c76e44cc40bebffb9eaa1d9d4d8f144c8bda63c562e3ca6e2c24cd1094b7c8";

    @Test
    void sharedVectorFromText() throws IOException {
        assertEquals(VECTOR_SHA256, Fingerprint.ofText(VECTOR));
    }

    @Test
    void sharedVectorFromParsedTree() throws IOException {
        assertEquals(VECTOR_SHA256, Fingerprint.of(new ObjectMapper().readTree(VECTOR)));
    }

    @Test
    void schemaHintIsPartOfTheFingerprint() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        String with = ConfigLoader.parse(RepoFiles.json(doc), "with").fingerprint();
        doc.remove("$schema");
        String without = ConfigLoader.parse(RepoFiles.json(doc), "without").fingerprint();
        assertNotEquals(with, without);
    }

    @Test
    void duplicateKeyFingerprintsAsTheValueLoaded() throws IOException {
        String duplicated = "{\"a\":1,\"a\":2}";
        assertEquals(Fingerprint.ofText("{\"a\":2}"),
                Fingerprint.of(new ObjectMapper().readTree(duplicated)));
    }
}
