package dev.fleetrun.local.sfn.errors;

/** {@code States.Timeout}: a Task ran longer than its TimeoutSeconds, or an execution longer than the state machine's TimeoutSeconds. */
public final class StatesTimeout extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.Timeout";

    public StatesTimeout(String cause) {
        super(NAME, cause);
    }

}
