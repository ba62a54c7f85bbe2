package com.checkout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.TimeoutConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    private static ConfigError refused(String text) {
        return assertThrows(ConfigError.class, () -> ConfigLoader.parse(text, "test.json"));
    }

    private static Set<String> pointers(ConfigError error) {
        return error.violations().stream().map(Violation::pointer).collect(Collectors.toSet());
    }

    @Test
    void repoConfigLoadsIntoTypedSettings() {
        LoadedConfig loaded = ConfigLoader.load(RepoFiles.file("config/timeout.json"));
        TimeoutConfig settings = loaded.settings();
        assertEquals("2026.11.28-incident-fix", settings.version());
        assertEquals(20000L, settings.payment().timeoutMs());
        assertEquals(2.0, settings.payment().retry().backoffMultiplier());
        assertEquals(50L, settings.database().pool().maxConnections());
        assertEquals(2000L, settings.lambda().safetyMarginMs());
        assertEquals(List.of(), loaded.warnings());
        assertEquals(RepoFiles.file("config/timeout.json").toString(), loaded.path());
        assertTrue(loaded.fingerprint().matches("[0-9a-f]{64}"), loaded.fingerprint());
    }

    @Test
    void loadWithoutPathWalksUpFromWorkingDirectory() {
        // Surefire runs in java/core, so the walk reaches the repo's config/timeout.json
        // (or CHECKOUT_CONFIG names the file, when the environment sets it).
        Path expected = ConfigPaths.resolve(null, System::getenv, Path.of(""));
        assertEquals(expected.toString(), ConfigLoader.load().path());
    }

    @Test
    void missingFileIsOneReadViolationAtTheRoot() {
        Path missing = tmp.resolve("absent.json");
        ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(missing));
        assertEquals(List.of(new Violation("", "cannot read config file " + missing
                + ": no such file; expected a readable UTF-8 JSON file", "read")),
                error.violations());
        assertEquals("INVALID_CONFIG", error.errorClass());
        assertEquals(missing.toString(), error.source());
    }

    @Test
    void fileThatIsNotUtf8IsUnreadable() throws IOException {
        Path latin1 = tmp.resolve("latin1.json");
        Files.write(latin1, new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(latin1));
        assertEquals("read", error.violations().get(0).rule());
        assertEquals(1, error.violations().size());
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        ConfigError error = refused("{\n  \"version\": \"x\",\n  oops\n}");
        assertEquals(1, error.violations().size());
        Violation violation = error.violations().get(0);
        assertEquals("", violation.pointer());
        assertEquals("parse", violation.rule());
        assertTrue(violation.message().contains("line 3, column"), violation.message());
    }

    @Test
    void trailingGarbageAfterTheDocumentIsMalformed() {
        String text = RepoFiles.text("config/timeout.json") + " {}";
        assertEquals("parse", refused(text).violations().get(0).rule());
    }

    @Test
    void emptyTextIsMalformed() {
        assertEquals("parse", refused("  ").violations().get(0).rule());
    }

    @Test
    void schemaViolationsAreAllListedAtNormalisedPointers() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment").put("timeout_ms", 0);
        RepoFiles.at(doc, "/payment/retry").remove("jitter_ms");
        RepoFiles.at(doc, "/database/pool").put("max_connections", "50");
        doc.put("version", "has space");
        ConfigError error = refused(RepoFiles.json(doc));
        assertEquals(Set.of("/payment/timeout_ms", "/payment/retry/jitter_ms",
                "/database/pool/max_connections", "/version"), pointers(error));
        assertEquals(Set.of("minimum", "required", "type", "pattern"),
                error.violations().stream().map(Violation::rule).collect(Collectors.toSet()));
    }

    @Test
    void schemaMessageNamesFieldValueAndExpectation() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment").put("timeout_ms", 0);
        Violation violation = refused(RepoFiles.json(doc)).violations().get(0);
        assertEquals("/payment/timeout_ms is 0; must have a minimum value of 1",
                violation.message());
    }

    @Test
    void unknownFieldIsRejectedAtItsOwnEscapedPointer() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment/retry").put("max_retries", 3);
        RepoFiles.at(doc, "/database").put("a/b~c", true);
        ConfigError error = refused(RepoFiles.json(doc));
        assertEquals(Set.of("/payment/retry/max_retries", "/database/a~1b~0c"), pointers(error));
        assertTrue(error.violations().stream()
                .allMatch(v -> v.rule().equals("additionalProperties")));
    }

    @Test
    void wrongRootTypeIsReportedAtTheRoot() {
        ConfigError error = refused("[1, 2]");
        assertEquals(List.of(""), error.violations().stream().map(Violation::pointer).toList());
        assertEquals("type", error.violations().get(0).rule());
    }

    @Test
    void integerValuedFloatCountsAsInteger() {
        String text = RepoFiles.text("config/timeout.json")
                .replace("\"timeout_ms\": 20000,", "\"timeout_ms\": 20000.0,");
        assertTrue(text.contains("20000.0"));
        LoadedConfig loaded = ConfigLoader.parse(text, "float.json");
        assertEquals(20000L, loaded.settings().payment().timeoutMs());
        // RFC 8785 writes 20000.0 as 20000, so the spelling does not change the fingerprint.
        assertEquals(ConfigLoader.load(RepoFiles.file("config/timeout.json")).fingerprint(),
                loaded.fingerprint());
    }

    @Test
    void fractionalValueOfIntegerFieldIsATypeViolation() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment").put("timeout_ms", 20000.5);
        ConfigError error = refused(RepoFiles.json(doc));
        assertEquals(List.of(new Violation("/payment/timeout_ms",
                "/payment/timeout_ms is 20000.5; number found, integer expected", "type")),
                error.violations());
    }

    @Test
    void preIncidentConfigIsRefusedByTheTimeoutLint() {
        ConfigError error = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(RepoFiles.file("config/examples/pre-incident.json")));
        assertEquals(List.of("/payment/timeout_ms"),
                error.violations().stream().map(Violation::pointer).toList());
        Violation violation = error.violations().get(0);
        assertEquals("payment-timeout-covers-p99", violation.rule());
        assertTrue(violation.message().startsWith("payment timeout_ms is 5000 ms, below the "
                + "provider's expected p99 latency of 19000 ms"), violation.message());
        assertEquals(List.of("circuit-breaker-enabled", "retry-backoff-grows",
                "retry-jitter-present"), error.warnings().stream().map(LintFinding::rule).toList());
    }

    @Test
    void lintWarningsComeBackWithTheConfig() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment/circuit_breaker").put("enabled", false);
        LoadedConfig loaded = ConfigLoader.parse(RepoFiles.json(doc), "no-breaker.json");
        assertEquals(List.of("circuit-breaker-enabled"),
                loaded.warnings().stream().map(LintFinding::rule).toList());
        assertEquals(Severity.WARNING, loaded.warnings().get(0).severity());
    }

    @Test
    void everyLintErrorIsListed() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment").put("timeout_ms", 5000);
        RepoFiles.at(doc, "/monitoring").put("pool_utilization_warn", 0.95);
        ConfigError error = refused(RepoFiles.json(doc));
        assertEquals(List.of("payment-timeout-covers-p99", "monitoring-warn-below-critical"),
                error.violations().stream().map(Violation::rule).toList());
    }

    @Test
    void lintDoesNotRunOnSchemaInvalidDocuments() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment").put("timeout_ms", 1000);
        RepoFiles.at(doc, "/lambda").put("safety_margin_ms", 0);
        RepoFiles.at(doc, "/payment/circuit_breaker").put("enabled", false);
        ConfigError error = refused(RepoFiles.json(doc));
        assertEquals(List.of("/lambda/safety_margin_ms"),
                error.violations().stream().map(Violation::pointer).toList());
        assertEquals(List.of(), error.warnings());
    }

    @Test
    void errorMessageListsEveryViolation() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        doc.remove("lambda");
        doc.remove("order_service");
        String message = refused(RepoFiles.json(doc)).getMessage();
        assertTrue(message.startsWith("INVALID_CONFIG: test.json has 2 violations:"), message);
        assertTrue(message.contains("/lambda [required]"), message);
        assertTrue(message.contains("/order_service [required]"), message);
    }
}
