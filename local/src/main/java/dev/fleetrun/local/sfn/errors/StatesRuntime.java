package dev.fleetrun.local.sfn.errors;

/** {@code States.Runtime}: the execution failed on something the interpreter could not process, such as an InputPath that selects nothing or a Choice variable that is missing; never caught, never retried. */
public final class StatesRuntime extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.Runtime";

    public StatesRuntime(String cause) {
        super(NAME, cause);
    }

    /** Never retried or caught: the execution fails. */
    @Override
    public boolean isTerminal() {
        return true;
    }
}
