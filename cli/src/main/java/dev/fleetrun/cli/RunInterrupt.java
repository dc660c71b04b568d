package dev.fleetrun.cli;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.Lease;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * What Ctrl-C (SIGINT, or SIGTERM) does to {@code fleetrun run}, {@code retry} and {@code resume} from the moment the
 * run is sent until the command has followed it, from a shutdown hook ({@link RunStart#startAndFollow}):
 * <ul>
 * <li>against a serve or a stack, the run goes on: the command says so, and how to watch or stop it, and exits
 *     {@value #INTERRUPTED};</li>
 * <li>with the one-shot embedded runtime of this command, which ends with it, the run is stopped (StopExecution:
 *     the Cleanup rule cancels the in-flight commands and releases the leases), awaited for at most
 *     {@link #STOP_WAIT}, and the command exits with the run's outcome (4, cancelled) after saying how many
 *     nodes were released; if the run did not close in time, it exits {@value #INTERRUPTED}.</li>
 * </ul>
 */
final class RunInterrupt {
    /** The exit status of an interrupted command whose run has no outcome yet (128 + SIGINT, as shells give). */
    static final int INTERRUPTED = 130;
    /** How long an interrupted one-shot command waits for its stopped run to close. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Backend backend;
    private final Terminal terminal;
    private final String runId;
    private final Thread hook;
    private volatile boolean fired;
    /** Whether the workflow has taken the run (StartRun recorded it); before that, the run may yet be refused. */
    private volatile boolean accepted;

    private RunInterrupt(Backend backend, Terminal terminal, String runId) {
        this.backend = backend;
        this.terminal = terminal;
        this.runId = runId;
        this.hook = new Thread(this::interrupted, "fleetrun-interrupt");
    }

    /**
     * Before the runtime starts: DynamoDB Local's Log4j, when first used while the JVM shuts down after Ctrl-C, would
     * warn on the terminal that it cannot add its own shutdown hook; it needs none in a command that ends.
     */
    static void prepare() {
        System.setProperty("log4j.shutdownHookEnabled", "false");
    }

    /** The workflow took the run: from now on an interrupted command against a serve says the run goes on. */
    void accepted() {
        accepted = true;
    }

    /** Installs the hook for this run, from before it is sent until the command has followed it. */
    static RunInterrupt install(Backend backend, Terminal terminal, String runId) {
        RunInterrupt i = new RunInterrupt(backend, terminal, runId);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /**
     * After following: when the hook fired, waits for it (it ends the JVM with its own exit status, and must keep the
     * backend open until then); else removes it.
     */
    void done() {
        if (fired) {
            try {
                hook.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs
        }
    }

    private void interrupted() {
        fired = true;
        terminal.mute();
        terminal.say("");
        if (!backend.ownsRuntime()) {
            terminal.say(accepted ? "fleetrun: interrupted; run " + runId + " goes on in " + backend.description() + "."
                    : "fleetrun: interrupted before the workflow took run " + runId + "; if it was sent it starts (or is refused)"
                    + " in " + backend.description() + ".");
            terminal.say("  watch it: fleetrun watch " + runId + "    stop it: fleetrun stop " + runId);
            return; // the JVM exits 130 after SIGINT (143 after SIGTERM)
        }
        int code = INTERRUPTED;
        try {
            code = stopAndWait();
        } catch (RuntimeException e) {
            terminal.say("fleetrun: could not stop run " + runId + ": " + e.getMessage());
        }
        try {
            backend.close();
        } finally {
            Runtime.getRuntime().halt(code);
        }
    }

    private int stopAndWait() {
        terminal.say("fleetrun: interrupted; this command's embedded runtime ends with it, so run " + runId
                + " is being stopped (in-flight commands cancelled, leases released)...");
        if (backend.execution(runId).map(e -> e.status() == ExecutionStatus.RUNNING).orElse(false)) {
            backend.stop(runId, "interrupted with Ctrl-C: the embedded runtime of its fleetrun run ended with it");
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        Optional<RunRecord> run = backend.store().getRun(runId);
        while (run.isPresent() && !run.get().status().isTerminal() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(backend.pollInterval().toMillis());
            } catch (InterruptedException e) {
                break;
            }
            run = backend.store().getRun(runId);
        }
        if (run.isEmpty()) {
            terminal.say("fleetrun: run " + runId + " stopped before it had a record; nothing was sent");
            return ExitCode.CANCELLED;
        }
        if (!run.get().status().isTerminal()) {
            terminal.say("fleetrun: run " + runId + " did not close within " + STOP_WAIT.toSeconds() + " s (still "
                    + run.get().status() + "); its leases end at " + run.get().leasesUntil());
            return INTERRUPTED;
        }
        List<String> nodes = backend.store().nodes(runId, Phase.MAIN).stream()
                .filter(n -> n.status() != NodeStatus.SKIPPED).map(NodeRecord::instanceId).distinct().toList();
        long held = nodes.stream().map(id -> backend.store().leaseHolder(id))
                .filter(l -> l.map(Lease::runId).filter(runId::equals).isPresent()).count();
        terminal.say(RunFollower.verdict(run.get()) + " (stopped on Ctrl-C); "
                + (held == 0 ? "leases released on all " + nodes.size() + " node(s)"
                : held + " of " + nodes.size() + " node(s) still leased until " + run.get().leasesUntil()));
        return RunFollower.exitCode(run.get().status());
    }
}
