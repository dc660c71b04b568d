package dev.fleetrun.local.sfn.errors;

/** {@code States.BranchFailed}: a branch of a Parallel state failed. */
public final class StatesBranchFailed extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.BranchFailed";

    public StatesBranchFailed(String cause) {
        super(NAME, cause);
    }

}
