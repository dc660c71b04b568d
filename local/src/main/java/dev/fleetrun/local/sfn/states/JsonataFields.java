package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.StatesQueryEvaluationError;
import dev.fleetrun.local.sfn.jsonata.Assign;
import dev.fleetrun.local.sfn.jsonata.JsonataValue;
import dev.fleetrun.local.sfn.jsonata.StatesView;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.Map;

/**
 * The data fields of a JSONata state: {@code Arguments} (the task's input), {@code Output} (the state's
 * output, by default the result or the input) and {@code Assign} (variables), plus helpers for the fields
 * that take a number or an expression ({@code TimeoutSeconds}, {@code Seconds}, {@code MaxConcurrency}).
 */
final class JsonataFields {

    private final JsonataValue arguments;
    private final JsonataValue output;
    private final Assign assign;

    private JsonataFields(JsonataValue arguments, JsonataValue output, Assign assign) {
        this.arguments = arguments;
        this.output = output;
        this.assign = assign;
    }

    /** Reads Output and Assign, and Arguments when the state type has them. */
    static JsonataFields parse(Fields fields, boolean hasArguments) {
        JsonataValue arguments = hasArguments ? value(fields, "Arguments") : null;
        return new JsonataFields(arguments, value(fields, "Output"), Assign.parse(fields, true));
    }

    /** Compiles a JSONata field if present. */
    static JsonataValue value(Fields fields, String field) {
        JsonNode node = fields.raw(field);
        return node == null ? null : JsonataValue.compile(node, field, fields.pointer(field), fields.problems());
    }

    /** A field that takes a whole number or an expression giving one ({@code null} when absent). */
    static JsonataValue number(Fields fields, String field, long min) {
        JsonNode node = fields.raw(field);
        if (node == null) {
            return null;
        }
        boolean expression = node.isTextual() && node.textValue().startsWith("{%");
        if (!expression && !(Json.isIntegral(node) && node.asLong() >= min)) {
            fields.problem(field, Problems.SCHEMA, "'" + field + "' must be an integer of at least " + min
                    + " or a JSONata expression, got " + Json.excerpt(node));
            return null;
        }
        return JsonataValue.compile(node, field, fields.pointer(field), fields.problems());
    }

    /** Evaluates a number field. */
    static long evaluateNumber(JsonataValue value, StatesView view, String field, long min) {
        JsonNode result = value.evaluate(view);
        if (!Json.isIntegral(result) || result.asLong() < min) {
            throw new StatesQueryEvaluationError("'" + field + "' must evaluate to an integer of at least " + min + ", got "
                    + Json.excerpt(result));
        }
        return result.asLong();
    }

    /** The view of a state about to run: its input and context, the variables it sees. */
    static StatesView view(StateContext context, JsonNode input) {
        return new StatesView(input, null, null, context::contextObject, Assign.visible(context.branch().variables()));
    }

    /** The task input: Arguments, or the state input without them. */
    JsonNode arguments(StatesView view) {
        return arguments == null ? view.input() : defined(arguments.evaluate(view), "Arguments");
    }

    /** The state output: Output, or {@code fallback} without it. */
    JsonNode output(StatesView view, JsonNode fallback) {
        return output == null ? fallback : defined(output.evaluate(view), "Output");
    }

    /** Computes the assignments now (before any is made). */
    Map<String, JsonNode> assignments(StatesView view) {
        return assign == null ? Map.of() : assign.evaluate(view);
    }

    /** Output then Assign, both seeing the variables as they were; then the variables are set. */
    JsonNode finish(StateContext context, StatesView view, JsonNode fallback) {
        JsonNode out = output(view, fallback);
        Map<String, JsonNode> assignments = assignments(view);
        if (!assignments.isEmpty()) {
            context.branch().variables().assignAll(assignments);
        }
        return out;
    }

    private static JsonNode defined(JsonNode value, String field) {
        if (value.isMissingNode()) {
            throw new StatesQueryEvaluationError("'" + field + "' evaluated to nothing (undefined)");
        }
        return value;
    }
}
