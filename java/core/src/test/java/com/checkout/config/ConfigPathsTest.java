package com.checkout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigPathsTest {
    private static final UnaryOperator<String> NO_ENV = name -> null;

    @TempDir
    Path tmp;

    private Path configUnder(Path dir) throws IOException {
        Path file = dir.resolve("config/timeout.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}");
        return file;
    }

    @Test
    void explicitPathWinsOverEnvironmentAndWalk() throws IOException {
        configUnder(tmp);
        Path explicit = tmp.resolve("elsewhere.json");
        UnaryOperator<String> env = Map.of(ConfigPaths.ENV_VAR, "from-env.json")::get;
        assertEquals(explicit, ConfigPaths.resolve(explicit, env, tmp));
    }

    @Test
    void environmentVariableWinsOverWalkAndResolvesAgainstWorkingDir() throws IOException {
        configUnder(tmp);
        UnaryOperator<String> env = Map.of(ConfigPaths.ENV_VAR, "staging/timeout.json")::get;
        assertEquals(tmp.resolve("staging/timeout.json"), ConfigPaths.resolve(null, env, tmp));
    }

    @Test
    void emptyEnvironmentVariableCountsAsUnset() throws IOException {
        Path expected = configUnder(tmp);
        UnaryOperator<String> env = Map.of(ConfigPaths.ENV_VAR, "")::get;
        assertEquals(expected, ConfigPaths.resolve(null, env, tmp));
    }

    @Test
    void walkFindsNearestAncestorWithConfig() throws IOException {
        configUnder(tmp);
        Path nearer = configUnder(tmp.resolve("service"));
        Path deep = Files.createDirectories(tmp.resolve("service/src/main"));
        assertEquals(nearer, ConfigPaths.resolve(null, NO_ENV, deep));
    }

    @Test
    void walkWithoutAnyConfigIsAReadViolation() throws IOException {
        Path deep = Files.createDirectories(tmp.resolve("a/b"));
        // The walk goes past tmp up to /; guard against a stray /config/timeout.json there.
        for (Path dir = tmp; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(ConfigPaths.DEFAULT_RELATIVE))) {
                throw new IllegalStateException("unexpected config above the temp dir: " + dir);
            }
        }
        ConfigError error = assertThrows(ConfigError.class,
                () -> ConfigPaths.resolve(null, NO_ENV, deep));
        assertEquals(List.of("read"), error.violations().stream().map(Violation::rule).toList());
        assertEquals("", error.violations().get(0).pointer());
    }
}
