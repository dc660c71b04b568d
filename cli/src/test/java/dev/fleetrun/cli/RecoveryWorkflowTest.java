package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.lambda.Invocation;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.NodeRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * A run survives what the cloud may do to it: SSM's status events lost on the way (the wait's heartbeat
 * runs out and Reconcile polls SSM, recording the detail the events would have brought), and a Lambda
 * invocation that fails (the workflow retries it, and the retry sends no node the command twice). The
 * heartbeat is 10 s of simulated time here (the least fleetrun takes), a second of real time, so a silent
 * wave is reconciled at once.
 */
class RecoveryWorkflowTest {
    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        h = WorkflowHarness.start(group("lost", 1, 2, NodeProfile.HEALTHY).plus(group("lost", 3, 1, NodeProfile.failing(3)))
                .plus(group("retry", 4, 3, NodeProfile.HEALTHY)), Map.of("FLEETRUN_HEARTBEAT_SECONDS", "10"));
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
    void whenEverySsmEventIsLostReconcileCompletesTheRunFromSsmItself() {
        List<String> n = ids(1, 3);
        int listenerCallsBefore = h.runtime.lambdas().invocationCount("StatusListener");
        h.runtime.faults().apply("drop-events:source=aws.ssm,times=every");

        WorkflowHarness.Cli cli = h.cli("run", "--name", "lost", "--targets", "tag:Group=lost",
                "--commands", "echo \"hello from $FLEETRUN_INSTANCE_ID\"", "--waves", "1,100%", "--max-errors", "1")
                .expect(ExitCode.NODES_FAILED);
        String runId = cli.runId();

        assertEquals(RunStatus.NODES_FAILED, h.run(runId).run().status(), "one node failed inside the budget of 1");
        Map<String, NodeRecord> nodes = h.nodes(runId, Phase.MAIN);
        NodeRecord failed = nodes.get(n.get(2));
        assertEquals(NodeStatus.FAILED, failed.status());
        assertEquals(3, failed.responseCode());
        assertNull(failed.outputExcerpt(), "Reconcile records standard output and error apart (this node printed nothing)");
        assertTrue(failed.errorExcerpt().startsWith("fleetrun simulation: node " + n.get(2) + " has a failing profile"),
                "Reconcile records the error output as the events do: " + failed.errorExcerpt());
        assertEquals(1, h.run(runId).run().errors());
        for (String id : n.subList(0, 2)) {
            NodeRecord node = nodes.get(id);
            assertEquals(NodeStatus.SUCCEEDED, node.status(), id);
            assertEquals(0, node.responseCode(), id);
            assertEquals("hello from " + id, node.outputExcerpt().strip(), "Reconcile records the output too: " + id);
        }
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 1), h.commandCounts(n), "nothing is sent twice");
        assertTrue(h.runtime.faults().appliedToEvents().stream().anyMatch(line -> line.startsWith("dropped")),
                "the fault dropped SSM's events");
        assertEquals(listenerCallsBefore, h.runtime.lambdas().invocationCount("StatusListener"),
                "no SSM event reached the listener");
        List<Invocation> reconciles = h.invocations("Reconcile", runId);
        assertTrue(reconciles.size() >= 2, "each of the two waves was reconciled: " + reconciles.size());
        assertTrue(reconciles.stream().allMatch(Invocation::succeeded));
        assertEquals(2, h.eventTypes(runId).stream().filter("Fleetrun Wave Completed"::equals).count());
    }

    @Test
    void aSendWaveThatFailsOnceIsRetriedAndNoNodeGetsTheCommandTwice() {
        List<String> n = ids(4, 3);
        // Fail the SendWave of wave 2, once: Evaluate announces wave 1's end just before the workflow calls it.
        AtomicBoolean armed = new AtomicBoolean(true);
        h.runtime.bus().onEvent(event -> {
            if ("Fleetrun Wave Completed".equals(event.path("detail-type").asText())
                    && event.path("detail").path("runId").asText().startsWith("retried-")
                    && event.path("detail").path("wave").asInt() == 1 && armed.getAndSet(false)) {
                h.runtime.faults().apply("fail-lambda:function=SendWave,message=injected by the test");
            }
        });

        WorkflowHarness.Cli cli = h.cli("run", "--name", "retried", "--targets", "tag:Group=retry",
                "--commands", "echo \"hello from $FLEETRUN_INSTANCE_ID\"", "--waves", "1,100%").expect(ExitCode.OK);
        String runId = cli.runId();

        List<Invocation> sends = h.invocations("SendWave", runId);
        assertEquals(3, sends.size(), "wave 1, wave 2 failed, wave 2 retried: " + sends);
        assertNull(sends.get(0).errorType());
        assertEquals("java.lang.RuntimeException", sends.get(1).errorType());
        assertNull(sends.get(2).errorType());
        assertEquals(2, sends.get(1).payload().path("state").path("cursor").path("wave").asInt());
        assertEquals(2, sends.get(2).payload().path("state").path("cursor").path("wave").asInt());

        List<HistoryEvent> failures = h.sfn.getExecutionHistoryPaginator(b -> b.executionArn(h.executionArn(runId))).events()
                .stream().filter(e -> e.typeAsString().endsWith("Failed")).toList();
        assertEquals(1, failures.size(), "one failed task in the history: " + failures);
        assertNotNull(failures.get(0).taskFailedEventDetails());
        assertEquals("java.lang.RuntimeException", failures.get(0).taskFailedEventDetails().error());

        assertEquals(RunStatus.SUCCEEDED, h.run(runId).run().status());
        assertEquals(Map.of(n.get(0), NodeStatus.SUCCEEDED, n.get(1), NodeStatus.SUCCEEDED, n.get(2), NodeStatus.SUCCEEDED),
                h.statuses(runId, Phase.MAIN));
        assertEquals(Map.of(n.get(0), 1, n.get(1), 1, n.get(2), 1), h.commandCounts(n), "no node got the command twice");
        assertEquals(2, h.commandsOf(runId).size(), "one command per wave");
    }
}
