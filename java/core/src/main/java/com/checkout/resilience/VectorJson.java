package com.checkout.resilience;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading and exact comparison of vector JSON: a runner fails on an unknown field rather
 * than skipping it, and compares every field of an {@code expect} (tests/contracts/VECTORS.md).
 */
final class VectorJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private VectorJson() {}

    /** A vector that does not follow the format: the vector fails, naming where. */
    static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String where, String message) {
            super(where + ": " + message);
        }
    }

    static void fields(JsonNode node, String where, Set<String> required, Set<String> optional) {
        if (node == null || !node.isObject()) {
            throw new Malformed(where, "expected an object, found " + node);
        }
        for (String name : required) {
            if (!node.has(name)) {
                throw new Malformed(where, "missing field \"" + name + "\"");
            }
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!required.contains(name) && !optional.contains(name)) {
                throw new Malformed(where, "unknown field \"" + name + "\"; expected one of "
                        + new TreeSet<>(union(required, optional)));
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    static JsonNode object(JsonNode parent, String name, String where) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isObject()) {
            throw new Malformed(where, "\"" + name + "\" is " + node + "; expected an object");
        }
        return node;
    }

    static ArrayNode array(JsonNode parent, String name, String where) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isArray()) {
            throw new Malformed(where, "\"" + name + "\" is " + node + "; expected an array");
        }
        return (ArrayNode) node;
    }

    static long integer(JsonNode parent, String name, String where) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new Malformed(where, "\"" + name + "\" is " + node + "; expected an integer");
        }
        return node.longValue();
    }

    static double number(JsonNode parent, String name, String where) {
        return number(parent.get(name), where + " \"" + name + "\"");
    }

    static double number(JsonNode node, String where) {
        if (node == null || !node.isNumber()) {
            throw new Malformed(where, node + " is not a number");
        }
        return node.doubleValue();
    }

    static boolean bool(JsonNode parent, String name, String where) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isBoolean()) {
            throw new Malformed(where, "\"" + name + "\" is " + node + "; expected a boolean");
        }
        return node.booleanValue();
    }

    static String text(JsonNode parent, String name, String where) {
        JsonNode node = parent.get(name);
        if (node == null || !node.isTextual()) {
            throw new Malformed(where, "\"" + name + "\" is " + node + "; expected a string");
        }
        return node.textValue();
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode parent, String name,
            String where) {
        String value = text(parent, name, where);
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new Malformed(where, "\"" + name + "\" is \"" + value + "\"; not a "
                    + type.getSimpleName());
        }
    }

    static Outcome outcome(JsonNode parent, String name, String where) {
        try {
            return Outcome.fromWireName(text(parent, name, where));
        } catch (IllegalArgumentException e) {
            throw new Malformed(where, e.getMessage());
        }
    }

    static ObjectNode newObject() {
        return MAPPER.createObjectNode();
    }

    /**
     * Compares an {@code expect} object with what the kernel produced: every field both ways,
     * numbers by value (an int and a long are equal), lists in order, null as absence of a value.
     */
    static void diff(String where, JsonNode expected, JsonNode actual, List<String> mismatches) {
        Set<String> names = new TreeSet<>();
        expected.fieldNames().forEachRemaining(names::add);
        actual.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode want = expected.get(name);
            JsonNode got = actual.get(name);
            if (want == null) {
                mismatches.add(where + ": " + name + " not expected, got " + got);
            } else if (got == null) {
                mismatches.add(where + ": " + name + " expected " + want + ", got nothing");
            } else if (!same(want, got)) {
                mismatches.add(where + ": " + name + " expected " + want + ", got " + got);
            }
        }
    }

    private static boolean same(JsonNode want, JsonNode got) {
        if (want.isNumber() && got.isNumber()) {
            if (want.isIntegralNumber() && got.isIntegralNumber()) {
                return want.bigIntegerValue().equals(got.bigIntegerValue());
            }
            return want.doubleValue() == got.doubleValue();
        }
        if (want.isArray() && got.isArray()) {
            if (want.size() != got.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!same(want.get(i), got.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (want.isObject() && got.isObject()) {
            if (want.size() != got.size()) {
                return false;
            }
            for (Iterator<String> names = want.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!got.has(name) || !same(want.get(name), got.get(name))) {
                    return false;
                }
            }
            return true;
        }
        return want.equals(got);
    }
}
