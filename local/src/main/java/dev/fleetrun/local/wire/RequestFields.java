package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads request members out of a decoded request body and rejects what the service model forbids,
 * with the {@code ValidationException} message AWS uses (member names in lower camel case).
 *
 * <p>A member of the wrong type is refused as AWS's front end refuses it, with a {@code SerializationException}
 * naming the member and what it is: a number or an object where a string is expected, a string where a list
 * is, and so on; never read as something else ({@code 5} as {@code "5"}, an object as {@code ""}). The one
 * leniency is a string that spells a number or a boolean: that is how the form-encoded Query protocol sends
 * them. A JSON {@code null} is an absent member, as AWS takes it.
 */
public final class RequestFields {
    private RequestFields() {
    }

    public static boolean has(JsonNode input, String field) {
        JsonNode node = input.get(field);
        return node != null && !node.isNull();
    }

    public static String requiredText(JsonNode input, String field) {
        String value = optionalText(input, field, null);
        if (value == null) {
            throw AwsError.validation(member(field), null, "Member must not be null");
        }
        return value;
    }

    public static String optionalText(JsonNode input, String field, String fallback) {
        if (!has(input, field)) {
            return fallback;
        }
        return text(input.get(field), field);
    }

    /** A member that must be a string (a CBOR text string; not a byte string). */
    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw wrongType(field, node, "a string");
        }
        return node.textValue();
    }

    public static Integer optionalInt(JsonNode input, String field) {
        if (!has(input, field)) {
            return null;
        }
        JsonNode node = input.get(field);
        if (node.isIntegralNumber()) {
            if (!node.canConvertToInt()) {
                throw wrongType(field, node, "a 32-bit integer");
            }
            return node.intValue();
        }
        if (!node.isTextual()) {
            throw wrongType(field, node, "an integer");
        }
        try {
            return Integer.valueOf(node.textValue().trim());
        } catch (NumberFormatException e) {
            throw AwsError.validation(member(field), node.asText(), "Member must be an integer");
        }
    }

    /** A number (an integer or a decimal); null when absent. */
    public static Double optionalDouble(JsonNode input, String field) {
        if (!has(input, field)) {
            return null;
        }
        JsonNode node = input.get(field);
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (!node.isTextual()) {
            throw wrongType(field, node, "a number");
        }
        try {
            double value = Double.parseDouble(node.textValue().trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw AwsError.validation(member(field), node.asText(), "Member must be a number");
    }

    public static boolean optionalBoolean(JsonNode input, String field) {
        return optionalBoolean(input, field, false);
    }

    /** A boolean member, {@code fallback} when absent. */
    public static boolean optionalBoolean(JsonNode input, String field, boolean fallback) {
        if (!has(input, field)) {
            return fallback;
        }
        JsonNode node = input.get(field);
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
            return Boolean.parseBoolean(node.textValue());
        }
        throw wrongType(field, node, "a boolean (true or false)");
    }

    /** A list of strings; empty when absent. */
    public static List<String> textList(JsonNode input, String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : list(input, field)) {
            values.add(text(value, field + ".member"));
        }
        return values;
    }

    /** A list; empty when absent. */
    public static List<JsonNode> list(JsonNode input, String field) {
        List<JsonNode> values = new ArrayList<>();
        if (has(input, field)) {
            JsonNode node = input.get(field);
            if (!node.isArray()) {
                throw wrongType(field, node, "a list");
            }
            node.forEach(values::add);
        }
        return values;
    }

    /** A list of structures; empty when absent. */
    public static List<JsonNode> objects(JsonNode input, String field) {
        List<JsonNode> values = list(input, field);
        for (JsonNode value : values) {
            if (!value.isObject()) {
                throw wrongType(field + ".member", value, "a structure");
            }
        }
        return values;
    }

    /** A structure (an object); null when absent. */
    public static JsonNode optionalObject(JsonNode input, String field) {
        if (!has(input, field)) {
            return null;
        }
        JsonNode node = input.get(field);
        if (!node.isObject()) {
            throw wrongType(field, node, "a structure");
        }
        return node;
    }

    /** A map of string to string, in the order sent; empty when absent. */
    public static Map<String, String> textMap(JsonNode input, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode map = optionalObject(input, field);
        if (map != null) {
            map.properties().forEach(entry -> values.put(entry.getKey(), text(entry.getValue(), field + "." + entry.getKey())));
        }
        return values;
    }

    /** A map of string to list of strings, in the order sent; empty when absent. */
    public static Map<String, List<String>> textListMap(JsonNode input, String field) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        JsonNode map = optionalObject(input, field);
        if (map != null) {
            map.properties().forEach(entry -> values.put(entry.getKey(), List.copyOf(textList(map, entry.getKey()))));
        }
        return values;
    }

    public static void checkLength(String field, String value, int min, int max) {
        if (value != null && (value.length() < min || value.length() > max)) {
            String bound = value.length() < min ? "greater than or equal to " + min : "less than or equal to " + max;
            throw AwsError.validation(member(field), shorten(value), "Member must have length " + bound);
        }
    }

    public static void checkSize(String field, List<?> values, int min, int max) {
        if (values.size() < min || values.size() > max) {
            String bound = values.size() < min ? "greater than or equal to " + min : "less than or equal to " + max;
            throw AwsError.validation(member(field), shorten(values.toString()), "Member must have length " + bound);
        }
    }

    public static void checkRange(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            String bound = value < min ? "greater than or equal to " + min : "less than or equal to " + max;
            throw AwsError.validation(member(field), value, "Member must have value " + bound);
        }
    }

    public static void checkPattern(String field, String value, String pattern) {
        if (value != null && !value.matches(pattern)) {
            throw AwsError.validation(member(field), shorten(value),
                    "Member must satisfy regular expression pattern: " + pattern);
        }
    }

    /** AWS names members in validation messages in lower camel case: DocumentName is 'documentName'. */
    public static String member(String field) {
        return field.isEmpty() ? field : Character.toLowerCase(field.charAt(0)) + field.substring(1);
    }

    /** The error for a member whose JSON (or CBOR) type is not the model's. */
    public static AwsError wrongType(String field, JsonNode node, String expected) {
        return AwsError.of("SerializationException", "Member '" + member(field) + "' must be " + expected + "; it is "
                + kind(node) + ".");
    }

    private static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? "the integer " + node.asText() : "an integer beyond 64 bits";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        return node.isBoolean() ? "a boolean" : node.isObject() ? "a structure" : node.isArray() ? "a list"
                : node.isBinary() ? "a byte string" : node.isNull() ? "null" : "a value of another kind";
    }

    /** A value as a message quotes it: a long one is cut (AWS quotes it whole; a 4 MiB message helps nobody). */
    private static String shorten(String value) {
        return value.length() <= 256 ? value : value.substring(0, 256) + "... (" + value.length() + " characters)";
    }
}
