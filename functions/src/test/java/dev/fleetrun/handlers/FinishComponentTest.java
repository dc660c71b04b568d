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
        assertEquals(Json.parse("{\"targeted\":3,\"succeeded\":3,\"failed\":0,\"timedOut\":0,\"cancelled\":0,\"notRun\":0,"
                        + "\"skipped\":1}"), summary.path("totals"));
        assertNull(summary.get("error"), "a success has no error");
        assertEquals("all 3 nodes succeeded", summary.path("cause").asText());
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
        assertEquals(Json.parse("{\"targeted\":4,\"succeeded\":2,\"failed\":1,\"timedOut\":0,\"cancelled\":0,\"notRun\":1,"
                + "\"skipped\":0}"), summary.path("totals"), "wave 3's node was never sent: NOT_RUN, not cancelled");
        assertEquals("Fleetrun.RolledBack", summary.path("error").asText());
        assertEquals("1 of 4 nodes failed (budget 0): rolled back on 2, 1 not run", summary.path("cause").asText());
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
        assertTrue(alerts.get(0).message().startsWith("fleetrun run deploy-1 ended ROLLED_BACK (Fleetrun.RolledBack): "
                + "1 of 4 nodes failed (budget 0): rolled back on 2, 1 not run\n"), alerts.get(0).message());
        assertTrue(alerts.get(0).message().contains("cancelled 0, not run 1, skipped 0"), alerts.get(0).message());
        assertTrue(alerts.get(0).message().contains("fleetrun status deploy-1"), alerts.get(0).message());
        assertEquals(1, t.aws().events().entries(Notifier.RUN_FINISHED).size());
        ids.forEach(id -> assertTrue(t.store().leaseHolder(id).isEmpty()));
    }

    @Test
    void aFailureEndsTheRunFailedCancellingWhatIsStillRunning() {
        List<String> ids = t.addNodes(4, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.putArray("waves").add(3).add("100%");
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
        assertEquals("Fleetrun.WorkflowError", summary.path("error").asText());
        assertEquals("workflow error: the workflow met a States.TaskFailed error: Evaluate crashed; 1 of 4 nodes succeeded,"
                + " 2 being cancelled, 1 not run", summary.path("cause").asText());
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
        assertEquals("Fleetrun.WorkflowError", summary.path("error").asText());
        assertEquals("the run failed before it started, and nothing was sent: Lambda could not run a fleetrun function"
                + " (Lambda.Unknown: StartRun ran out of memory) after its retries; check the function's log in CloudWatch Logs",
                summary.path("cause").asText());
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
    @Test
    void aRunContextThatWentThroughHoldIsFinishedNotTakenForHoldForResume() {
        List<String> ids = t.addNodes(1, Map.of());
        ObjectNode state = steps.started("finish-held", HandlerSteps.request(ids));
        ObjectNode done = steps.succeedWaveAndEvaluate(state, "token-1");
        done.put("hold", "NONE").put("holdSeconds", 1); // what Hold leaves in the context before each next wave

        ObjectNode summary = (ObjectNode) steps.finish.handle(done);

        assertEquals("SUCCEEDED", summary.path("status").asText(), summary::toString);
    }

    @Test
    void aRejectedRunsCauseSaysWhoRejectedItAndWhy() {
        List<String> ids = t.addNodes(2, Map.of());
        ObjectNode state = steps.started("finish-rejected", HandlerSteps.request(ids));
        ObjectNode w1 = steps.succeedWaveAndEvaluate(state, "token-1");
        t.store().controls().log("finish-rejected", new dev.fleetrun.records.RunControls.Control("rejected", "alice (local user)",
                java.time.Instant.now(), "canary looks slow"));
        w1.putObject("rejected").put("Error", "Fleetrun.Rejected").put("Cause", "x");

        ObjectNode summary = (ObjectNode) steps.finish.handle(w1);

        assertEquals("REJECTED", summary.path("status").asText(), summary::toString);
        assertEquals("rejected by alice (local user): canary looks slow; 1 of 2 nodes succeeded, 1 not run",
                summary.path("cause").asText());
        assertNull(summary.get("resume"), "a rejected run is never resumed");
    }

    @Test
    void aRunWhoseWavesAllRanWithFailedNodesInsideTheBudgetEndsNodesFailedAndAlerts() {
        List<String> ids = t.addNodes(3, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxErrors", "100%");
        request.putArray("waves").add(3);
        ObjectNode state = steps.started("all-fail-1", request);
        ObjectNode done = (ObjectNode) steps.evaluate.handle(steps.runWave(state, "token-1",
                id -> InvocationOutcome.failed(1, "broken on " + id)));
        assertEquals("DONE", done.path("decision").asText(), "a budget of 100% is never breached: " + done);

        ObjectNode summary = (ObjectNode) steps.finish.handle(done);

        assertEquals("NODES_FAILED", summary.path("status").asText(), "0 of 3 succeeded is no success: " + summary);
        assertEquals("Fleetrun.NodesFailed", summary.path("error").asText());
        assertEquals("3 of 3 nodes failed (budget 3): every wave ran, 0 succeeded; see which with fleetrun status all-fail-1"
                + " --all", summary.path("cause").asText());
        assertEquals(RunStatus.NODES_FAILED, t.store().getRun("all-fail-1").orElseThrow().status());
        assertEquals(1, t.aws().sns().published().size(), "failed nodes alert");
        assertEquals("fleetrun: run all-fail-1 NODES_FAILED", t.aws().sns().published().get(0).subject());
    }

    @Test
    void aRollbackThatFailsOnANodeEndsRollbackFailed() {
        List<String> ids = t.addNodes(4, Map.of("Role", "web"));
        ObjectNode state = steps.started("deploy-2", RepoFiles.event("inputs/rollback.json"));
        ObjectNode w1 = steps.succeedWaveAndEvaluate(state, "token-1");
        ObjectNode w2 = (ObjectNode) steps.evaluate.handle(steps.runWave(w1, "token-2",
                HandlerSteps.succeedExcept(Set.of(ids.get(2)), InvocationOutcome.failed(1, "deploy failed"))));
        ObjectNode rollback = (ObjectNode) steps.rollback.handle(w2);
        ObjectNode rolledBack = (ObjectNode) steps.evaluate.handle(steps.runWave(rollback, "rollback-token-1",
                HandlerSteps.succeedExcept(Set.of(ids.get(0)), InvocationOutcome.failed(2, "v1 is gone"))));
        assertEquals("DONE", rolledBack.path("decision").asText(), rolledBack::toString);

        ObjectNode summary = (ObjectNode) steps.finish.handle(rolledBack);

        assertEquals("ROLLBACK_FAILED", summary.path("status").asText(), summary::toString);
        assertEquals("Fleetrun.RollbackFailed", summary.path("error").asText());
        assertEquals("1 of 4 nodes failed (budget 0): the rollback failed (1 of 2 rollback nodes failed, 1 rolled back),"
                + " 1 not run; those nodes need a look: fleetrun logs deploy-2 --failed", summary.path("cause").asText());
        assertEquals("fleetrun: run deploy-2 ROLLBACK_FAILED", t.aws().sns().published().get(0).subject());
    }

    @Test
    void aWorkflowErrorWhileRollingBackEndsRollbackFailedInWords() {
        List<String> ids = t.addNodes(4, Map.of("Role", "web"));
        ObjectNode state = steps.started("deploy-3", RepoFiles.event("inputs/rollback.json"));
        ObjectNode w1 = steps.succeedWaveAndEvaluate(state, "token-1");
        ObjectNode w2 = (ObjectNode) steps.evaluate.handle(steps.runWave(w1, "token-2",
                HandlerSteps.succeedExcept(Set.of(ids.get(2)), InvocationOutcome.failed(1, "deploy failed"))));
        ObjectNode rollback = (ObjectNode) steps.rollback.handle(w2);
        ObjectNode failed = rollback.deepCopy();
        failed.putObject("failure").put("Error", "software.amazon.awssdk.services.ssm.model.ThrottlingException")
                .put("Cause", "{\"errorMessage\":\"Rate exceeded (Service: Ssm, Status Code: 400, Request ID: 1f2e)\","
                        + "\"errorType\":\"software.amazon.awssdk.services.ssm.model.ThrottlingException\",\"stackTrace\":[]}");

        ObjectNode summary = (ObjectNode) steps.finish.handle(failed);

        assertEquals("ROLLBACK_FAILED", summary.path("status").asText(), summary::toString);
        String cause = summary.path("cause").asText();
        assertEquals("1 of 4 nodes failed (budget 0): the rollback did not finish: SSM throttled fleetrun's calls"
                + " (ThrottlingException) for longer than the retries last; wait for the load to drop, then run the nodes"
                + " that did not run again (0 of 2 rollback nodes failed, 0 rolled back, 2 not rolled back), 1 not run;"
                + " those nodes need a look: fleetrun logs deploy-3 --failed", cause);
        assertTrue(!cause.contains("software.amazon") && !cause.contains("errorMessage"), cause);
    }
}
