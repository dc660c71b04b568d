package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fleetrun retry RUN [run flags]}: a new run, linked to RUN ({@code trigger.retryOf} in its request,
 * shown by status as "retry of RUN"), over only RUN's nodes that did not succeed and did not stay out: failed
 * and undeliverable, timed out (running or delivering), cancelled or terminated (sent, then stopped before they
 * finished) and not run (never sent). It sends RUN's stored request again with {@code instanceIds} set to those
 * nodes; flags given override its fields, except the nodes themselves.
 */
@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Start a new run, linked to RUN, over only RUN's failed, timed-out, cancelled and not-run nodes,"
                + " with RUN's request; flags given override it.",
        footer = {"", "Example: fleetrun retry deploy-20260101-120000-a1f --max-errors 1 --waves 1,100%%",
                "A run that failed on a workflow error can instead be continued where it stopped: fleetrun resume RUN.",
                ExitCode.HELP})
final class RetryCommand extends Fleetrun.Base {
    /** The node statuses a retry sends to again. */
    static final Set<NodeStatus> RETRIED = Set.of(NodeStatus.FAILED, NodeStatus.UNDELIVERABLE, NodeStatus.TIMED_OUT,
            NodeStatus.DELIVERY_TIMED_OUT, NodeStatus.CANCELLED, NodeStatus.TERMINATED, NodeStatus.NOT_RUN,
            // A closed run's node never sent (a run that failed on a workflow error keeps them PLANNED for resume).
            NodeStatus.PLANNED);

    @Parameters(paramLabel = "RUN", description = "The run to retry (its id, the execution name).")
    String runId;

    @Mixin
    RequestFlags flags;

    @Option(names = "--detach", description = "Start the retry and return at once with its id.")
    boolean detach;

    @Override
    public Integer call() {
        if (flags.input != null || !flags.targets.isEmpty() || !flags.instanceIds.isEmpty()) {
            String given = flags.input != null ? "--input" : !flags.targets.isEmpty() ? "--targets" : "--instance-ids";
            throw new UsageException("retry runs on " + runId + "'s failed and unfinished nodes with its request: " + given
                    + " cannot be given (start a new run with fleetrun run for other nodes or another request)");
        }
        try (Backend backend = Connections.open(connection, terminal)) {
            Optional<RunView> found = backend.store().loadRun(runId);
            if (found.isEmpty()) {
                if (backend.execution(runId).isPresent()) {
                    terminal.line("fleetrun: cannot retry run " + runId + ": it never started, so it has no nodes to retry;"
                            + " start it again with fleetrun run");
                    return ExitCode.USAGE;
                }
                terminal.line("fleetrun: no run " + runId + " on " + backend.description());
                return ExitCode.NOT_FOUND;
            }
            RunRecord run = found.get().run();
            if (!run.status().isTerminal()) {
                terminal.line("fleetrun: cannot retry run " + runId + ": it is still " + run.status() + "; wait for its end"
                        + " (fleetrun status " + runId + ") or stop it (fleetrun stop " + runId + ")");
                return ExitCode.USAGE;
            }
            Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
            Set<String> nodes = new LinkedHashSet<>();
            for (NodeRecord n : found.get().nodes(Phase.MAIN)) {
                if (RETRIED.contains(n.status()) && nodes.add(n.instanceId())) {
                    counts.merge(n.status() == NodeStatus.PLANNED ? NodeStatus.NOT_RUN : n.status(), 1, Integer::sum);
                }
            }
            if (nodes.isEmpty()) {
                long succeeded = found.get().nodes(Phase.MAIN).stream().filter(n -> n.status() == NodeStatus.SUCCEEDED).count();
                terminal.line("fleetrun: run " + runId + " (" + run.status() + ") has no failed, timed-out, cancelled or"
                        + " not-run node to retry: " + succeeded + " succeeded, the others were skipped at planning;"
                        + " nothing was started (to run the command on all of them again: fleetrun run)");
                return ExitCode.USAGE;
            }
            ObjectNode request = Fleetrun.checked(request(run, nodes));
            String retryId = Fleetrun.runId(request);
            return RunStart.startAndFollow(backend, terminal, retryId, () -> {
                backend.start(retryId, request);
                return null;
            }, "fleetrun: run " + retryId + " started on " + backend.description() + ": a retry of " + runId
                    + " over " + nodes.size() + " node(s) (" + describe(counts) + ")", detach, code -> { });
        }
    }

    /** RUN's stored request, this command's flags on top, on {@code nodes}, linked to RUN. */
    private ObjectNode request(RunRecord run, Set<String> nodes) {
        JsonNode stored = Json.parse(run.requestJson());
        ObjectNode base = stored.isObject() ? (ObjectNode) stored.deepCopy() : Json.object();
        base.remove(List.of("targets", "instanceIds", "dryRun", "trigger"));
        ObjectNode request = flags.request(base, false);
        ArrayNode ids = request.putArray("instanceIds");
        nodes.forEach(ids::add);
        request.putObject("trigger").put("retryOf", run.runId());
        return request;
    }

    /** The run this one retries, from its request's {@code trigger.retryOf}, if it is a retry. */
    static Optional<String> retryOf(RunRecord run) {
        if (run.requestJson() == null) {
            return Optional.empty();
        }
        JsonNode of = Json.parse(run.requestJson()).path("trigger").path("retryOf");
        return of.isTextual() ? Optional.of(of.asText()) : Optional.empty();
    }

    private static String describe(Map<NodeStatus, Integer> counts) {
        StringBuilder b = new StringBuilder();
        counts.forEach((status, n) -> b.append(b.isEmpty() ? "" : ", ").append(n).append(' ')
                .append(status.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')));
        return b.toString();
    }
}
