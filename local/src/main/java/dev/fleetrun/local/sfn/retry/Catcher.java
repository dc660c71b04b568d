package dev.fleetrun.local.sfn.retry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.ErrorMatcher;
import dev.fleetrun.local.sfn.io.ResultPath;
import dev.fleetrun.local.sfn.jsonata.Assign;
import dev.fleetrun.local.sfn.jsonata.JsonataValue;
import dev.fleetrun.local.sfn.jsonata.StatesView;
import dev.fleetrun.local.sfn.runtime.StateContext;
import java.util.List;
import java.util.Map;

/**
 * One catcher of a {@code Catch} array: which errors it catches, the state it goes to, and what it hands on:
 * in a JSONPath state the raw input with the error output {@code {"Error", "Cause"}} placed at
 * {@code ResultPath} (default {@code $}); in a JSONata state its {@code Output} (default
 * {@code $states.errorOutput}). Its {@code Assign} sets variables either way.
 */
public final class Catcher {

    private final List<String> errorEquals;
    private final String next;
    private final ResultPath resultPath;
    private final String pointer;
    private final JsonataValue output;
    private final Assign assign;

    private Catcher(List<String> errorEquals, String next, ResultPath resultPath, String pointer, JsonataValue output,
                    Assign assign) {
        this.errorEquals = errorEquals;
        this.next = next;
        this.resultPath = resultPath;
        this.pointer = pointer;
        this.output = output;
        this.assign = assign;
    }

    static Catcher parse(JsonNode node, String pointer, Problems problems, boolean jsonata) {
        Fields fields = Fields.of(node, pointer, problems, "a catcher");
        if (fields == null) {
            return null;
        }
        fields.allow("Comment");
        List<String> errors = ErrorEquals.parse(fields);
        String next = fields.requiredString("Next");
        ResultPath resultPath = jsonata ? null : ResultPath.parse(fields);
        JsonataValue output = null;
        if (jsonata && fields.raw("Output") != null) {
            output = JsonataValue.compile(fields.raw("Output"), "Output", fields.pointer("Output"), problems);
        }
        Assign assign = Assign.parse(fields, jsonata);
        fields.rejectUnknown();
        return new Catcher(errors, next, resultPath, pointer, output, assign);
    }

    /** The error names this catcher handles. */
    public List<String> errorEquals() {
        return errorEquals;
    }

    /** The state it transitions to. */
    public String next() {
        return next;
    }

    /** The JSON pointer of its {@code Next}, for messages about a missing target. */
    public String nextPointer() {
        return pointer + "/Next";
    }

    /** Whether it catches the error. */
    public boolean matches(AslError error) {
        return ErrorMatcher.matches(errorEquals, error);
    }

    /** The output handed to {@link #next()}, after setting the catcher's variables. */
    public JsonNode output(StateContext context, JsonNode rawInput, AslError error) {
        JsonNode errorOutput = error.toErrorOutput();
        if (resultPath == null) {
            StatesView view = new StatesView(rawInput, null, errorOutput, context::contextObject,
                    Assign.visible(context.branch().variables())).withErrorOutput(errorOutput);
            JsonNode out = output == null ? errorOutput : output.evaluate(view);
            Map<String, JsonNode> assignments = assign == null ? Map.of() : assign.evaluate(view);
            context.branch().variables().assignAll(assignments);
            return out;
        }
        JsonNode out = resultPath.apply(rawInput, errorOutput);
        if (assign != null) {
            context.branch().variables().assignAll(assign.evaluate(errorOutput, context.bindings()));
        }
        return out;
    }
}
