package dev.fleetrun.local.sfn.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a JSONata expression of a state sees: {@code $states.input}, {@code $states.result} (after a task),
 * {@code $states.errorOutput} (in a catcher), {@code $states.context} (the context object) and the workflow
 * variables as {@code $name}.
 *
 * @param input       the state's input
 * @param result      the task's, Parallel's or Map's result, or {@code null}
 * @param errorOutput the caught error's output, or {@code null}
 * @param context     supplies the context object
 * @param variables   the variables visible in the state
 */
public record StatesView(JsonNode input, JsonNode result, JsonNode errorOutput, Supplier<JsonNode> context,
                         Map<String, JsonNode> variables) {

    /** The same view with a result. */
    public StatesView withResult(JsonNode value) {
        return new StatesView(input, value, errorOutput, context, variables);
    }

    /** The same view with an error output. */
    public StatesView withErrorOutput(JsonNode value) {
        return new StatesView(input, result, value, context, variables);
    }
}
