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

    /**
     * The Finish step: the run summary it returns carries {@code status}, {@code error} and {@code cause}, which the
     * state machine's CheckFinalStatus and RunFailed states end the execution with (only SUCCEEDED succeeds).
     * The workflow proposes the outcome from the way it came here; {@link dev.fleetrun.domain.Outcome#settle}
     * settles it on the nodes' statuses (failed nodes inside the budget, a rollback that failed on some nodes).
     */
    public ObjectNode finish(RunState state) {
        boolean breached = "BREACH".equals(state.decision()) || state.phase() == dev.fleetrun.domain.Phase.ROLLBACK
                || state.json().has("rollbackWaveCount");
        boolean rollback = breached && state.json().path("hasRollback").asBoolean();
        RunStatus status;
        if (state.hasFailure()) {
            // A workflow error while rolling back (planning it, sending it, waiting on it) is a rollback that failed.
            status = rollback ? RunStatus.ROLLBACK_FAILED : RunStatus.FAILED;
        } else if (breached) {
            status = rollback ? RunStatus.ROLLED_BACK : RunStatus.BREACHED;
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
            // The execution's own error and cause when the event carries them (FinishFailed, States.Runtime ...).
            String error = Json.text(detail, "error", null);
            failure = "TIMED_OUT".equals(executionStatus)
                    ? Json.object().put("Error", "States.Timeout").put("Cause", "the execution ran past the state machine's"
                            + " TimeoutSeconds")
                    : Json.object().put("Error", error != null ? error : "States." + executionStatus)
                            .put("Cause", Optional.ofNullable(Json.text(detail, "cause", null)).orElse("the execution failed"));
        }
        ObjectNode summary = closer.close(runId, status, failure);
        return out.put("status", summary.path("status").asText());
    }
}
