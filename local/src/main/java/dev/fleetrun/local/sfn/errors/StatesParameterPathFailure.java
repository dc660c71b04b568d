package dev.fleetrun.local.sfn.errors;

/** {@code States.ParameterPathFailure}: within Parameters, ResultSelector or ItemSelector, a field whose name ends in .$ names a path that selects nothing. */
public final class StatesParameterPathFailure extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.ParameterPathFailure";

    public StatesParameterPathFailure(String cause) {
        super(NAME, cause);
    }

}
