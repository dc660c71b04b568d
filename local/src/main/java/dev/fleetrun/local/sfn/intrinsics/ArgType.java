package dev.fleetrun.local.sfn.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.json.Json;
import java.util.function.Predicate;

/** The kinds of value an intrinsic function's argument may take, as its signature declares them. */
public enum ArgType {
    /** Any JSON value. */
    ANY("any JSON value", node -> true),
    /** A JSON string. */
    STRING("a string", JsonNode::isTextual),
    /** A string of at most 10,000 characters (the limit AWS sets for Base64 and Hash). */
    SHORT_STRING("a string of at most 10000 characters", node -> node.isTextual() && node.textValue().length() <= 10_000),
    /** A JSON number. */
    NUMBER("a number", JsonNode::isNumber),
    /** A whole number (1 and 1.0 both are). */
    INTEGER("an integer", Json::isIntegral),
    /** A whole number greater than zero. */
    POSITIVE_INTEGER("a positive integer", node -> Json.isIntegral(node) && node.asLong() > 0),
    /** A whole number of zero or more. */
    NON_NEGATIVE_INTEGER("an integer of zero or more", node -> Json.isIntegral(node) && node.asLong() >= 0),
    /** true or false. */
    BOOLEAN("a boolean", JsonNode::isBoolean),
    /** A JSON array. */
    ARRAY("an array", JsonNode::isArray),
    /** A JSON object. */
    OBJECT("an object", JsonNode::isObject);

    private final String description;
    private final Predicate<JsonNode> test;

    ArgType(String description, Predicate<JsonNode> test) {
        this.description = description;
        this.test = test;
    }

    /** Whether a value is of this kind. */
    public boolean accepts(JsonNode value) {
        return value != null && test.test(value);
    }

    /** What this kind is, for messages ("a positive integer"). */
    public String description() {
        return description;
    }
}
