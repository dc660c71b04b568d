package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.function.BiConsumer;

/**
 * {@code Succeed}: ends the state machine (or branch) successfully with its input, filtered by InputPath and
 * OutputPath; in JSONata, with its {@code Output} (default: the input).
 */
public final class SucceedState extends State {

    private final JsonataFields jsonata;
    private final InputPath inputPath;
    private final InputPath outputPath;

    SucceedState(String name, Fields fields, boolean jsonataLanguage) {
        super(name);
        jsonata = jsonataLanguage ? JsonataFields.parse(fields, false) : null;
        inputPath = jsonataLanguage ? null : InputPath.parse(fields, "InputPath");
        outputPath = jsonataLanguage ? null : InputPath.parse(fields, "OutputPath");
    }

    @Override
    public StateType type() {
        return StateType.Succeed;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        if (jsonata != null) {
            return new Transition(null, jsonata.output(JsonataFields.view(context, input), input));
        }
        JsonNode effective = inputPath.apply(input, context.bindings());
        return new Transition(null, outputPath.apply(effective, context.bindings()));
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        // terminal
    }
}
