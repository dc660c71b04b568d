package dev.fleetrun.local.sfn.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The engine's one JSON mapper and the few helpers around it. Payloads travel as Jackson {@link JsonNode}s and
 * are treated as immutable: a state that changes its input (ResultPath) changes a copy.
 */
public final class Json {

    /** Strict about definitions: a duplicated key is an error, as it is for AWS. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    /** Parses JSON text; {@link JsonProcessingException} says where it is broken. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /**
     * What is wrong with JSON text that did not parse, as AWS words it (its parser is Jackson too), with where; a
     * parser limit (nesting, a number's digits) comes without a place, and without the name of the setting behind it.
     */
    public static String problem(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage()).replaceAll(", from `[^`]*`", "");
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? message
                : message + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Compact JSON text of a node, as AWS prints payloads. */
    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** A new empty object. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The JSON type of a node, for messages: object, array, string, number, boolean or null. */
    public static String typeName(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case OBJECT, POJO -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Whether the node is a number with no fractional part (1 and 1.0 both are). */
    public static boolean isIntegral(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return false;
        }
        if (node.isIntegralNumber()) {
            return true;
        }
        return node.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    /** Text of a node for a message, cut to a readable length. */
    public static String excerpt(JsonNode node) {
        String text = text(node);
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
