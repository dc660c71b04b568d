package dev.fleetrun.local.sfn.errors;

/** {@code States.DataLimitExceeded}: a payload grew beyond the 256 KiB quota; never caught, never retried. */
public final class StatesDataLimitExceeded extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.DataLimitExceeded";

    public StatesDataLimitExceeded(String cause) {
        super(NAME, cause);
    }

    /** Never retried or caught: the execution fails. */
    @Override
    public boolean isTerminal() {
        return true;
    }
}
