package dev.fleetrun.cli;

/**
 * The exit codes of {@code fleetrun}, one per outcome a script may want to tell apart. {@code --help}
 * lists them.
 */
public final class ExitCode {
    /** The run succeeded (or the command did what it was asked). */
    public static final int OK = 0;
    /** fleetrun itself failed, or the run ended FAILED. */
    public static final int FAILED = 1;
    /** Bad usage or an invalid run request: nothing was started. */
    public static final int USAGE = 2;
    /** The error budget was breached (status BREACHED or ROLLED_BACK). */
    public static final int BREACHED = 3;
    /** The run was stopped (CANCELLED). */
    public static final int CANCELLED = 4;
    /** The run was refused before it started: nodes leased by another run, or no node to run on. */
    public static final int REFUSED = 5;
    /** The run, execution or record asked for does not exist. */
    public static final int NOT_FOUND = 6;
    /** Every wave ran, but some nodes failed inside the error budget (NODES_FAILED). */
    public static final int NODES_FAILED = 7;
    /** The run was rejected at an approval gate (REJECTED). */
    public static final int REJECTED = 8;
    /** The error budget was breached and the rollback failed (ROLLBACK_FAILED). */
    public static final int ROLLBACK_FAILED = 9;

    public static final String HELP = """
            Exit codes: 0 succeeded, 1 failed, 2 bad usage or invalid request, 3 breached (rolled back or not),
            4 cancelled, 5 refused (nodes leased by another run, or no node to run on), 6 not found,
            7 some nodes failed inside the error budget, 8 rejected at an approval gate, 9 rollback failed.""";

    private ExitCode() {
    }
}
