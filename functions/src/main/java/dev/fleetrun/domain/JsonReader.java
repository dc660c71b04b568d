package dev.fleetrun.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads typed values out of request JSON, reporting a wrong type or range to {@link Problems} and returning
 * {@code null} instead of throwing, so the parser goes on and finds every other error too.
 * A field set to JSON {@code null} reads as absent.
 */
final class JsonReader {

    private JsonReader() {
    }

    /** The value of {@code name} in {@code o}, or {@code null} when it is missing or JSON null. */
    static JsonNode field(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        return n == null || n.isNull() ? null : n;
    }

    static String path(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    static ObjectNode object(JsonNode n, String path, String example, Problems p) {
        if (n instanceof ObjectNode o) {
            return o;
        }
        p.add(path, "must be an object such as " + example + ", got " + JsonKinds.describe(n));
        return null;
    }

    static ArrayNode array(JsonNode n, String path, String example, Problems p) {
        if (n instanceof ArrayNode a) {
            return a;
        }
        String hint = n != null && n.isTextual() ? " (wrap the value in a list: [" + n + "])" : "";
        p.add(path, "must be a list such as " + example + ", got " + JsonKinds.describe(n) + hint);
        return null;
    }

    static String string(JsonNode n, String path, Problems p) {
        if (n != null && n.isTextual()) {
            return n.textValue();
        }
        p.add(path, "must be a string, got " + JsonKinds.describe(n));
        return null;
    }

    static Boolean bool(JsonNode n, String path, Problems p) {
        if (n != null && n.isBoolean()) {
            return n.booleanValue();
        }
        String hint = n != null && n.isTextual() ? " (write true or false without quotes)" : "";
        p.add(path, "must be true or false, got " + JsonKinds.describe(n) + hint);
        return null;
    }

    /** A whole number within {@code min..max}; {@code unit} names what it counts, e.g. "seconds". */
    static Integer integer(JsonNode n, String path, int min, int max, String unit, Problems p) {
        if (n == null || !n.isNumber() || !n.canConvertToExactIntegral()) {
            String got = n != null && n.isNumber() ? "the number " + n
                    : JsonKinds.describe(n) + (n != null && n.isTextual() && n.textValue().matches("-?[0-9]+")
                    ? " (write " + n.textValue() + " without quotes)" : "");
            p.add(path, "must be a whole number of " + unit + " from " + min + " to " + max + ", got " + got);
            return null;
        }
        if (!n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            p.add(path, "must be from " + min + " to " + max + " " + unit + ", got " + n.asText());
            return null;
        }
        return n.asInt();
    }

    /**
     * A list of non-blank strings with {@code min..max} entries. Returns the strings that are valid, or
     * {@code null} when the value is not a list or has the wrong number of entries.
     */
    static List<String> strings(JsonNode n, String path, int min, int max, String example, Problems p) {
        return strings(n, path, min, max, example, value -> null, p);
    }

    /** Checks one string of a list: returns why it is wrong, or {@code null} when it is fine. */
    @FunctionalInterface
    interface ItemRule {
        String problem(String value);
    }

    /** As {@link #strings(JsonNode, String, int, int, String, Problems)}, each entry also checked by {@code rule}. */
    static List<String> strings(JsonNode n, String path, int min, int max, String example, ItemRule rule, Problems p) {
        ArrayNode a = array(n, path, example, p);
        if (a == null) {
            return null;
        }
        if (a.size() < min || a.size() > max) {
            String range = max == Integer.MAX_VALUE ? "at least " + min : min == max ? Integer.toString(min) : min + " to " + max;
            p.add(path, "must have " + range + (range.equals("1") || range.equals("at least 1") ? " entry" : " entries")
                    + ", got " + a.size());
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonNode item = a.get(i);
            if (!item.isTextual()) {
                p.addItem(path, i, "must be a string, got " + JsonKinds.describe(item));
            } else if (item.textValue().isBlank()) {
                p.addItem(path, i, "must not be blank");
            } else if (rule.problem(item.textValue()) instanceof String problem) {
                p.addItem(path, i, problem);
            } else {
                values.add(item.textValue());
            }
        }
        p.endList(path);
        return values;
    }

    /**
     * Reports every field of {@code o} that is not in {@code known}, naming it, suggesting the known field it
     * most likely meant, and listing the known ones.
     */
    static void unknownFields(ObjectNode o, String prefix, List<String> known, Problems p) {
        for (Map.Entry<String, JsonNode> property : o.properties()) {
            String name = property.getKey();
            if (!known.contains(name)) {
                String guess = closest(name, known);
                p.add(path(prefix, name), "unknown field"
                        + (guess == null ? "." : "; did you mean \"" + guess + "\"?")
                        + " Known fields" + (prefix.isEmpty() ? "" : " of " + prefix) + ": " + String.join(", ", known));
            }
        }
    }

    /** The known name equal to {@code name} but for case, or within two edits of it; {@code null} when none is. */
    static String closest(String name, List<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = k.equalsIgnoreCase(name) ? 0 : distance(lower, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
