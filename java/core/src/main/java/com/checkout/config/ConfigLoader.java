package com.checkout.config;

import com.checkout.config.generated.ConfigLint;
import com.checkout.config.generated.TimeoutConfig;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads timeout.json as config/LOADING.md prescribes, all or nothing: read, parse, validate
 * against the embedded schema, lint, then build the settings and the fingerprint.
 */
public final class ConfigLoader {
    // FAIL_ON_UNKNOWN_PROPERTIES and FAIL_ON_NULL_FOR_PRIMITIVES only back up the schema, which
    // has already refused such documents; trailing tokens must fail as in every JSON parser.
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private ConfigLoader() {}

    /**
     * Loads the config named by {@code CHECKOUT_CONFIG}, else the nearest
     * {@code config/timeout.json} from the working directory up.
     *
     * @return the loaded config
     * @throws ConfigError listing every violation
     */
    public static LoadedConfig load() {
        return load(ConfigPaths.resolve(null, System::getenv, Path.of("")));
    }

    /**
     * Loads the config file at {@code path}.
     *
     * @param path the file to read
     * @return the loaded config
     * @throws ConfigError listing every violation
     */
    public static LoadedConfig load(Path path) {
        return parse(read(path), path.toString());
    }

    /**
     * Loads a config from its text.
     *
     * @param text the JSON document
     * @param source names the document in errors and in {@link LoadedConfig#path()}
     * @return the loaded config
     * @throws ConfigError listing every violation
     */
    public static LoadedConfig parse(String text, String source) {
        JsonNode document = parseJson(text, source);
        List<Violation> schemaViolations = SchemaCheck.validate(document);
        if (!schemaViolations.isEmpty()) {
            throw new ConfigError(source, schemaViolations);
        }
        TimeoutConfig settings = bind(document);
        List<Violation> errors = new ArrayList<>();
        List<LintFinding> warnings = new ArrayList<>();
        for (LintFinding finding : ConfigLint.lint(settings)) {
            if (finding.severity() == Severity.ERROR) {
                errors.add(new Violation(finding.pointer(), finding.message(), finding.rule()));
            } else {
                warnings.add(finding);
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigError(source, errors, warnings);
        }
        return new LoadedConfig(settings, Fingerprint.of(document), source, warnings);
    }

    private static String read(Path path) {
        try {
            byte[] bytes = Files.readAllBytes(path);
            // Strict decoding: a file that is not UTF-8 is unreadable, not silently repaired.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (NoSuchFileException e) {
            throw readError(path, "no such file");
        } catch (CharacterCodingException e) {
            throw readError(path, "not valid UTF-8 (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw readError(path, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ConfigError readError(Path path, String reason) {
        return new ConfigError(path.toString(), List.of(new Violation("",
                "cannot read config file " + path + ": " + reason
                        + "; expected a readable UTF-8 JSON file", "read")));
    }

    private static JsonNode parseJson(String text, String source) {
        JsonNode document;
        try {
            document = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr();
            String reason = e.getOriginalMessage().lines().findFirst().orElse("");
            throw parseError(source, "malformed JSON" + where + ": " + reason
                    + "; expected one JSON document");
        }
        if (document == null || document.isMissingNode()) {
            throw parseError(source, "the document is empty; expected one JSON document");
        }
        List<Violation> duplicates = duplicateKeys(text);
        if (!duplicates.isEmpty()) {
            throw new ConfigError(source, duplicates);
        }
        return document;
    }

    /**
     * Every key that appears more than once in its object, at its JSON Pointer, in document order:
     * Jackson keeps the last of them silently, and the fingerprint (RFC 8785) assumes none.
     */
    private static List<Violation> duplicateKeys(String text) {
        Set<String> pointers = new LinkedHashSet<>();
        try (JsonParser parser = MAPPER.createParser(text)) {
            Deque<Set<String>> keys = new ArrayDeque<>();
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT) {
                    keys.push(new HashSet<>());
                } else if (token == JsonToken.END_OBJECT) {
                    keys.pop();
                } else if (token == JsonToken.FIELD_NAME && !keys.peek().add(parser.currentName())) {
                    pointers.add(parser.getParsingContext().pathAsPointer().toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a parsed document failed to parse again: " + e.getMessage(), e);
        }
        List<Violation> violations = new ArrayList<>();
        for (String pointer : pointers) {
            violations.add(new Violation(pointer, "key " + pointer + " appears more than once in its"
                    + " object: a JSON parser keeps one of the values silently, and the fingerprint"
                    + " (RFC 8785) assumes unique keys; expected each key once", "duplicate-key"));
        }
        return violations;
    }

    private static ConfigError parseError(String source, String message) {
        return new ConfigError(source, List.of(new Violation("", message, "parse")));
    }

    private static TimeoutConfig bind(JsonNode document) {
        try {
            return MAPPER.treeToValue(document, TimeoutConfig.class);
        } catch (JsonProcessingException e) {
            // The records and the schema are generated together, so this is a build defect.
            throw new IllegalStateException(
                    "schema-valid config does not bind to TimeoutConfig: " + e.getMessage(), e);
        }
    }
}
