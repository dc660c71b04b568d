package dev.fleetrun.cli;

import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.RunRecord;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * {@code fleetrun resume RUN}: a run that failed on a workflow error (a Lambda failure, SSM throttling that
 * outlasted the retries) goes on from where it stopped, through Step Functions RedriveExecution: the
 * execution restarts at HoldForResume, which reopens the run, and goes on at SendWave, which sends only the
 * batches not sent yet (a batch claimed but not recorded is looked up in SSM first) and takes the leases
 * again. No node gets the command twice. Any other run is refused with what to do instead.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a run that failed on a workflow error from where it stopped (Step Functions RedriveExecution);"
                + " no node gets the command twice.",
        footer = {"", "A run that ended otherwise (breached, rolled back, rejected, nodes failed, succeeded, cancelled), or that"
                + " failed while held before a wave (a gate's or a pause's timeout, a lost lease while parked) is not resumed:"
                + " 'fleetrun retry RUN' starts a new run over its failed, timed-out and unfinished nodes.",
                "On AWS the caller needs states:RedriveExecution and states:GetExecutionHistory on the run's execution.",
                ExitCode.HELP})
final class ResumeCommand extends Fleetrun.Base {
    /** Where a run that failed on a workflow error stops, and a redrive restarts (statemachines/rolling-run.asl.json). */
    static final String HOLD_STATE = "HoldForResume";
    /** The state a failure at Hold or one of its waits goes through: such a run is not resumable. */
    static final String HELD_STATE = "FailedWhileHeld";

    @Parameters(paramLabel = "RUN", description = "The run id (the execution name).")
    String runId;

    @Option(names = "--detach", description = "Resume the run and return at once.")
    boolean detach;

    @Override
    public Integer call() {
        try (Backend backend = Connections.open(connection, terminal)) {
            Optional<DescribeExecutionResponse> found = backend.execution(runId);
            if (found.isEmpty()) {
                terminal.line("fleetrun: no run " + runId + " on " + backend.description());
                return ExitCode.NOT_FOUND;
            }
            DescribeExecutionResponse exec = found.get();
            Optional<RunRecord> run = backend.store().getRun(runId);
            String refusal = refusal(backend, exec, run);
            if (refusal != null) {
                terminal.line("fleetrun: cannot resume run " + runId + ": " + refusal);
                return ExitCode.USAGE;
            }
            int redrive = exec.redriveCount() == null ? 1 : exec.redriveCount() + 1;
            return RunStart.startAndFollow(backend, terminal, runId, () -> {
                try {
                    // One token per redrive: a second 'fleetrun resume' at the same time redrives nothing more.
                    backend.redrive(runId, "fleetrun-resume-" + redrive);
                    return null;
                } catch (ExecutionNotRedrivableException e) {
                    terminal.line("fleetrun: cannot resume run " + runId + ": " + e.awsErrorDetails().errorMessage()
                            + "; start a new run over its failed and unfinished nodes with: fleetrun retry " + runId);
                    return ExitCode.USAGE;
                }
            }, "fleetrun: run " + runId + " resumed on " + backend.description() + " (redrive " + redrive
                    + " of its execution): waves already sent are not sent again", detach, code -> { });
        }
    }

    /**
     * What {@code status} says of a run that failed on a workflow error and can be resumed (its execution failed
     * at HoldForResume, whose cause names {@code fleetrun resume}), or empty.
     */
    static Optional<String> hint(RunRecord run, Optional<DescribeExecutionResponse> exec) {
        if (run.status() != RunStatus.FAILED || exec.isEmpty() || exec.get().status() != ExecutionStatus.FAILED
                || exec.get().cause() == null || !exec.get().cause().contains("fleetrun resume " + run.runId())) {
            return Optional.empty();
        }
        return Optional.of("resume it where it stopped: fleetrun resume " + run.runId()
                + "   (or a new run over its failed and unfinished nodes: fleetrun retry " + run.runId() + ")");
    }

    /** Why the run cannot be resumed, in words with what to do instead, or {@code null} when it can. */
    private String refusal(Backend backend, DescribeExecutionResponse exec, Optional<RunRecord> run) {
        if (exec.status() == ExecutionStatus.RUNNING) {
            return "it is still running (follow it: fleetrun status " + runId + "; stop it: fleetrun stop " + runId + ")";
        }
        if (run.isEmpty()) {
            return "it never started (execution " + exec.statusAsString() + (exec.error() == null ? "" : " " + exec.error())
                    + "): nothing was sent; start it again with fleetrun run";
        }
        RunStatus status = run.get().status();
        String retry = "; to send the command again to its failed, timed-out and unfinished nodes: fleetrun retry " + runId;
        if (status != RunStatus.FAILED) {
            return "it ended " + status + ", not on a workflow error: only a run that failed on a workflow error is resumed" + retry;
        }
        if (exec.error() != null && dev.fleetrun.domain.Outcome.TIMEOUT_ERRORS.contains(exec.error())
                || backend.enteredLately(runId, HELD_STATE, 4)) {
            // A resume goes on at SendWave: it would send the next wave past the gate, bake or pause it was held at.
            return "it failed while held before its next wave (" + (exec.error() != null
                    && exec.error().startsWith("Fleetrun.") && !"Fleetrun.WorkflowError".equals(exec.error())
                    ? exec.error() + ": " : "") + "at a pause, a bake or an approval gate), and a resume would send that"
                    + " wave past it" + retry;
        }
        if (!HOLD_STATE.equals(backend.lastStateEntered(runId).map(Backend.StateEntered::name).orElse(null))) {
            return "it failed where it cannot go on (before its first wave, while closing, or its execution "
                    + exec.statusAsString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")" + retry;
        }
        if (exec.redriveStatus() == ExecutionRedriveStatus.NOT_REDRIVABLE) {
            return "Step Functions cannot redrive its execution: " + exec.redriveStatusReason() + retry;
        }
        return null;
    }
}
