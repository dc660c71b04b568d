package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.io.PayloadTemplate;
import dev.fleetrun.local.sfn.io.ResultPath;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.function.BiConsumer;

/**
 * {@code Pass}: passes its input to its output, or a fixed {@code Result}, or what {@code Parameters} builds,
 * placed by {@code ResultPath}.
 */
public final class PassState extends State {

    private final Flow flow;
    private final InputPath inputPath;
    private final PayloadTemplate parameters;
    private final JsonNode result;
    private final ResultPath resultPath;
    private final InputPath outputPath;

    PassState(String name, Fields fields) {
        super(name);
        flow = Flow.parse(fields);
        inputPath = InputPath.parse(fields, "InputPath");
        JsonNode parametersNode = fields.raw("Parameters");
        parameters = parametersNode == null ? null : PayloadTemplate.compile(parametersNode, fields.pointer("Parameters"), fields.problems());
        result = fields.raw("Result");
        resultPath = ResultPath.parse(fields);
        outputPath = InputPath.parse(fields, "OutputPath");
    }

    @Override
    public StateType type() {
        return StateType.Pass;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        JsonNode effective = inputPath.apply(input, context.bindings());
        JsonNode value;
        if (result != null) {
            value = result;
        } else if (parameters != null) {
            value = parameters.evaluate(effective, context.bindings());
        } else {
            value = effective;
        }
        JsonNode output = outputPath.apply(resultPath.apply(input, value), context.bindings());
        return new Transition(flow.next(), output);
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        flow.targets(target);
    }
}
