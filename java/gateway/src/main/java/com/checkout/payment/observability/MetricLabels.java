package com.checkout.payment.observability;

import com.checkout.config.generated.Vocabulary;
import com.checkout.config.generated.Vocabulary.MetricSpec;
import io.micrometer.core.instrument.Tags;
import java.util.Arrays;
import java.util.List;

/**
 * The label keys of the gateway's meters, taken from config/vocabulary.json's generated
 * {@link MetricSpec}s and never spelled by hand: a meter then carries exactly the labels
 * METRICS.md documents (and dashboards and alerts select on), and a registration that gives a
 * value too many or too few fails where it is made rather than as a series nobody queries.
 */
public final class MetricLabels {
    /**
     * The label every metric of the vocabulary carries first ({@code service}): the registry sets
     * it once as a common tag, so {@link #tags} leaves it out.
     */
    public static final String COMMON = common();

    private MetricLabels() {}

    /**
     * The tags of one series of a metric: its labels after {@link #COMMON}, each with the value at
     * the same position.
     *
     * @param spec the metric
     * @param values the label values, in the order of the spec's labels after {@link #COMMON}
     * @return the tags
     * @throws IllegalArgumentException if there are more or fewer values than labels
     */
    public static Tags tags(MetricSpec spec, String... values) {
        List<String> labels = own(spec);
        if (labels.size() != values.length) {
            throw new IllegalArgumentException(spec.name() + " takes the labels " + labels + " (besides "
                    + COMMON + "), given the values " + Arrays.toString(values));
        }
        String[] pairs = new String[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            pairs[2 * i] = labels.get(i);
            pairs[2 * i + 1] = values[i];
        }
        return Tags.of(pairs);
    }

    /**
     * The values the vocabulary lists in advance for one label of a metric, named by position so
     * that no label key is spelled here either.
     *
     * @param spec the metric
     * @param position the label's position among the spec's labels after {@link #COMMON}
     * @return the values, in the vocabulary's order
     * @throws IllegalArgumentException if the vocabulary lists none for that label
     */
    public static List<String> known(MetricSpec spec, int position) {
        String label = own(spec).get(position);
        List<String> values = spec.values().get(label);
        if (values == null) {
            throw new IllegalArgumentException(spec.name() + " lists no values for its label " + label);
        }
        return values;
    }

    /**
     * A metric's labels after {@link #COMMON}: the ones each meter sets.
     *
     * @param spec the metric
     * @return the label names, in order
     */
    public static List<String> own(MetricSpec spec) {
        return spec.labels().subList(1, spec.labels().size());
    }

    // The common tag is one name for the whole registry, so it must lead every metric's labels;
    // a vocabulary where it does not is refused at class loading, before any meter exists.
    private static String common() {
        String first = Vocabulary.METRICS.get(0).labels().get(0);
        for (MetricSpec spec : Vocabulary.METRICS) {
            if (spec.labels().isEmpty() || !spec.labels().get(0).equals(first)) {
                throw new IllegalStateException(spec.name() + " has the labels " + spec.labels()
                        + "; every metric's must begin with " + first);
            }
        }
        return first;
    }
}
