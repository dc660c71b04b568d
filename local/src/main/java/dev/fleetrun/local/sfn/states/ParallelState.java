package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.ParseContext;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.definition.StateMachine;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.io.PayloadTemplate;
import dev.fleetrun.local.sfn.io.ResultPath;
import dev.fleetrun.local.sfn.jsonata.Assign;
import dev.fleetrun.local.sfn.jsonata.StatesView;
import dev.fleetrun.local.sfn.retry.Catcher;
import dev.fleetrun.local.sfn.retry.ErrorHandling;
import dev.fleetrun.local.sfn.runtime.Fanout;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * {@code Parallel}: runs every branch on the same input at once; its result is the array of the branches'
 * outputs, in branch order. When a branch fails, the others are stopped and the state fails with that
 * branch's error (which its own Retry and Catch then see). In JSONata, {@code Arguments} builds the branches'
 * input and {@code Output} the state's (default: the array of results).
 */
public final class ParallelState extends State {

    private final Flow flow;
    private final List<StateMachine> branches = new ArrayList<>();
    private final InputPath inputPath;
    private final PayloadTemplate parameters;
    private final PayloadTemplate resultSelector;
    private final ResultPath resultPath;
    private final InputPath outputPath;
    private final ErrorHandling errorHandling;
    private final JsonataFields jsonata;
    private final Assign assign;

    ParallelState(String name, Fields fields, ParseContext context, boolean jsonataLanguage) {
        super(name);
        flow = Flow.parse(fields);
        List<JsonNode> branchNodes = fields.array("Branches");
        if (branchNodes == null && !fields.has("Branches")) {
            fields.problem("Branches", Problems.SCHEMA, "the field 'Branches' is required");
        } else if (branchNodes != null && branchNodes.isEmpty()) {
            fields.problem("Branches", Problems.SCHEMA, "'Branches' must hold at least one branch");
        }
        if (branchNodes != null) {
            for (int i = 0; i < branchNodes.size(); i++) {
                branches.add(context.nested(branchNodes.get(i), fields.pointer("Branches") + "/" + i));
            }
        }
        jsonata = jsonataLanguage ? JsonataFields.parse(fields, true) : null;
        inputPath = jsonataLanguage ? null : InputPath.parse(fields, "InputPath");
        parameters = jsonataLanguage ? null : TaskState.template(fields, "Parameters");
        resultSelector = jsonataLanguage ? null : TaskState.template(fields, "ResultSelector");
        resultPath = jsonataLanguage ? null : ResultPath.parse(fields);
        outputPath = jsonataLanguage ? null : InputPath.parse(fields, "OutputPath");
        assign = jsonataLanguage ? null : Assign.parse(fields, false);
        errorHandling = ErrorHandling.parse(fields, jsonataLanguage);
    }

    @Override
    public StateType type() {
        return StateType.Parallel;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        if (jsonata != null) {
            ErrorHandling.Outcome outcome = errorHandling.run(context, input, () -> {
                StatesView view = JsonataFields.view(context, input);
                JsonNode results = branches(context, jsonata.arguments(view));
                return jsonata.finish(context, view.withResult(results), results);
            });
            return new Transition(outcome.caught() ? outcome.caughtNext() : flow.next(), outcome.output());
        }
        JsonNode effective = inputPath.apply(input, context.bindings());
        ErrorHandling.Outcome outcome = errorHandling.run(context, input, () -> attempt(context, input, effective));
        return new Transition(outcome.caught() ? outcome.caughtNext() : flow.next(), outcome.output());
    }

    private JsonNode attempt(StateContext context, JsonNode input, JsonNode effective) {
        JsonNode branchInput = parameters == null ? effective : parameters.evaluate(effective, context.bindings());
        JsonNode outputs = branches(context, branchInput);
        JsonNode selected = resultSelector == null ? outputs : resultSelector.evaluate(outputs, context.bindings());
        JsonNode output = outputPath.apply(resultPath.apply(input, selected), context.bindings());
        if (assign != null) {
            context.branch().variables().assignAll(assign.evaluate(selected, context.bindings()));
        }
        return output;
    }

    private JsonNode branches(StateContext context, JsonNode branchInput) {
        context.emit(HistoryEventType.ParallelStateStarted, Map.of());
        Fanout.Result result = Fanout.run(context, name(), branches.size(), 0, 0,
                (index, branch) -> branches.get(index).run(branchInput, branch));
        if (result.fatal() != null) {
            context.emit(HistoryEventType.ParallelStateFailed, Map.of());
            throw result.fatal();
        }
        context.emit(HistoryEventType.ParallelStateSucceeded, Map.of());
        ArrayNode outputs = JsonNodeFactory.instance.arrayNode();
        for (JsonNode output : result.outputs()) {
            outputs.add(output);
        }
        return outputs;
    }

    @Override
    public void targets(BiConsumer<String, String> target) {
        flow.targets(target);
        for (Catcher catcher : errorHandling.catchers()) {
            if (catcher.next() != null) {
                target.accept(catcher.next(), catcher.nextPointer());
            }
        }
    }
}
