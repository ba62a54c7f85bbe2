package com.checkout.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The config fingerprint: lowercase hex SHA-256 of the RFC 8785 (JCS) canonical JSON of the
 * parsed document, equal in Python, TypeScript and Java for the same document.
 */
public final class Fingerprint {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fingerprint() {}

    /**
     * Fingerprints a parsed document.
     *
     * <p>The parsed tree is canonicalised rather than the raw text so that a document with a
     * duplicated key fingerprints as what was loaded (the last value), as in the other
     * languages.
     *
     * @param document the parsed document
     * @return 64 lowercase hex digits
     */
    public static String of(JsonNode document) {
        try {
            return ofCanonical(new JsonCanonicalizer(MAPPER.writeValueAsString(document)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree failed to serialise", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fingerprints JSON text.
     *
     * @param json a JSON document
     * @return 64 lowercase hex digits
     * @throws IOException when the text is not JSON
     */
    public static String ofText(String json) throws IOException {
        return ofCanonical(new JsonCanonicalizer(json));
    }

    private static String ofCanonical(JsonCanonicalizer canonical) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical.getEncodedUTF8()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
