package com.checkout.config;

/**
 * One reason a config was refused.
 *
 * @param pointer normalised RFC 6901 JSON Pointer of the offending field ({@code ""} for the
 *     whole document)
 * @param message names the field, the value found and what was expected
 * @param rule the schema keyword ({@code required}, {@code minimum}, ...), {@code read},
 *     {@code parse} or the lint rule id
 */
public record Violation(String pointer, String message, String rule) {}
