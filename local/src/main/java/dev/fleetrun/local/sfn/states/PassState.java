package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.io.PayloadTemplate;
import dev.fleetrun.local.sfn.io.ResultPath;
import dev.fleetrun.local.sfn.jsonata.Assign;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.function.BiConsumer;

/**
 * {@code Pass}: passes its input to its output, or a fixed {@code Result}, or what {@code Parameters} builds,
 * placed by {@code ResultPath}; in JSONata, its {@code Output} (default: the input). Both may {@code Assign}.
 */
public final class PassState extends State {

    private final Flow flow;
    private final JsonataFields jsonata;
    private InputPath inputPath;
    private PayloadTemplate parameters;
    private JsonNode result;
    private ResultPath resultPath;
    private InputPath outputPath;
    private Assign assign;

    PassState(String name, Fields fields, boolean jsonataLanguage) {
        super(name);
        flow = Flow.parse(fields);
        if (jsonataLanguage) {
            jsonata = JsonataFields.parse(fields, false);
            return;
        }
        jsonata = null;
        inputPath = InputPath.parse(fields, "InputPath");
        JsonNode parametersNode = fields.raw("Parameters");
        parameters = parametersNode == null ? null : PayloadTemplate.compile(parametersNode, fields.pointer("Parameters"), fields.problems());
        result = fields.raw("Result");
        resultPath = ResultPath.parse(fields);
        outputPath = InputPath.parse(fields, "OutputPath");
        assign = Assign.parse(fields, false);
    }

    @Override
    public StateType type() {
        return StateType.Pass;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        if (jsonata != null) {
            return new Transition(flow.next(), jsonata.finish(context, JsonataFields.view(context, input), input));
        }
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
        if (assign != null) {
            context.branch().variables().assignAll(assign.evaluate(value, context.bindings()));
        }
        return new Transition(flow.next(), output);
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        flow.targets(target);
    }
}
