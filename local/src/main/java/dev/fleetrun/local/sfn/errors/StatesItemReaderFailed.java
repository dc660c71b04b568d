package dev.fleetrun.local.sfn.errors;

/** {@code States.ItemReaderFailed}: a Map state's ItemReader could not read its items. */
public final class StatesItemReaderFailed extends AslError {

    private static final long serialVersionUID = 1L;

    /** The error name, as retriers and catchers spell it. */
    public static final String NAME = "States.ItemReaderFailed";

    public StatesItemReaderFailed(String cause) {
        super(NAME, cause);
    }

}
