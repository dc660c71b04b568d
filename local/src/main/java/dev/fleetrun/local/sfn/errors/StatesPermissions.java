package dev.fleetrun.local.sfn.errors;

/** {@code States.Permissions}: a Task failed because it had insufficient privileges to run its resource. */
public final class StatesPermissions extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.Permissions";

    public StatesPermissions(String cause) {
        super(NAME, cause);
    }

}
