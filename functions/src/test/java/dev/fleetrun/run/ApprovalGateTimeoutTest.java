package dev.fleetrun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.testing.RepoFiles;
import org.junit.jupiter.api.Test;

/** The approval step leases nodes for as long as the workflow lets the gate wait: the two must agree. */
class ApprovalGateTimeoutTest {
    @Test
    void theLeaseAtTheGateCoversTheWorkflowsGateTimeout() {
        JsonNode gate = RepoFiles.stateMachine("rolling-run.asl.json").path("States").path("RequestApproval");

        assertEquals(Approvals.GATE_TIMEOUT.toSeconds(), gate.path("TimeoutSeconds").asLong());
    }
}
