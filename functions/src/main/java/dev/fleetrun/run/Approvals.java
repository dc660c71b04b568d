package dev.fleetrun.run;

import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.records.LeaseResult;
import dev.fleetrun.records.RunRecord;
import java.time.Duration;
import java.time.Instant;

/**
 * The approval gate between waves: the workflow waits on a task token that this step records on the
 * run, and announces. {@code fleetrun approve RUN} (or SendTaskSuccess with the recorded token)
 * resumes the run; the gate's timeout in the workflow ends the run as FAILED.
 */
public final class Approvals {
    /** The approval gate's TimeoutSeconds in statemachines/rolling-run.asl.json. */
    static final Duration GATE_TIMEOUT = Duration.ofDays(7);

    private final Services services;

    public Approvals(Services services) {
        this.services = services;
    }

    public void request(RunState state, String taskToken) {
        String runId = state.runId();
        int after = state.wave() - 1;
        RunRecord run = services.store().getRun(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has no record"));
        // The gate may wait up to its timeout: keep the nodes for as long, plus a lease after it.
        Instant until = services.clock().instant().plus(GATE_TIMEOUT).plus(services.config().lease());
        LeaseResult leases = Leasing.renew(services, run, until);
        if (!leases.acquired()) {
            services.tokens().fail(taskToken, "Fleetrun.LeaseConflict", "run " + runId + " lost its lease on "
                    + leases.conflicts().size() + " node(s) before its approval gate: " + leases.describeConflicts());
            return;
        }
        services.store().setApprovalToken(runId, taskToken);
        services.notifier().event(Notifier.APPROVAL_REQUESTED, runId,
                Json.object().put("runId", runId).put("afterWave", after).put("nextWave", state.wave()));
        services.notifier().alert("fleetrun: run " + runId + " waits for approval",
                "fleetrun run " + runId + " finished wave " + after + " within its error budget and waits for approval"
                        + " before wave " + state.wave() + ".\nResume it with: fleetrun approve " + runId
                        + "\nStop it with: fleetrun stop " + runId + "\n");
    }
}
