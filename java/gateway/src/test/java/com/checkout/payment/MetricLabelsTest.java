package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.checkout.config.generated.Vocabulary;
import com.checkout.config.generated.Vocabulary.MetricSpec;
import com.checkout.payment.observability.MetricLabels;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dashboards and alerts select series by the labels config/vocabulary.json gives each metric: a
 * meter registered with another label set still scrapes, and matches no query. So every
 * {@code checkout_*} family the gateway exposes must carry exactly its spec's labels, and a
 * registration giving a value too many or too few must fail where it is made.
 */
class MetricLabelsTest {
    @TempDir
    Path dir;

    // A sample line of the text exposition: the series name, its labels in braces, the value.
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? \\S+");
    // One label of a sample; a value may hold escaped quotes, so it is matched whole.
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    // The series a Micrometer timer adds to a histogram's name in the Prometheus registry.
    private static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_count", "_sum", "_max");

    @Test
    void everyFamilyScrapedCarriesExactlyTheLabelsOfItsVocabularyMetric() {
        try (GatewayHarness harness = GatewayHarness.shortened(dir)) {
            // An answered charge registers the series made on first use: the request's, its
            // duration's and the upstream attempt's; the rest exist from start-up.
            harness.provider.enqueue(GatewayHarness.charge(201, "labels-1", "authorised"));
            assertEquals(200, harness.pay("labels-1", GatewayHarness.PAYMENT).status());
            String metrics = harness.metrics();

            Set<String> checked = new TreeSet<>();
            for (String line : metrics.lines().filter(l -> l.startsWith("checkout_")).toList()) {
                Matcher sample = SAMPLE.matcher(line);
                assertTrue(sample.matches(), () -> "not a sample line: " + line);
                String series = sample.group(1);
                MetricSpec spec = specOf(series).orElseThrow(
                        () -> new AssertionError(series + " is no metric of config/vocabulary.json"));
                Set<String> labels = new TreeSet<>();
                Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
                if (series.endsWith("_bucket")) {
                    labels.remove("le"); // the bucket's bound, Prometheus' own and not the vocabulary's
                }
                assertEquals(new TreeSet<>(spec.labels()), labels, line);
                checked.add(spec.name());
            }
            // No metric passes for want of a series to check.
            Set<String> all = Vocabulary.METRICS.stream().map(MetricSpec::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(all, checked, metrics);
        }
    }

    @Test
    void theCommonLabelIsTheOneEveryMetricBeginsWith() {
        for (MetricSpec spec : Vocabulary.METRICS) {
            assertEquals(MetricLabels.COMMON, spec.labels().get(0), spec.name());
            assertEquals(spec.labels().subList(1, spec.labels().size()), MetricLabels.own(spec), spec.name());
        }
    }

    @Test
    void valuesAreZippedWithTheSpecsLabelsInOrder() {
        assertEquals(Tags.of("upstream", "provider", "operation", "charge", "from", "closed", "to", "open"),
                MetricLabels.tags(Vocabulary.BREAKER_TRANSITIONS_TOTAL, "provider", "charge", "closed", "open"));
        assertEquals(Tags.empty(), MetricLabels.tags(Vocabulary.POOL_MAX_CONNECTIONS));
        assertEquals(List.of("authorised", "declined", "unknown", "failed"),
                MetricLabels.known(Vocabulary.PAYMENT_OUTCOMES_TOTAL, 0));
    }

    @Test
    void aValueTooManyOrTooFewFailsNamingTheMetricTheLabelsAndTheValues() {
        String[] tooFew = {"POST /payments", "success"};
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> MetricLabels.tags(Vocabulary.REQUESTS_TOTAL, tooFew));
        assertTrue(few.getMessage().contains(Vocabulary.REQUESTS_TOTAL.name()), few.getMessage());
        assertTrue(few.getMessage().contains(MetricLabels.own(Vocabulary.REQUESTS_TOTAL).toString()), few.getMessage());
        assertTrue(few.getMessage().contains(Arrays.toString(tooFew)), few.getMessage());

        IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
                () -> MetricLabels.tags(Vocabulary.POOL_MAX_CONNECTIONS, "extra"));
        assertTrue(many.getMessage().contains(Vocabulary.POOL_MAX_CONNECTIONS.name()), many.getMessage());
        assertTrue(many.getMessage().contains("[extra]"), many.getMessage());
    }

    // The metric a series belongs to: its own name, or a histogram's name and a series suffix.
    private static Optional<MetricSpec> specOf(String series) {
        return Vocabulary.METRICS.stream()
                .filter(spec -> spec.name().equals(series) || (spec.type().equals("histogram")
                        && HISTOGRAM_SERIES.stream().anyMatch(suffix -> series.equals(spec.name() + suffix))))
                .findFirst();
    }
}
