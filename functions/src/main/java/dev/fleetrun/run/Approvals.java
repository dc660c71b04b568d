package dev.fleetrun.run;

import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;

/**
 * The approval gate between waves: the workflow waits on a task token that this step records on the
 * run, and announces. {@code fleetrun approve RUN} (or SendTaskSuccess with the recorded token)
 * resumes the run; the gate's timeout in the workflow ends the run as FAILED.
 */
public final class Approvals {
    private final Services services;

    public Approvals(Services services) {
        this.services = services;
    }

    public void request(RunState state, String taskToken) {
        String runId = state.runId();
        int after = state.wave() - 1;
        services.store().setApprovalToken(runId, taskToken);
        services.notifier().event(Notifier.APPROVAL_REQUESTED, runId,
                Json.object().put("runId", runId).put("afterWave", after).put("nextWave", state.wave()));
        services.notifier().alert("fleetrun: run " + runId + " waits for approval",
                "fleetrun run " + runId + " finished wave " + after + " within its error budget and waits for approval"
                        + " before wave " + state.wave() + ".\nResume it with: fleetrun approve " + runId
                        + "\nStop it with: fleetrun stop " + runId + "\n");
    }
}
