package com.checkout.config;

/**
 * A lint rule that does not hold for a config.
 *
 * @param rule the rule id of tools/configlint/rules.py
 * @param severity whether the finding refuses the config or only warns
 * @param pointer JSON Pointer of the setting the finding is about
 * @param message the rule's sentence with the values found filled in
 */
public record LintFinding(String rule, Severity severity, String pointer, String message) {}
