package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.wire.RecordedRequest;
import dev.fleetrun.testing.SentCommand;
import dev.fleetrun.testing.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconcile after a wave's wait ran out: what the events missed is read back from
 * ListCommandInvocations, an unfinished wave stays unfinished until its deadline, and after the
 * deadline the stuck nodes are cancelled and closed as delivery timed out, so a run never hangs.
 */
class ReconcileComponentTest {
    private static final String RUN = "reconcile-1";

    private final TestServices t = TestServices.start();
    private final HandlerSteps steps = new HandlerSteps(t);
    private List<String> ids;
    private ObjectNode state;
    private SentCommand command;

    @AfterEach
    void close() {
        t.close();
    }

    /** One wave of three nodes, sent with token-1, whose wait has timed out. */
    @BeforeEach
    void sentWave() {
        ids = t.addNodes(3, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxErrors", "1").putArray("waves").add("100%");
        state = steps.started(RUN, request);
        steps.send(state, "token-1");
        command = steps.commands(RUN, Phase.MAIN, 1).get(0);
        t.aws().sfn().closeToken("token-1");
        state.put("waitError", "States.Timeout");
    }

    private NodeRecord node(String id) {
        return t.store().nodes(RUN, Phase.MAIN, 1).stream().filter(n -> n.instanceId().equals(id)).findFirst().orElseThrow();
    }

    private JsonNode reconcile() {
        return steps.reconcile.handle(state);
    }

    @Test
    void whenEveryEventWasDroppedReconcileRecordsTheNodesFromSsmAndTheWaveIsComplete() {
        command.complete(ids.get(0), InvocationOutcome.success("all good"));
        command.complete(ids.get(1), InvocationOutcome.failed(3, "bad config"));
        command.complete(ids.get(2), InvocationOutcome.success("all good"));

        JsonNode out = reconcile();

        JsonNode result = out.path("waveResult");
        assertTrue(result.path("complete").asBoolean(), out::toString);
        assertEquals(2, result.path("counts").path("SUCCEEDED").asInt());
        assertEquals(1, result.path("counts").path("FAILED").asInt());
        assertFalse(out.has("waitError"), "the wait error is handled");
        assertEquals(RUN, out.path("runId").asText());
        assertEquals(NodeStatus.SUCCEEDED, node(ids.get(0)).status());
        assertEquals(0, node(ids.get(0)).responseCode());
        assertTrue(node(ids.get(0)).outputExcerpt().contains("all good"), node(ids.get(0)).outputExcerpt());
        assertEquals(NodeStatus.FAILED, node(ids.get(1)).status());
        assertEquals(3, node(ids.get(1)).responseCode());
        List<RecordedRequest> polls = t.aws().requests("ListCommandInvocations");
        assertEquals(1, polls.size());
        assertEquals(command.commandId(), polls.get(0).input().path("CommandId").asText());
        assertTrue(polls.get(0).input().path("Details").asBoolean(), "asks for the plugin detail (exit code, output)");
        assertEquals(1, t.store().getRun(RUN).orElseThrow().errors());
        assertTrue(t.aws().requests("CancelCommand").isEmpty());

        JsonNode late = steps.deliver(command.commandId(), ids.get(1));
        assertEquals(0, late.path("recorded").asInt(), "the event that was only late changes nothing now");
        assertEquals(1, t.store().getRun(RUN).orElseThrow().errors());
    }

    @Test
    void aNodeFinishedByReconcileGetsTheDetailItsOwnEventWouldHaveBrought() {
        command.complete(ids.get(0), InvocationOutcome.success("all good"));
        command.complete(ids.get(1), InvocationOutcome.failed(3, "bad config"));
        command.complete(ids.get(2), InvocationOutcome.inProgress());

        reconcile();

        // ListCommandInvocations mixes the error output into a short excerpt; GetCommandInvocation keeps them apart.
        assertEquals("bad config", node(ids.get(1)).errorExcerpt());
        assertEquals(null, node(ids.get(1)).outputExcerpt());
        assertEquals("all good", node(ids.get(0)).outputExcerpt().strip());
        List<String> asked = t.aws().requests("GetCommandInvocation").stream()
                .map(r -> r.input().path("InstanceId").asText()).sorted().toList();
        assertEquals(List.of(ids.get(0), ids.get(1)), asked, "only the nodes that finished are asked for their detail");

        command.complete(ids.get(2), InvocationOutcome.success("later"));
        reconcile();
        assertEquals(3, t.aws().requests("GetCommandInvocation").size(), "a node already final is not asked again");
        assertEquals("later", node(ids.get(2)).outputExcerpt().strip());
    }

    @Test
    void aNodeStillRunningBeforeTheDeadlineLeavesTheWaveIncomplete() {
        command.complete(ids.get(0), InvocationOutcome.success("ok"));
        command.complete(ids.get(1), InvocationOutcome.success("ok"));
        command.complete(ids.get(2), InvocationOutcome.inProgress()); // rebooting, say
        t.clock().advance(Duration.ofSeconds(state.path("waitTimeoutSeconds").asLong() - 1));

        JsonNode out = reconcile();

        assertFalse(out.path("waveResult").path("complete").asBoolean(), out::toString);
        assertEquals(2, out.path("waveResult").path("done").asInt());
        assertEquals(NodeStatus.IN_PROGRESS, node(ids.get(2)).status());
        assertTrue(t.aws().requests("CancelCommand").isEmpty(), "nothing is cancelled before the deadline");
    }

    @Test
    void afterTheWaveDeadlineAStuckNodeIsCancelledAndClosedAsDeliveryTimedOut() {
        command.complete(ids.get(0), InvocationOutcome.success("ok"));
        command.complete(ids.get(1), InvocationOutcome.success("ok"));
        command.complete(ids.get(2), InvocationOutcome.inProgress());
        assertFalse(reconcile().path("waveResult").path("complete").asBoolean());
        t.clock().advance(Duration.ofSeconds(state.path("waitTimeoutSeconds").asLong()));

        JsonNode out = reconcile();

        assertTrue(out.path("waveResult").path("complete").asBoolean(), out::toString);
        assertEquals(1, out.path("waveResult").path("counts").path("DELIVERY_TIMED_OUT").asInt());
        List<RecordedRequest> cancels = t.aws().requests("CancelCommand");
        assertEquals(1, cancels.size());
        assertEquals(command.commandId(), cancels.get(0).input().path("CommandId").asText());
        assertEquals("[\"" + ids.get(2) + "\"]", cancels.get(0).input().path("InstanceIds").toString(), "only the stuck node");
        NodeRecord stuck = node(ids.get(2));
        assertEquals(NodeStatus.DELIVERY_TIMED_OUT, stuck.status());
        assertTrue(stuck.statusDetails().contains("wave deadline"), stuck.statusDetails());
        assertEquals(1, t.store().getRun(RUN).orElseThrow().errors(), "an unreachable node counts by default");

        assertEquals(0, steps.deliver(command.commandId(), ids.get(2)).path("recorded").asInt(),
                "SSM's Cancelled event that follows changes nothing");
        assertEquals(NodeStatus.DELIVERY_TIMED_OUT, node(ids.get(2)).status());
    }
}
