package com.checkout.config;

/** How a lint finding weighs: an {@code ERROR} makes every loader refuse the config. */
public enum Severity {
    ERROR("error"),
    WARNING("warning");

    private final String json;

    Severity(String json) {
        this.json = json;
    }

    /**
     * The severity as tools/configlint/rules.py spells it.
     *
     * @return {@code "error"} or {@code "warning"}
     */
    public String json() {
        return json;
    }
}
