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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Follows a run to its end: a line when each wave starts and ends, its live counts and ETA between
 * ({@link LiveDisplay}), the bake, gate, breach and rollback as they happen, then the result table, the
 * alert, the follow-up commands, the verdict last ({@link #verdict}: the run's status and cause) and the exit code of
 * the outcome.
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

    /** Follows a running run with the live display; a run that has ended gets its summary alone. */
    int watch(String runId) {
        DescribeExecutionResponse exec = backend.execution(runId).orElseThrow();
        return exec.status() == ExecutionStatus.RUNNING ? follow(runId) : finish(runId, exec);
    }

    int follow(String runId) {
        LiveDisplay display = new LiveDisplay(terminal, System::nanoTime);
        Phase phase = Phase.MAIN;
        int wave = 1;
        boolean announced = false;
        boolean approvalShown = false;
        boolean gateTold = false;
        boolean breachShown = false;
        int bakeShownBefore = 0;
        boolean seenRunning = false;
        List<WaveRecord> planned = List.of();
        Integer bakeSeconds = null;
        int gateAfter = 0;
        DescribeExecutionResponse exec;
        while (true) {
            exec = backend.execution(runId).orElseThrow();
            Optional<RunRecord> run = backend.store().getRun(runId);
            if (run.isPresent()) {
                RunRecord r = run.get();
                if (bakeSeconds == null) {
                    JsonNode request = r.requestJson() == null ? null : Json.parse(r.requestJson());
                    bakeSeconds = request == null ? 0 : request.path("bakeSeconds").asInt(0);
                    gateAfter = request == null ? 0 : request.path("approvalAfterWave").asInt(0);
                }
                int count = r.waveCount(phase);
                if (planned.size() != count) {
                    planned = waves(runId, phase, count);
                }
                while (wave <= count) {
                    Optional<WaveRecord> w = backend.store().getWave(runId, phase, wave);
                    if (w.isEmpty() || w.get().sentAt() == null) {
                        break;
                    }
                    String label = (phase == Phase.ROLLBACK ? "rollback wave " : "wave ") + wave + "/" + count;
                    if (!announced) {
                        if (phase == Phase.MAIN && gateAfter > 0 && wave == gateAfter + 1 && !gateTold) {
                            // The gate opened and closed between two polls: say that it was passed, not nothing.
                            display.line("gate after wave " + gateAfter + ": passed (see who approved or promoted: fleetrun status "
                                    + runId + ")");
                        }
                        gateTold = gateTold || (phase == Phase.MAIN && wave == gateAfter + 1);
                        display.line(label + ": " + w.get().size() + " node(s), " + (w.get().dispatched() < w.get().size()
                                ? "strict budget: in rounds of the errors left + 1, now at most " + Math.min(w.get().concurrency(),
                                        Math.max(0, r.allowance() - r.errors()) + 1) + " at a time"
                                : w.get().concurrency() + " at a time"));
                        announced = true;
                        seenRunning = false;
                    }
                    Duration elapsed = Duration.between(w.get().sentAt(), Instant.now());
                    if (!w.get().complete()) {
                        display.progress(label, w.get(), phase == Phase.MAIN ? planned : List.of(), elapsed,
                                phase == Phase.MAIN ? bakeSeconds : 0);
                        seenRunning = true;
                        break;
                    }
                    if (seenRunning) {
                        display.waveDone(w.get(), elapsed);
                    }
                    display.line(label + " done: " + counts(w.get()));
                    wave++;
                    announced = false;
                }
                boolean between = wave > 1 && wave <= count && !r.status().isTerminal();
                if (r.approvalToken() != null && !approvalShown && !r.status().isTerminal()) {
                    display.line("gate after wave " + (wave - 1) + ", waiting for approval: fleetrun approve " + runId
                            + "   (or: fleetrun stop " + runId + ")");
                    if (backend.ownsRuntime()) {
                        display.line("  this run's runtime lives in this process, which other terminals cannot reach: start runs"
                                + " that wait for approval under 'fleetrun serve'. Ctrl-C ends this one.");
                    }
                    approvalShown = true;
                    gateTold = true;
                } else if (phase == Phase.MAIN && between && bakeSeconds > 0 && bakeShownBefore != wave) {
                    Optional<Backend.StateEntered> state = backend.lastStateEntered(runId);
                    if (state.isPresent() && "Bake".equals(state.get().name())) {
                        Instant until = state.get().at().plusSeconds(bakeSeconds);
                        display.line("bake: " + bakeSeconds + " s before wave " + wave + "/" + count + ", until "
                                + java.time.LocalTime.ofInstant(until, java.time.ZoneId.systemDefault())
                                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                        bakeShownBefore = wave;
                    }
                }
                if (r.approvalToken() == null) {
                    approvalShown = false;
                }
                if (phase == Phase.MAIN && r.breachJson() != null && !breachShown) {
                    display.line("breach: " + Json.parse(r.breachJson()).path("reason").asText());
                    breachShown = true;
                }
                if (phase == Phase.MAIN && r.rollbackWaveCount() > 0) {
                    // A breach or a rejection at an approval gate: either may be followed by a rollback.
                    display.line("rolling back: " + r.rollbackWaveCount() + " rollback wave(s)");
                    phase = Phase.ROLLBACK;
                    wave = 1;
                    announced = false;
                    planned = List.of();
                }
            }
            if (exec.status() != ExecutionStatus.RUNNING) {
                break;
            }
            sleep();
        }
        return finish(runId, exec);
    }

    private List<WaveRecord> waves(String runId, Phase phase, int count) {
        List<WaveRecord> waves = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            backend.store().getWave(runId, phase, i).ifPresent(waves::add);
        }
        return waves;
    }

    int finish(String runId, DescribeExecutionResponse exec) {
        Optional<RunView> view = closedRun(runId, exec);
        if (view.isEmpty()) {
            // Refused at the start: invalid request, nodes leased by another run, no node online.
            terminal.line("fleetrun: run " + runId + " did not start: " + exec.error());
            terminal.line(exec.cause() == null ? "" : exec.cause());
            return exitCode(Optional.empty(), Optional.of(exec));
        }
        RunRecord run = view.get().run();
        terminal.line("");
        RunReport.waveTable(view.get()).forEach(terminal::line);
        terminal.line("");
        if (!run.status().isTerminal()) {
            // The execution ended but nothing closed the run within CLOSE_WAIT: say what is known.
            terminal.line("run " + runId + ": execution " + exec.statusAsString() + "; the run record is still "
                    + run.status() + " (the Cleanup function closes it: see fleetrun status " + runId + ")");
            return exitCode(Optional.of(run), Optional.of(exec));
        }
        if (run.breachJson() != null) {
            terminal.line("breach: " + Json.parse(run.breachJson()).path("reason").asText());
        }
        alertLine(run.status()).ifPresent(terminal::line);
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

    /** The alert the run's end published: {@link Outcome#alerts} says which outcomes alert the operators' topic. */
    static Optional<String> alertLine(RunStatus status) {
        return status.isTerminal() && Outcome.of(status).alerts()
                ? Optional.of("alert: " + status + " published to the alert topic (when the stack has one)")
                : Optional.empty();
    }

    /** The execution once it has ended (a dry run ends at once, with the plan as its output). */
    DescribeExecutionResponse awaitEnd(String runId) {
        DescribeExecutionResponse exec;
        while ((exec = backend.execution(runId).orElseThrow()).status() == ExecutionStatus.RUNNING) {
            sleep();
        }
        return exec;
    }

    int followPlan(String runId) {
        DescribeExecutionResponse exec = awaitEnd(runId);
        if (exec.status() != ExecutionStatus.SUCCEEDED) {
            return finish(runId, exec);
        }
        JsonNode plan = Json.parse(exec.output());
        terminal.line("plan: " + plan.path("targeted").asInt() + " node(s) with " + plan.path("document").asText()
                + ", " + plan.path("concurrency").asInt() + " at a time; maxErrors " + plan.path("maxErrors").asText()
                + " (breach at error " + (plan.path("errorAllowance").asInt() + 1) + ")");
        if (plan.path("budget").has("summary")) {
            terminal.line("budget: " + plan.path("budget").path("summary").asText());
        }
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

    /** The exit code of a closed run: its {@link Outcome}'s, or 0 while it is still going. */
    static int exitCode(RunStatus status) {
        return status.isTerminal() ? Outcome.of(status).exitCode() : ExitCode.OK;
    }

    /**
     * The exit code of a run as {@code status}, {@code list --output json} and the end of a followed run give it: a
     * closed record's outcome; else the execution's (a record still RUNNING or CLOSING whose execution has ended:
     * ABORTED 4, FAILED or TIMED_OUT the outcome its error names or 1; a run refused before it had a record: the
     * refusal's 2 or 5), 0 while both are going.
     */
    static int exitCode(Optional<RunRecord> run, Optional<DescribeExecutionResponse> exec) {
        if (run.isPresent() && run.get().status().isTerminal()) {
            return exitCode(run.get().status());
        }
        if (exec.isEmpty()) {
            return ExitCode.OK;
        }
        return switch (exec.get().status()) {
            case RUNNING, PENDING_REDRIVE, SUCCEEDED -> ExitCode.OK;
            case ABORTED -> ExitCode.CANCELLED;
            default -> {
                Outcome named = Outcome.ofError(exec.get().error());
                yield named == null ? ExitCode.FAILED : named.exitCode();
            }
        };
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

    /** A wave's nodes per terminal status, the ones that have any: "14 succeeded", "1 failed, 4 not run". */
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
