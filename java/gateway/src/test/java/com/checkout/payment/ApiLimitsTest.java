package com.checkout.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.checkout.config.generated.ApiLimits;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 (j): openapi.json states the limits of config/api-limits.json (generated into
 * {@link ApiLimits}), the one definition every hop validates with; this keeps the document equal.
 */
class ApiLimitsTest {
    @Test
    void theApiDocumentStatesTheSharedLimits() throws Exception {
        JsonNode schemas = GatewayApp.openapiDocument().at("/components/schemas");
        JsonNode request = schemas.at("/PaymentRequest/properties");

        assertEquals(ApiLimits.ORDER_ID_MAX_LENGTH, request.at("/order_id/maxLength").asInt());
        assertEquals(ApiLimits.PAYMENT_TOKEN_MAX_LENGTH, request.at("/payment_token/maxLength").asInt());
        assertEquals(ApiLimits.AMOUNT_MINOR_MAX, request.at("/amount_minor/maximum").asLong());
        assertEquals(ApiLimits.IDEMPOTENCY_KEY_MAX_LENGTH, schemas.at("/IdempotencyKey/maxLength").asInt());
        TreeSet<String> documented = new TreeSet<>();
        schemas.at("/Currency/enum").forEach(code -> documented.add(code.asText()));
        assertEquals(new TreeSet<>(ApiLimits.CURRENCIES.keySet()), documented);
    }
}
