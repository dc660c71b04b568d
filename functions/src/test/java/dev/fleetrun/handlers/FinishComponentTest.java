package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.testing.FakeSns.Published;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.wire.RecordedRequest;
import dev.fleetrun.testing.FailOnce;
import dev.fleetrun.testing.RepoFiles;
import dev.fleetrun.testing.SentCommand;
import dev.fleetrun.testing.TestServices;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finish, the workflow's last step: the summary (the execution output) agrees with the node records,
 * the run gets its final status, leases are released, and the world is told; a failure cancels what
 * is still running; a run that never got a record still ends with a summary.
 */
class FinishComponentTest {
    private final TestServices t = TestServices.start();
    private final HandlerSteps steps = new HandlerSteps(t);

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aSuccessfulRunEndsSucceededWithTotalsFromItsNodesAndReleasesItsLeases() {
        List<String> ids = t.addNodes(3, Map.of());
        String offline = t.addNodes(1, "Linux", "Inactive", Map.of()).get(0);
        ObjectNode request = HandlerSteps.request(List.of(ids.get(0), ids.get(1), ids.get(2), offline));
        ObjectNode state = steps.started("finish-1", request);
        ObjectNode w1 = steps.succeedWaveAndEvaluate(state, "token-1");
        ObjectNode w2 = steps.succeedWaveAndEvaluate(w1, "token-2");
        assertEquals("DONE", w2.path("decision").asText(), w2::toString);

        ObjectNode summary = (ObjectNode) steps.finish.handle(w2);

        assertEquals("finish-1", summary.path("runId").asText());
        assertEquals("SUCCEEDED", summary.path("status").asText(), summary::toString);
        assertEquals(Json.parse("{\"targeted\":3,\"succeeded\":3,\"failed\":0,\"timedOut\":0,\"cancelled\":0,\"skipped\":1}"),
                summary.path("totals"));
        assertEquals(2, summary.path("waves").size());
        assertEquals(1, summary.path("waves").get(0).path("counts").path("SUCCEEDED").asInt());
        assertEquals(2, summary.path("waves").get(1).path("counts").path("SUCCEEDED").asInt());
        RunRecord run = t.store().getRun("finish-1").orElseThrow();
        assertEquals(RunStatus.SUCCEEDED, run.status());
        assertEquals(summary, Json.parse(run.summaryJson()));
        assertEquals(3, run.mainCounts().get(NodeStatus.SUCCEEDED), "the record's counters agree with the summary");
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty(), id + " is free again"));
        List<JsonNode> finished = t.aws().events().entries(Notifier.RUN_FINISHED).stream().map(e -> e.detail()).toList();
        assertEquals(List.of(summary), finished);
        assertTrue(t.aws().sns().published().isEmpty(), "a successful run raises no alert");

        assertEquals(summary, steps.finish.handle(w2), "a retried Finish returns the same summary");
        assertEquals(1, t.aws().events().entries(Notifier.RUN_FINISHED).size(), "and announces nothing twice");
    }

    @Test
    void aBreachedRunThatRolledBackEndsRolledBackAndAlerts() {
        List<String> ids = t.addNodes(4, Map.of("Role", "web"));
        ObjectNode state = steps.started("deploy-1", RepoFiles.event("inputs/rollback.json"));
        ObjectNode w1 = steps.succeedWaveAndEvaluate(state, "token-1");
        ObjectNode w2 = (ObjectNode) steps.evaluate.handle(steps.runWave(w1, "token-2",
                HandlerSteps.succeedExcept(Set.of(ids.get(2)), InvocationOutcome.failed(1, "deploy failed"))));
        ObjectNode rollback = (ObjectNode) steps.rollback.handle(w2);
        ObjectNode rolledBack = steps.succeedWaveAndEvaluate(rollback, "rollback-token-1");
        assertEquals("DONE", rolledBack.path("decision").asText(), rolledBack::toString);

        ObjectNode summary = (ObjectNode) steps.finish.handle(rolledBack);

        assertEquals("ROLLED_BACK", summary.path("status").asText(), summary::toString);
        assertEquals(Json.parse("{\"targeted\":4,\"succeeded\":2,\"failed\":1,\"timedOut\":0,\"cancelled\":1,\"skipped\":0}"),
                summary.path("totals"), "wave 3's node was never sent: NOT_RUN counts as cancelled");
        assertEquals(2, summary.path("rollback").path("nodes").asInt());
        assertEquals(2, summary.path("rollback").path("counts").path("SUCCEEDED").asInt());
        assertTrue(summary.path("breach").path("reason").asText().contains("exceed maxErrors 0"), summary::toString);
        assertEquals(NodeStatus.NOT_RUN, t.store().nodes("deploy-1", Phase.MAIN, 3).get(0).status());
        assertEquals(RunStatus.ROLLED_BACK, t.store().getRun("deploy-1").orElseThrow().status());
        List<Published> alerts = t.aws().sns().published();
        assertEquals(1, alerts.size());
        assertEquals(TestServices.ALERT_TOPIC_ARN, alerts.get(0).topicArn());
        assertEquals("fleetrun: run deploy-1 ROLLED_BACK", alerts.get(0).subject());
        assertTrue(alerts.get(0).message().contains("Breach: 1 error(s) exceed maxErrors 0"), alerts.get(0).message());
        assertTrue(alerts.get(0).message().contains("fleetrun status deploy-1"), alerts.get(0).message());
        assertEquals(1, t.aws().events().entries(Notifier.RUN_FINISHED).size());
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty()));
    }

    @Test
    void aFailureEndsTheRunFailedCancellingWhatIsStillRunning() {
        List<String> ids = t.addNodes(4, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.putArray("waves").add(3).add(1);
        ObjectNode state = steps.started("broken-1", request);
        steps.send(state, "token-1");
        SentCommand c = steps.commands("broken-1", Phase.MAIN, 1).get(0);
        c.complete(ids.get(0), InvocationOutcome.success("ok"));
        steps.deliver(c.commandId(), ids.get(0));
        c.complete(ids.get(1), InvocationOutcome.inProgress());
        steps.deliver(c.commandId(), ids.get(1));
        ObjectNode failed = state.deepCopy();
        failed.putObject("failure").put("Error", "States.TaskFailed").put("Cause", "Evaluate crashed");

        ObjectNode summary = (ObjectNode) steps.finish.handle(failed);

        assertEquals("FAILED", summary.path("status").asText(), summary::toString);
        assertTrue(summary.path("cause").asText().contains("States.TaskFailed: Evaluate crashed"), summary::toString);
        assertEquals("Evaluate crashed", summary.path("failure").path("Cause").asText());
        List<RecordedRequest> cancels = t.aws().requests("CancelCommand");
        assertEquals(1, cancels.size());
        assertEquals(c.commandId(), cancels.get(0).input().path("CommandId").asText());
        assertEquals(List.of(ids.get(1), ids.get(2)), List.of(cancels.get(0).input().path("InstanceIds").get(0).asText(),
                cancels.get(0).input().path("InstanceIds").get(1).asText()), "the nodes without a final status");
        assertEquals("Cancelled", c.invocation(ids.get(1)).status());
        // Part-way through the waves: resumable. The node never sent stays PLANNED for a resumed SendWave, and
        // counts as not run; the context to resume with goes back to the workflow (HoldForResume), not into the record.
        NodeRecord never = t.store().nodes("broken-1", Phase.MAIN, 2).get(0);
        assertEquals(NodeStatus.PLANNED, never.status());
        assertEquals(1, summary.path("resume").path("cursor").path("wave").asInt(), summary::toString);
        assertFalse(summary.path("resume").has("failure"), summary::toString);
        RunRecord record = t.store().getRun("broken-1").orElseThrow();
        assertEquals(RunStatus.FAILED, record.status());
        assertFalse(record.summaryJson().contains("\"resume\""), record.summaryJson());
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty()));
        assertEquals(1, t.aws().sns().published().size(), "a failed run alerts");
        assertTrue(t.aws().sns().published().get(0).message().contains("Evaluate crashed"));
    }

    @Test
    void finishAfterStartRunFailedWithoutARecordReturnsAFailedSummary() {
        ObjectNode input = (ObjectNode) Json.parse("""
                {"runId": "never-1", "failure": {"Error": "Lambda.Unknown", "Cause": "StartRun ran out of memory"}}""");

        ObjectNode summary = (ObjectNode) steps.finish.handle(input);

        assertEquals("never-1", summary.path("runId").asText());
        assertEquals("FAILED", summary.path("status").asText());
        assertEquals(0, summary.path("totals").path("targeted").asInt());
        assertTrue(summary.path("cause").asText().contains("Lambda.Unknown: StartRun ran out of memory"), summary::toString);
        assertTrue(t.store().getRun("never-1").isEmpty(), "nothing is invented");
        assertNull(summary.get("breach"));
    }

    @Test
    void finishAfterAStartRunKilledHoldingLeasesReleasesThem() {
        List<String> ids = t.addNodes(2, Map.of());
        FailOnce killed = FailOnce.putting(FleetrunTable.RUN_SK).killing(); // out of memory, before the run item
        StartRunHandler dying = new StartRunHandler(t.servicesWith(killed));
        assertThrows(RuntimeException.class, () -> dying.handle(t.startInput("killed-1", HandlerSteps.request(ids))));
        ids.forEach(id -> assertEquals("killed-1", t.store().leaseHolder(id).orElseThrow().runId()));
        ObjectNode input = (ObjectNode) Json.parse("""
                {"runId": "killed-1", "failure": {"Error": "Sandbox.Timedout", "Cause": "StartRun timed out"}}""");

        ObjectNode summary = (ObjectNode) steps.finish.handle(input);

        assertEquals("FAILED", summary.path("status").asText());
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty(), id));
    }
}
