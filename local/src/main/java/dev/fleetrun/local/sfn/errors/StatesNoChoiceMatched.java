package dev.fleetrun.local.sfn.errors;

/** {@code States.NoChoiceMatched}: a Choice state matched none of its rules and has no Default. */
public final class StatesNoChoiceMatched extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.NoChoiceMatched";

    public StatesNoChoiceMatched(String cause) {
        super(NAME, cause);
    }

}
