package com.checkout.config;

import com.checkout.config.generated.TimeoutConfig;
import java.util.List;

/**
 * A config that passed every step of config/LOADING.md.
 *
 * @param settings the typed, immutable settings
 * @param fingerprint lowercase hex SHA-256 of the document's RFC 8785 canonical JSON
 * @param path the file the config was read from, or the source name given to
 *     {@link ConfigLoader#parse(String, String)}
 * @param warnings lint findings of severity warning, for the service to log at start
 */
public record LoadedConfig(
        TimeoutConfig settings, String fingerprint, String path, List<LintFinding> warnings) {

    public LoadedConfig {
        warnings = List.copyOf(warnings);
    }
}
