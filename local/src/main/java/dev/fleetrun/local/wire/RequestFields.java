package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request members out of a decoded request body and rejects what the service model forbids,
 * with the {@code ValidationException} message AWS uses (member names in lower camel case).
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
        return has(input, field) ? input.get(field).asText() : fallback;
    }

    public static Integer optionalInt(JsonNode input, String field) {
        if (!has(input, field)) {
            return null;
        }
        JsonNode node = input.get(field);
        if (node.isIntegralNumber()) {
            return node.intValue();
        }
        try {
            return Integer.valueOf(node.asText());
        } catch (NumberFormatException e) {
            throw AwsError.validation(member(field), node.asText(), "Member must be an integer");
        }
    }

    public static boolean optionalBoolean(JsonNode input, String field) {
        return has(input, field) && input.get(field).asBoolean();
    }

    /** A list of strings; empty when absent. */
    public static List<String> textList(JsonNode input, String field) {
        List<String> values = new ArrayList<>();
        if (has(input, field)) {
            input.get(field).forEach(value -> values.add(value.asText()));
        }
        return values;
    }

    public static List<JsonNode> list(JsonNode input, String field) {
        List<JsonNode> values = new ArrayList<>();
        if (has(input, field)) {
            input.get(field).forEach(values::add);
        }
        return values;
    }

    public static void checkLength(String field, String value, int min, int max) {
        if (value != null && (value.length() < min || value.length() > max)) {
            String bound = value.length() < min ? "greater than or equal to " + min : "less than or equal to " + max;
            throw AwsError.validation(member(field), value, "Member must have length " + bound);
        }
    }

    public static void checkSize(String field, List<?> values, int min, int max) {
        if (values.size() < min || values.size() > max) {
            String bound = values.size() < min ? "greater than or equal to " + min : "less than or equal to " + max;
            throw AwsError.validation(member(field), values, "Member must have length " + bound);
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
            throw AwsError.validation(member(field), value,
                    "Member must satisfy regular expression pattern: " + pattern);
        }
    }

    /** AWS names members in validation messages in lower camel case: DocumentName is 'documentName'. */
    public static String member(String field) {
        return Character.toLowerCase(field.charAt(0)) + field.substring(1);
    }
}
