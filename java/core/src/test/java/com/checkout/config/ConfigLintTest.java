package com.checkout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.checkout.config.generated.ConfigLint;
import com.checkout.config.generated.TimeoutConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLintTest {
    private static TimeoutConfig settings(ObjectNode document) {
        return ConfigLoader.MAPPER.convertValue(document, TimeoutConfig.class);
    }

    private static ObjectNode withRetry(int attempts, int base, double multiplier, int jitter,
            int maxDelay) {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment/retry")
                .put("max_attempts", attempts)
                .put("base_delay_ms", base)
                .put("backoff_multiplier", multiplier)
                .put("jitter_ms", jitter)
                .put("max_delay_ms", maxDelay);
        return doc;
    }

    @Test
    void repoConfigHasNoFindings() {
        assertEquals(List.of(), ConfigLint.lint(settings(RepoFiles.timeoutConfig())));
    }

    @Test
    void worstCaseOfRepoConfig() {
        // 3 x 20000 + (2000 + 500) + (4000 + 500)
        assertEquals(67_000L, ConfigLint.worstCaseCallMs(settings(RepoFiles.timeoutConfig())));
    }

    @Test
    void worstCaseCapsBackoffAtMaxDelay() {
        // 4 x 20000 + (2000 + 500) + (8000 + 500) + (8000 + 500): 20000 is capped at 8000
        ObjectNode doc = withRetry(4, 2000, 10.0, 500, 8000);
        assertEquals(99_500L, ConfigLint.worstCaseCallMs(settings(doc)));
    }

    @Test
    void worstCaseFloorsEachGrownBackoff() {
        // 3 x 20000 + 1001 + floor(1001 x 1.5) = 1501
        ObjectNode doc = withRetry(3, 1001, 1.5, 0, 10_000);
        assertEquals(62_502L, ConfigLint.worstCaseCallMs(settings(doc)));
    }

    @Test
    void singleAttemptIsJustTheTimeout() {
        ObjectNode doc = withRetry(1, 2000, 1.0, 0, 8000);
        assertEquals(20_000L, ConfigLint.worstCaseCallMs(settings(doc)));
        assertEquals(List.of(), ConfigLint.lint(settings(doc)));
    }

    @Test
    void deadlineShorterThanWorstCaseIsAnError() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/payment").put("deadline_ms", 66_999);
        List<LintFinding> findings = ConfigLint.lint(settings(doc));
        assertEquals(List.of(new LintFinding("payment-deadline-covers-retries", Severity.ERROR,
                "/payment/deadline_ms", "payment deadline_ms is 66999 ms, shorter than the worst "
                        + "case of one payment call (67000 ms: every attempt timing out plus every "
                        + "backoff at its maximum); expected deadline_ms >= max_attempts x "
                        + "timeout_ms + backoff sleeps")), findings);
    }

    @Test
    void fixedDelaysWithoutJitterWarnTwice() {
        ObjectNode doc = withRetry(3, 2000, 1.0, 0, 8000);
        assertEquals(List.of("retry-backoff-grows", "retry-jitter-present"),
                ConfigLint.lint(settings(doc)).stream().map(LintFinding::rule).toList());
    }

    @Test
    void jitterAboveBaseAndMaxBelowBaseAreErrors() {
        ObjectNode doc = withRetry(2, 1000, 2.0, 1500, 500);
        assertEquals(List.of("retry-jitter-within-base", "retry-max-delay-covers-base"),
                ConfigLint.lint(settings(doc)).stream().map(LintFinding::rule).toList());
    }

    @Test
    void poolAcquireMustStayBelowDeadline() {
        ObjectNode doc = RepoFiles.timeoutConfig();
        RepoFiles.at(doc, "/database/pool").put("acquire_timeout_ms", 70_000);
        assertEquals(List.of("/database/pool/acquire_timeout_ms"),
                ConfigLint.lint(settings(doc)).stream().map(LintFinding::pointer).toList());
    }
}
