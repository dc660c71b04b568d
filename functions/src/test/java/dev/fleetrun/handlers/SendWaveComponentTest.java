package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.records.BatchRecord;
import dev.fleetrun.records.CommandRecord;
import dev.fleetrun.records.FleetrunTable;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.WaveRecord;
import dev.fleetrun.records.WaveStatus;
import dev.fleetrun.run.StatusRecorder;
import dev.fleetrun.testing.FailOnce;
import dev.fleetrun.testing.FakeStepFunctions.TaskFailure;
import dev.fleetrun.testing.FakeStepFunctions.TaskSuccess;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.wire.RecordedRequest;
import dev.fleetrun.testing.SentCommand;
import dev.fleetrun.testing.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SendWave with real SDK clients: batching at SSM's limit of 50 ids, the rate controls each command
 * carries, the task token on the wave, and that no node gets the command twice, whether SendWave is
 * retried, resumed after a timed-out wait, or crashes between SendCommand and recording it.
 */
class SendWaveComponentTest {
    private final TestServices t = TestServices.start(Map.of("FLEETRUN_LEASE_SECONDS", "600"));
    private final HandlerSteps steps = new HandlerSteps(t);

    @AfterEach
    void close() {
        t.close();
    }

    /** A run whose first wave is all of 120 nodes, at a concurrency of 10, with 5 errors allowed. */
    private ObjectNode start120(String runId) {
        List<String> ids = t.addNodes(120, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxConcurrency", "10").put("maxErrors", "5").putArray("waves").add("100%");
        return steps.started(runId, request);
    }

    private static List<String> sentIds(List<RecordedRequest> sendCommands) {
        List<String> ids = new ArrayList<>();
        sendCommands.forEach(r -> r.input().path("InstanceIds").forEach(id -> ids.add(id.asText())));
        return ids;
    }

    @Test
    void aWaveOf120NodesGoesOutAsThreeCommandsOfAtMost50WithTheWavesRateControls() {
        ObjectNode state = start120("big-1");

        steps.send(state, "token-1");

        List<RecordedRequest> sends = t.aws().requests("SendCommand");
        assertEquals(3, sends.size());
        List<String> ids = sentIds(sends);
        assertEquals(120, ids.size());
        assertEquals(120, new HashSet<>(ids).size(), "no node twice");
        for (int b = 0; b < 3; b++) {
            JsonNode in = sends.get(b).input();
            assertTrue(in.path("InstanceIds").size() <= 50, "at most 50 ids a SendCommand");
            assertEquals("fleetrun big-1 wave 1 batch " + (b + 1), in.path("Comment").asText());
            assertEquals("5", in.path("MaxErrors").asText(), "the run's whole budget is still there");
            assertEquals("AWS-RunShellScript", in.path("DocumentName").asText());
            assertEquals("[\"uptime\"]", in.path("Parameters").path("commands").toString());
        }
        assertEquals(List.of("4", "3", "3"), sends.stream().map(r -> r.input().path("MaxConcurrency").asText()).toList(),
                "the wave's concurrency of 10, shared out");
        assertEquals(List.of(600 + 9 * 600, 600 + 13 * 600, 600 + 13 * 600),
                sends.stream().map(r -> r.input().path("TimeoutSeconds").asInt()).toList(),
                "40 nodes at 4 (or 3) at a time start in 10 (or 14) rounds of up to 600 s: the delivery window"
                        + " (FLEETRUN_DELIVERY_TIMEOUT_SECONDS) must still be open for the last round");

        WaveRecord wave = t.store().getWave("big-1", Phase.MAIN, 1).orElseThrow();
        assertEquals("token-1", wave.taskToken());
        assertEquals(WaveStatus.SENT, wave.status());
        assertEquals(TestServices.T0.getEpochSecond() + state.path("waitTimeoutSeconds").asLong(), wave.deadline());
        List<SentCommand> commands = steps.commands("big-1", Phase.MAIN, 1);
        List<BatchRecord> batches = t.store().batches("big-1", Phase.MAIN, 1);
        for (int b = 0; b < 3; b++) {
            assertEquals(commands.get(b).commandId(), batches.get(b).commandId(), "batch " + (b + 1) + " records its command");
            assertEquals(commands.get(b).instanceIds(), batches.get(b).instanceIds());
            CommandRecord c = t.store().findCommand(commands.get(b).commandId()).orElseThrow();
            assertEquals(new CommandRecord(c.commandId(), "big-1", Phase.MAIN, 1, b + 1, "token-1", c.sentAt()), c);
        }
        for (NodeRecord n : wave1AsRead("big-1")) {
            assertEquals(NodeStatus.SENT, n.status(), n.instanceId());
        }
        assertTrue(t.aws().sfn().successes().isEmpty(), "the listener completes the wave, later");
    }

    @Test
    void theDeliveryWindowOfAQueuedRoundFollowsTheDocumentsOwnExecutionTimeout() {
        List<String> ids = t.addNodes(6, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.remove("commands");
        request.putObject("document").put("name", "AWS-RunShellScript").putObject("parameters")
                .set("commands", Json.parse("[\"/opt/app/patch.sh\"]"));
        ((ObjectNode) request.path("document").path("parameters")).set("executionTimeout", Json.parse("[\"1800\"]"));
        request.put("maxConcurrency", "2").putArray("waves").add(1).add(5);
        ObjectNode state = steps.started("exec-timeout-1", request);

        ObjectNode second = (ObjectNode) steps.evaluate.handle(
                steps.runWave(state, "token-1", id -> InvocationOutcome.success("ok")));
        steps.send(second, "token-2");

        assertEquals(List.of(600, 600 + 2 * 1800), t.aws().requests("SendCommand").stream()
                        .map(r -> r.input().path("TimeoutSeconds").asInt()).toList(),
                "a single round needs only the delivery window; 5 nodes at 2 at a time wait 2 rounds of up to 1800 s");
    }

    @Test
    void aDocumentSsmRefusesEndsTheRunWithInvalidInputNamingItInsteadOfAStackTrace() {
        try (TestServices other = TestServices.start(Map.of("FLEETRUN_ALLOWED_DOCUMENTS", "AWS-RunShellScript,MyOrg-Patch"))) {
            HandlerSteps otherSteps = new HandlerSteps(other);
            ObjectNode request = HandlerSteps.request(other.addNodes(2, Map.of()));
            request.remove("commands");
            request.putObject("document").put("name", "MyOrg-Patch");   // allowed here, but not in the account
            request.putArray("waves").add("100%");
            ObjectNode state = otherSteps.started("refused-1", request);

            otherSteps.send(state, "token-1");

            List<TaskFailure> failures = other.aws().sfn().failures();
            assertEquals(1, failures.size());
            assertEquals("Fleetrun.InvalidInput", failures.get(0).error());
            assertTrue(failures.get(0).cause().startsWith("SSM refused to send document MyOrg-Patch: InvalidDocument"),
                    failures.get(0).cause());
            assertTrue(failures.get(0).cause().contains("start a new run"), failures.get(0).cause());
        }
    }

    @Test
    void maxErrorsIsWhatIsLeftOfTheRunsBudget() {
        List<String> ids = t.addNodes(6, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxErrors", "3").putArray("waves").add(2).add(4);
        ObjectNode state = steps.started("budget-1", request);
        ObjectNode next = (ObjectNode) steps.evaluate.handle(steps.runWave(state, "token-1",
                HandlerSteps.succeedExcept(Set.of(ids.get(0)), InvocationOutcome.failed(1, "boom"))));
        assertEquals("CONTINUE", next.path("decision").asText(), next::toString);

        steps.send(next, "token-2");

        List<RecordedRequest> sends = t.aws().requests("SendCommand");
        assertEquals(List.of("3", "2"), sends.stream().map(r -> r.input().path("MaxErrors").asText()).toList(),
                "wave 2 may have the 2 errors the first wave left");
    }

    @Test
    void aRetryWithANewTokenSendsNothingAgainAndWaitsOnTheNewToken() {
        ObjectNode state = start120("retry-1");
        steps.send(state, "token-1");
        long deadline = t.store().getWave("retry-1", Phase.MAIN, 1).orElseThrow().deadline();
        t.clock().advance(Duration.ofSeconds(30));

        steps.send(state, "token-2");

        assertEquals(3, t.aws().requests("SendCommand").size(), "no second SendCommand");
        WaveRecord wave = t.store().getWave("retry-1", Phase.MAIN, 1).orElseThrow();
        assertEquals("token-2", wave.taskToken());
        assertEquals(deadline, wave.deadline(), "a resumed wait keeps the wave's deadline");
        assertTrue(t.aws().sfn().successes().isEmpty() && t.aws().sfn().failures().isEmpty());
    }

    @Test
    void aCrashBetweenSendCommandAndRecordingItIsRecoveredWithoutSendingTwice() {
        ObjectNode state = start120("crash-1");
        FailOnce crash = FailOnce.transactionWriting(FleetrunTable.batchSk(Phase.MAIN, 1, 2));
        SendWaveHandler crashing = new SendWaveHandler(t.servicesWith(crash));

        RuntimeException died = assertThrows(RuntimeException.class, () -> crashing.handle(HandlerSteps.sendInput(state, "token-1")));
        assertTrue(String.valueOf(died.getMessage()).contains("simulated crash")
                || died.getCause() instanceof FailOnce.SimulatedCrash, died::toString);
        assertEquals(1, crash.fired());
        assertEquals(2, t.aws().requests("SendCommand").size(), "batch 2 reached SSM, batch 3 never started");
        assertNull(t.store().batches("crash-1", Phase.MAIN, 1).get(1).commandId(), "batch 2's command is not recorded");
        String lost = steps.commands("crash-1", Phase.MAIN, 1).get(1).commandId();
        assertThrows(StatusRecorder.CommandNotRecordedYet.class,
                () -> steps.deliver(lost, t.ssm().command(lost).instanceIds().get(0)),
                "an event for the unrecorded command fails, so that EventBridge delivers it again");

        t.clock().advance(Duration.ofSeconds(5));
        steps.send(state, "token-2");

        List<RecordedRequest> sends = t.aws().requests("SendCommand");
        assertEquals(3, sends.size(), "only batch 3 was sent by the retry");
        List<String> ids = sentIds(sends);
        assertEquals(120, ids.size());
        assertEquals(120, new HashSet<>(ids).size(), "every node got the command exactly once");
        assertTrue(t.aws().requests("ListCommands").stream().anyMatch(r -> r.input().path("Filters").size() > 0),
                "the retry looked for batch 2's command in SSM");
        List<BatchRecord> batches = t.store().batches("crash-1", Phase.MAIN, 1);
        List<SentCommand> commands = steps.commands("crash-1", Phase.MAIN, 1);
        assertEquals(3, commands.size());
        for (int b = 0; b < 3; b++) {
            assertEquals(commands.get(b).commandId(), batches.get(b).commandId(), "batch " + (b + 1));
        }
        assertEquals(lost, batches.get(1).commandId(), "batch 2 is recorded with the command SSM has");
        assertEquals("token-2", t.store().findCommand(lost).orElseThrow().taskToken());
        assertTrue(wave1AsRead("crash-1").stream().allMatch(n -> n.status() == NodeStatus.SENT));
        String node = t.ssm().command(lost).instanceIds().get(0);
        t.ssm().complete(lost, node, InvocationOutcome.success("late but fine"));
        assertEquals(1, steps.deliver(lost, node).path("recorded").asInt(), "the redelivered event is recorded now");
    }

    @Test
    void aBatchClaimedButNeverSentIsSentByTheRetryAfterLookingForItInSsm() {
        ObjectNode state = start120("refused-1");
        t.ssm().failNext("SendCommand", 1, "InternalServerError", "SSM had a bad moment");
        assertThrows(RuntimeException.class, () -> steps.send(state, "token-1"));
        assertTrue(t.ssm().commands().isEmpty(), "batch 1 was claimed, then SendCommand failed");

        steps.send(state, "token-2");

        List<String> ids = sentIds(t.aws().requests("SendCommand").stream().filter(RecordedRequest::succeeded).toList());
        assertEquals(120, ids.size());
        assertEquals(120, new HashSet<>(ids).size());
        assertEquals(3, t.ssm().commands().size());
        assertEquals(1, t.aws().requests("ListCommands").size(), "the retry first made sure batch 1 had not reached SSM");
    }

    @Test
    void aClosedRunFailsTheTokenAndSendsNothing() {
        List<String> ids = t.addNodes(2, Map.of());
        ObjectNode state = steps.started("closed-1", HandlerSteps.request(ids));
        assertTrue(t.store().finishRun("closed-1", RunStatus.CANCELLED, "{}"), "stopped meanwhile");

        steps.send(state, "token-1");

        assertTrue(t.aws().requests("SendCommand").isEmpty());
        List<TaskFailure> failures = t.aws().sfn().failures();
        assertEquals(1, failures.size());
        assertEquals("token-1", failures.get(0).taskToken());
        assertEquals("Fleetrun.RunClosed", failures.get(0).error());
        assertTrue(failures.get(0).cause().contains("CANCELLED"), failures.get(0).cause());
        assertEquals(WaveStatus.PLANNED, t.store().getWave("closed-1", Phase.MAIN, 1).orElseThrow().status());
    }

    @Test
    void whenTheWaveIsCompleteAtResumeSendWaveCompletesTheNewTokenOnce() {
        List<String> ids = t.addNodes(2, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.putArray("waves").add("100%");
        ObjectNode state = steps.started("resume-1", request);
        steps.send(state, "token-1");
        List<SentCommand> commands = steps.commands("resume-1", Phase.MAIN, 1);
        t.aws().sfn().closeToken("token-1"); // the wait timed out
        ObjectNode reconciled = (ObjectNode) steps.reconcile.handle(state.deepCopy().put("waitError", "States.Timeout"));
        assertTrue(!reconciled.path("waveResult").path("complete").asBoolean(), "nothing finished yet: " + reconciled);
        steps.finishAndDeliver(commands, id -> InvocationOutcome.success("ok")); // the events find only the closed token

        steps.send(reconciled, "token-2");

        assertEquals(WaveStatus.COMPLETED, t.store().getWave("resume-1", Phase.MAIN, 1).orElseThrow().status());
        steps.send(reconciled, "token-2"); // the same invocation again
        assertEquals(1, t.aws().requests("SendCommand").size(), "resuming sends nothing");
        List<TaskSuccess> successes = t.aws().sfn().successes();
        assertEquals(1, successes.size(), successes::toString);
        assertEquals("token-2", successes.get(0).taskToken());
        assertEquals(1, steps.successCalls("token-2"), "SendWave completes the new token once, not again on the repeat");
        assertEquals(1, steps.successCalls("token-1"), "the listener tried the timed-out token once");
        JsonNode summary = successes.get(0).outputJson();
        assertTrue(summary.path("complete").asBoolean());
        assertEquals(2, summary.path("counts").path("SUCCEEDED").asInt());
    }

    @Test
    void leasesAreRenewedAtAWaveOnlyOnceATenthOfTheirTimeHasPassed() {
        List<String> ids = t.addNodes(3, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.putArray("waves").add(1).add(1).add(1);
        ObjectNode state = steps.started("leases-1", request); // leases of 600 s, taken at T0
        Instant taken = TestServices.T0.plusSeconds(600);
        assertEquals(taken, t.store().getRun("leases-1").orElseThrow().leasesUntil(), "StartRun records when they end");

        ObjectNode second = steps.succeedWaveAndEvaluate(state, "token-1");
        t.clock().advance(Duration.ofSeconds(59));
        ObjectNode third = steps.succeedWaveAndEvaluate(second, "token-2");

        ids.forEach(id -> assertEquals(taken, t.store().leaseHolder(id).orElseThrow().until(),
                "541 s of 600 left at wave 2: not renewed"));

        t.clock().advance(Duration.ofSeconds(2));
        steps.send(third, "token-3");

        Instant renewed = TestServices.T0.plusSeconds(61 + 600);
        ids.forEach(id -> assertEquals(renewed, t.store().leaseHolder(id).orElseThrow().until(),
                "539 s left at wave 3: all of the run's leases renewed"));
        assertEquals(renewed, t.store().getRun("leases-1").orElseThrow().leasesUntil());
        assertEquals(3, t.aws().requests("SendCommand").size());
    }

    @Test
    void aRunWhoseLeaseExpiredAndWasTakenByAnotherRunDoesNotSendToThoseNodes() {
        List<String> ids = t.addNodes(2, Map.of());
        ObjectNode state = steps.started("slow-1", HandlerSteps.request(ids));
        ObjectNode next = steps.succeedWaveAndEvaluate(state, "token-1");
        assertEquals("CONTINUE", next.path("decision").asText());
        t.clock().advance(Duration.ofSeconds(601)); // e.g. a long approval gate: the leases ran out
        steps.started("other-1", HandlerSteps.request(ids));

        steps.send(next, "token-2");

        assertEquals(1, t.aws().requests("SendCommand").size(), "wave 2 of slow-1 is not sent to other-1's node");
        List<TaskFailure> failures = t.aws().sfn().failures();
        assertEquals(1, failures.size());
        assertEquals("Fleetrun.LeaseConflict", failures.get(0).error());
        assertTrue(failures.get(0).cause().contains("other-1") && failures.get(0).cause().contains(ids.get(1)),
                failures.get(0).cause());
        ids.forEach(id -> assertEquals("other-1", t.store().leaseHolder(id).orElseThrow().runId()));
    }

    @Test
    void aNodeGoneSinceStartRunIsRecordedUndeliverableAndTheBatchGoesToTheOthers() {
        List<String> ids = t.addNodes(3, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxErrors", "5").putArray("waves").add("100%");
        ObjectNode state = steps.started("gone-1", request);
        t.ssm().removeNode(ids.get(1));                      // terminated: SSM refuses any command naming it
        t.ssm().setPingStatus(ids.get(2), "ConnectionLost"); // its agent went quiet

        steps.send(state, "token-1");

        List<RecordedRequest> sends = t.aws().requests("SendCommand");
        assertEquals(2, sends.size(), "the refused command, then the one to the node still there");
        assertEquals("InvalidInstanceId", sends.get(0).errorCode());
        assertEquals(List.of(ids.get(0)), sentIds(List.of(sends.get(1))));
        assertEquals("3", sends.get(1).input().path("MaxErrors").asText(), "the 2 unreachable nodes used 2 of the 5 errors");
        assertTrue(t.aws().sfn().failures().isEmpty(), () -> "the run goes on: " + t.aws().sfn().failures());
        List<NodeRecord> nodes = wave1AsRead("gone-1");
        assertEquals(List.of(NodeStatus.SENT, NodeStatus.UNDELIVERABLE, NodeStatus.UNDELIVERABLE),
                nodes.stream().map(NodeRecord::status).toList());
        assertEquals("Undeliverable", nodes.get(1).statusDetails());
        assertTrue(nodes.get(1).reason().startsWith("no longer a managed node"), nodes.get(1).reason());
        assertTrue(nodes.get(2).reason().startsWith("ping status ConnectionLost"), nodes.get(2).reason());
        String commandId = steps.commands("gone-1", Phase.MAIN, 1).get(0).commandId();
        assertEquals(commandId, t.store().batches("gone-1", Phase.MAIN, 1).get(0).commandId());
        assertEquals(2, t.store().getRun("gone-1").orElseThrow().errors(), "unreachable nodes count by default");

        t.ssm().complete(commandId, ids.get(0), InvocationOutcome.success("ok"));
        steps.deliver(commandId, ids.get(0));
        JsonNode summary = steps.afterWave(state, "token-1").path("waveResult");
        assertTrue(summary.path("complete").asBoolean(), summary::toString);
        assertEquals(1, summary.path("counts").path("SUCCEEDED").asInt());
        assertEquals(2, summary.path("counts").path("UNDELIVERABLE").asInt());
    }

    @Test
    void aBatchWhoseNodesAreAllGoneIsCompleteWithoutACommandAndARetrySendsNothing() {
        List<String> ids = t.addNodes(2, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxErrors", "5").putArray("waves").add("100%");
        ObjectNode state = steps.started("gone-2", request);
        ids.forEach(t.ssm()::removeNode);

        steps.send(state, "token-1");
        steps.send(state, "token-2"); // a resumed wait: the batch is claimed but has no command

        assertEquals(1, t.aws().requests("SendCommand").size(), "only the refused one");
        assertEquals(List.of(NodeStatus.UNDELIVERABLE, NodeStatus.UNDELIVERABLE),
                t.store().nodes("gone-2", Phase.MAIN, 1).stream().map(NodeRecord::status).toList());
        JsonNode summary = steps.afterWave(state, "token-1").path("waveResult");
        assertTrue(summary.path("complete").asBoolean(), () -> "the wave is complete at once: " + summary);
        assertEquals(2, summary.path("counts").path("UNDELIVERABLE").asInt());
    }

    @Test
    void anInvalidInstanceIdThatNoGoneNodeExplainsStillFailsTheSend() {
        List<String> ids = t.addNodes(2, Map.of());
        ObjectNode state = steps.started("refused-2", HandlerSteps.request(ids));
        t.ssm().failNext("SendCommand", 1, "InvalidInstanceId", "not allowed to send to these instances");

        assertThrows(RuntimeException.class, () -> steps.send(state, "token-1"));

        assertTrue(t.store().nodes("refused-2", Phase.MAIN, 1).stream().noneMatch(n -> n.status().isTerminal()),
                "no node is recorded undeliverable when every one is still there");
    }

    @Test
    void aStopWhileTheWaveIsBeingSentSendsNoMoreBatchesAndCancelsTheCommandThatRaced() {
        ObjectNode state = start120("stop-1");
        t.ssm().onSend(command -> {
            if (command.comment().endsWith(" batch 1")) {
                // fleetrun stop: Cleanup closes the run while batch 1's SendCommand is on its way, before it is recorded
                t.store().finishRun("stop-1", RunStatus.CANCELLED, "{}");
            }
        });

        steps.send(state, "token-1");

        assertEquals(1, t.aws().requests("SendCommand").size(), "batches 2 and 3 never go out");
        String raced = steps.commands("stop-1", Phase.MAIN, 1).get(0).commandId();
        List<RecordedRequest> cancels = t.aws().requests("CancelCommand");
        assertEquals(1, cancels.size(), "the closer could not see batch 1's command: the sender cancels it");
        assertEquals(raced, cancels.get(0).input().path("CommandId").asText());
        List<TaskFailure> failures = t.aws().sfn().failures();
        assertEquals(1, failures.size());
        assertEquals("Fleetrun.RunClosed", failures.get(0).error());
        assertTrue(failures.get(0).cause().contains("CANCELLED") && failures.get(0).cause().contains(raced),
                failures.get(0).cause());
        assertTrue(t.store().leaseHolder(TestServices.nodeId(1)).isEmpty(), "the leases it renewed before batch 1 are freed");
    }

    /** Wave 1's nodes as a reader sees them (a node of a sent batch with no result yet reads SENT). */
    private List<NodeRecord> wave1AsRead(String runId) {
        return t.store().loadRun(runId).orElseThrow().nodes(Phase.MAIN).stream().filter(n -> n.wave() == 1).toList();
    }
}
