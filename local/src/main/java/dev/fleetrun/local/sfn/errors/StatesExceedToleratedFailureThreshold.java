package dev.fleetrun.local.sfn.errors;

/** {@code States.ExceedToleratedFailureThreshold}: more Map iterations failed than ToleratedFailureCount or ToleratedFailurePercentage allow. */
public final class StatesExceedToleratedFailureThreshold extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.ExceedToleratedFailureThreshold";

    public StatesExceedToleratedFailureThreshold(String cause) {
        super(NAME, cause);
    }

}
