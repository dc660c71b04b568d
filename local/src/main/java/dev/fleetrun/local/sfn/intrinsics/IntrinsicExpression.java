package dev.fleetrun.local.sfn.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.path.AslPath;
import dev.fleetrun.local.sfn.path.Bindings;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed intrinsic invocation such as {@code States.Format('Hello, {}', $.name)}: the function and its
 * arguments, each a literal, a path or a nested invocation. Parsed once with the definition
 * ({@link IntrinsicParser}); evaluated for each state input.
 */
public sealed interface IntrinsicExpression {

    /**
     * Evaluates the expression against a state's data.
     *
     * @throws dev.fleetrun.local.sfn.errors.StatesIntrinsicFailure when a function refuses its arguments
     * @throws dev.fleetrun.local.sfn.path.PathNotFoundException when a path argument selects nothing
     */
    JsonNode evaluate(JsonNode data, Bindings bindings);

    /** A literal argument: a string (with its text as written, escapes kept), a number, true, false or null. */
    record Literal(JsonNode value, String source) implements IntrinsicExpression {
        @Override
        public JsonNode evaluate(JsonNode data, Bindings bindings) {
            return value;
        }
    }

    /** A path argument: {@code $.x}, {@code $$.Execution.Id} or {@code $variable}. */
    record PathArgument(AslPath path) implements IntrinsicExpression {
        @Override
        public JsonNode evaluate(JsonNode data, Bindings bindings) {
            return path.select(data, bindings);
        }
    }

    /** An invocation of a function, possibly nested as another invocation's argument. */
    record Call(IntrinsicFunction function, List<IntrinsicExpression> arguments) implements IntrinsicExpression {
        @Override
        public JsonNode evaluate(JsonNode data, Bindings bindings) {
            List<JsonNode> values = new ArrayList<>(arguments.size());
            List<String> sources = new ArrayList<>(arguments.size());
            for (IntrinsicExpression argument : arguments) {
                values.add(argument.evaluate(data, bindings));
                sources.add(argument instanceof Literal literal ? literal.source() : null);
            }
            return function.invoke(values, sources);
        }
    }
}
