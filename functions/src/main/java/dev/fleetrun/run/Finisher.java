package dev.fleetrun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.aws.Notifier;
import java.util.List;
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
        // A rejection is a breach's twin here: a failure once it is decided (planning or running its rollback) is a
        // rollback that failed when the request has one, and never resumable (a resume would go on rolling out).
        boolean rejected = state.json().hasNonNull("rejected");
        boolean breached = "BREACH".equals(state.decision()) || state.phase() == dev.fleetrun.domain.Phase.ROLLBACK
                || state.json().has("rollbackWaveCount") || rejected;
        boolean rollback = breached && state.json().path("hasRollback").asBoolean();
        RunStatus status;
        if (state.hasFailure()) {
            // A workflow error while rolling back (planning it, sending it, waiting on it) is a rollback that failed.
            status = rollback ? RunStatus.ROLLBACK_FAILED : RunStatus.FAILED;
        } else if (rejected) {
            status = RunStatus.REJECTED; // at the approval gate, rolled back first when the request has a rollback
        } else if (breached) {
            status = rollback ? RunStatus.ROLLED_BACK : RunStatus.BREACHED;
        } else {
            status = RunStatus.SUCCEEDED;
        }
        // A workflow error part-way through the waves (SendWave, Reconcile, Evaluate): the run can be resumed from
        // its cursor. One before StartRun recorded a cursor cannot, nor one that failed while held (at Hold or one of
        // its waits, $.failedWhileHeld: a gate's or a pause's timeout, a lost lease while parked, a Hold error): a
        // resume goes on at SendWave, which would send the next wave past a gate, a bake or a pause nobody lifted.
        // Those are retried (fleetrun retry) instead.
        boolean resumable = status == RunStatus.FAILED && state.json().has("cursor") && !rejected
                && !state.json().path("failedWhileHeld").asBoolean(false);
        ObjectNode summary = closer.close(state.runId(), status, state.failure(), resumable);
        if (resumable && RunStatus.FAILED.name().equals(summary.path("status").asText())) {
            // What HoldForResume hands back to SendWave on a redrive: the run context without the failure.
            // Not stored with the summary nor announced.
            ObjectNode resume = state.json().deepCopy();
            resume.remove(List.of("failure", "waveResult", "waitError"));
            summary = summary.deepCopy();
            summary.set("resume", resume);
        }
        return summary;
    }

    /** The error a run that failed on a workflow error ends its execution with, at HoldForResume. */
    public static final String WORKFLOW_ERROR = "Fleetrun.WorkflowError";
    /** The error of a redrive that finds the run not resumable (it was closed otherwise meanwhile). */
    public static final String NOT_RESUMABLE = "Fleetrun.NotResumable";

    /**
     * HoldForResume, the state a run that failed on a workflow error stops at (input: the Finish summary with
     * its {@code resume} context, the task token, {@code $$.Execution.RedriveCount}). On the execution's first
     * attempt it fails the task with {@link #WORKFLOW_ERROR} and the summary's cause, which fails the execution
     * there. On a redrive (RedriveExecution, fleetrun resume) it reopens the run (FAILED to RUNNING, once per
     * redrive) and completes the task with the context, so that the workflow goes on at SendWave: batches
     * already sent are not sent again, the leases are taken again, and nodes not sent yet are sent.
     */
    public void hold(JsonNode input) {
        JsonNode summary = input.path("heldRun");
        String token = Json.text(input, "taskToken", null);
        String runId = Json.text(summary, "runId", null);
        int redrive = input.path("redriveCount").asInt(0);
        if (token == null || runId == null || !summary.path("resume").isObject()) {
            throw new IllegalArgumentException("HoldForResume needs {heldRun: <run summary with resume>, taskToken, redriveCount}");
        }
        String cause = summary.path("cause").asText("run " + runId + " failed on a workflow error");
        RunStatus now = services.store().runStatus(runId).orElse(null);
        int resumed = services.store().redriveCount(runId);
        if (now == RunStatus.FAILED && redrive <= resumed) {
            // The first attempt, or a redrive that resumed the run and failed again: the execution fails here,
            // and the next redrive resumes it.
            services.tokens().fail(token, WORKFLOW_ERROR, cause + " (resume it with: fleetrun resume " + runId + ")");
            return;
        }
        boolean reopened = now == RunStatus.FAILED && services.store().reopenRun(runId, redrive);
        if (reopened || (services.store().runStatus(runId).orElse(null) == RunStatus.RUNNING
                && services.store().redriveCount(runId) == redrive)) {
            if (reopened) {
                services.notifier().event(Notifier.RUN_RESUMED, runId, Json.object().put("runId", runId)
                        .put("redriveCount", redrive).put("status", RunStatus.RUNNING.name()));
            }
            services.tokens().succeed(token, summary.get("resume"));
            return;
        }
        services.tokens().fail(token, NOT_RESUMABLE, "run " + runId + " is " + services.store().runStatus(runId).orElse(null)
                + ": only a run that failed on a workflow error can be resumed; start a new run over its failed and"
                + " unfinished nodes with fleetrun retry " + runId);
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
        if (detail.path("redriveCount").asInt(0) < services.store().redriveCount(runId)) {
            // An earlier attempt's end, arriving after a redrive resumed the run: the run is the redrive's now.
            return out.put("ignored", "an execution attempt before the redrive that resumed the run");
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
