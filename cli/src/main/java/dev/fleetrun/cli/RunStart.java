package dev.fleetrun.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Whether a run the command has just started was taken by the workflow: its first step (StartRun) either records
 * the run, or refuses it (invalid request, nodes leased by another run, no node online) and ends the execution
 * without a record. {@code fleetrun run} says "started" only for the first, so a refused run is told once, as
 * refused, and never "started" and then "did not start".
 */
final class RunStart {
    /** StartRun answers within a second or two; its retries (a failing Lambda) may take this long. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private RunStart() {
    }

    /** True once the run is recorded; false when its execution ended without a record; true after {@link #PATIENCE}. */
    static boolean accepted(Backend backend, String runId) {
        Instant deadline = Instant.now().plus(PATIENCE);
        long pause = 50;
        while (Instant.now().isBefore(deadline)) {
            if (backend.store().getRun(runId).isPresent()) {
                return true;
            }
            Optional<DescribeExecutionResponse> exec = backend.execution(runId);
            if (exec.isPresent() && exec.get().status() != ExecutionStatus.RUNNING) {
                // Ended: recorded after all (a run that ended at once), or refused.
                return backend.store().getRun(runId).isPresent();
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
            pause = Math.min(500, pause * 2);
        }
        return true;
    }

    /** Sends a run to the workflow (StartExecution, or a redrive): an exit code to end with at once, or null to go on. */
    interface Sender {
        Integer send();
    }

    /**
     * The one path of {@code run}, {@code retry} and {@code resume}: with the Ctrl-C hook ({@link RunInterrupt})
     * installed before the run is sent (the wait for StartRun may last {@link #PATIENCE}), sends it, says
     * {@code started} once the workflow took it (a refused run is told once, as refused), then returns at once
     * ({@code detach}) or follows it to its end; {@code document} gets the exit code (for --output json).
     */
    static int startAndFollow(Backend backend, Terminal t, String runId, Sender sender, String started, boolean detach,
                              java.util.function.IntConsumer document) {
        RunInterrupt interrupt = RunInterrupt.install(backend, t, runId);
        try {
            Integer refused = sender.send();
            if (refused != null) {
                return refused;
            }
            if (!accepted(backend, runId)) {
                int code = new RunFollower(backend, t).follow(runId); // says, once, that it did not start and why
                document.accept(code);
                return code;
            }
            interrupt.accepted();
            t.line(started);
            if (detach) {
                t.line("follow it with: fleetrun watch " + runId + "   (or: fleetrun status " + runId + ")");
                document.accept(ExitCode.OK);
                return ExitCode.OK;
            }
            int code = new RunFollower(backend, t).follow(runId);
            document.accept(code);
            return code;
        } finally {
            interrupt.done();
        }
    }
}
