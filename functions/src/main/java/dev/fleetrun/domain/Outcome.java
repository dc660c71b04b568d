package dev.fleetrun.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Every way a run can end, defined once, and what each one is everywhere it is told: the Step Functions execution
 * status and error ({@code Fleetrun.<Outcome>}), whether an alert goes out, and the {@code fleetrun} command's exit
 * code. The workflow's Finish step writes {@link #error()} and a one-line {@link #cause} into the run summary, and
 * the state machine's RunFailed state fails the execution with exactly those (ErrorPath/CausePath); the run record,
 * the {@code Fleetrun Run Finished} event, the SNS alert and the CLI's last line all carry the same summary. The
 * README's outcome table lists the same rows.
 *
 * <p>The refusals ({@link #INVALID_INPUT}, {@link #LEASE_CONFLICT}, {@link #NO_TARGETS}) end in StartRun's own
 * Fail states before any node is touched: they have no run status and no run record.
 */
public enum Outcome {
    /** Every node that should run succeeded. */
    SUCCEEDED(RunStatus.SUCCEEDED, Execution.SUCCEEDED, null, 0, false),
    /** Every wave ran, but some nodes failed or timed out inside the error budget. */
    NODES_FAILED(RunStatus.NODES_FAILED, Execution.FAILED, "Fleetrun.NodesFailed", 7, true),
    /** The error budget was spent (or an alarm fired) and no rollback was configured. */
    BREACHED(RunStatus.BREACHED, Execution.FAILED, "Fleetrun.Breached", 3, true),
    /** The error budget was spent (or an alarm fired) and the rollback ran on every node it should. */
    ROLLED_BACK(RunStatus.ROLLED_BACK, Execution.FAILED, "Fleetrun.RolledBack", 3, true),
    /** The error budget was spent and the rollback failed on some nodes, or could not be completed. */
    ROLLBACK_FAILED(RunStatus.ROLLBACK_FAILED, Execution.FAILED, "Fleetrun.RollbackFailed", 9, true),
    /** Rejected at an approval gate. */
    REJECTED(RunStatus.REJECTED, Execution.FAILED, "Fleetrun.Rejected", 8, true),
    /** fleetrun itself failed (a Lambda error, a throttle that outlasted the retries). */
    FAILED(RunStatus.FAILED, Execution.FAILED, "Fleetrun.WorkflowError", 1, true),
    /**
     * Stopped (StopExecution, {@code fleetrun stop}): the execution is ABORTED, which carries no error; the summary's
     * {@code error} is {@link #CANCELLED_ERROR}, what a redrive of the stopped execution ends with at RunFailed.
     */
    CANCELLED(RunStatus.CANCELLED, Execution.ABORTED, null, 4, false),
    /** Refused at the start: the run request is invalid. */
    INVALID_INPUT(null, Execution.FAILED, InvalidInputException.ERROR, 2, false),
    /** Refused at the start: another run holds a lease on some of the nodes. */
    LEASE_CONFLICT(null, Execution.FAILED, "Fleetrun.LeaseConflict", 5, false),
    /** Refused at the start: the targets resolved to no node that can run the command. */
    NO_TARGETS(null, Execution.FAILED, "Fleetrun.NoTargets", 5, false);

    /** The Step Functions execution status an outcome ends in. */
    public enum Execution { SUCCEEDED, FAILED, ABORTED }

    private final RunStatus runStatus;
    private final Execution execution;
    private final String error;
    private final int exitCode;
    private final boolean alert;

    Outcome(RunStatus runStatus, Execution execution, String error, int exitCode, boolean alert) {
        this.runStatus = runStatus;
        this.execution = execution;
        this.error = error;
        this.exitCode = exitCode;
        this.alert = alert;
    }

    /** The outcome of a run that ended with {@code status}. */
    public static Outcome of(RunStatus status) {
        for (Outcome o : values()) {
            if (o.runStatus == status) {
                return o;
            }
        }
        throw new IllegalArgumentException("a run that is " + status + " has not ended, so it has no outcome yet");
    }

    /** The outcome whose execution error is {@code error} ({@code Fleetrun.LeaseConflict} ...), or null. */
    public static Outcome ofError(String error) {
        for (Outcome o : values()) {
            if (o.error != null && o.error.equals(error)) {
                return o;
            }
        }
        return null;
    }

    /**
     * The final status of a run the workflow proposes {@code proposed} for, settled on its nodes: a run proposed
     * SUCCEEDED in which some targeted node did not succeed (failed or timed out inside the budget, or cancelled from
     * outside) is NODES_FAILED; a rollback (after a breach or a rejection) in which some node did not roll back is
     * ROLLBACK_FAILED. Any other
     * proposal stands.
     *
     * @param rollback the rollback phase's totals, or null when no rollback was planned
     */
    public static RunStatus settle(RunStatus proposed, Totals main, Totals rollback) {
        if (proposed == RunStatus.SUCCEEDED && main.succeeded() < main.targeted()) {
            return RunStatus.NODES_FAILED;
        }
        if ((proposed == RunStatus.ROLLED_BACK || proposed == RunStatus.REJECTED) && rollback != null
                && rollback.succeeded() < rollback.targeted()) {
            // A rejection rolled back too: a rollback that failed on some nodes is what needs a look first.
            return RunStatus.ROLLBACK_FAILED;
        }
        return proposed;
    }

    /** The run status, or null for a refusal (the run never started, so it has no record). */
    public RunStatus runStatus() {
        return runStatus;
    }

    public Execution execution() {
        return execution;
    }

    /** The execution's error, {@code Fleetrun.<Outcome>}; null for SUCCEEDED and CANCELLED (ABORTED has none). */
    public String error() {
        return error;
    }

    /** The exit code of {@code fleetrun run}, {@code status} and {@code watch} for this outcome. */
    public int exitCode() {
        return exitCode;
    }

    /** Whether the run's end is announced on the alert topic (every failure; not a success, not a stop). */
    public boolean alerts() {
        return alert;
    }

    /** The errors a run ends FAILED with when a wait at a gate ran out: decisions, not faults. */
    public static final java.util.Set<String> TIMEOUT_ERRORS = java.util.Set.of("Fleetrun.ApprovalTimedOut", "Fleetrun.PauseTimedOut");
    /** The error of a stopped run's summary (its execution is ABORTED and carries none; a redrive of it ends here). */
    public static final String CANCELLED_ERROR = "Fleetrun.Cancelled";

    /**
     * What a cause is built from: the main phase's totals, the error allowance, the rollback phase's totals (null
     * when no rollback was planned), why the run breached (null when it did not), a workflow error already put in
     * words (null when there was none), who rejected the run and why ({@code rejected by WHO: REASON}, null when
     * nobody did), and the words of a gate's or a pause's timeout that ended the run (null when none did).
     */
    public record Facts(Totals totals, int allowance, Totals rollback, String breach, String failure, String rejection,
                        String timedOut) {
        public Facts(Totals totals, int allowance, Totals rollback, String breach, String failure) {
            this(totals, allowance, rollback, breach, failure, null, null);
        }
    }

    /**
     * The one-line cause of this outcome, in words, with what to do, such as {@code 3 of 20 nodes failed (budget 0):
     * rolled back on 2, 15 not run}. The same line is the failed execution's cause, the summary's {@code cause},
     * the alert's first line and the end of the CLI's last line.
     */
    public String cause(String runId, Facts f) {
        Totals t = f.totals();
        String head = failedPart(t) + " (budget " + f.allowance() + ")";
        String alarm = f.breach() != null && f.breach().startsWith("alarm") ? f.breach() + " after " : "";
        return switch (this) {
            case SUCCEEDED -> t.targeted() == 1 ? "the node succeeded" : "all " + t.targeted() + " nodes succeeded";
            case NODES_FAILED -> (t.unsuccessful() + t.succeeded() == t.targeted()
                    ? head + ": every wave ran, " + t.succeeded() + " succeeded"
                    // Nodes cancelled from outside, or left unsent by a wave that ended without them.
                    : (t.targeted() - t.succeeded()) + " of " + t.targeted() + " nodes did not succeed (budget "
                            + f.allowance() + "): " + t.succeeded() + " succeeded"
                            + (t.unsuccessful() > 0 ? ", " + t.unsuccessful() + " failed" : ""))
                    + rest(t) + "; see which with fleetrun status " + runId + " --all";
            case BREACHED -> alarm + head + ": breached, no rollback configured" + rest(t)
                    + "; see fleetrun status " + runId;
            case ROLLED_BACK -> alarm + head + ": rolled back on " + (f.rollback() == null ? 0 : f.rollback().succeeded())
                    + rest(t);
            case ROLLBACK_FAILED -> (f.rejection() != null ? f.rejection() + "; " : alarm + head + ": ") + rollbackFailure(f) + rest(t)
                    + "; those nodes need a look: fleetrun logs " + runId + " --failed";
            case REJECTED -> (f.rejection() != null ? f.rejection() : "rejected at the approval gate") + "; "
                    + t.succeeded() + " of " + t.targeted() + " nodes succeeded"
                    + (t.unsuccessful() > 0 ? ", " + t.unsuccessful() + " failed" : "") + rest(t)
                    + (f.rollback() != null ? "; rolled back on " + f.rollback().succeeded() : "");
            case FAILED -> (f.timedOut() != null ? f.timedOut()
                    : "workflow error: " + (f.failure() == null ? "the workflow failed" : f.failure())) + "; "
                    + t.succeeded() + " of " + t.targeted() + " nodes succeeded"
                    + (t.unsuccessful() > 0 ? ", " + t.unsuccessful() + " failed" : "") + rest(t);
            case CANCELLED -> "stopped: " + t.succeeded() + " of " + t.targeted() + " nodes succeeded"
                    + (t.unsuccessful() > 0 ? ", " + t.unsuccessful() + " failed" : "") + rest(t);
            case INVALID_INPUT, LEASE_CONFLICT, NO_TARGETS ->
                    throw new IllegalStateException(this + " is a refusal: its cause comes from StartRun");
        };
    }

    /** "3 of 20 nodes failed", "3 of 20 nodes failed or timed out (1 timed out)", "0 of 20 nodes failed". */
    private static String failedPart(Totals t) {
        String part = t.unsuccessful() + " of " + t.targeted() + (t.targeted() == 1 ? " node" : " nodes");
        if (t.timedOut() == 0) {
            return part + " failed";
        }
        return part + (t.failed() == 0 ? " timed out" : " failed or timed out (" + t.timedOut() + " timed out)");
    }

    /** ", 2 being cancelled, 1 cancelled, 17 not run" (each part only when there are any). */
    private static String rest(Totals t) {
        List<String> parts = new ArrayList<>();
        int inFlight = t.targeted() - t.succeeded() - t.unsuccessful() - t.cancelled() - t.notRun();
        if (inFlight > 0) {
            // Still running when the run closed: their cancel is asked for, and SSM's Cancelled comes later.
            parts.add(inFlight + " being cancelled");
        }
        if (t.cancelled() > 0) {
            parts.add(t.cancelled() + " cancelled");
        }
        if (t.notRun() > 0) {
            parts.add(t.notRun() + " not run");
        }
        return parts.isEmpty() ? "" : ", " + String.join(", ", parts);
    }

    private static String rollbackFailure(Facts f) {
        Totals rb = f.rollback();
        String counted = rb == null || rb.targeted() == 0 ? ""
                : " (" + rb.unsuccessful() + " of " + rb.targeted() + " rollback nodes failed, "
                        + rb.succeeded() + " rolled back" + (rb.notRun() + rb.cancelled() > 0
                        ? ", " + (rb.notRun() + rb.cancelled()) + " not rolled back" : "") + ")";
        if (f.failure() != null) {
            return "the rollback did not finish: " + f.failure() + counted;
        }
        return "the rollback failed" + counted;
    }
}
