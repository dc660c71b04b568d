package dev.fleetrun.local.sfn.errors;

/** {@code States.IntrinsicFailure}: an intrinsic function (States.Format, States.Hash, ...) failed on its arguments. */
public final class StatesIntrinsicFailure extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.IntrinsicFailure";

    public StatesIntrinsicFailure(String cause) {
        super(NAME, cause);
    }

}
