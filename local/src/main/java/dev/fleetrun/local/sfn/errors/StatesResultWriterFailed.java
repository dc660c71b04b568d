package dev.fleetrun.local.sfn.errors;

/** {@code States.ResultWriterFailed}: a Map state's ResultWriter could not write its results. */
public final class StatesResultWriterFailed extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.ResultWriterFailed";

    public StatesResultWriterFailed(String cause) {
        super(NAME, cause);
    }

}
