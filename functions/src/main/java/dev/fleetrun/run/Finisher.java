package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.RunRecord;
import java.util.Optional;

/**
 * The two ways a run ends: the workflow's Finish step, and the Cleanup function that the rule on
 * Step Functions execution status changes calls when an execution was stopped (CANCELLED), failed or
 * timed out (FAILED) before reaching Finish. Both close the run through {@link RunCloser}.
 */
public final class Finisher {
    private final RunCloser closer;
    private final Services services;

    public Finisher(Services services) {
        this.services = services;
        this.closer = new RunCloser(services);
    }

    /** The Finish step: the execution output is the returned run summary. */
    public ObjectNode finish(RunState state) {
        RunStatus status;
        if (state.hasFailure()) {
            status = RunStatus.FAILED;
        } else if (state.json().hasNonNull("rejected")) {
            status = RunStatus.REJECTED; // at the approval gate, rolled back first when the request has a rollback
        } else if ("BREACH".equals(state.decision()) || state.phase() == dev.fleetrun.domain.Phase.ROLLBACK
                || state.json().has("rollbackWaveCount")) {
            status = state.json().path("hasRollback").asBoolean() ? RunStatus.ROLLED_BACK : RunStatus.BREACHED;
        } else {
            status = RunStatus.SUCCEEDED;
        }
        return closer.close(state.runId(), status, state.failure());
    }

    /** Cleanup, from a {@code Step Functions Execution Status Change} event. */
    public ObjectNode cleanup(JsonNode event) {
        JsonNode detail = event.path("detail");
        String runId = Json.text(detail, "name", null);
        String executionStatus = Json.text(detail, "status", "");
        RunStatus status = switch (executionStatus) {
            case "ABORTED" -> RunStatus.CANCELLED;
            case "FAILED", "TIMED_OUT" -> RunStatus.FAILED;
            default -> null;
        };
        ObjectNode out = Json.object().put("runId", runId).put("executionStatus", executionStatus);
        if (runId == null || status == null) {
            return out.put("ignored", "not a stopped, failed or timed-out execution");
        }
        Optional<RunRecord> run = services.store().getRun(runId);
        if (run.isEmpty()) {
            // Refused at the start (invalid input, conflict, no targets): nothing was recorded or leased. Or its
            // StartRun was killed after taking its leases: nothing else would ever release them.
            int released = closer.releaseUnrecorded(runId);
            return out.put("ignored", "no run record: the execution ended before the run started")
                    .put("releasedLeases", released);
        }
        ObjectNode failure = null;
        if (status == RunStatus.FAILED) {
            failure = Json.object().put("Error", "States." + executionStatus)
                    .put("Cause", "the execution " + executionStatus.toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + Optional.ofNullable(Json.text(detail, "error", null)).map(e -> ": " + e).orElse(""));
        }
        ObjectNode summary = closer.close(runId, status, failure);
        return out.put("status", summary.path("status").asText());
    }
}
