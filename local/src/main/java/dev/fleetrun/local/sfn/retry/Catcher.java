package dev.fleetrun.local.sfn.retry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.definition.Fields;
import dev.fleetrun.local.sfn.definition.Problems;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.ErrorMatcher;
import dev.fleetrun.local.sfn.io.ResultPath;
import java.util.List;

/**
 * One catcher of a {@code Catch} array: which errors it catches, the state it goes to, and where the error
 * output {@code {"Error", "Cause"}} goes in the state's raw input ({@code ResultPath}, default {@code $}).
 */
public final class Catcher {

    private final List<String> errorEquals;
    private final String next;
    private final ResultPath resultPath;
    private final String pointer;

    private Catcher(List<String> errorEquals, String next, ResultPath resultPath, String pointer) {
        this.errorEquals = errorEquals;
        this.next = next;
        this.resultPath = resultPath;
        this.pointer = pointer;
    }

    static Catcher parse(JsonNode node, String pointer, Problems problems) {
        Fields fields = Fields.of(node, pointer, problems, "a catcher");
        if (fields == null) {
            return null;
        }
        fields.allow("Comment");
        List<String> errors = ErrorEquals.parse(fields);
        String next = fields.requiredString("Next");
        ResultPath resultPath = ResultPath.parse(fields);
        fields.rejectUnknown();
        return new Catcher(errors, next, resultPath, pointer);
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

    /** The output handed to {@link #next()}: the raw input with the error output placed at ResultPath. */
    public JsonNode output(JsonNode rawInput, AslError error) {
        return resultPath.apply(rawInput, error.toErrorOutput());
    }
}
