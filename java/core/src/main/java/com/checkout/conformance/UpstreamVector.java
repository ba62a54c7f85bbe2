package com.checkout.conformance;

import com.checkout.config.generated.TimeoutConfig.PaymentSettings;
import com.checkout.conformance.CallVector.Answer;
import com.checkout.conformance.CallVector.World;
import com.checkout.resilience.Operation;
import com.checkout.resilience.ResilientCall;
import com.checkout.resilience.Role;
import com.checkout.resilience.Upstream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The upstream topic (SEMANTICS.md §11): one real {@link Upstream} built from a whole
 * {@code payment} section, the same scripted classifier for both operations, one fake clock and
 * one queue of draws. A call step runs on its operation as a call vector's step does; a
 * reconfigure step reloads the upstream and compares what each operation then holds.
 */
final class UpstreamVector {
    private UpstreamVector() {}

    static void run(JsonNode vector, List<String> mismatches) {
        World world = new World(vector.get("draws"));
        Upstream<Answer> upstream = new Upstream<>(payment(vector.get("settings")),
                Role.fromWireName(vector.get("role").textValue()), CallVector.CLASSIFIER,
                CallVector.CLASSIFIER, world::clock, world::draw, world::sleep);
        int i = 0;
        for (JsonNode step : vector.get("steps")) {
            String where = "steps[" + i++ + "]";
            if (step.has("reconfigure")) {
                upstream.reconfigure(payment(step.get("reconfigure")));
                // The schema requires both operations in expect: compared field by field.
                for (Operation operation : Operation.values()) {
                    Vectors.diff(where + " (reconfigure, " + operation.wireName() + ")",
                            step.get("expect").get(operation.wireName()),
                            state(upstream.operation(operation)), mismatches);
                }
                continue;
            }
            Operation operation = Operation.fromWireName(step.get("operation").textValue());
            if (!CallVector.runCall(where + " (" + operation.wireName() + ")", step,
                    upstream.operation(operation), world, mismatches)) {
                return;
            }
        }
    }

    private static PaymentSettings payment(JsonNode settings) {
        return VectorRunner.bind(settings, PaymentSettings.class);
    }

    private static ObjectNode state(ResilientCall<Answer> call) {
        return Vectors.MAPPER.createObjectNode()
                .put("breaker_state", call.breaker().state().wireName())
                .put("breaker_generation", call.breaker().generation())
                .put("tokens_milli", call.budget().tokensMilli())
                .put("max_concurrent", call.bulkhead().maxConcurrent())
                .put("in_flight", call.bulkhead().inFlight());
    }
}
