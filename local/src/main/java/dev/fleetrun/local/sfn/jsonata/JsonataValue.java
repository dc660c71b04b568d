package dev.fleetrun.local.sfn.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.definition.Problems;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A field value of a JSONata state (Arguments, Output, Assign values, ItemSelector, ...): any JSON where
 * every string written {@code {% ... %}}, at any depth, is an expression; everything else is literal. A field
 * whose expression evaluates to nothing (undefined) is left out of its object.
 */
public final class JsonataValue {

    private final Node root;
    private final String field;

    private JsonataValue(Node root, String field) {
        this.root = root;
        this.field = field;
    }

    /** Compiles the value of {@code field}, reporting expressions that do not compile. */
    public static JsonataValue compile(JsonNode value, String field, String pointer, Problems problems) {
        return new JsonataValue(node(value, pointer, problems), field);
    }

    /** Whether the value is one expression string (not a literal or template). */
    public boolean isExpression() {
        return root instanceof Expression;
    }

    /** Evaluates the value. */
    public JsonNode evaluate(StatesView view) {
        return root.evaluate(view, field);
    }

    private static Node node(JsonNode value, String pointer, Problems problems) {
        if (value.isTextual() && JsonataExpression.isExpression(value.textValue())) {
            try {
                return new Expression(JsonataExpression.compile(value.textValue()));
            } catch (IllegalArgumentException e) {
                problems.add(Problems.INVALID_JSONATA, pointer, e.getMessage());
                return new Literal(value);
            }
        }
        if (value.isObject()) {
            List<Map.Entry<String, Node>> fields = new ArrayList<>();
            boolean dynamic = false;
            Iterator<Map.Entry<String, JsonNode>> it = value.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> entry = it.next();
                Node child = node(entry.getValue(), pointer + "/" + entry.getKey(), problems);
                dynamic |= !(child instanceof Literal);
                fields.add(Map.entry(entry.getKey(), child));
            }
            return dynamic ? new ObjectTemplate(fields) : new Literal(value);
        }
        if (value.isArray()) {
            List<Node> items = new ArrayList<>();
            boolean dynamic = false;
            for (int i = 0; i < value.size(); i++) {
                Node child = node(value.get(i), pointer + "/" + i, problems);
                dynamic |= !(child instanceof Literal);
                items.add(child);
            }
            return dynamic ? new ArrayTemplate(items) : new Literal(value);
        }
        return new Literal(value);
    }

    private sealed interface Node {
        JsonNode evaluate(StatesView view, String field);
    }

    private record Literal(JsonNode value) implements Node {
        @Override
        public JsonNode evaluate(StatesView view, String field) {
            return value;
        }
    }

    private record Expression(JsonataExpression expression) implements Node {
        @Override
        public JsonNode evaluate(StatesView view, String field) {
            return expression.evaluate(view, field);
        }
    }

    private record ObjectTemplate(List<Map.Entry<String, Node>> fields) implements Node {
        @Override
        public JsonNode evaluate(StatesView view, String field) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, Node> entry : fields) {
                JsonNode value = entry.getValue().evaluate(view, field);
                if (!value.isMissingNode()) {
                    out.set(entry.getKey(), value);
                }
            }
            return out;
        }
    }

    private record ArrayTemplate(List<Node> items) implements Node {
        @Override
        public JsonNode evaluate(StatesView view, String field) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (Node item : items) {
                JsonNode value = item.evaluate(view, field);
                if (!value.isMissingNode()) {
                    out.add(value);
                }
            }
            return out;
        }
    }
}
