package dev.fleetrun.local.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a target receives for an event, as EventBridge computes it:
 * <ul>
 *   <li>no input setting: the event;</li>
 *   <li>{@code Input}: that constant JSON;</li>
 *   <li>{@code InputPath}: the part of the event the JSONPath selects;</li>
 *   <li>{@code InputTransformer}: the template with each {@code <name>} replaced by the value its path selects in
 *       the event. In a JSON template a placeholder outside quotes takes the JSON value (strings with their
 *       quotes) and one inside quotes takes the value's text; a path that selects nothing gives {@code null}
 *       (an empty text inside quotes). A template that is not JSON gives text. The predefined
 *       {@code <aws.events.rule-arn>}, {@code <aws.events.rule-name>}, {@code <aws.events.event.ingestion-time>}
 *       and {@code <aws.events.event>} (or {@code .json}) are available.</li>
 * </ul>
 */
final class TargetInput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Configuration JAYWAY = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
            .mappingProvider(new JacksonMappingProvider(JSON))
            .options(EnumSet.noneOf(Option.class))
            .build();
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.\\-]+)>");

    private TargetInput() {
    }

    /** Thrown when the target's input cannot be made from this event; the delivery fails without retries. */
    static final class InputException extends Exception {
        private static final long serialVersionUID = 1L;

        InputException(String message) {
            super(message);
        }
    }

    /**
     * The input for {@code target} from {@code event}, which came through rule {@code ruleName}
     * ({@code ruleArn}) at {@code ingestionTime}.
     */
    static JsonNode of(Target target, JsonNode event, String ruleName, String ruleArn, Instant ingestionTime)
            throws InputException {
        if (target.input() != null) {
            try {
                return JSON.readTree(target.input());
            } catch (JsonProcessingException e) {
                throw new InputException("the target's Input is not valid JSON: " + e.getOriginalMessage());
            }
        }
        if (target.inputPath() != null) {
            JsonNode selected = select(event, target.inputPath());
            return selected == null ? NullNode.instance : selected;
        }
        if (target.inputTransformer() != null) {
            return transform(target.inputTransformer(), event, ruleName, ruleArn, ingestionTime);
        }
        return event;
    }

    /** The value a JSONPath selects in the event, or null when it selects nothing. */
    static JsonNode select(JsonNode event, String path) throws InputException {
        try {
            Object value = JsonPath.using(JAYWAY).parse(event).read(path);
            return value instanceof JsonNode node ? node : JSON.valueToTree(value);
        } catch (PathNotFoundException e) {
            return null;
        } catch (RuntimeException e) {
            throw new InputException("'" + path + "' is not a JSONPath EventBridge can evaluate: " + e.getMessage());
        }
    }

    private static JsonNode transform(Target.InputTransformer transformer, JsonNode event, String ruleName,
                                      String ruleArn, Instant ingestionTime) throws InputException {
        Map<String, JsonNode> values = new HashMap<>();
        for (Map.Entry<String, String> binding : transformer.inputPathsMap().entrySet()) {
            values.put(binding.getKey(), select(event, binding.getValue()));
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        values.putIfAbsent("aws.events.rule-arn", nodes.textNode(ruleArn));
        values.putIfAbsent("aws.events.rule-name", nodes.textNode(ruleName));
        values.putIfAbsent("aws.events.event.ingestion-time", nodes.textNode(ingestionTime.toString()));
        values.putIfAbsent("aws.events.event", event);
        values.putIfAbsent("aws.events.event.json", event);

        String template = transformer.inputTemplate();
        String trimmed = template.strip();
        boolean jsonTemplate = trimmed.startsWith("{") || trimmed.startsWith("[");
        StringBuilder out = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(template);
        int copied = 0;
        boolean inString = false;
        while (placeholder.find()) {
            inString = scanQuotes(template, copied, placeholder.start(), inString);
            out.append(template, copied, placeholder.start());
            String name = placeholder.group(1);
            if (!values.containsKey(name)) {
                out.append(placeholder.group()); // not a variable: kept as written, as EventBridge does
            } else {
                out.append(render(values.get(name), jsonTemplate, inString));
            }
            copied = placeholder.end();
        }
        out.append(template, copied, template.length());
        String result = out.toString();
        if (!jsonTemplate) {
            return TextNode.valueOf(result);
        }
        try {
            return JSON.readTree(result);
        } catch (JsonProcessingException e) {
            throw new InputException("the InputTemplate did not give valid JSON for this event (" + e.getOriginalMessage()
                    + "): " + result);
        }
    }

    /** Whether position {@code to} is inside a JSON string, given the state at {@code from}. */
    private static boolean scanQuotes(String template, int from, int to, boolean inString) {
        for (int i = from; i < to; i++) {
            char c = template.charAt(i);
            if (c == '\\' && inString) {
                i++;
            } else if (c == '"') {
                inString = !inString;
            }
        }
        return inString;
    }

    private static String render(JsonNode value, boolean jsonTemplate, boolean inString) {
        if (!jsonTemplate) {
            return value == null || value.isNull() ? "null" : value.isTextual() ? value.textValue() : value.toString();
        }
        if (inString) {
            String text = value == null || value.isNull() ? "" : value.isTextual() ? value.textValue() : value.toString();
            String quoted = JsonNodeFactory.instance.textNode(text).toString();
            return quoted.substring(1, quoted.length() - 1);
        }
        return value == null ? "null" : value.toString();
    }
}
