package dev.fleetrun.local.sfn.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.StatesQueryEvaluationError;
import dev.fleetrun.local.sfn.io.PayloadTemplate;
import dev.fleetrun.local.sfn.path.Bindings;
import dev.fleetrun.local.sfn.runtime.Variables;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A state's (or a catcher's, or a choice rule's) {@code Assign}: workflow variables to set when the state
 * ends. In a JSONata state each value may hold {@code {% %}} expressions; in a JSONPath state, fields named
 * {@code name.$} take a path or an intrinsic, as in Parameters. Every value is computed before any is set, so
 * all of them see the variables as they were when the state ran.
 */
public final class Assign {

    private final JsonataValue jsonata;
    private final PayloadTemplate jsonPath;

    private Assign(JsonataValue jsonata, PayloadTemplate jsonPath) {
        this.jsonata = jsonata;
        this.jsonPath = jsonPath;
    }

    /** Reads {@code Assign} of an object, or {@code null} when it has none. */
    public static Assign parse(Fields fields, boolean jsonataLanguage) {
        JsonNode node = fields.raw("Assign");
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            fields.problem("Assign", Problems.SCHEMA, "'Assign' must be an object of variable names to values");
            return null;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            String bare = name.endsWith(".$") && !jsonataLanguage ? name.substring(0, name.length() - 2) : name;
            if (!bare.matches("[A-Za-z_][A-Za-z0-9_]*") || bare.equals("states")) {
                fields.problems().add(Problems.SCHEMA, fields.pointer("Assign") + "/" + name,
                        "'" + bare + "' is not a variable name (letters, digits and _, not starting with a digit; 'states' is reserved)");
            }
        }
        if (jsonataLanguage) {
            return new Assign(JsonataValue.compile(node, "Assign", fields.pointer("Assign"), fields.problems()), null);
        }
        return new Assign(null, PayloadTemplate.compile(node, fields.pointer("Assign"), fields.problems()));
    }

    /** Computes the assignments of a JSONata state. */
    public Map<String, JsonNode> evaluate(StatesView view) {
        JsonNode values = jsonata.evaluate(view);
        return toMap(values);
    }

    /** Computes the assignments of a JSONPath state from {@code data} (its result, or its input). */
    public Map<String, JsonNode> evaluate(JsonNode data, Bindings bindings) {
        return toMap(jsonPath.evaluate(data, bindings));
    }

    private static Map<String, JsonNode> toMap(JsonNode values) {
        if (!values.isObject()) {
            throw new StatesQueryEvaluationError("'Assign' must give an object of variables");
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        values.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Every variable visible in a scope, for binding into JSONata. */
    public static Map<String, JsonNode> visible(Variables variables) {
        return new HashMap<>(variables.visible());
    }
}
