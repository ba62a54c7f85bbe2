package com.checkout.payment.api;

import com.checkout.config.generated.ApiLimits;
import java.util.List;

/**
 * The Idempotency-Key header's rules: required, 1-255 visible ASCII characters, and not "." or
 * ".." — every key POST /payments accepts can be named in GET /payments/{idempotencyKey} once
 * percent-encoded (RFC 3986), except the two dot segments, which URL normalisation removes.
 */
public final class IdempotencyKeys {
    /** The header naming a payment, sent unchanged to the provider on every attempt. */
    public static final String HEADER = "Idempotency-Key";

    static final int MAX_LENGTH = ApiLimits.IDEMPOTENCY_KEY_MAX_LENGTH;

    private IdempotencyKeys() {}

    /**
     * Checks a key taken from the header or the path.
     *
     * @param key the value, or null when absent
     * @param pointer where the key came from, for the error's details
     * @return the key
     * @throws ApiException {@code INVALID_REQUEST} when it is missing or malformed
     */
    public static String require(String key, String pointer) {
        String problem = problem(key);
        if (problem != null) {
            throw ApiException.invalid(problem, List.of(new Detail(pointer, problem)));
        }
        return key;
    }

    // Visible ASCII only (0x21-0x7E): the provider refuses spaces and control characters, so a
    // key it would refuse is refused here before anything is stored or sent.
    private static String problem(String key) {
        if (key == null || key.isEmpty()) {
            return HEADER + " is required; expected 1 to " + MAX_LENGTH + " visible ASCII characters";
        }
        if (key.length() > MAX_LENGTH) {
            return HEADER + " has " + key.length() + " characters; expected 1 to " + MAX_LENGTH;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return HEADER + " has the character U+" + String.format("%04X", (int) c) + " at index "
                        + i + "; expected only visible ASCII characters (0x21-0x7E)";
            }
        }
        // A client library and the provider's URL resolution both drop a "." or ".." segment
        // (RFC 3986 §5.2.4), so such a key could be paid but never looked up.
        if (key.equals(".") || key.equals("..")) {
            return HEADER + " is \"" + key + "\"; expected a key other than \".\" or \"..\", which a URL"
                    + " path cannot carry as GET /payments/{idempotencyKey}";
        }
        return null;
    }
}
