package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.StatusCounts;
import dev.fleetrun.records.WaveRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/**
 * The documents of {@code --output json}, one schema for every command: docs/cli-json.md describes each field.
 * Every document is one JSON object with {@code "schema": "fleetrun.cli/1"} and {@code "kind"}.
 */
final class CliJson {
    static final String SCHEMA = "fleetrun.cli/1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private CliJson() {
    }

    static ObjectNode document(String kind) {
        ObjectNode o = F.objectNode();
        o.put("schema", SCHEMA);
        o.put("kind", kind);
        return o;
    }

    /**
     * A run: its record (null when it has none: refused before it started), its execution, its waves (from the view,
     * when given) and the exit code fleetrun gives it.
     */
    static ObjectNode run(String runId, RunRecord run, List<WaveRecord> waves, Optional<DescribeExecutionResponse> exec,
                          int exitCode) {
        ObjectNode o = document("run");
        o.put("runId", runId);
        o.put("name", run == null ? null : run.name());
        o.put("status", run == null ? null : run.status().name());
        o.set("execution", exec.<JsonNode>map(CliJson::execution).orElse(F.nullNode()));
        o.put("exitCode", exitCode);
        if (run == null) {
            return o;
        }
        o.put("createdAt", instant(run.createdAt()));
        o.put("finishedAt", instant(run.finishedAt()));
        o.put("targeted", run.targeted());
        o.put("concurrency", run.concurrency());
        o.put("errorAllowance", run.allowance());
        o.put("errors", run.errors());
        o.put("waveCount", run.waveCount());
        o.put("rollbackWaveCount", run.rollbackWaveCount());
        o.set("totals", counts(run.mainCounts()));
        o.set("rollbackTotals", counts(run.rollbackCounts()));
        o.put("waitingForApproval", run.approvalToken() != null && !run.status().isTerminal());
        o.put("breach", run.breachJson() == null ? null : Json.parse(run.breachJson()).path("reason").asText());
        // The verdict, as the last line of the text output gives it: from the summary the run's close wrote.
        JsonNode summary = summary(run);
        o.put("error", summary.path("error").isTextual() ? summary.path("error").asText() : null);
        o.put("cause", summary.path("cause").isTextual() ? summary.path("cause").asText() : null);
        JsonNode request = run.requestJson() == null ? F.objectNode() : parseOr(run.requestJson());
        o.put("budgetMode", request.path("budgetMode").isTextual() ? request.path("budgetMode").asText() : "leaky");
        o.put("retryOf", RetryCommand.retryOf(run).orElse(null));
        if (waves != null) {
            ArrayNode a = o.putArray("waves");
            waves.stream().filter(w -> w.wave() > 0).forEach(w -> a.add(wave(w)));
        }
        return o;
    }

    static ObjectNode run(String runId, RunView view, Optional<DescribeExecutionResponse> exec, int exitCode) {
        return run(runId, view.run(), view.waves(), exec, exitCode);
    }

    static ObjectNode execution(DescribeExecutionResponse e) {
        ObjectNode o = F.objectNode();
        o.put("status", e.statusAsString());
        o.put("error", e.error());
        o.put("cause", e.cause());
        o.put("startedAt", instant(e.startDate()));
        o.put("stoppedAt", instant(e.stopDate()));
        return o;
    }

    static ObjectNode wave(WaveRecord w) {
        ObjectNode o = F.objectNode();
        o.put("phase", w.phase().id());
        o.put("wave", w.wave());
        o.put("size", w.size());
        o.put("done", w.done());
        o.put("status", w.status().name());
        o.put("concurrency", w.concurrency());
        o.put("sentAt", instant(w.sentAt()));
        o.set("counts", counts(w.counts()));
        return o;
    }

    /** Every terminal node status with its count, zeros included, so a reader never misses a key. */
    static ObjectNode counts(StatusCounts c) {
        ObjectNode o = F.objectNode();
        for (NodeStatus s : NodeStatus.values()) {
            if (s.isTerminal()) {
                o.put(s.name(), c.get(s));
            }
        }
        return o;
    }

    static ObjectNode node(NodeRecord n) {
        ObjectNode o = F.objectNode();
        o.put("runId", n.runId());
        o.put("instanceId", n.instanceId());
        o.put("phase", n.phase().id());
        o.put("wave", n.wave());
        o.put("status", n.status().name());
        if (n.responseCode() == null) {
            o.putNull("exitCode");
        } else {
            o.put("exitCode", n.responseCode());
        }
        o.put("commandId", n.commandId());
        o.put("detail", n.reason() != null ? n.reason() : n.statusDetails());
        o.put("updatedAt", instant(n.updatedAt()));
        return o;
    }

    static ArrayNode nodes(List<NodeRecord> nodes) {
        ArrayNode a = F.arrayNode();
        nodes.forEach(n -> a.add(node(n)));
        return a;
    }

    static boolean isMain(NodeRecord n) {
        return n.phase() == Phase.MAIN;
    }

    static String instant(Instant i) {
        return i == null ? null : i.toString();
    }

    private static JsonNode summary(RunRecord run) {
        return run.summaryJson() == null ? F.objectNode() : parseOr(run.summaryJson());
    }

    private static JsonNode parseOr(String json) {
        try {
            return Json.parse(json);
        } catch (IllegalArgumentException e) {
            return F.objectNode();
        }
    }
}
