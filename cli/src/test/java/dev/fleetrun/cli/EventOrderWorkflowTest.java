package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.WaveRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSM's events repeated, out of order, or only the command's and not the nodes' leave exactly the records
 * of a clean run: statuses only move forward, counters count each node once, a node's detail (exit code,
 * output, error output) is the same whichever event brought its final status, and the waves complete on
 * the events alone. One of the three nodes fails (within the budget), so that its error output is on
 * record. The heartbeat is long here (600 s simulated, a minute of real time), and each run is checked
 * to have needed no Reconcile, so that polling cannot hide a mishandled event.
 */
class EventOrderWorkflowTest {
    private static WorkflowHarness h;
    private static List<String> clean;

    @BeforeAll
    static void start() {
        h = WorkflowHarness.start(group("events", 1, 2, NodeProfile.HEALTHY).plus(group("events", 3, 1, NodeProfile.failing(3))),
                Map.of("FLEETRUN_HEARTBEAT_SECONDS", "600"));
        String cleanRun = run("clean");
        clean = records(cleanRun);
        NodeRecord failed = h.nodes(cleanRun, Phase.MAIN).get(ids(3, 1).get(0));
        assertEquals(NodeStatus.FAILED, failed.status());
        assertTrue(failed.errorExcerpt().contains("has a failing profile"), "the clean run records the error output");
    }

    @AfterEach
    void clearFaults() {
        h.runtime.faults().clear();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void repeatedEventsLeaveTheRecordsOfACleanRun() {
        h.runtime.faults().apply("repeat-events:source=aws.ssm,times=every,copies=2");
        String runId = run("repeated");

        assertEquals(clean, records(runId));
        RunRecord run = h.run(runId).run();
        assertEquals(2, run.mainCounts().get(NodeStatus.SUCCEEDED), "each node is counted once");
        assertEquals(1, run.mainCounts().get(NodeStatus.FAILED), "each node is counted once");
        assertEquals(1, run.errors(), "the failure is counted once against the budget");
        h.run(runId).waves(Phase.MAIN).forEach(w -> assertEquals(w.size(), w.done(), "wave " + w.wave() + " counts each node once"));
        assertEquals(10, h.runtime.faults().appliedToEvents().stream().filter(l -> l.startsWith("repeated")).count(),
                "every SSM event of the run (4 for the canary, 6 for wave 2) was delivered three times");
    }

    @Test
    void reorderedEventsLeaveTheRecordsOfACleanRun() {
        // A wave of n nodes gives 2n + 2 events (each invocation's start and end, the command's start and end):
        // the canary's 4 arrive in reverse, then wave 2's 6, so every terminal event overtakes its start.
        h.runtime.faults().apply("reorder-events:source=aws.ssm,count=4");
        h.runtime.faults().apply("reorder-events:source=aws.ssm,count=6");
        String runId = run("reordered");

        assertEquals(clean, records(runId));
        assertEquals(10, h.runtime.faults().appliedToEvents().stream().filter(l -> l.startsWith("held for reordering")).count(),
                "all ten SSM events of the run arrived out of order");
        assertEquals(List.of(), h.runtime.faults().describe(), "no event is still held back");
    }

    @Test
    void whenOnlyTheCommandsEventsArriveTheNodesGetTheDetailOfACleanRun() {
        h.runtime.faults().apply("drop-events:source=aws.ssm,detail-type=EC2 Command Invocation Status-change Notification,times=every");
        String runId = run("commands-only");

        assertEquals(clean, records(runId));
        assertEquals(6, h.runtime.faults().appliedToEvents().stream().filter(l -> l.startsWith("dropped")).count(),
                "every node event of the run (2 for the canary, 4 for wave 2) was lost");
    }

    /** Runs the command over the group's three nodes in two waves, one error allowed; returns the run id. */
    private static String run(String name) {
        String runId = h.cli("run", "--name", name, "--targets", "tag:Group=events",
                "--commands", "echo \"hello from $FLEETRUN_INSTANCE_ID\"", "--waves", "1,100%", "--max-errors", "1")
                .expect(ExitCode.NODES_FAILED).runId();
        assertEquals(List.of(), h.invocations("Reconcile", runId), "the events alone completed the waves of " + name);
        return runId;
    }

    /** What the records say about a run, without what differs from run to run (ids, times, tokens). */
    private static List<String> records(String runId) {
        RunView view = h.run(runId);
        RunRecord r = view.run();
        List<String> lines = new ArrayList<>();
        lines.add("run " + r.status() + " waves=" + r.waveCount() + "/" + r.rollbackWaveCount() + " targeted=" + r.targeted()
                + " main=" + r.mainCounts().byStatus() + " rollback=" + r.rollbackCounts().byStatus() + " errors=" + r.errors()
                + " breach=" + r.breachJson());
        for (WaveRecord w : view.waves()) {
            lines.add("wave " + w.phase() + " " + w.wave() + " " + w.status() + " size=" + w.size() + " done=" + w.done()
                    + " counts=" + w.counts().byStatus());
        }
        for (NodeRecord n : view.nodes()) {
            lines.add("node " + n.phase() + " " + n.wave() + " " + n.instanceId() + " " + n.status() + " exit=" + n.responseCode()
                    + " details=" + n.statusDetails() + " out=" + n.outputExcerpt() + " err=" + n.errorExcerpt()
                    + " reason=" + n.reason());
        }
        return lines;
    }
}
