package dev.fleetrun.domain;

/** The status of a run, as the run record and the execution output carry it. */
public enum RunStatus {
    RUNNING(false),
    /**
     * Finish or Cleanup is closing the run: no command goes out any more (a SendWave still sending stops before its
     * next batch), in-flight commands are being cancelled; the final status follows.
     */
    CLOSING(false),
    /** Every node that should run succeeded. The only status whose execution is SUCCEEDED. */
    SUCCEEDED(true),
    /** Every wave ran, but some nodes failed (or timed out) inside the error budget. */
    NODES_FAILED(true),
    /** The error budget was breached (or an alarm fired) and no rollback was configured. */
    BREACHED(true),
    /** The error budget was breached and the rollback ran. */
    ROLLED_BACK(true),
    /** The error budget was breached and the rollback itself failed on some nodes (or could not be sent). */
    ROLLBACK_FAILED(true),
    /** An operator rejected the run at an approval gate (or the gate expired with the reject action). */
    REJECTED(true),
    /** fleetrun itself failed (an unexpected error, an approval that timed out); in-flight commands were cancelled. */
    FAILED(true),
    /** The execution was stopped; in-flight commands were cancelled. */
    CANCELLED(true);

    private final boolean terminal;

    RunStatus(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean isTerminal() {
        return terminal;
    }
}
