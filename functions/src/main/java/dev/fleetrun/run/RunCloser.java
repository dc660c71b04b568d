package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.domain.FailureWords;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Outcome;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.domain.Totals;
import dev.fleetrun.records.BatchRecord;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.WaveRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Ends a run, whichever way it ends (the Finish step, or the Cleanup function after the execution
 * was stopped, failed or timed out): marks it CLOSING, so that no SendWave sends any more, cancels
 * commands still in flight when the run did not end normally, marks nodes never sent as NOT_RUN,
 * releases the leases, writes the final status and the summary, and announces it. Idempotent: a run
 * already closed keeps its first outcome, and a second close only makes sure its leases are free. A
 * run with no record (its StartRun failed or was killed) only has its leases released, if it took any.
 */
final class RunCloser {
    private final Services services;

    RunCloser(Services services) {
        this.services = services;
    }

    ObjectNode close(String runId, RunStatus status, JsonNode failure) {
        return close(runId, status, failure, false);
    }

    /**
     * @param resumable the run failed on a workflow error part-way and may be resumed (fleetrun resume, a
     *                  RedriveExecution): nodes never sent stay PLANNED (the summary counts them as not run) so
     *                  that a resumed SendWave sends them; commands in flight are cancelled and leases released
     *                  all the same, so that no node is held, or runs the command unwatched, while it waits
     */
    ObjectNode close(String runId, RunStatus status, JsonNode failure, boolean resumable) {
        java.util.Optional<RunStatus> recorded = services.store().runStatus(runId);
        if (recorded.isEmpty()) {
            // The run failed before StartRun recorded it: nothing was sent, but a StartRun killed after taking
            // its leases (its timeout, out of memory) could not give them back.
            releaseUnrecorded(runId);
            ObjectNode s = Json.object().put("runId", runId).put("status", status.name());
            Outcome outcome = Outcome.of(status);
            if (outcome.error() != null) {
                s.put("error", outcome.error());
            } else if (status == RunStatus.CANCELLED) {
                s.put("error", Outcome.CANCELLED_ERROR);
            }
            s.put("cause", status == RunStatus.CANCELLED ? "stopped before it started: nothing was sent"
                    : "the run failed before it started, and nothing was sent: " + FailureWords.describe(failure));
            s.set("totals", Json.MAPPER.valueToTree(Totals.from(Map.of())));
            s.putArray("waves");
            if (failure != null && !failure.isNull()) {
                s.set("failure", failure);
            }
            return s;
        }
        if (recorded.get() == RunStatus.RUNNING) {
            // Closed to senders before anything is read for cancelling: a SendWave still sending stops before its
            // next batch, and cancels itself a command it recorded after this, which the read below may miss.
            services.store().updateRunStatus(runId, RunStatus.RUNNING, RunStatus.CLOSING);
        }
        RunView view = services.store().loadRun(runId).orElseThrow();
        RunRecord run = view.run();
        List<String> leased = view.nodes().stream().filter(n -> n.phase() == Phase.MAIN && n.status() != NodeStatus.SKIPPED)
                .map(NodeRecord::instanceId).distinct().toList();
        if (run.status().isTerminal()) {
            releaseLeases(runId, leased);
            return run.summaryJson() != null ? (ObjectNode) Json.parse(run.summaryJson())
                    : summary(view, run.status(), failure, rejection(runId));
        }
        boolean failed = failure != null && !failure.isNull();
        if (failed || status == RunStatus.FAILED || status == RunStatus.CANCELLED) {
            cancelInFlight(view);
        }
        for (Phase phase : resumable ? new Phase[0] : Phase.values()) {
            List<NodeRecord> planned = view.nodes().stream()
                    .filter(n -> n.phase() == phase && n.status() == NodeStatus.PLANNED).toList();
            if (!planned.isEmpty()) {
                services.store().markNotRun(runId, phase, planned);
            }
        }
        releaseLeases(runId, leased);

        RunView closed = services.store().loadRun(runId).orElseThrow();
        status = Outcome.settle(status, Totals.from(counts(closed, Phase.MAIN, true)),
                closed.waves().stream().anyMatch(w -> w.phase() == Phase.ROLLBACK) ? Totals.from(counts(closed, Phase.ROLLBACK, true)) : null);
        ObjectNode summary = summary(closed, status, failure, rejection(runId));
        if (!services.store().finishRun(runId, status, Json.write(summary))) {
            // Someone else closed it first (Finish and Cleanup racing): theirs stands.
            RunRecord now = services.store().getRun(runId).orElseThrow();
            return now.summaryJson() != null ? (ObjectNode) Json.parse(now.summaryJson()) : summary;
        }
        services.notifier().event(Notifier.RUN_FINISHED, runId, summary);
        if (Outcome.of(status).alerts()) {
            services.notifier().alert("fleetrun: run " + runId + " " + status, alertText(runId, summary));
        }
        return summary;
    }

    /**
     * Frees the leases of a run that has no record: a StartRun killed between taking its leases and writing the
     * run could not release them itself. Returns how many leases the run held.
     */
    int releaseUnrecorded(String runId) {
        return services.store().releaseRunLeases(runId);
    }

    /**
     * The run's nodes, and any other lease it holds: an earlier StartRun attempt, killed before writing the run,
     * may have leased nodes the recorded plan left out (one that went offline in between).
     */
    private void releaseLeases(String runId, List<String> leased) {
        services.store().releaseLeases(runId, leased);
        services.store().releaseRunLeases(runId);
    }

    /** Asks SSM to cancel every node of this run whose command was sent but has no final status yet. */
    private void cancelInFlight(RunView view) {
        Map<String, NodeStatus> status = new java.util.HashMap<>();
        view.nodes().forEach(n -> status.put(key(n.phase(), n.wave(), n.instanceId()), n.status()));
        for (BatchRecord b : view.batches()) {
            if (b.commandId() == null) {
                continue;
            }
            List<String> open = b.instanceIds().stream()
                    .filter(id -> !status.getOrDefault(key(b.phase(), b.wave(), id), NodeStatus.PLANNED).isTerminal())
                    .toList();
            if (!open.isEmpty()) {
                services.ssm().cancel(b.commandId(), open);
            }
        }
    }

    private static String key(Phase phase, int wave, String instanceId) {
        return phase.id() + "/" + wave + "/" + instanceId;
    }

    /**
     * The run summary: the run record keeps it, the {@code Fleetrun Run Finished} event carries it, and a SUCCEEDED
     * execution's output is it. {@code error} (a failure's {@code Fleetrun.<Outcome>}) and the one-line
     * {@code cause} are what the RunFailed state fails the execution with; {@code failure} keeps the raw
     * Step Functions error a Catch recorded, for whoever debugs it.
     */
    static ObjectNode summary(RunView view, RunStatus status, JsonNode failure, String rejection) {
        RunRecord run = view.run();
        ObjectNode s = Json.object();
        s.put("runId", run.runId()).put("name", run.name()).put("status", status.name());
        Outcome outcome = Outcome.of(status);
        boolean failed = failure != null && !failure.isNull();
        // A gate's or a pause's timeout ends the run FAILED with its own error (Fleetrun.ApprovalTimedOut,
        // Fleetrun.PauseTimedOut) and its cause as it was put; a stopped run's summary says Fleetrun.Cancelled, so
        // that every summary but a success carries the error a redrive of its execution would end with.
        String timeout = status == RunStatus.FAILED && failed && Outcome.TIMEOUT_ERRORS.contains(failure.path("Error").asText())
                ? failure.path("Error").asText() : null;
        if (timeout != null) {
            s.put("error", timeout);
        } else if (outcome.error() != null) {
            s.put("error", outcome.error());
        } else if (status == RunStatus.CANCELLED) {
            s.put("error", Outcome.CANCELLED_ERROR);
        }
        List<WaveRecord> rollbackWaves = new ArrayList<>(view.waves().stream().filter(w -> w.phase() == Phase.ROLLBACK).toList());
        Totals main = Totals.from(counts(view, Phase.MAIN, status.isTerminal()));
        Totals rollbackTotals = rollbackWaves.isEmpty() ? null : Totals.from(counts(view, Phase.ROLLBACK, status.isTerminal()));
        String breach = run.breachJson() == null ? null : Json.parse(run.breachJson()).path("reason").asText(null);
        s.put("cause", outcome.cause(run.runId(), new Outcome.Facts(main, run.allowance(), rollbackTotals, breach,
                failed ? FailureWords.describe(failure) : null, rejection,
                timeout != null ? failure.path("Cause").asText() : null)));
        s.set("totals", Json.MAPPER.valueToTree(main));
        ArrayNode waves = s.putArray("waves");
        for (WaveRecord w : view.waves()) {
            if (w.phase() == Phase.MAIN) {
                waves.add(WaveSender.summary(w));
            }
        }
        if (run.breachJson() != null) {
            s.set("breach", Json.parse(run.breachJson()));
        }
        if (!rollbackWaves.isEmpty() || status == RunStatus.ROLLED_BACK) {
            ObjectNode rb = s.putObject("rollback");
            Map<NodeStatus, Integer> c = counts(view, Phase.ROLLBACK, status.isTerminal());
            rb.put("nodes", c.values().stream().mapToInt(Integer::intValue).sum());
            ObjectNode cj = rb.putObject("counts");
            c.forEach((k, v) -> cj.put(k.name(), v));
        }
        if (failed) {
            s.set("failure", failure);
        }
        return s;
    }

    /** "rejected by WHO: REASON" from the run's controls (fleetrun reject, a gate's onTimeout), or null. */
    private String rejection(String runId) {
        return services.store().controls().read(runId).flatMap(c -> c.controls().stream()
                        .filter(x -> "rejected".equals(x.action())).reduce((a, b) -> b))
                .map(x -> "rejected by " + x.by() + (x.reason() == null || x.reason().isBlank() ? "" : ": " + x.reason()))
                .orElse(null);
    }

    private static Map<NodeStatus, Integer> counts(RunView view, Phase phase, boolean closed) {
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        for (NodeRecord n : view.nodes()) {
            if (n.phase() == phase) {
                // A closed run's PLANNED nodes (one that may be resumed keeps them) were not run.
                NodeStatus status = n.status() == NodeStatus.PLANNED && closed ? NodeStatus.NOT_RUN : n.status();
                counts.merge(status, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static String alertText(String runId, ObjectNode summary) {
        JsonNode t = summary.path("totals");
        StringBuilder b = new StringBuilder();
        b.append("fleetrun run ").append(runId).append(" ended ").append(summary.path("status").asText())
                .append(summary.has("error") ? " (" + summary.get("error").asText() + ")" : "").append(": ")
                .append(summary.path("cause").asText()).append('\n');
        b.append("Targeted ").append(t.path("targeted").asInt()).append(", succeeded ").append(t.path("succeeded").asInt())
                .append(", failed ").append(t.path("failed").asInt()).append(", timed out ").append(t.path("timedOut").asInt())
                .append(", cancelled ").append(t.path("cancelled").asInt()).append(", not run ").append(t.path("notRun").asInt())
                .append(", skipped ").append(t.path("skipped").asInt()).append(".\n");
        if (summary.has("breach")) {
            b.append("Breach: ").append(summary.get("breach").path("reason").asText()).append(".\n");
        }
        if (summary.has("rollback")) {
            JsonNode c = summary.get("rollback").path("counts");
            b.append("Rollback: ").append(summary.get("rollback").path("nodes").asInt()).append(" node(s), ")
                    .append(c.path("SUCCEEDED").asInt()).append(" rolled back.\n");
        }
        b.append("Details: fleetrun status ").append(runId).append('\n');
        return b.toString();
    }
}
