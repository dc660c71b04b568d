package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.intrinsics.IntrinsicExpression;
import dev.fleetrun.local.sfn.intrinsics.IntrinsicParser;
import dev.fleetrun.local.sfn.json.Json;
import dev.fleetrun.local.sfn.jsonata.JsonataValue;
import dev.fleetrun.local.sfn.jsonata.StatesView;
import dev.fleetrun.local.sfn.path.AslPath;
import dev.fleetrun.local.sfn.path.Bindings;
import dev.fleetrun.local.sfn.path.PathNotFoundException;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.function.BiConsumer;

/**
 * {@code Fail}: ends the state machine (or branch) with an error: {@code Error} and {@code Cause}, or
 * {@code ErrorPath} and {@code CausePath} (a path or an intrinsic invocation that must give a string); in
 * JSONata, {@code Error} and {@code Cause} may be expressions.
 */
public final class FailState extends State {

    private final String error;
    private final Dynamic errorPath;
    private final String cause;
    private final Dynamic causePath;
    private final JsonataValue errorExpression;
    private final JsonataValue causeExpression;

    FailState(String name, Fields fields, boolean jsonata) {
        super(name);
        if (jsonata) {
            errorExpression = JsonataFields.value(fields, "Error");
            causeExpression = JsonataFields.value(fields, "Cause");
            error = null;
            cause = null;
            errorPath = null;
            causePath = null;
            return;
        }
        errorExpression = null;
        causeExpression = null;
        fields.atMostOne("Error", "ErrorPath");
        fields.atMostOne("Cause", "CausePath");
        error = fields.string("Error");
        cause = fields.string("Cause");
        errorPath = Dynamic.parse(fields, "ErrorPath");
        causePath = Dynamic.parse(fields, "CausePath");
    }

    @Override
    public StateType type() {
        return StateType.Fail;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        if (errorExpression != null || causeExpression != null) {
            StatesView view = JsonataFields.view(context, input);
            throw AslError.fromFailState(text(errorExpression, view, "Error"), text(causeExpression, view, "Cause"));
        }
        String errorName = errorPath != null ? errorPath.evaluate(input, context.bindings()) : error;
        String causeText = causePath != null ? causePath.evaluate(input, context.bindings()) : cause;
        throw AslError.fromFailState(errorName, causeText);
    }

    private static String text(JsonataValue value, StatesView view, String field) {
        if (value == null) {
            return null;
        }
        JsonNode result = value.evaluate(view);
        if (!result.isTextual()) {
            throw new StatesRuntime("The Fail state's " + field + " must give a string, got " + Json.excerpt(result));
        }
        return result.textValue();
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        // terminal
    }

    /** ErrorPath or CausePath: a path or an intrinsic invocation that must give a string. */
    private record Dynamic(String field, AslPath path, IntrinsicExpression.Call call) {

        static Dynamic parse(Fields fields, String field) {
            String text = fields.string(field);
            if (text == null) {
                return null;
            }
            try {
                if (IntrinsicParser.looksLikeInvocation(text)) {
                    return new Dynamic(field, null, IntrinsicParser.parse(text));
                }
                return new Dynamic(field, AslPath.compile(text), null);
            } catch (IllegalArgumentException e) {
                fields.problem(field, IntrinsicParser.looksLikeInvocation(text) ? Problems.INVALID_INTRINSIC : Problems.INVALID_PATH,
                        e.getMessage());
                return null;
            }
        }

        String evaluate(JsonNode input, Bindings bindings) {
            JsonNode value;
            try {
                value = path != null ? path.select(input, bindings) : call.evaluate(input, bindings);
            } catch (PathNotFoundException e) {
                throw new StatesRuntime("The Fail state's " + field + " could not be resolved: " + e.getMessage());
            }
            if (!value.isTextual()) {
                throw new StatesRuntime("The Fail state's " + field + " must give a string, got " + Json.excerpt(value));
            }
            return value.textValue();
        }
    }
}
