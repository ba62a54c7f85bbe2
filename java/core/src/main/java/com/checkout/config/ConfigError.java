package com.checkout.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that could not be loaded: every violation found, never a partial config. */
public final class ConfigError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The error class shared by the Python, TypeScript and Java loaders. */
    public static final String ERROR_CLASS = "INVALID_CONFIG";

    private final String source;
    private final transient List<Violation> violations;
    private final transient List<LintFinding> warnings;

    /**
     * A refusal before the lint step (read, parse or schema), so no warnings were computed.
     *
     * @param source the file path or other name of the refused document
     * @param violations every violation found, at least one
     */
    public ConfigError(String source, List<Violation> violations) {
        this(source, violations, List.of());
    }

    /**
     * A refusal by the lint, which also reports the warnings it found.
     *
     * @param source the file path or other name of the refused document
     * @param violations every violation found, at least one
     * @param warnings the lint warnings of the same document
     */
    public ConfigError(String source, List<Violation> violations, List<LintFinding> warnings) {
        super(describe(source, violations));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ConfigError needs at least one violation");
        }
        this.source = source;
        this.violations = List.copyOf(violations);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The shared error class.
     *
     * @return {@value #ERROR_CLASS}
     */
    public String errorClass() {
        return ERROR_CLASS;
    }

    /**
     * Where the refused document came from.
     *
     * @return the path or source name given to the loader
     */
    public String source() {
        return source;
    }

    /**
     * Every reason the document was refused.
     *
     * @return the violations, in the order they were found
     */
    public List<Violation> violations() {
        return violations;
    }

    /**
     * The lint warnings of a schema-valid document the lint refused; reported like those of a
     * loaded config, so a refused config still shows everything wrong with it.
     *
     * @return the warnings; empty when the document never reached the lint
     */
    public List<LintFinding> warnings() {
        return warnings;
    }

    private static String describe(String source, List<Violation> violations) {
        String count = violations.size() == 1 ? "1 violation" : violations.size() + " violations";
        return violations.stream()
                .map(v -> "  " + (v.pointer().isEmpty() ? "(document)" : v.pointer())
                        + " [" + v.rule() + "] " + v.message())
                .collect(Collectors.joining(
                        "\n", ERROR_CLASS + ": " + source + " has " + count + ":\n", ""));
    }
}
