package dev.fleetrun.local.sfn.errors;

/** {@code States.QueryEvaluationError}: a JSONata expression failed to evaluate, or returned a value of the wrong type. */
public final class StatesQueryEvaluationError extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.QueryEvaluationError";

    public StatesQueryEvaluationError(String cause) {
        super(NAME, cause);
    }

}
