package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetrun.local.wire.WireTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One parameter a Command document declares ({@code parameters.<name>}), and the rules a value sent
 * for it must follow (shared/reference/ssm-run-command.md §7; the User Guide's "Data elements and
 * parameters"):
 * <ul>
 *   <li>{@code type}: String, StringList, Integer, Boolean, StringMap or MapList. SendCommand's
 *       Parameters are lists of strings, so a String, Integer or Boolean is one string ({@code "42"},
 *       {@code "true"}), a StringMap one JSON object ({@code "{\"Env\":\"Prod\"}"}), a MapList one
 *       JSON object per item, or one JSON array of them (our reading: AWS does not say how these
 *       types travel in SendCommand).</li>
 *   <li>{@code allowedValues}, {@code allowedPattern} (the whole value must match, Java syntax),
 *       {@code minItems}/{@code maxItems} (StringList, MapList), {@code minChars}/{@code maxChars}
 *       (each string).</li>
 *   <li>{@code default}: used when the parameter is not sent; without one the parameter is
 *       required.</li>
 * </ul>
 * A value that is a Parameter Store reference ({@code {{ssm:name}}}) is not checked against
 * allowedValues, allowedPattern or the character limits here: the agent checks the value it
 * resolves on the node, as SSM Agent does ({@code ValidateSSMParameters}).
 *
 * @param name         the parameter's name ({@code [a-zA-Z0-9]+}, as the agent requires)
 * @param defaultValue the default as the document gives it (a JSON value of the type), or null
 */
public record DocumentParameter(String name, String type, String description, JsonNode defaultValue,
                                List<String> allowedValues, String allowedPattern, Integer minItems, Integer maxItems,
                                Integer minChars, Integer maxChars, String displayType) {
    public static final String STRING = "String";
    public static final String STRING_LIST = "StringList";
    public static final String INTEGER = "Integer";
    public static final String BOOLEAN = "Boolean";
    public static final String STRING_MAP = "StringMap";
    public static final String MAP_LIST = "MapList";
    public static final List<String> TYPES = List.of(STRING, STRING_LIST, INTEGER, BOOLEAN, STRING_MAP, MAP_LIST);
    /** A whole value that names a Parameter Store parameter, as the agent recognises it. */
    static final Pattern SSM_REFERENCE = Pattern.compile("\\{\\{ *ssm:[/\\w.:-]+ *}}");

    public DocumentParameter {
        allowedValues = allowedValues == null ? null : List.copyOf(allowedValues);
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** The {@code DocumentParameter} shape of DescribeDocument: Name, Type, Description, DefaultValue (as text). */
    ObjectNode shape() {
        ObjectNode shape = WireTree.object().put("Name", name).put("Type", type);
        if (description != null) {
            shape.put("Description", description);
        }
        if (defaultValue != null) {
            shape.put("DefaultValue", defaultValue.isTextual() ? defaultValue.textValue() : defaultValue.toString());
        }
        return shape;
    }

    /**
     * The typed value SendCommand's strings stand for, checked against this parameter's rules.
     *
     * @param values   the strings sent for it
     * @param problems where each violation is added, as a sentence naming the parameter
     * @return the value (a JSON value of the parameter's type), or null when it is not valid
     */
    JsonNode fromRequest(List<String> values, List<String> problems) {
        int before = problems.size();
        JsonNode value = switch (type) {
            case STRING -> single(values, problems) == null ? null : TextNode.valueOf(values.get(0));
            case STRING_LIST -> {
                ArrayNode list = WireTree.JSON.createArrayNode();
                values.forEach(list::add);
                yield list;
            }
            case INTEGER -> {
                String one = single(values, problems);
                if (one == null) {
                    yield null;
                }
                if (!one.matches("-?[0-9]{1,18}")) {
                    problems.add("parameter '" + name + "' is an Integer: give a whole number such as \"42\", not \""
                            + one + "\"");
                    yield null;
                }
                yield LongNode.valueOf(Long.parseLong(one));
            }
            case BOOLEAN -> {
                String one = single(values, problems);
                if (one == null) {
                    yield null;
                }
                if (!one.equals("true") && !one.equals("false")) {
                    problems.add("parameter '" + name + "' is a Boolean: give \"true\" or \"false\", not \"" + one + "\"");
                    yield null;
                }
                yield BooleanNode.valueOf(one.equals("true"));
            }
            case STRING_MAP -> {
                String one = single(values, problems);
                yield one == null ? null : stringMap(parse(one, problems), problems);
            }
            case MAP_LIST -> mapList(values, problems);
            default -> throw new IllegalStateException("unknown parameter type " + type);
        };
        if (value != null) {
            check(value, problems);
        }
        return problems.size() == before ? value : null;
    }

    /** The default as a typed value (the document parser has checked that it fits the type). */
    JsonNode defaultTyped() {
        return defaultValue;
    }

    /**
     * Checks a typed value against allowedValues, allowedPattern, the item and character limits;
     * Parameter Store references are left to the agent (see the class comment).
     */
    void check(JsonNode value, List<String> problems) {
        List<String> strings = new ArrayList<>();
        if (value.isTextual()) {
            strings.add(value.textValue());
        } else if (value.isArray()) {
            int items = value.size();
            if (minItems != null && items < minItems) {
                problems.add("parameter '" + name + "' needs at least " + minItems + " item(s), got " + items);
            }
            if (maxItems != null && items > maxItems) {
                problems.add("parameter '" + name + "' takes at most " + maxItems + " item(s), got " + items);
            }
            value.forEach(item -> {
                if (item.isTextual()) {
                    strings.add(item.textValue());
                }
            });
        } else if (value.isNumber() || value.isBoolean()) {
            strings.add(value.asText());
        }
        for (String text : strings) {
            if (SSM_REFERENCE.matcher(text).matches()) {
                continue;
            }
            if (allowedValues != null && !allowedValues.contains(text)) {
                problems.add("parameter '" + name + "' must be one of " + allowedValues + ", not \"" + text + "\"");
            }
            if (allowedPattern != null && !Pattern.compile(allowedPattern).matcher(text).matches()) {
                problems.add("parameter '" + name + "' value \"" + text + "\" does not match its allowedPattern "
                        + allowedPattern);
            }
            if (minChars != null && text.length() < minChars) {
                problems.add("parameter '" + name + "' needs at least " + minChars + " character(s), got \"" + text + "\"");
            }
            if (maxChars != null && text.length() > maxChars) {
                problems.add("parameter '" + name + "' takes at most " + maxChars + " character(s), got "
                        + text.length());
            }
        }
    }

    private String single(List<String> values, List<String> problems) {
        if (values.size() != 1) {
            problems.add("parameter '" + name + "' is a " + type + ": give exactly one value, got " + values.size());
            return null;
        }
        return values.get(0);
    }

    private JsonNode parse(String text, List<String> problems) {
        try {
            return WireTree.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            problems.add("parameter '" + name + "' is a " + type + ": give JSON such as {\"Env\": \"Prod\"}; \"" + text
                    + "\" is not JSON (" + e.getOriginalMessage() + ")");
            return null;
        }
    }

    private JsonNode stringMap(JsonNode map, List<String> problems) {
        if (map == null) {
            return null;
        }
        if (!map.isObject()) {
            problems.add("parameter '" + name + "' is a StringMap: give a JSON object such as {\"Env\": \"Prod\"}, not "
                    + map);
            return null;
        }
        return map;
    }

    private JsonNode mapList(List<String> values, List<String> problems) {
        ArrayNode list = WireTree.JSON.createArrayNode();
        if (values.size() == 1 && values.get(0).trim().startsWith("[")) {
            JsonNode array = parse(values.get(0), problems);
            if (array == null) {
                return null;
            }
            array.forEach(list::add);
        } else {
            for (String value : values) {
                JsonNode item = parse(value, problems);
                if (item != null) {
                    list.add(item);
                }
            }
        }
        for (JsonNode item : list) {
            if (!item.isObject()) {
                problems.add("parameter '" + name + "' is a MapList: every item must be a JSON object, not " + item);
                return null;
            }
        }
        return list;
    }

    /** A short description for messages: {@code version (String, required)}. */
    String summary() {
        return name + " (" + type + (required() ? ", required" : "") + ")";
    }

    /** The parameters by name, for lookups. */
    static Map<String, DocumentParameter> byName(List<DocumentParameter> parameters) {
        Map<String, DocumentParameter> byName = new java.util.LinkedHashMap<>();
        parameters.forEach(parameter -> byName.put(parameter.name(), parameter));
        return byName;
    }
}
