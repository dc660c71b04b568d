package dev.fleetrun.local.sfn.errors;

/** {@code States.ResultPathMatchFailure}: a state's ResultPath cannot be applied to the input the state received. */
public final class StatesResultPathMatchFailure extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.ResultPathMatchFailure";

    public StatesResultPathMatchFailure(String cause) {
        super(NAME, cause);
    }

}
