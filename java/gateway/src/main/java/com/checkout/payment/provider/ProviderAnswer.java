package com.checkout.payment.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * An HTTP answer of the provider.
 *
 * @param status the HTTP status
 * @param body the parsed JSON body; null when there was none or it was not JSON
 * @param retryAfter whether a {@code Retry-After} header came with it (a 503 that sheds load)
 */
public record ProviderAnswer(int status, JsonNode body, boolean retryAfter) {

    /**
     * A text field of the body.
     *
     * @param name the field
     * @return its value when the body is an object with that string field
     */
    public Optional<String> text(String name) {
        if (body == null || !body.isObject()) {
            return Optional.empty();
        }
        JsonNode value = body.get(name);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /**
     * The body's {@code error} object, when it has the repo's error shape.
     *
     * @return the object with {@code class}, {@code message}, {@code retryable}
     */
    public Optional<JsonNode> error() {
        if (body == null || !body.isObject() || !body.path("error").isObject()) {
            return Optional.empty();
        }
        return Optional.of(body.get("error"));
    }
}
