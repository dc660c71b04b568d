package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.FleetrunTable;
import dev.fleetrun.records.RunView;
import dev.fleetrun.testing.FailOnce;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.wire.RecordedRequest;
import dev.fleetrun.testing.RepoFiles;
import dev.fleetrun.testing.SentCommand;
import dev.fleetrun.testing.TestServices;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cleanup, fed with Step Functions' execution status-change events (the {@code events/sfn} samples,
 * addressed to the test's run): a stopped execution cancels its commands, frees its nodes and ends
 * CANCELLED; a failed one ends FAILED with an alert; anything else is left alone, and a second
 * cleanup changes nothing.
 */
class CleanupComponentTest {
    private static final String RUN = "restart-web-20240514-100000";

    private final TestServices t = TestServices.start();
    private final HandlerSteps steps = new HandlerSteps(t);
    private List<String> ids;
    private SentCommand command;
    private ObjectNode state;

    @AfterEach
    void close() {
        t.close();
    }

    /** A sample event re-addressed to an execution named {@code name}. */
    private JsonNode event(String file, String name) {
        ObjectNode event = (ObjectNode) RepoFiles.event("sfn/" + file);
        ObjectNode detail = (ObjectNode) event.get("detail");
        String arn = t.execution(name).path("arn").asText();
        detail.put("name", name).put("executionArn", arn);
        return event;
    }

    /** Four nodes in waves of 2 and 2: wave 1 sent, one node done, one still running. */
    private void runInWave1() {
        ids = t.addNodes(4, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.putArray("waves").add(2).add(2);
        state = steps.started(RUN, request);
        steps.send(state, "token-1");
        command = steps.commands(RUN, Phase.MAIN, 1).get(0);
        command.complete(ids.get(0), InvocationOutcome.success("ok"));
        steps.deliver(command.commandId(), ids.get(0));
        command.complete(ids.get(1), InvocationOutcome.inProgress());
        steps.deliver(command.commandId(), ids.get(1));
    }

    @Test
    void aStoppedExecutionCancelsInFlightCommandsReleasesLeasesAndEndsCancelled() {
        runInWave1();

        JsonNode out = steps.cleanup.handle(event("execution-aborted.json", RUN));

        assertEquals(Json.parse("{\"runId\":\"" + RUN + "\",\"executionStatus\":\"ABORTED\",\"status\":\"CANCELLED\"}"), out);
        List<RecordedRequest> cancels = t.aws().requests("CancelCommand");
        assertEquals(1, cancels.size());
        assertEquals(command.commandId(), cancels.get(0).input().path("CommandId").asText());
        assertEquals("[\"" + ids.get(1) + "\"]", cancels.get(0).input().path("InstanceIds").toString(), "only the running node");
        RunView view = t.store().loadRun(RUN).orElseThrow();
        assertEquals(RunStatus.CANCELLED, view.run().status());
        assertEquals(List.of(NodeStatus.NOT_RUN, NodeStatus.NOT_RUN),
                t.store().nodes(RUN, Phase.MAIN, 2).stream().map(n -> n.status()).toList(), "wave 2 never started");
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty(), id));
        assertEquals(1, t.aws().events().entries(Notifier.RUN_FINISHED).size());
        assertEquals("CANCELLED", t.aws().events().entries(Notifier.RUN_FINISHED).get(0).detail().path("status").asText());
        assertTrue(t.aws().sns().published().isEmpty(), "stopping a run on purpose is no alert");

        t.aws().sfn().closeToken("token-1"); // the stopped execution's wait is gone
        assertEquals(1, steps.deliver(command.commandId(), ids.get(1)).path("recorded").asInt(),
                "SSM's Cancelled event still lands on the node");
        assertEquals(NodeStatus.CANCELLED, t.store().nodes(RUN, Phase.MAIN, 1).get(1).status());
    }

    @Test
    void aFailedExecutionEndsTheRunFailedAndAlerts() {
        runInWave1();

        JsonNode out = steps.cleanup.handle(event("execution-failed.json", RUN));

        assertEquals("FAILED", out.path("status").asText(), out::toString);
        JsonNode summary = Json.parse(t.store().getRun(RUN).orElseThrow().summaryJson());
        assertEquals("FAILED", summary.path("status").asText());
        assertEquals("Fleetrun.WorkflowError", summary.path("error").asText());
        assertTrue(summary.path("cause").asText().startsWith("workflow error: fleetrun could not close run "), summary::toString);
        assertEquals("Fleetrun.FinishFailed", summary.path("failure").path("Error").asText(), "the execution's own error");
        assertEquals(1, t.aws().requests("CancelCommand").size());
        assertEquals(1, t.aws().sns().published().size());
        assertEquals("fleetrun: run " + RUN + " FAILED", t.aws().sns().published().get(0).subject());
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty(), id));
    }

    @Test
    void aRunFailedOnAWorkflowErrorIsHeldThenReopenedOnceByItsRedriveAndTheEarlierAttemptsEndIsIgnored() {
        runInWave1();
        ObjectNode failed = state.deepCopy();
        failed.putObject("failure").put("Error", "States.TaskFailed").put("Cause", "Evaluate crashed");
        ObjectNode summary = (ObjectNode) steps.finish.handle(failed);
        assertEquals("FAILED", summary.path("status").asText(), summary::toString);

        // The first attempt: HoldForResume fails its task, which fails the execution with Fleetrun.WorkflowError.
        steps.finish.handle(hold(summary, "hold-0", 0));
        assertEquals("Fleetrun.WorkflowError", t.aws().sfn().failures().get(0).error());
        assertTrue(t.aws().sfn().failures().get(0).cause().contains("fleetrun resume " + RUN), t.aws().sfn().failures()::toString);
        assertEquals(RunStatus.FAILED, t.store().getRun(RUN).orElseThrow().status());

        // The redrive: the run is RUNNING again, once, and the task hands SendWave the context back.
        steps.finish.handle(hold(summary, "hold-1", 1));
        assertEquals(RunStatus.RUNNING, t.store().getRun(RUN).orElseThrow().status());
        assertEquals(1, t.store().redriveCount(RUN));
        assertEquals(RUN, t.aws().sfn().successes().get(0).outputJson().path("runId").asText());
        assertTrue(t.aws().sfn().successes().get(0).outputJson().path("failure").isMissingNode());
        assertEquals(1, t.aws().events().entries(Notifier.RUN_RESUMED).size());
        steps.finish.handle(hold(summary, "hold-1b", 1)); // the task retried within the same redrive
        assertEquals(2, t.aws().sfn().successes().size());
        assertEquals(1, t.aws().events().entries(Notifier.RUN_RESUMED).size(), "reopened once");

        // The first attempt's FAILED status change arrives late: the run is the redrive's now.
        JsonNode late = steps.cleanup.handle(event("execution-failed.json", RUN));
        assertTrue(late.path("ignored").asText().contains("before the redrive"), late::toString);
        assertEquals(RunStatus.RUNNING, t.store().getRun(RUN).orElseThrow().status());
        assertFalse(t.store().reopenRun(RUN, 1), "a run that is not FAILED is not reopened");

        // The redriven attempt fails again: it stops at HoldForResume again, and the next redrive resumes it.
        ObjectNode again = (ObjectNode) steps.finish.handle(failed);
        assertEquals("FAILED", again.path("status").asText(), again::toString);
        steps.finish.handle(hold(again, "hold-1c", 1));
        assertEquals("Fleetrun.WorkflowError", t.aws().sfn().failures().get(1).error());
        assertEquals(RunStatus.FAILED, t.store().getRun(RUN).orElseThrow().status());
        steps.finish.handle(hold(again, "hold-2", 2));
        assertEquals(RunStatus.RUNNING, t.store().getRun(RUN).orElseThrow().status());
        assertEquals(2, t.store().redriveCount(RUN));
    }

    private static ObjectNode hold(ObjectNode summary, String token, int redriveCount) {
        ObjectNode input = Json.object();
        input.set("heldRun", summary);
        return input.put("taskToken", token).put("redriveCount", redriveCount);
    }

    @Test
    void anExecutionWithoutARunRecordIsIgnored() {
        JsonNode out = steps.cleanup.handle(event("execution-aborted.json", "refused-at-start-1"));

        assertTrue(out.path("ignored").asText().contains("no run record"), out::toString);
        assertEquals(0, t.dynamoWrites());
        assertTrue(t.aws().requests().isEmpty(), "no call to any AWS service");
    }

    @Test
    void aStartRunKilledAfterTakingItsLeasesHasThemReleasedByCleanup() {
        ids = t.addNodes(3, Map.of());
        FailOnce killed = FailOnce.putting(FleetrunTable.RUN_SK).killing(); // Lambda's timeout, before the run item
        StartRunHandler dying = new StartRunHandler(t.servicesWith(killed));
        assertThrows(RuntimeException.class, () -> dying.handle(t.startInput(RUN, HandlerSteps.request(ids))));
        assertTrue(t.store().getRun(RUN).isEmpty());
        ids.forEach(id -> assertEquals(RUN, t.store().leaseHolder(id).orElseThrow().runId(), "killed holding " + id));

        JsonNode out = steps.cleanup.handle(event("execution-failed.json", RUN));

        assertTrue(out.path("ignored").asText().contains("no run record"), out::toString);
        assertEquals(3, out.path("releasedLeases").asInt(), out::toString);
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty(), id));
        steps.started("next-1", HandlerSteps.request(ids)); // the nodes are free for the next run at once
    }

    @Test
    void aCleanupClosesTheRunToSendersBeforeItCancelsAnything() {
        runInWave1();
        t.ssm().failNext("CancelCommand", 1, "ValidationException", "Cleanup dies while cancelling");

        assertThrows(RuntimeException.class, () -> steps.cleanup.handle(event("execution-aborted.json", RUN)));

        assertEquals(RunStatus.CLOSING, t.store().getRun(RUN).orElseThrow().status(), "closed before the cancel");
        ObjectNode wave2 = state.deepCopy();
        wave2.putObject("cursor").put("phase", "main").put("wave", 2);
        steps.send(wave2, "token-2"); // a SendWave that was on its way
        assertEquals(1, t.aws().requests("SendCommand").size(), "wave 2 is not sent to a closing run");
        assertEquals("Fleetrun.RunClosed", t.aws().sfn().failures().get(0).error());

        JsonNode out = steps.cleanup.handle(event("execution-aborted.json", RUN)); // EventBridge delivers it again
        assertEquals("CANCELLED", out.path("status").asText(), out::toString);
    }

    @Test
    void anExecutionThatSucceededIsNotCleanedUp() {
        runInWave1();
        ObjectNode succeeded = (ObjectNode) event("execution-aborted.json", RUN);
        ((ObjectNode) succeeded.get("detail")).put("status", "SUCCEEDED");

        JsonNode out = steps.cleanup.handle(succeeded);

        assertTrue(out.has("ignored"), out::toString);
        assertEquals(RunStatus.RUNNING, t.store().getRun(RUN).orElseThrow().status());
    }

    @Test
    void aSecondCleanupChangesNothing() {
        runInWave1();
        steps.cleanup.handle(event("execution-aborted.json", RUN));
        RunView before = t.store().loadRun(RUN).orElseThrow();
        int requests = t.aws().requests().size();

        JsonNode again = steps.cleanup.handle(event("execution-failed.json", RUN));

        assertEquals("CANCELLED", again.path("status").asText(), "the first outcome stands");
        assertEquals(before, t.store().loadRun(RUN).orElseThrow());
        assertEquals(requests, t.aws().requests().size(), "no cancel, no event, no alert");
    }
}
