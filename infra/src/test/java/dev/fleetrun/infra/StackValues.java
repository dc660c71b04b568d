package dev.fleetrun.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values a template's intrinsic functions take in one deployed stack, worked out from the deployed resources
 * themselves, so that what a service reports can be compared with what the template promised: {@code Ref} is a
 * resource's physical id (as CloudFormation defines Ref for every type the stack uses), {@code Fn::GetAtt} is asked of
 * the service that owns the resource ({@link Attributes}), and {@code Fn::Join}, {@code Fn::Select},
 * {@code Fn::Split} and {@code Fn::Sub} are evaluated here.
 */
final class StackValues {

    /** What a resource's attribute is, asked of its service. */
    interface Attributes {
        String of(String type, String physicalId, String attribute);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final JsonNode template;
    private final Map<String, String> physicalIds;
    private final Map<String, String> pseudo;
    private final Attributes attributes;

    /**
     * @param physicalIds each created resource's physical id, by logical id
     * @param pseudo      the pseudo parameters ({@code AWS::Region}, {@code AWS::AccountId}, ...)
     */
    StackValues(JsonNode template, Map<String, String> physicalIds, Map<String, String> pseudo, Attributes attributes) {
        this.template = template;
        this.physicalIds = Map.copyOf(physicalIds);
        this.pseudo = Map.copyOf(pseudo);
        this.attributes = attributes;
    }

    /** {@code node} with every intrinsic function replaced by its value. */
    JsonNode resolve(JsonNode node) {
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(item -> out.add(resolve(item)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        if (node.size() == 1) {
            String function = node.fieldNames().next();
            JsonNode args = node.get(function);
            switch (function) {
                case "Ref":
                    return TextNode.valueOf(ref(args.asText()));
                case "Fn::GetAtt":
                    return TextNode.valueOf(getAtt(args.get(0).asText(), args.get(1).asText()));
                case "Fn::Join": {
                    List<String> parts = new ArrayList<>();
                    resolve(args.get(1)).forEach(part -> parts.add(part.asText()));
                    return TextNode.valueOf(String.join(args.get(0).asText(), parts));
                }
                case "Fn::Select":
                    return resolve(args.get(1)).get(Integer.parseInt(resolve(args.get(0)).asText()));
                case "Fn::Split": {
                    ArrayNode out = NODES.arrayNode();
                    for (String part : resolve(args.get(1)).asText().split(Pattern.quote(args.get(0).asText()), -1)) {
                        out.add(part);
                    }
                    return out;
                }
                case "Fn::Sub":
                    return TextNode.valueOf(sub(args.isArray() ? args.get(0).asText() : args.asText()));
                default:
                    if (function.startsWith("Fn::")) {
                        throw new IllegalArgumentException("no value for " + function + " (not used by this stack before)");
                    }
            }
        }
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            out.set(field.getKey(), resolve(field.getValue()));
        }
        return out;
    }

    /** A resource property of the template, resolved. */
    JsonNode property(String logicalId, String property) {
        return resolve(template.path("Resources").path(logicalId).path("Properties").path(property));
    }

    String ref(String name) {
        if (name.startsWith("AWS::")) {
            String value = pseudo.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for the pseudo parameter " + name);
            }
            return value;
        }
        String id = physicalIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException("the stack has no " + name + " (" + type(name) + ") to refer to");
        }
        return id;
    }

    String getAtt(String logicalId, String attribute) {
        return attributes.of(type(logicalId), ref(logicalId), attribute);
    }

    private String type(String logicalId) {
        return template.path("Resources").path(logicalId).path("Type").asText("(not in the template)");
    }

    private String sub(String text) {
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            int dot = name.indexOf('.');
            String value = dot < 0 || name.startsWith("AWS::") ? ref(name) : getAtt(name.substring(0, dot), name.substring(dot + 1));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
