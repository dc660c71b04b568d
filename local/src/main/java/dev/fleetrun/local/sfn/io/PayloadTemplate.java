package dev.fleetrun.local.sfn.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.StatesParameterPathFailure;
import dev.fleetrun.local.sfn.intrinsics.IntrinsicExpression;
import dev.fleetrun.local.sfn.intrinsics.IntrinsicParser;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.path.AslPath;
import dev.fleetrun.local.sfn.path.Bindings;
import dev.fleetrun.local.sfn.path.PathNotFoundException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Payload Template (Parameters, ResultSelector, ItemSelector): JSON whose fields named {@code key.$} take
 * their value from a path ({@code $.x}, {@code $$.Map.Item.Value}, {@code $variable}) or an intrinsic
 * invocation, and appear in the result as {@code key}. Nested objects and arrays are processed too; every
 * other value is copied as is.
 *
 * <p>Compiled once with the definition: malformed paths and invocations are reported there.
 */
public final class PayloadTemplate {

    private final Node root;

    private PayloadTemplate(Node root) {
        this.root = root;
    }

    /** Compiles a template found at {@code pointer}, reporting problems; never {@code null}. */
    public static PayloadTemplate compile(JsonNode template, String pointer, Problems problems) {
        return new PayloadTemplate(compileNode(template, pointer, problems));
    }

    /**
     * Builds the payload for one input.
     *
     * @throws StatesParameterPathFailure when a path selects nothing
     * @throws dev.fleetrun.local.sfn.errors.StatesIntrinsicFailure when an intrinsic function fails
     */
    public JsonNode evaluate(JsonNode input, Bindings bindings) {
        return root.evaluate(input, bindings);
    }

    private static Node compileNode(JsonNode template, String pointer, Problems problems) {
        if (template.isObject()) {
            List<Field> fields = new ArrayList<>();
            boolean dynamic = false;
            Iterator<Map.Entry<String, JsonNode>> it = template.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> entry = it.next();
                String key = entry.getKey();
                String fieldPointer = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
                if (key.endsWith(".$")) {
                    dynamic = true;
                    fields.add(new Field(key.substring(0, key.length() - 2), compileDynamic(key, entry.getValue(), fieldPointer, problems)));
                } else {
                    Node value = compileNode(entry.getValue(), fieldPointer, problems);
                    dynamic |= !(value instanceof Literal);
                    fields.add(new Field(key, value));
                }
            }
            return dynamic ? new ObjectTemplate(List.copyOf(fields)) : new Literal(template);
        }
        if (template.isArray()) {
            List<Node> items = new ArrayList<>();
            boolean dynamic = false;
            for (int i = 0; i < template.size(); i++) {
                Node item = compileNode(template.get(i), pointer + "/" + i, problems);
                dynamic |= !(item instanceof Literal);
                items.add(item);
            }
            return dynamic ? new ArrayTemplate(List.copyOf(items)) : new Literal(template);
        }
        return new Literal(template);
    }

    private static Node compileDynamic(String key, JsonNode value, String pointer, Problems problems) {
        if (!value.isTextual()) {
            problems.add(Problems.SCHEMA, pointer, "the value of '" + key + "' must be a path or an intrinsic invocation (a string), got "
                    + Json.typeName(value));
            return new Literal(value);
        }
        String text = value.textValue();
        if (AslPath.looksLikePath(text)) {
            try {
                return new PathValue(key, AslPath.compile(text));
            } catch (IllegalArgumentException e) {
                problems.add(Problems.INVALID_PATH, pointer, "the value of '" + key + "' is not a valid path: " + e.getMessage());
                return new Literal(value);
            }
        }
        if (IntrinsicParser.looksLikeInvocation(text)) {
            try {
                return new IntrinsicValue(key, IntrinsicParser.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(Problems.INVALID_INTRINSIC, pointer, e.getMessage());
                return new Literal(value);
            }
        }
        problems.add(Problems.SCHEMA, pointer, "the value of '" + key + "' must be a path (starting with '$') or an intrinsic invocation "
                + "(States.Function(...)), got '" + text + "'; drop the '.$' from the key for a literal string");
        return new Literal(value);
    }

    private sealed interface Node {
        JsonNode evaluate(JsonNode input, Bindings bindings);
    }

    private record Literal(JsonNode value) implements Node {
        @Override
        public JsonNode evaluate(JsonNode input, Bindings bindings) {
            return value;
        }
    }

    private record Field(String name, Node value) {
    }

    private record ObjectTemplate(List<Field> fields) implements Node {
        @Override
        public JsonNode evaluate(JsonNode input, Bindings bindings) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Field field : fields) {
                out.set(field.name(), field.value().evaluate(input, bindings));
            }
            return out;
        }
    }

    private record ArrayTemplate(List<Node> items) implements Node {
        @Override
        public JsonNode evaluate(JsonNode input, Bindings bindings) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (Node item : items) {
                out.add(item.evaluate(input, bindings));
            }
            return out;
        }
    }

    private record PathValue(String key, AslPath path) implements Node {
        @Override
        public JsonNode evaluate(JsonNode input, Bindings bindings) {
            try {
                return path.select(input, bindings);
            } catch (PathNotFoundException e) {
                throw new StatesParameterPathFailure("The JSONPath '" + path.text() + "' specified for the field '" + key
                        + "' could not be found in the input " + Json.excerpt(path.source() == AslPath.Source.CONTEXT
                        ? bindings.context().get() : input) + " (" + e.getMessage() + ")");
            }
        }
    }

    private record IntrinsicValue(String key, IntrinsicExpression.Call call) implements Node {
        @Override
        public JsonNode evaluate(JsonNode input, Bindings bindings) {
            try {
                return call.evaluate(input, bindings);
            } catch (PathNotFoundException e) {
                throw new StatesParameterPathFailure("The field '" + key + "' could not be evaluated: " + e.getMessage());
            }
        }
    }
}
