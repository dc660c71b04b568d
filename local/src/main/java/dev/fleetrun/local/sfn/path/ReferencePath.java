package dev.fleetrun.local.sfn.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.errors.StatesResultPathMatchFailure;
import dev.fleetrun.local.sfn.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A Reference Path (ResultPath): a path that names exactly one node by field names and array indexes, such
 * as {@code $.results.lambda} or {@code $['my key'][0]}: no wildcards, filters or context object. It places a
 * result into a copy of the state's input; fields on the way that do not exist are created as objects.
 */
public final class ReferencePath {

    private final String text;
    private final List<Object> steps;

    private ReferencePath(String text, List<Object> steps) {
        this.text = text;
        this.steps = steps;
    }

    /**
     * Parses a reference path.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static ReferencePath parse(String text) {
        if (text == null || !text.startsWith("$") || text.startsWith("$$")) {
            throw new IllegalArgumentException("a reference path must start with '$' and name a node of the state's data, got '"
                    + text + "'");
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                String name = text.substring(i + 1, end);
                if (name.isEmpty() || name.equals("*")) {
                    throw invalid(text, "a field name is missing or a wildcard after '.' at position " + i);
                }
                steps.add(name);
                i = end;
            } else if (c == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw invalid(text, "'[' at position " + i + " is not closed");
                }
                String inside = text.substring(i + 1, close).trim();
                if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    steps.add(inside.substring(1, inside.length() - 1));
                } else if (inside.matches("\\d+")) {
                    steps.add(Integer.valueOf(inside));
                } else {
                    throw invalid(text, "'[" + inside + "]' is neither a quoted field name nor an array index");
                }
                i = close + 1;
            } else {
                throw invalid(text, "unexpected '" + c + "' at position " + i);
            }
        }
        return new ReferencePath(text, List.copyOf(steps));
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not a valid reference path: " + why
                + " (reference paths allow only field names and array indexes, like $.a.b or $['a'][0])");
    }

    /** The path as written. */
    public String text() {
        return text;
    }

    /** Whether this is {@code $}, the whole input. */
    public boolean isRoot() {
        return steps.isEmpty();
    }

    /**
     * Returns a copy of {@code input} with {@code value} placed at this path ({@code value} itself for
     * {@code $}).
     *
     * @throws StatesResultPathMatchFailure when the input has a non-object where the path needs a field,
     *         or an array index out of range
     */
    public JsonNode place(JsonNode input, JsonNode value) {
        if (steps.isEmpty()) {
            return value;
        }
        if (input == null || !input.isContainerNode()) {
            throw failure(input, "the input is " + Json.typeName(input) + ", not an object");
        }
        JsonNode root = input.deepCopy();
        JsonNode current = root;
        for (int s = 0; s < steps.size(); s++) {
            Object step = steps.get(s);
            boolean last = s == steps.size() - 1;
            if (step instanceof String field) {
                if (!(current instanceof ObjectNode object)) {
                    throw failure(input, "'" + field + "' is asked of a " + Json.typeName(current));
                }
                if (last) {
                    object.set(field, value);
                } else {
                    JsonNode next = object.get(field);
                    if (next == null || next.isNull()) {
                        next = object.putObject(field);
                    }
                    current = next;
                }
            } else {
                int index = (Integer) step;
                if (!(current instanceof ArrayNode array) || index >= array.size()) {
                    throw failure(input, "index " + index + " is asked of a " + Json.typeName(current)
                            + (current instanceof ArrayNode a ? " of " + a.size() + " items" : ""));
                }
                if (last) {
                    array.set(index, value);
                } else {
                    current = array.get(index);
                }
            }
        }
        return root;
    }

    private StatesResultPathMatchFailure failure(JsonNode input, String why) {
        return new StatesResultPathMatchFailure("Unable to apply ResultPath '" + text + "' to input "
                + Json.excerpt(input) + ": " + why + ".");
    }

    @Override
    public String toString() {
        return text;
    }
}
