package com.checkout.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/** Where the config file comes from, in the order of config/LOADING.md. */
public final class ConfigPaths {
    /** Names the config file when no path is given explicitly. */
    public static final String ENV_VAR = "CHECKOUT_CONFIG";

    /** Looked for in the working directory and each of its ancestors. */
    public static final Path DEFAULT_RELATIVE = Path.of("config", "timeout.json");

    private ConfigPaths() {}

    /**
     * Resolves the config file: the explicit path, else {@value #ENV_VAR}, else the first
     * {@code config/timeout.json} found walking up from the working directory.
     *
     * @param explicit the path given by the caller, or null
     * @param env reads an environment variable (null when unset); injected so tests need not
     *     change the process environment
     * @param workingDir where the walk starts; a relative {@value #ENV_VAR} resolves against it
     * @return the path to read
     * @throws ConfigError when no file is named and none is found
     */
    public static Path resolve(Path explicit, UnaryOperator<String> env, Path workingDir) {
        if (explicit != null) {
            return explicit;
        }
        String fromEnv = env.apply(ENV_VAR);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return workingDir.resolve(fromEnv);
        }
        Path start = workingDir.toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_RELATIVE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new ConfigError(start.toString(), List.of(new Violation("",
                "no config file: " + ENV_VAR + " is not set and no " + DEFAULT_RELATIVE
                        + " exists in " + start + " or its ancestors; expected one of them",
                "read")));
    }
}
