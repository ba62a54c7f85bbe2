package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.payment.api.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's openapi.json as a test oracle: a real response is checked against the schema the
 * document gives for its route, method and status (OpenAPI 3.1 schemas are JSON Schema 2020-12).
 */
final class OpenApi {
    private static final String ID = "https://checkout.local/gateway/openapi.json";
    private static final JsonNode DOCUMENT;
    private static final SchemaRegistry REGISTRY;

    static {
        try {
            DOCUMENT = GatewayApp.openapiDocument();
            String text = Json.MAPPER.writeValueAsString(DOCUMENT);
            REGISTRY = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                    builder -> builder.schemas(Map.of(ID, text)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OpenApi() {}

    static JsonNode document() {
        return DOCUMENT;
    }

    /**
     * Asserts that the document lists this status for the operation and that the body matches its
     * JSON schema.
     */
    static void assertConforms(String method, String pathTemplate, int status, JsonNode body) {
        String pointer = responseSchemaPointer(method, pathTemplate, status);
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(ID + "#" + pointer));
        List<Error> errors = schema.validate(body);
        assertTrue(errors.isEmpty(), () -> method + " " + pathTemplate + " " + status
                + " does not match openapi.json " + pointer + ": " + errors + "\nbody: " + body);
    }

    static String responseSchemaPointer(String method, String pathTemplate, int status) {
        String operation = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT);
        String responsePointer = operation + "/responses/" + status;
        JsonNode response = DOCUMENT.at(responsePointer);
        assertTrue(response.isObject(), () -> "openapi.json documents no " + status + " for "
                + method + " " + pathTemplate);
        JsonNode ref = response.get("$ref");
        if (ref != null) {
            responsePointer = ref.asText().substring(1);
        }
        String schemaPointer = responsePointer + "/content/application~1json/schema";
        assertNotNull(DOCUMENT.at(schemaPointer).isMissingNode() ? null : DOCUMENT.at(schemaPointer),
                () -> "no application/json schema at " + schemaPointer);
        return schemaPointer;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
