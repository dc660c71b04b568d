package dev.fleetrun.local.sfn.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the fields of one JSON object of a definition (a state, a retrier, a choice rule), reporting to
 * {@link Problems} every field that is missing, of the wrong type or not allowed there, with its pointer.
 * Each getter marks its field as known; {@link #rejectUnknown()} reports the rest.
 */
public final class Fields {

    private final ObjectNode object;
    private final String pointer;
    private final Problems problems;
    private final Set<String> known = new HashSet<>();

    private Fields(ObjectNode object, String pointer, Problems problems) {
        this.object = object;
        this.pointer = pointer;
        this.problems = problems;
    }

    /** Fields of {@code node}, or {@code null} (with a problem reported) when it is not an object. */
    public static Fields of(JsonNode node, String pointer, Problems problems, String what) {
        if (node == null || !node.isObject()) {
            problems.add(Problems.SCHEMA, pointer, what + " must be a JSON object, got " + Json.typeName(node));
            return null;
        }
        return new Fields((ObjectNode) node, pointer, problems);
    }

    /** The object read. */
    public ObjectNode node() {
        return object;
    }

    /** The JSON pointer of the object. */
    public String pointer() {
        return pointer;
    }

    /** The JSON pointer of one of its fields. */
    public String pointer(String field) {
        return pointer + "/" + field.replace("~", "~0").replace("/", "~1");
    }

    /** The problems being collected. */
    public Problems problems() {
        return problems;
    }

    /** Whether the field is present (null counts as present). */
    public boolean has(String field) {
        known.add(field);
        return object.has(field);
    }

    /** The raw value of a field, or {@code null} when absent. */
    public JsonNode raw(String field) {
        known.add(field);
        return object.get(field);
    }

    /** Reports a problem at a field. */
    public void problem(String field, String code, String message) {
        problems.add(code, pointer(field), message);
    }

    /** A string field, or {@code null} when absent (or wrong, which is reported). */
    public String string(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problem(field, Problems.SCHEMA, "'" + field + "' must be a string, got " + Json.typeName(value));
            return null;
        }
        return value.textValue();
    }

    /** A string field that must be there. */
    public String requiredString(String field) {
        if (!has(field)) {
            problem(field, Problems.SCHEMA, "the field '" + field + "' is required");
            return null;
        }
        return string(field);
    }

    /** A string field whose value may be JSON null (ResultPath, InputPath, OutputPath): absent gives {@code defaultValue}. */
    public NullableString nullableString(String field, String defaultValue) {
        JsonNode value = raw(field);
        if (value == null) {
            return new NullableString(defaultValue, false);
        }
        if (value.isNull()) {
            return new NullableString(null, true);
        }
        if (!value.isTextual()) {
            problem(field, Problems.SCHEMA, "'" + field + "' must be a string or null, got " + Json.typeName(value));
            return new NullableString(defaultValue, false);
        }
        return new NullableString(value.textValue(), false);
    }

    /** A value that may be a string, or JSON null. */
    public record NullableString(String value, boolean isNull) {
    }

    /** A boolean field, or {@code null} when absent. */
    public Boolean bool(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            problem(field, Problems.SCHEMA, "'" + field + "' must be true or false, got " + Json.typeName(value));
            return null;
        }
        return value.booleanValue();
    }

    /** A whole-number field of at least {@code min}, or {@code null} when absent (or wrong, which is reported). */
    public Long integer(String field, long min) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!Json.isIntegral(value) || value.asLong() < min) {
            problem(field, Problems.SCHEMA, "'" + field + "' must be an integer of at least " + min + ", got " + Json.excerpt(value));
            return null;
        }
        return value.asLong();
    }

    /** A number field of at least {@code min}, or {@code null}. */
    public Double number(String field, double min) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() < min) {
            problem(field, Problems.SCHEMA, "'" + field + "' must be a number of at least " + min + ", got " + Json.excerpt(value));
            return null;
        }
        return value.asDouble();
    }

    /** An array field, or {@code null} when absent (or wrong). */
    public List<JsonNode> array(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            problem(field, Problems.SCHEMA, "'" + field + "' must be an array, got " + Json.typeName(value));
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    /** Reports that at most one of these fields may be given; returns how many are. */
    public int atMostOne(String... fields) {
        List<String> present = new ArrayList<>();
        for (String field : fields) {
            if (has(field)) {
                present.add(field);
            }
        }
        if (present.size() > 1) {
            problems.add(Problems.SCHEMA, pointer, "only one of " + String.join(", ", fields) + " may be given, found "
                    + String.join(" and ", present));
        }
        return present.size();
    }

    /** Marks fields as allowed without reading them (Comment, Type, ...). */
    public void allow(String... fields) {
        known.addAll(List.of(fields));
    }

    /** Reports every field that no getter asked for: the language does not allow it here. */
    public void rejectUnknown() {
        object.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problems.add(Problems.SCHEMA, pointer(name), "the field '" + name + "' is not supported here");
            }
        });
    }
}
