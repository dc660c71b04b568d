package dev.fleetrun.local.sfn.errors;

/** {@code States.TaskFailed}: a Task failed during the execution (also: no invoker can run its resource). */
public final class StatesTaskFailed extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.TaskFailed";

    public StatesTaskFailed(String cause) {
        super(NAME, cause);
    }

}
