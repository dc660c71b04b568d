package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.WaveRecord;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.wire.RecordedRequest;
import dev.fleetrun.testing.RepoFiles;
import dev.fleetrun.testing.TestServices;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rollback after a breach: which nodes get the rollback wave (succeeded ones, or every node the
 * command reached), how it is recorded and sent, and that a breach with nothing to undo ends there.
 */
class RollbackComponentTest {
    private final TestServices t = TestServices.start();
    private final HandlerSteps steps = new HandlerSteps(t);
    private List<String> ids;

    @AfterEach
    void close() {
        t.close();
    }

    /**
     * inputs/rollback.json on 4 web nodes (waves 1, 2, 1 by default; maxErrors 0): the canary succeeds,
     * in wave 2 the first node succeeds and the second fails; returns Evaluate's BREACH state.
     */
    private ObjectNode breachedInWave2(String runId, JsonNode request) {
        ids = t.addNodes(4, Map.of("Role", "web"));
        ObjectNode state = steps.started(runId, request);
        ObjectNode w1 = (ObjectNode) steps.evaluate.handle(steps.runWave(state, "token-1", id -> InvocationOutcome.success("v2")));
        ObjectNode w2 = (ObjectNode) steps.evaluate.handle(steps.runWave(w1, "token-2",
                HandlerSteps.succeedExcept(Set.of(ids.get(2)), InvocationOutcome.failed(1, "deploy failed"))));
        assertEquals("BREACH", w2.path("decision").asText(), w2::toString);
        return w2;
    }

    private List<String> rollbackNodes(String runId) {
        return t.store().nodes(runId, Phase.ROLLBACK).stream().map(NodeRecord::instanceId).toList();
    }

    @Test
    void onlyTheNodesWhereTheCommandSucceededGetTheRollbackWave() {
        ObjectNode breached = breachedInWave2("deploy-1", RepoFiles.event("inputs/rollback.json"));

        ObjectNode out = (ObjectNode) steps.rollback.handle(breached);

        assertEquals("ROLLBACK", out.path("decision").asText(), out::toString);
        assertEquals(Json.parse("{\"phase\":\"rollback\",\"wave\":1}"), out.path("cursor"));
        assertEquals(1, out.path("rollbackWaveCount").asInt());
        assertEquals(List.of(ids.get(0), ids.get(1)), rollbackNodes("deploy-1"), "the canary and wave 2's good node");
        assertTrue(t.store().nodes("deploy-1", Phase.ROLLBACK).stream().allMatch(n -> n.status() == NodeStatus.PLANNED));
        WaveRecord wave = t.store().getWave("deploy-1", Phase.ROLLBACK, 1).orElseThrow();
        assertEquals(2, wave.size());
        assertEquals(1, t.store().getRun("deploy-1").orElseThrow().rollbackWaveCount());

        steps.send(out, "rollback-token-1");

        List<RecordedRequest> sends = t.aws().requests("SendCommand").stream()
                .filter(r -> r.input().path("Comment").asText().contains("rollback")).toList();
        assertEquals(1, sends.size());
        JsonNode in = sends.get(0).input();
        assertEquals("fleetrun deploy-1 rollback wave 1 batch 1", in.path("Comment").asText());
        assertEquals("[\"/opt/app/deploy.sh v1\"]", in.path("Parameters").path("commands").toString());
        assertEquals("100%", in.path("MaxErrors").asText(), "a rollback tries every node it names");
        assertEquals(List.of(ids.get(0), ids.get(1)), List.of(in.path("InstanceIds").get(0).asText(), in.path("InstanceIds").get(1).asText()));
    }

    @Test
    void withScopeTouchedEveryNodeTheCommandReachedIsRolledBack() {
        ObjectNode request = (ObjectNode) RepoFiles.event("inputs/rollback.json");
        ((ObjectNode) request.get("rollback")).put("scope", "touched");
        ObjectNode breached = breachedInWave2("deploy-2", request);

        ObjectNode out = (ObjectNode) steps.rollback.handle(breached);

        assertEquals("ROLLBACK", out.path("decision").asText());
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2)), rollbackNodes("deploy-2"),
                "the failed node too, but not wave 3's node, which was never sent");
    }

    @Test
    void aRollbackWaveLargerThanAnyMainWaveWaitsForAllItsRounds() {
        ids = t.addNodes(6, Map.of("Role", "web"));
        ObjectNode request = (ObjectNode) RepoFiles.event("inputs/rollback.json");
        request.put("maxConcurrency", "2").putArray("waves").add(4).add("100%");
        ObjectNode state = steps.started("deploy-4", request);
        assertEquals(600 + 2 * 600 + 120, state.path("waitTimeoutSeconds").asInt(), "main waves take 2 rounds at most");
        ObjectNode w1 = (ObjectNode) steps.evaluate.handle(steps.runWave(state, "token-1", id -> InvocationOutcome.success("v2")));
        ObjectNode w2 = (ObjectNode) steps.evaluate.handle(steps.runWave(w1, "token-2",
                HandlerSteps.succeedExcept(Set.of(ids.get(5)), InvocationOutcome.failed(1, "deploy failed"))));
        assertEquals("BREACH", w2.path("decision").asText(), w2::toString);

        ObjectNode out = (ObjectNode) steps.rollback.handle(w2);
        steps.send(out, "rollback-token-1");

        assertEquals(5, rollbackNodes("deploy-4").size());
        assertEquals(600 + 3 * 600 + 120, out.path("waitTimeoutSeconds").asInt(),
                "5 nodes at 2 at a time take 3 rounds: the rollback wave must not be closed after the main waves' 2");
        assertEquals(300, out.path("heartbeatSeconds").asInt());
        assertEquals(t.clock().instant().getEpochSecond() + out.path("waitTimeoutSeconds").asLong(),
                t.store().getWave("deploy-4", Phase.ROLLBACK, 1).orElseThrow().deadline());
    }

    @Test
    void whenNoNodeNeedsARollbackTheDecisionIsDone() {
        ids = t.addNodes(3, Map.of("Role", "web"));
        ObjectNode state = steps.started("deploy-3", RepoFiles.event("inputs/rollback.json"));
        ObjectNode w1 = (ObjectNode) steps.evaluate.handle(steps.runWave(state, "token-1",
                id -> InvocationOutcome.failed(1, "canary failed")));
        assertEquals("BREACH", w1.path("decision").asText());

        ObjectNode out = (ObjectNode) steps.rollback.handle(w1);

        assertEquals("DONE", out.path("decision").asText(), out::toString);
        assertEquals(0, out.path("rollbackWaveCount").asInt());
        assertTrue(rollbackNodes("deploy-3").isEmpty());
        assertTrue(t.store().getWave("deploy-3", Phase.ROLLBACK, 1).isEmpty());
    }
}
