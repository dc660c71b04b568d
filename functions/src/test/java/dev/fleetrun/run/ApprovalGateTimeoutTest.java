package dev.fleetrun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.domain.ApprovalSpec;
import dev.fleetrun.testing.RepoFiles;
import org.junit.jupiter.api.Test;

/**
 * The gate step leases nodes for as long as the longest gate may wait, and the workflow's waits between waves take
 * their timeouts from what Hold decided: the two must agree.
 */
class ApprovalGateTimeoutTest {
    @Test
    void theLeaseAtTheGateCoversTheLongestApprovalTimeout() {
        assertEquals(ApprovalSpec.MAX_TIMEOUT_SECONDS, Approvals.GATE_TIMEOUT.toSeconds());
    }

    @Test
    void everyWaitBetweenWavesEndsAtTheTimeoutHoldSet() {
        JsonNode states = RepoFiles.stateMachine("rolling-run.asl.json").path("States");
        for (String wait : new String[] {"Bake", "RequestApproval", "Paused"}) {
            assertEquals("$.holdSeconds", states.path(wait).path("TimeoutSecondsPath").asText(), wait);
            assertEquals("Hold", states.path(wait).path("Next").asText(), wait);
        }
    }
}
