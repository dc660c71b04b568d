package dev.fleetrun.records;

import static org.junit.jupiter.api.Assertions.*;

import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plan handed to the store must add up; the message names every problem. */
class PlanCheckTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aPlanThatAddsUpPasses() {
        TestPlan plan = TestPlan.of("run-ok", T0, List.of(List.of("i-1"), List.of("i-2", "i-3")), List.of("i-4"), "offline");
        assertDoesNotThrow(() -> PlanCheck.require("run-ok", plan.waves(), plan.batches(), plan.nodes()));
    }

    @Test
    void everyProblemIsNamed() {
        TestPlan plan = TestPlan.of("run-bad", T0, 2, 1);
        List<NodeRecord> nodes = new ArrayList<>(plan.nodes());
        nodes.add(NodeRecord.planned("run-bad", T0, Phase.MAIN, 5, "i-lost"));
        nodes.add(NodeRecord.planned("run-bad", T0, Phase.MAIN, 2, plan.wave(1).get(0)));
        nodes.add(NodeRecord.planned("other-run", T0, Phase.MAIN, 0, "i-foreign"));
        List<BatchRecord> batches = new ArrayList<>(plan.batches());
        batches.add(BatchRecord.planned(Phase.MAIN, 2, 2, List.of("i-nowhere"), 1));

        var e = assertThrows(IllegalArgumentException.class,
                () -> PlanCheck.require("run-bad", plan.waves(), batches, nodes));

        String message = e.getMessage();
        for (String expected : List.of("node i-lost is in wave main/5, which is not planned",
                "node " + plan.wave(1).get(0) + " is planned twice in phase main (waves 1 and 2)",
                "node i-foreign belongs to run other-run",
                "node i-foreign is in wave 0, which holds only skipped main-phase nodes",
                "wave main/2 has size 1 but 2 nodes",
                "main/2 batch 2 names i-nowhere, which is not a node of that wave")) {
            assertTrue(message.contains(expected), "missing '" + expected + "' in: " + message);
        }
    }
}
