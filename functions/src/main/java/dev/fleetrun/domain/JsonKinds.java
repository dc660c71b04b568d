package dev.fleetrun.domain;

import com.fasterxml.jackson.databind.JsonNode;

/** Names the JSON type of a value the way an error message reads it: "a string", "an array", "null". */
final class JsonKinds {

    private JsonKinds() {
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
