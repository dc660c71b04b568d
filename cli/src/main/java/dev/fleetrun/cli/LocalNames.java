package dev.fleetrun.cli;

/**
 * The names in the embedded runtime (serve and the one-shot runtime) that the client looks up: their one home. The
 * lean client's class path has no embedded runtime classes, so the client cannot load
 * {@link dev.fleetrun.cli.embedded.EmbeddedRuntime}; the runtime takes its names from here.
 */
public final class LocalNames {
    /** The embedded runtime's state machine. */
    public static final String STATE_MACHINE = "fleetrun-rolling-run";
    /** The embedded runtime's records table. */
    public static final String TABLE = "fleetrun";

    private LocalNames() {
    }
}
