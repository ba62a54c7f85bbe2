package com.checkout.config;

import com.checkout.cli.JsonLinesCli;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.TreeSet;

/**
 * The Java validator CLI of config/LOADING.md: {@code java -jar checkout-config-cli.jar FILE...}
 * prints one JSON verdict line per conformance case. Exit code 0 when every case file could be
 * read (a verdict is data, not failure), 2 otherwise.
 */
public final class ValidateCli {
    private static final ObjectMapper MAPPER = ConfigLoader.MAPPER;

    private static final JsonLinesCli CLI = new JsonLinesCli(
            "usage: java -jar checkout-config-cli.jar CASE_FILE...", "config case", MAPPER,
            ValidateCli::verdict);

    private ValidateCli() {}

    /**
     * Runs the cases named on the command line.
     *
     * @param args case files
     */
    public static void main(String[] args) {
        CLI.main(args);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return CLI.run(args, out, err);
    }

    static ObjectNode verdict(Path caseFile) throws IOException {
        JsonNode testCase = MAPPER.readTree(Files.readString(caseFile, StandardCharsets.UTF_8));
        JsonNode id = testCase == null ? null : testCase.get("id");
        if (id == null || !id.isTextual()) {
            throw new IllegalArgumentException("expected an object with a string \"id\"");
        }
        ObjectNode line = MAPPER.createObjectNode();
        line.put("id", id.asText());
        try {
            LoadedConfig loaded = ConfigLoader.parse(documentText(testCase), caseFile.toString());
            line.put("valid", true);
            line.set("errors", MAPPER.createArrayNode());
            line.set("warnings", pointers(loaded.warnings().stream().map(LintFinding::pointer)
                    .toList()));
            line.put("fingerprint", loaded.fingerprint());
        } catch (ConfigError e) {
            line.put("valid", false);
            line.set("errors", pointers(e.violations().stream().map(Violation::pointer).toList()));
            line.set("warnings", pointers(e.warnings().stream().map(LintFinding::pointer)
                    .toList()));
            line.putNull("fingerprint");
        }
        return line;
    }

    // document_text is loaded as is; document goes through Jackson's writer, as the case format
    // allows, so such a case never depends on number spelling.
    private static String documentText(JsonNode testCase) throws JsonProcessingException {
        JsonNode text = testCase.get("document_text");
        JsonNode document = testCase.get("document");
        if ((text == null) == (document == null)) {
            throw new IllegalArgumentException(
                    "expected exactly one of \"document\" and \"document_text\"");
        }
        if (text != null) {
            if (!text.isTextual()) {
                throw new IllegalArgumentException("expected \"document_text\" to be a string");
            }
            return text.asText();
        }
        return MAPPER.writeValueAsString(document);
    }

    private static ArrayNode pointers(Collection<String> pointers) {
        ArrayNode sorted = MAPPER.createArrayNode();
        new TreeSet<>(pointers).forEach(sorted::add);
        return sorted;
    }
}
