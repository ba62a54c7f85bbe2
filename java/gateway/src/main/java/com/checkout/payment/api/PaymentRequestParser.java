package com.checkout.payment.api;

import com.checkout.config.generated.ApiLimits;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of a {@code POST /payments} body: every problem is collected and named by its
 * pointer, so a malformed or mistyped body is a 400 (or a 413), never a 500.
 */
public final class PaymentRequestParser {
    /** Larger bodies are refused with 413 before they are parsed. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    // Issue 11 (j): one definition of each limit for every hop, config/api-limits.json.
    static final int MAX_ORDER_ID = ApiLimits.ORDER_ID_MAX_LENGTH;
    static final long MAX_AMOUNT_MINOR = ApiLimits.AMOUNT_MINOR_MAX;
    static final int MAX_TOKEN = ApiLimits.PAYMENT_TOKEN_MAX_LENGTH;
    // 10^12 written out has 13 digits, which every log (and this gateway's answers) masks as a card.
    private static final String AMOUNT_SHOWN = powerOfTen(MAX_AMOUNT_MINOR);
    private static final Set<String> FIELDS =
            Set.of("order_id", "amount_minor", "currency", "payment_token");
    private static final Pattern CURRENCY_SYNTAX = Pattern.compile("[A-Z]{3}");
    private static final int MAX_SHOWN = 40;

    private PaymentRequestParser() {}

    /**
     * Parses and validates a body.
     *
     * @param body the raw bytes, at most {@link #MAX_BODY_BYTES}
     * @return the request
     * @throws ApiException {@code INVALID_REQUEST} (400) listing every problem
     */
    public static PaymentRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            // The original message names the token kind, never the source text (INCLUDE_SOURCE_IN_LOCATION is off).
            String reason = e.getOriginalMessage().lines().findFirst().orElse("");
            throw invalid("", "malformed JSON" + where + ": " + reason + "; expected one JSON object");
        } catch (IOException e) {
            throw invalid("", "unreadable body: " + e.getMessage() + "; expected one JSON object");
        }
        if (root == null || root.isMissingNode()) {
            throw invalid("", "the body is empty; expected one JSON object");
        }
        if (!root.isObject()) {
            throw invalid("", "the body is a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)
                    + "; expected one JSON object");
        }
        List<Detail> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                problems.add(new Detail("/" + escape(field.getKey()), "unknown field "
                        + shown(field.getKey()) + "; expected only order_id, amount_minor, currency and payment_token"));
            }
        }
        String orderId = text(root, "order_id", 1, MAX_ORDER_ID, true, problems);
        Long amount = amount(root, problems);
        String currency = currency(root, problems);
        String token = text(root, "payment_token", 1, MAX_TOKEN, false, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid("invalid payment request: " + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems"), problems);
        }
        return new PaymentRequest(orderId, amount, currency, token);
    }

    private static String text(JsonNode root, String name, int min, int max, boolean showValue,
            List<Detail> problems) {
        JsonNode value = root.get(name);
        String pointer = "/" + name;
        if (value == null) {
            problems.add(new Detail(pointer, "required field " + name + " is missing"));
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new Detail(pointer, name + " is a JSON " + kind(value) + "; expected a string"));
            return null;
        }
        String text = value.textValue();
        int length = text.codePointCount(0, text.length());
        if (length < min || length > max) {
            problems.add(new Detail(pointer, name + " has " + length + " characters"
                    + (showValue ? " (" + shown(text) + ")" : "") + "; expected " + min + " to " + max));
            return null;
        }
        return text;
    }

    private static Long amount(JsonNode root, List<Detail> problems) {
        JsonNode value = root.get("amount_minor");
        if (value == null) {
            problems.add(new Detail("/amount_minor", "required field amount_minor is missing"));
            return null;
        }
        // An integer literal only: 5.0 and "5" are refused, as the provider refuses them.
        if (!value.isIntegralNumber()) {
            problems.add(new Detail("/amount_minor", "amount_minor is " + describe(value)
                    + "; expected an integer from 1 to " + AMOUNT_SHOWN));
            return null;
        }
        BigInteger amount = value.bigIntegerValue();
        if (amount.signum() <= 0 || amount.compareTo(BigInteger.valueOf(MAX_AMOUNT_MINOR)) > 0) {
            problems.add(new Detail("/amount_minor", "amount_minor is " + amount
                    + "; expected an integer from 1 to " + AMOUNT_SHOWN));
            return null;
        }
        return amount.longValueExact();
    }

    private static String currency(JsonNode root, List<Detail> problems) {
        JsonNode value = root.get("currency");
        if (value == null) {
            problems.add(new Detail("/currency", "required field currency is missing"));
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new Detail("/currency", "currency is a JSON " + kind(value)
                    + "; expected an ISO 4217 alphabetic code such as \"EUR\""));
            return null;
        }
        String code = value.textValue();
        if (!CURRENCY_SYNTAX.matcher(code).matches() || !known(code)) {
            problems.add(new Detail("/currency", "currency is " + shown(code)
                    + ", not an ISO 4217 alphabetic code known to this gateway; expected one such as \"EUR\""));
            return null;
        }
        return code;
    }

    private static boolean known(String code) {
        return ApiLimits.CURRENCIES.containsKey(code);
    }

    private static ApiException invalid(String pointer, String message) {
        return ApiException.invalid("invalid payment request: " + message, List.of(new Detail(pointer, message)));
    }

    private static String describe(JsonNode value) {
        return value.isNumber() ? value.asText() : "a JSON " + kind(value);
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            case ARRAY -> "array";
            case OBJECT -> "object";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String shown(String value) {
        String cut = value.length() <= MAX_SHOWN ? value : value.substring(0, MAX_SHOWN) + "...";
        try {
            return Json.MAPPER.writeValueAsString(cut);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string failed to serialise", e);
        }
    }

    private static String powerOfTen(long value) {
        String digits = Long.toString(value);
        return digits.matches("10+") ? "10^" + (digits.length() - 1) : digits;
    }

    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
