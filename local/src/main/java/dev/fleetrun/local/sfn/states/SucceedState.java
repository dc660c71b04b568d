package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.function.BiConsumer;

/** {@code Succeed}: ends the state machine (or branch) successfully with its input, filtered by InputPath and OutputPath. */
public final class SucceedState extends State {

    private final InputPath inputPath;
    private final InputPath outputPath;

    SucceedState(String name, Fields fields) {
        super(name);
        inputPath = InputPath.parse(fields, "InputPath");
        outputPath = InputPath.parse(fields, "OutputPath");
    }

    @Override
    public StateType type() {
        return StateType.Succeed;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        JsonNode effective = inputPath.apply(input, context.bindings());
        return new Transition(null, outputPath.apply(effective, context.bindings()));
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        // terminal
    }
}
