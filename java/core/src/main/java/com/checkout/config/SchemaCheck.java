package com.checkout.config;

import com.checkout.config.generated.TimeoutSchema;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import java.util.List;

/**
 * Step 3 of config/LOADING.md: draft 2020-12 validation against the embedded schema copy, every
 * error reported at its normalised pointer.
 */
final class SchemaCheck {
    private static final int MAX_VALUE_CHARS = 80;

    // Built once: compiling the schema is the expensive part and the result is thread-safe.
    // networknt keeps draft 2020-12 semantics by default: 20000.0 passes "type": "integer"
    // (typeLoose stays off, so "20000" as a string does not), and "pattern" matches ECMA-262
    // style, so "$" does not accept a trailing newline.
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(
                    SpecificationVersion.DRAFT_2020_12,
                    registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder()
                            .pathType(PathType.JSON_POINTER)
                            .typeLoose(false)
                            .build()))
            .getSchema(TimeoutSchema.TEXT, InputFormat.JSON);

    private SchemaCheck() {}

    static List<Violation> validate(JsonNode document) {
        return SCHEMA.validate(document).stream().map(SchemaCheck::toViolation).toList();
    }

    private static Violation toViolation(Error error) {
        String keyword = error.getKeyword();
        String location = pointer(error.getInstanceLocation());
        switch (keyword) {
            case "required":
                String missing = location + "/" + escape(error.getProperty());
                return new Violation(missing, "required field " + missing + " is missing; "
                        + "expected it in " + describe(location), keyword);
            case "additionalProperties":
                String unknown = location + "/" + escape(error.getProperty());
                return new Violation(unknown, "unknown field " + unknown + " found in "
                        + describe(location) + "; expected only the fields the schema names",
                        keyword);
            default:
                return new Violation(location, describe(location) + " is "
                        + shown(error.getInstanceNode()) + "; " + error.getMessage(), keyword);
        }
    }

    private static String describe(String pointer) {
        return pointer.isEmpty() ? "the document" : pointer;
    }

    private static String shown(JsonNode value) {
        String json = String.valueOf(value);
        return json.length() <= MAX_VALUE_CHARS ? json : json.substring(0, MAX_VALUE_CHARS) + "...";
    }

    // Built from the path's elements rather than its string form, so the escaping is RFC 6901's
    // whatever path type the validator was configured with.
    static String pointer(NodePath path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            out.append('/').append(escape(String.valueOf(path.getElement(i))));
        }
        return out.toString();
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
