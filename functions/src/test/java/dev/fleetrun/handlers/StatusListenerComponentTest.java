package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.CommandRecord;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.WaveRecord;
import dev.fleetrun.run.CommandComment;
import dev.fleetrun.run.StatusRecorder;
import dev.fleetrun.testing.FakeStepFunctions.TaskSuccess;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.testing.RepoFiles;
import dev.fleetrun.testing.SentCommand;
import dev.fleetrun.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The status listener fed with SSM's EventBridge events, as the fake emits them and as the
 * {@code events/ssm} samples show them: each node's result recorded once with SSM's detail, repeated
 * and late events changing nothing, the wave's token completed exactly once, and other tools'
 * commands left alone.
 */
class StatusListenerComponentTest {
    private static final String RUN = "listen-1";

    private final TestServices t = TestServices.start();
    private final HandlerSteps steps = new HandlerSteps(t);
    private List<String> ids;

    @AfterEach
    void close() {
        t.close();
    }

    /** A run with one wave of {@code nodes} nodes, sent with token-1; returns its one command. */
    private SentCommand sentWave(int nodes) {
        ids = t.addNodes(nodes, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxErrors", "2").putArray("waves").add("100%");
        request.putObject("output").put("s3Bucket", "ops-output").put("s3KeyPrefix", "fleetrun");
        steps.send(steps.started(RUN, request), "token-1");
        List<SentCommand> commands = steps.commands(RUN, Phase.MAIN, 1);
        assertEquals(1, commands.size());
        return commands.get(0);
    }

    /** The node as a reader sees it (one of a sent batch with no result yet reads SENT). */
    private NodeRecord node(String instanceId) {
        return t.store().loadRun(RUN).orElseThrow().nodes(Phase.MAIN).stream()
                .filter(n -> n.wave() == 1 && n.instanceId().equals(instanceId)).findFirst().orElseThrow();
    }

    private WaveRecord wave() {
        return t.store().getWave(RUN, Phase.MAIN, 1).orElseThrow();
    }

    private RunRecord run() {
        return t.store().getRun(RUN).orElseThrow();
    }

    /** A sample from events/ssm, re-addressed to one of this test's commands and nodes. */
    private static JsonNode sample(String file, String commandId, String instanceId) {
        ObjectNode event = (ObjectNode) RepoFiles.event("ssm/" + file);
        ((ObjectNode) event.get("detail")).put("command-id", commandId).put("instance-id", instanceId);
        return event;
    }

    @Test
    void aSuccessEventRecordsTheNodeWithExitCodeAndOutputFromGetCommandInvocation() {
        SentCommand c = sentWave(3);
        c.complete(ids.get(0), InvocationOutcome.success("load average: 0.01\n"));

        JsonNode out = steps.deliver(c.commandId(), ids.get(0));

        assertEquals(1, out.path("recorded").asInt(), out::toString);
        assertEquals(RUN, out.path("runId").asText());
        NodeRecord n = node(ids.get(0));
        assertEquals(NodeStatus.SUCCEEDED, n.status());
        assertEquals(0, n.responseCode());
        assertEquals("Success", n.statusDetails());
        assertEquals("load average: 0.01\n", n.outputExcerpt());
        assertEquals(c.commandId(), n.commandId());
        assertNotNull(n.outputUrl());
        assertTrue(n.outputUrl().contains("ops-output"), n.outputUrl());
        assertEquals(1, wave().done());
        assertEquals(1, wave().counts().get(NodeStatus.SUCCEEDED));
        assertEquals(1, run().mainCounts().get(NodeStatus.SUCCEEDED));
        assertTrue(t.aws().requests("GetCommandInvocation").stream()
                .anyMatch(r -> r.input().path("InstanceId").asText().equals(ids.get(0))), "the detail comes from SSM");
        assertTrue(t.aws().sfn().successes().isEmpty(), "two nodes still run");
    }

    @Test
    void theSameEventTwiceChangesNothingTheSecondTime() {
        SentCommand c = sentWave(3);
        c.complete(ids.get(0), InvocationOutcome.success("once"));
        JsonNode event = t.invocationEvent(c.commandId(), ids.get(0));
        steps.listener.handle(event);
        NodeRecord first = node(ids.get(0));
        WaveRecord waveBefore = wave();
        RunRecord runBefore = run();
        t.clock().advance(Duration.ofMinutes(1));

        JsonNode out = steps.listener.handle(event);

        assertEquals(0, out.path("recorded").asInt(), out::toString);
        assertEquals(first, node(ids.get(0)));
        assertEquals(waveBefore, wave());
        assertEquals(runBefore.mainCounts(), run().mainCounts());
        assertEquals(runBefore.errors(), run().errors());
    }

    @Test
    void aLateInProgressAfterSuccessChangesNothing() {
        SentCommand c = sentWave(3);
        c.complete(ids.get(0), InvocationOutcome.success("done"));
        steps.deliver(c.commandId(), ids.get(0));
        NodeRecord succeeded = node(ids.get(0));

        JsonNode out = steps.listener.handle(sample("invocation-in-progress.json", c.commandId(), ids.get(0)));

        assertEquals(0, out.path("recorded").asInt(), out::toString);
        assertEquals(succeeded, node(ids.get(0)), "a terminal status is never overwritten");
        assertEquals(1, wave().done());
    }

    @Test
    void anInProgressEventMovesTheNodeAndBeatsTheWavesHeartbeat() {
        SentCommand c = sentWave(2);

        JsonNode out = steps.listener.handle(sample("invocation-in-progress.json", c.commandId(), ids.get(1)));

        assertEquals(1, out.path("recorded").asInt(), out::toString);
        assertEquals(NodeStatus.IN_PROGRESS, node(ids.get(1)).status());
        assertEquals(0, wave().done());
        assertEquals(List.of("token-1"), t.aws().sfn().heartbeats());
    }

    @Test
    void aMovingWaveBeatsItsHeartbeatOncePerTenthOfTheTimeoutNotOncePerEvent() {
        SentCommand c = sentWave(5);
        for (int i = 0; i < 3; i++) {
            c.complete(ids.get(i), InvocationOutcome.success("ok"));
            steps.deliver(c.commandId(), ids.get(i));
        }
        assertEquals(List.of("token-1"), t.aws().sfn().heartbeats(), "three events within the interval: one beat");

        t.clock().advance(Duration.ofSeconds(t.config().heartbeatSeconds() / 10));
        c.complete(ids.get(3), InvocationOutcome.success("ok"));
        steps.deliver(c.commandId(), ids.get(3));

        assertEquals(List.of("token-1", "token-1"), t.aws().sfn().heartbeats(), "a tenth of the timeout later: another");
        assertEquals(4, wave().done());
    }

    @Test
    void onceItsCommandAndWaveAreKnownANodesResultCostsGetCommandInvocationAndOneTransaction() {
        SentCommand c = sentWave(4);
        c.complete(ids.get(0), InvocationOutcome.success("first"));
        steps.deliver(c.commandId(), ids.get(0)); // reads the command and the wave once
        int invocationsBefore = t.aws().requests("GetCommandInvocation").size();
        t.dynamoRequests().reset();

        c.complete(ids.get(1), InvocationOutcome.success("second"));
        JsonNode out = steps.deliver(c.commandId(), ids.get(1));

        assertEquals(1, out.path("recorded").asInt(), out::toString);
        assertEquals(Map.of("TransactWriteItems", 1), t.dynamoRequests().counts(),
                "no read of the command, of the wave (two nodes to go) or of its token (no beat due)");
        assertEquals(invocationsBefore + 1, t.aws().requests("GetCommandInvocation").size());
        assertEquals(NodeStatus.SUCCEEDED, node(ids.get(1)).status());
        assertEquals("second", node(ids.get(1)).outputExcerpt());
    }

    @Test
    void aCommandLevelEventWritesOnlyTheNodesItsRecordsDoNotShowFinal() {
        SentCommand c = sentWave(3);
        c.complete(ids.get(0), InvocationOutcome.success("a"));
        c.complete(ids.get(1), InvocationOutcome.success("b"));
        steps.deliver(c.commandId(), ids.get(0));
        steps.deliver(c.commandId(), ids.get(1));
        c.complete(ids.get(2), InvocationOutcome.failed(1, "c"));
        t.dynamoRequests().reset();

        JsonNode out = steps.listener.handle(t.commandEvent(c.commandId()));

        assertEquals(1, out.path("recorded").asInt(), out::toString);
        assertEquals(2, t.dynamoRequests().count("TransactWriteItems"), "only the node whose own event never came:"
                + " its transaction guarded on the wave having another node to go is refused (it is the last), then done");
        assertEquals(1, t.dynamoRequests().count("BatchGetItem"), "the command's nodes, read in one call");
        assertEquals(NodeStatus.FAILED, node(ids.get(2)).status());
        assertEquals(3, wave().done());
        assertEquals(1, steps.successCalls("token-1"));
    }

    @Test
    void aFailedEventWhoseDetailsSayUndeliverableRecordsUndeliverable() {
        SentCommand c = sentWave(3);
        c.complete(ids.get(2), InvocationOutcome.undeliverable());

        steps.listener.handle(sample("invocation-failed.json", c.commandId(), ids.get(2)));

        NodeRecord n = node(ids.get(2));
        assertEquals(NodeStatus.UNDELIVERABLE, n.status());
        assertEquals("Undeliverable", n.statusDetails());
        assertEquals(-1, n.responseCode());
        assertEquals(1, wave().counts().get(NodeStatus.UNDELIVERABLE));
        assertEquals(1, run().errors(), "unreachable nodes count against the budget by default");
    }

    @Test
    void aFinalEventThatGetCommandInvocationDoesNotShowYetIsDeliveredAgainNotRecordedWithoutItsDetail() {
        SentCommand c = sentWave(3);
        c.complete(ids.get(2), InvocationOutcome.undeliverable());
        JsonNode event = t.invocationEvent(c.commandId(), ids.get(2)); // status Failed; the detail is not in the event
        c.complete(ids.get(2), InvocationOutcome.inProgress());       // GetCommandInvocation lags behind the event

        assertThrows(StatusRecorder.InvocationNotSettledYet.class, () -> steps.listener.handle(event));
        assertEquals(NodeStatus.SENT, node(ids.get(2)).status(), "nothing recorded");
        assertEquals(0, wave().done());

        c.complete(ids.get(2), InvocationOutcome.undeliverable());    // SSM caught up
        assertEquals(1, steps.listener.handle(event).path("recorded").asInt(), "the redelivered event is recorded");
        NodeRecord n = node(ids.get(2));
        assertEquals(NodeStatus.UNDELIVERABLE, n.status(), "not the event's coarse Failed");
        assertEquals("Undeliverable", n.statusDetails());
        assertEquals(1, wave().counts().get(NodeStatus.UNDELIVERABLE));
    }

    @Test
    void theLastNodeCompletesTheWaveOnceEvenWhenEventsRepeatArriveShuffledAndConcurrently() throws Exception {
        SentCommand c = sentWave(12);
        List<JsonNode> events = new ArrayList<>();
        for (String id : ids) {
            c.complete(id, InvocationOutcome.inProgress());
            events.add(t.invocationEvent(c.commandId(), id));
        }
        for (String id : ids) {
            c.complete(id, id.equals(ids.get(3)) ? InvocationOutcome.failed(2, "disk full") : InvocationOutcome.success("ok"));
            JsonNode done = t.invocationEvent(c.commandId(), id);
            events.add(done);
            events.add(done);
            events.add(done);
        }
        events.add(t.commandEvent(c.commandId()));
        Collections.shuffle(events, new Random(42));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<JsonNode>> results = new ArrayList<>();
        try {
            for (JsonNode e : events) {
                results.add(pool.submit(() -> {
                    go.await();
                    return steps.listener.handle(e);
                }));
            }
            go.countDown();
            for (Future<JsonNode> r : results) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, steps.successCalls("token-1"), "exactly one SendTaskSuccess call, not one refused as a repeat");
        List<TaskSuccess> successes = t.aws().sfn().successes();
        assertEquals(1, successes.size(), successes::toString);
        assertEquals("token-1", successes.get(0).taskToken());
        JsonNode summary = successes.get(0).outputJson();
        assertTrue(summary.path("complete").asBoolean());
        assertEquals(11, summary.path("counts").path("SUCCEEDED").asInt());
        assertEquals(1, summary.path("counts").path("FAILED").asInt());
        assertEquals(12, wave().done());
        assertEquals(11, run().mainCounts().get(NodeStatus.SUCCEEDED), "counters equal the nodes");
        assertEquals(1, run().mainCounts().get(NodeStatus.FAILED));
        assertEquals(1, run().errors());
        assertEquals(NodeStatus.FAILED, node(ids.get(3)).status());
        assertEquals(2, node(ids.get(3)).responseCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"invocation-foreign-refresh-association.json", "invocation-foreign-run-shell-script.json"})
    void aSampleEventOfAnotherToolsCommandIsIgnoredAndNothingIsWritten(String file) {
        sentWave(2);
        int writes = t.dynamoWrites();

        JsonNode out = steps.listener.handle(RepoFiles.event("ssm/" + file));

        assertEquals(0, out.path("recorded").asInt());
        assertTrue(out.path("ignored").asText().contains("not sent by fleetrun"), out::toString);
        assertEquals(writes, t.dynamoWrites(), "nothing written");
    }

    @Test
    void aCommandAnotherToolSentToOurNodesIsIgnored() {
        SentCommand ours = sentWave(2);
        String foreign = t.clients().ssm().sendCommand(b -> b.documentName("AWS-RunShellScript")
                .instanceIds(ids.get(0)).parameters(Map.of("commands", List.of("yum -y update")))
                .comment("nightly patching")).command().commandId();
        String uncommented = t.clients().ssm().sendCommand(b -> b.documentName("AWS-RunShellScript")
                .instanceIds(ids.get(1)).parameters(Map.of("commands", List.of("df -h")))).command().commandId();
        String otherDeployment = t.clients().ssm().sendCommand(b -> b.documentName("AWS-RunShellScript")
                .instanceIds(ids.get(1)).parameters(Map.of("commands", List.of("uptime")))
                .comment(CommandComment.of("elsewhere-7", Phase.MAIN, 1, 1))).command().commandId();
        t.ssm().complete(foreign, ids.get(0), InvocationOutcome.failed(1, "no"));
        t.ssm().complete(uncommented, ids.get(1), InvocationOutcome.success("fine"));
        t.ssm().complete(otherDeployment, ids.get(1), InvocationOutcome.success("fine"));
        int writes = t.dynamoWrites();

        JsonNode a = steps.deliver(foreign, ids.get(0));
        JsonNode b = steps.deliver(uncommented, ids.get(1));
        JsonNode d = steps.deliver(otherDeployment, ids.get(1));
        JsonNode e = steps.listener.handle(t.commandEvent(foreign));

        for (JsonNode out : List.of(a, b, d, e)) {
            assertEquals(0, out.path("recorded").asInt(), out::toString);
            assertTrue(out.has("ignored"), out::toString);
        }
        assertTrue(d.path("ignored").asText().contains("another fleetrun deployment"), d::toString);
        assertEquals(writes, t.dynamoWrites());
        ids.forEach(id -> assertEquals(NodeStatus.SENT, node(id).status(), "our nodes are untouched"));
        assertEquals(ours.commandId(), node(ids.get(0)).commandId());
    }

    @Test
    void anEventForAFleetrunCommandNotRecordedYetFailsSoThatItIsDeliveredAgain() {
        sentWave(2);
        // SendCommand returned, and the sender has not recorded the command yet.
        String racing = t.clients().ssm().sendCommand(b -> b.documentName("AWS-RunShellScript")
                .instanceIds(ids.get(0)).parameters(Map.of("commands", List.of("uptime")))
                .comment(CommandComment.of(RUN, Phase.MAIN, 1, 9))).command().commandId();
        t.ssm().complete(racing, ids.get(0), InvocationOutcome.success("fast"));
        int writes = t.dynamoWrites();

        StatusRecorder.CommandNotRecordedYet e = assertThrows(StatusRecorder.CommandNotRecordedYet.class,
                () -> steps.deliver(racing, ids.get(0)));

        assertTrue(e.getMessage().contains(racing) && e.getMessage().contains(RUN), e.getMessage());
        assertEquals(writes, t.dynamoWrites());
    }

    @Test
    void anEventThatOvertakesTheCommandsRecordByAMomentIsRecordedWithoutARetry() throws Exception {
        ids = t.addNodes(1, Map.of());
        steps.started(RUN, HandlerSteps.request(ids));
        // What SendWave does, with its last step (recording the command) a moment late.
        t.store().claimBatch(RUN, Phase.MAIN, 1, 1, "attempt-1");
        String racing = t.clients().ssm().sendCommand(b -> b.documentName("AWS-RunShellScript")
                .instanceIds(ids.get(0)).parameters(Map.of("commands", List.of("uptime")))
                .comment(CommandComment.of(RUN, Phase.MAIN, 1, 1))).command().commandId();
        t.ssm().complete(racing, ids.get(0), InvocationOutcome.success("fast"));
        var recorded = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t.store().recordBatchSent(new CommandRecord(racing, RUN, Phase.MAIN, 1, 1, null, t.clock().instant()),
                    "attempt-1");
        });

        JsonNode out = steps.deliver(racing, ids.get(0));
        recorded.get();

        assertEquals(1, out.path("recorded").asInt(), out::toString);
        assertEquals(NodeStatus.SUCCEEDED, node(ids.get(0)).status());
    }

    @Test
    void aCommandLevelFinalEventRecordsNodesWhoseOwnEventsNeverCame() {
        SentCommand c = sentWave(3);
        c.complete(ids.get(0), InvocationOutcome.success("ok"));
        steps.deliver(c.commandId(), ids.get(0));
        c.complete(ids.get(1), InvocationOutcome.failed(1, "exit 1"));
        c.complete(ids.get(2), new InvocationOutcome("Cancelled", "Terminated", -1, "", ""));
        JsonNode inProgress = RepoFiles.event("ssm/command-success.json").deepCopy();
        ((ObjectNode) inProgress.get("detail")).put("command-id", c.commandId()).put("status", "InProgress");
        assertTrue(steps.listener.handle(inProgress).has("ignored"), "a command that is not final yet is left to node events");

        JsonNode out = steps.listener.handle(t.commandEvent(c.commandId()));

        assertEquals(2, out.path("recorded").asInt(), out::toString);
        assertEquals(NodeStatus.FAILED, node(ids.get(1)).status());
        assertEquals(NodeStatus.TERMINATED, node(ids.get(2)).status());
        assertEquals(3, wave().done());
        assertEquals(1, run().errors(), "Terminated is not an error of the node");
        assertEquals(1, t.aws().sfn().successes().size(), "the wave is complete: its token is completed");
        assertEquals(1, steps.successCalls("token-1"));
    }
}
