package dev.fleetrun.local.sfn.states;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.io.InputPath;
import dev.fleetrun.local.sfn.io.PayloadTemplate;
import dev.fleetrun.local.sfn.io.ResultPath;
import dev.fleetrun.local.sfn.jsonata.Assign;
import dev.fleetrun.local.sfn.jsonata.StatesView;
import dev.fleetrun.local.sfn.retry.Catcher;
import dev.fleetrun.local.sfn.retry.ErrorHandling;
import dev.fleetrun.local.sfn.runtime.StateContext;
import dev.fleetrun.local.sfn.task.Resource;
import dev.fleetrun.local.sfn.task.TaskRunner;
import dev.fleetrun.local.sfn.task.TaskTokens;
import dev.fleetrun.local.sfn.timeouts.TaskTimeouts;
import java.util.function.BiConsumer;

/**
 * {@code Task}: runs its {@code Resource} through the engine's invokers ({@link TaskRunner}), with the whole
 * of input and output processing (InputPath, Parameters, ResultSelector, ResultPath, OutputPath), time limits
 * ({@link TaskTimeouts}) and Retry/Catch ({@link ErrorHandling}). A {@code .waitForTaskToken} resource gets a
 * fresh token for each attempt, visible to Parameters as {@code $$.Task.Token}. In JSONata, {@code Arguments}
 * builds the task's input and {@code Output} the state's (default: the result), with {@code $states.result};
 * either language may {@code Assign} variables.
 */
public final class TaskState extends State {

    private final Flow flow;
    private final Resource resource;
    private final InputPath inputPath;
    private final PayloadTemplate parameters;
    private final PayloadTemplate resultSelector;
    private final ResultPath resultPath;
    private final InputPath outputPath;
    private final TaskTimeouts timeouts;
    private final ErrorHandling errorHandling;
    private final TaskRunner runner;
    private final JsonataFields jsonata;
    private final Assign assign;

    TaskState(String name, Fields fields, boolean jsonataLanguage) {
        super(name);
        flow = Flow.parse(fields);
        jsonata = jsonataLanguage ? JsonataFields.parse(fields, true) : null;
        String resourceArn = fields.requiredString("Resource");
        resource = Resource.parse(resourceArn == null ? "" : resourceArn);
        if (resourceArn != null && !resourceArn.startsWith("arn:")) {
            fields.problem("Resource", Problems.SCHEMA, "'Resource' must be an ARN (arn:aws:...), got '" + resourceArn + "'");
        }
        if (jsonataLanguage) {
            inputPath = null;
            parameters = null;
            resultSelector = null;
            resultPath = null;
            outputPath = null;
            assign = null;
            timeouts = TaskTimeouts.parseJsonata(fields);
        } else {
            inputPath = InputPath.parse(fields, "InputPath");
            parameters = template(fields, "Parameters");
            resultSelector = template(fields, "ResultSelector");
            resultPath = ResultPath.parse(fields);
            outputPath = InputPath.parse(fields, "OutputPath");
            assign = Assign.parse(fields, false);
            timeouts = TaskTimeouts.parse(fields);
        }
        errorHandling = ErrorHandling.parse(fields, jsonataLanguage);
        fields.allow("Credentials");
        runner = new TaskRunner(resource);
    }

    static PayloadTemplate template(Fields fields, String field) {
        JsonNode node = fields.raw(field);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            fields.problem(field, Problems.SCHEMA, "'" + field + "' must be a JSON object");
        }
        return PayloadTemplate.compile(node, fields.pointer(field), fields.problems());
    }

    @Override
    public StateType type() {
        return StateType.Task;
    }

    /** The resource the task runs. */
    public Resource resource() {
        return resource;
    }

    @Override
    public Transition run(StateContext context, JsonNode input) {
        if (jsonata != null) {
            ErrorHandling.Outcome outcome = errorHandling.run(context, input, () -> attemptJsonata(context, input));
            return new Transition(outcome.caught() ? outcome.caughtNext() : flow.next(), outcome.output());
        }
        JsonNode effective = inputPath.apply(input, context.bindings());
        ErrorHandling.Outcome outcome = errorHandling.run(context, input, () -> attempt(context, input, effective));
        return new Transition(outcome.caught() ? outcome.caughtNext() : flow.next(), outcome.output());
    }

    private JsonNode attempt(StateContext context, JsonNode input, JsonNode effective) {
        TaskTokens.Pending token = resource.waitsForTaskToken()
                ? context.services().tokens().issue(context.execution().executionArn(), name())
                : null;
        context.taskToken(token == null ? null : token.token());
        try {
            JsonNode taskInput = parameters == null ? effective : parameters.evaluate(effective, context.bindings());
            TaskTimeouts.Resolved limits = timeouts.resolve(effective, context.bindings());
            JsonNode result = runner.run(context, taskInput, limits, token);
            JsonNode selected = resultSelector == null ? result : resultSelector.evaluate(result, context.bindings());
            JsonNode output = outputPath.apply(resultPath.apply(input, selected), context.bindings());
            if (assign != null) {
                context.branch().variables().assignAll(assign.evaluate(selected, context.bindings()));
            }
            return output;
        } finally {
            if (token != null) {
                token.close();
            }
        }
    }

    private JsonNode attemptJsonata(StateContext context, JsonNode input) {
        TaskTokens.Pending token = resource.waitsForTaskToken()
                ? context.services().tokens().issue(context.execution().executionArn(), name())
                : null;
        context.taskToken(token == null ? null : token.token());
        try {
            StatesView view = JsonataFields.view(context, input);
            JsonNode taskInput = jsonata.arguments(view);
            TaskTimeouts.Resolved limits = timeouts.resolve(view);
            JsonNode result = runner.run(context, taskInput, limits, token);
            return jsonata.finish(context, view.withResult(result), result);
        } finally {
            if (token != null) {
                token.close();
            }
        }
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
