package dev.fleetrun.local.sfn.errors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error raised while a state runs, as the States Language sees it: a name (such as
 * {@code States.Timeout} or a task's own {@code Fleetrun.ApprovalRejected}) and a human-readable cause.
 *
 * <p>Retriers and catchers match on {@link #name()} (see {@link ErrorMatcher}); a caught error becomes the
 * error output {@code {"Error": name, "Cause": cause}}. The predefined errors of the specification are
 * subclasses named after them ({@link StatesTimeout}, {@link StatesRuntime}, ...), so the code that raises one
 * says which. A task reports its own errors with {@link #of(String, String)}.
 */
public class AslError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String errorCause;

    protected AslError(String name, String cause) {
        super((name == null ? "(no error name)" : name) + (cause == null ? "" : ": " + cause), null, false, false);
        this.name = name;
        this.errorCause = cause;
    }

    /** An error with any name, such as a Lambda function's {@code errorType}. A {@code null} cause is allowed. */
    public static AslError of(String name, String cause) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an error needs a name");
        }
        return new AslError(name, cause);
    }

    /**
     * The error of a Fail state, whose {@code Error} may be left out: then the error has no name, only
     * {@code States.ALL} and {@code States.TaskFailed} match it, and its error output's {@code Error} is the empty
     * string (the specification, "Error output": the Error Output MUST have a string-valued field named "Error").
     */
    public static AslError fromFailState(String name, String cause) {
        return new AslError(name, cause);
    }

    /** The error name retriers and catchers match, such as {@code States.Timeout}; {@code null} only for a Fail state without Error. */
    public String name() {
        return name;
    }

    /** The human-readable cause, or {@code null}. */
    public String errorCause() {
        return errorCause;
    }

    /**
     * Whether no retrier or catcher may handle this error: the execution fails. AWS treats
     * {@code States.Runtime} and {@code States.DataLimitExceeded} this way.
     */
    public boolean isTerminal() {
        return false;
    }

    /**
     * The error output a catcher hands on: {@code {"Error": ..., "Cause": ...}}; no Cause when there is none, and
     * an empty Error for a Fail state without one, since the specification requires a string {@code Error}.
     */
    public ObjectNode toErrorOutput() {
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.put("Error", name == null ? "" : name);
        if (errorCause != null) {
            output.put("Cause", errorCause);
        }
        return output;
    }
}
