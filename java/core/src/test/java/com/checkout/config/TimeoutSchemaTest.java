package com.checkout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.checkout.config.generated.TimeoutSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TimeoutSchemaTest {
    @Test
    void embeddedSchemaEqualsTheRepoSchema() {
        assertEquals(RepoFiles.text("config/timeout.schema.json"), TimeoutSchema.TEXT);
    }

    @Test
    void schemaHashIsTheHashOfTheEmbeddedText() throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(TimeoutSchema.TEXT.getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(digest), TimeoutSchema.SCHEMA_SHA256);
    }
}
