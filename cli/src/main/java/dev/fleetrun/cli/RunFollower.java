package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Outcome;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.WaveRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Follows a run to its end: a line when each wave starts and ends (and a live bar on a terminal),
 * then the result table, the follow-up commands and the exit code of the outcome.
 */
final class RunFollower {
    /** How long to wait for the run record to be closed after its execution ended. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

    private final Backend backend;
    private final Terminal terminal;

    RunFollower(Backend backend, Terminal terminal) {
        this.backend = backend;
        this.terminal = terminal;
    }

    int follow(String runId) {
        Phase phase = Phase.MAIN;
        int wave = 1;
        boolean announced = false;
        boolean approvalShown = false;
        DescribeExecutionResponse exec;
        while (true) {
            exec = backend.execution(runId).orElseThrow();
            Optional<RunRecord> run = backend.store().getRun(runId);
            if (run.isPresent()) {
                RunRecord r = run.get();
                int count = r.waveCount(phase);
                while (wave <= count) {
                    Optional<WaveRecord> w = backend.store().getWave(runId, phase, wave);
                    if (w.isEmpty() || w.get().sentAt() == null) {
                        break;
                    }
                    String label = (phase == Phase.ROLLBACK ? "rollback wave " : "wave ") + wave + "/" + count;
                    if (!announced) {
                        terminal.line(label + ": " + w.get().size() + " node(s), " + w.get().concurrency() + " at a time");
                        announced = true;
                    }
                    if (!w.get().complete()) {
                        terminal.status(label + " " + Terminal.bar(w.get().done(), w.get().size(), 30) + " " + w.get().done() + "/" + w.get().size());
                        break;
                    }
                    terminal.line(label + " done: " + counts(w.get()));
                    wave++;
                    announced = false;
                }
                if (r.approvalToken() != null && !approvalShown && !r.status().isTerminal()) {
                    terminal.line("waiting for approval: fleetrun approve " + runId + "   (or: fleetrun stop " + runId + ")");
                    if (backend.ownsRuntime()) {
                        terminal.line("  this run's runtime lives in this process, which other terminals cannot reach: start runs"
                                + " that wait for approval under 'fleetrun serve'. Ctrl-C ends this one.");
                    }
                    approvalShown = true;
                }
                if (phase == Phase.MAIN && r.rollbackWaveCount() > 0 && r.breachJson() != null) {
                    terminal.line("breach: " + Json.parse(r.breachJson()).path("reason").asText() + "; rolling back");
                    phase = Phase.ROLLBACK;
                    wave = 1;
                    announced = false;
                }
            }
            if (exec.status() != ExecutionStatus.RUNNING) {
                break;
            }
            sleep();
        }
        return finish(runId, exec);
    }

    private int finish(String runId, DescribeExecutionResponse exec) {
        Optional<RunView> view = closedRun(runId, exec);
        if (view.isEmpty()) {
            // Refused at the start: invalid request, nodes leased by another run, no node online.
            terminal.line("fleetrun: run " + runId + " did not start: " + exec.error());
            terminal.line(exec.cause() == null ? "" : exec.cause());
            Outcome refused = Outcome.ofError(exec.error());
            return refused == null ? ExitCode.FAILED : refused.exitCode();
        }
        RunRecord run = view.get().run();
        terminal.line("");
        RunReport.waveTable(view.get()).forEach(terminal::line);
        terminal.line("");
        if (!run.status().isTerminal()) {
            // The execution ended but nothing closed the run within CLOSE_WAIT: say what is known.
            terminal.line("run " + runId + ": execution " + exec.statusAsString() + "; the run record is still "
                    + run.status() + " (the Cleanup function closes it: see fleetrun status " + runId + ")");
            return switch (exec.status()) {
                case ABORTED -> ExitCode.CANCELLED;
                case SUCCEEDED -> ExitCode.OK;
                default -> ExitCode.FAILED;
            };
        }
        if (run.breachJson() != null) {
            terminal.line("breach: " + Json.parse(run.breachJson()).path("reason").asText());
        }
        terminal.line("details: fleetrun status " + runId + " --all");
        view.get().nodes().stream().filter(n -> n.status() != NodeStatus.SUCCEEDED && n.status().isTerminal()
                        && n.status() != NodeStatus.SKIPPED && n.status() != NodeStatus.NOT_RUN)
                .findFirst().map(NodeRecord::instanceId)
                .ifPresent(id -> terminal.line("output of a node that did not succeed: fleetrun logs " + runId + " --instance " + id));
        // The verdict is the last line: the run's status and the same one-line cause as the execution's and the alert's.
        terminal.line(verdict(run));
        return exitCode(run.status());
    }

    /**
     * The run's records once the run is closed. A stopped, failed or timed-out execution is closed by the
     * Cleanup function, which its status-change event reaches a moment after the execution ends: wait for
     * it (at most {@link #CLOSE_WAIT}) rather than report a run that is still RUNNING.
     */
    private Optional<RunView> closedRun(String runId, DescribeExecutionResponse exec) {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (true) {
            Optional<RunView> view = backend.store().loadRun(runId);
            if (view.isEmpty() || view.get().run().status().isTerminal() || exec.status() == ExecutionStatus.RUNNING
                    || System.nanoTime() > deadline) {
                return view;
            }
            sleep();
        }
    }

    int followPlan(String runId) {
        DescribeExecutionResponse exec;
        while ((exec = backend.execution(runId).orElseThrow()).status() == ExecutionStatus.RUNNING) {
            sleep();
        }
        if (exec.status() != ExecutionStatus.SUCCEEDED) {
            return finish(runId, exec);
        }
        JsonNode plan = Json.parse(exec.output());
        terminal.line("plan: " + plan.path("targeted").asInt() + " node(s) with " + plan.path("document").asText()
                + ", " + plan.path("concurrency").asInt() + " at a time; maxErrors " + plan.path("maxErrors").asText()
                + " (breach at error " + (plan.path("errorAllowance").asInt() + 1) + ")");
        for (JsonNode w : plan.path("waves")) {
            terminal.line(String.format("  wave %-3d %5d node(s)  %s", w.path("wave").asInt(), w.path("size").asInt(),
                    abbreviate(w.path("instanceIds"))));
        }
        for (JsonNode s : plan.path("skipped")) {
            int count = s.path("count").asInt();
            List<String> examples = new ArrayList<>();
            s.path("examples").forEach(id -> examples.add(id.asText()));
            terminal.line("  skipped " + count + " node(s): " + s.path("reason").asText() + " ("
                    + String.join(", ", examples) + (count > examples.size() ? ", ..." : "") + ")");
        }
        terminal.line("nothing was sent. Run it with: fleetrun run (same flags)");
        return ExitCode.OK;
    }

    /** The exit code of a run in {@code status}: its {@link Outcome}'s, or 0 while it is still going. */
    static int exitCode(RunStatus status) {
        return status.isTerminal() ? Outcome.of(status).exitCode() : ExitCode.OK;
    }

    /**
     * {@code run RUN: STATUS: cause}, the CLI's last line for a closed run: the cause is the summary's, which the
     * failed execution, the Fleetrun Run Finished event and the alert carry too.
     */
    static String verdict(RunRecord run) {
        JsonNode summary = run.summaryJson() == null ? null : parseOrNull(run.summaryJson());
        String cause = summary == null ? "" : summary.path("cause").asText("");
        return "run " + run.runId() + ": " + run.status() + (cause.isEmpty() ? "" : ": " + cause);
    }

    private static String counts(WaveRecord w) {
        StringBuilder b = new StringBuilder();
        w.counts().byStatus().forEach((s, n) -> b.append(b.length() > 0 ? ", " : "").append(n).append(' ').append(s.name().toLowerCase().replace('_', ' ')));
        return b.toString();
    }

    private static String abbreviate(JsonNode ids) {
        if (!ids.isArray() || ids.isEmpty()) {
            return "";
        }
        String first = ids.get(0).asText();
        return ids.size() == 1 ? first : first + " ... " + ids.get(ids.size() - 1).asText();
    }

    private static JsonNode parseOrNull(String s) {
        try {
            return Json.parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void sleep() {
        try {
            Thread.sleep(backend.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while following the run", e);
        }
    }
}
