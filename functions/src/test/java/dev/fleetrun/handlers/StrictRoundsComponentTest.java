package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.local.wire.RecordedRequest;
import dev.fleetrun.records.WaveRecord;
import dev.fleetrun.testing.SentCommand;
import dev.fleetrun.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SendWave, the listener and Evaluate under a strict error budget, with real SDK clients: a wave goes out in rounds
 * of the errors left + 1 nodes, each round's wait ends when its nodes are done, a retried or resumed SendWave
 * neither sends a node twice nor adds a round early, and a late event of a finished round cannot end the next.
 */
class StrictRoundsComponentTest {
    private final TestServices t = TestServices.start(Map.of("FLEETRUN_LEASE_SECONDS", "600"));
    private final HandlerSteps steps = new HandlerSteps(t);
    private List<String> ids;

    @AfterEach
    void close() {
        t.close();
    }

    /** Six nodes in one wave, budget 1, strict. */
    private ObjectNode start(String runId) {
        ids = t.addNodes(6, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxErrors", "1").put("budgetMode", "strict").putArray("waves").add("100%");
        return steps.started(runId, request);
    }

    private List<List<String>> sent() {
        List<List<String>> sent = new ArrayList<>();
        for (RecordedRequest r : t.aws().requests("SendCommand")) {
            if (r.succeeded()) {
                List<String> targets = new ArrayList<>();
                r.input().path("InstanceIds").forEach(id -> targets.add(id.asText()));
                sent.add(targets);
            }
        }
        return sent;
    }

    @Test
    void theFirstRoundIsTheBudgetPlusOneNodesAndItsWaitEndsWhenTheyAreDone() {
        ObjectNode state = start("rounds-1");

        steps.send(state, "token-1");

        assertEquals(List.of(ids.subList(0, 2)), sent());
        RecordedRequest send = t.aws().requests("SendCommand").get(0);
        assertEquals("1", send.input().path("MaxErrors").asText());
        assertEquals("2", send.input().path("MaxConcurrency").asText());
        WaveRecord wave = t.store().getWave("rounds-1", Phase.MAIN, 1).orElseThrow();
        assertEquals(6, wave.size());
        assertEquals(2, wave.dispatched());

        steps.finishAndDeliver(steps.commands("rounds-1", Phase.MAIN, 1), id -> InvocationOutcome.success("ok"));
        JsonNode result = steps.afterWave(state, "token-1").path("waveResult");
        assertTrue(result.path("complete").asBoolean(), result::toString);
        assertEquals(false, result.path("waveComplete").asBoolean(), result::toString);
        ObjectNode next = (ObjectNode) steps.evaluate.handle(steps.afterWave(state, "token-1"));
        assertEquals("NEXT_ROUND", next.path("decision").asText(), next::toString);
        assertEquals(1, next.path("cursor").path("wave").asInt(), "the same wave");
    }

    @Test
    void roundsShrinkAsErrorsHappenAndEachCommandCarriesTheBudgetLeft() {
        ObjectNode state = start("rounds-2");
        Set<String> failing = Set.of(ids.get(1));

        ObjectNode s = state;
        List<String> decisions = new ArrayList<>();
        for (int round = 1; round <= 6 && !decisions.contains("DONE") && !decisions.contains("BREACH"); round++) {
            String token = "token-" + round;
            steps.send(s, token);
            List<SentCommand> commands = steps.commands("rounds-2", Phase.MAIN, 1);
            steps.finishAndDeliver(List.of(commands.get(commands.size() - 1)),
                    HandlerSteps.succeedExcept(failing, InvocationOutcome.failed(1, "boom")));
            s = (ObjectNode) steps.evaluate.handle(steps.afterWave(s, token));
            decisions.add(s.path("decision").asText());
        }

        assertEquals(List.of(ids.subList(0, 2), ids.subList(2, 3), ids.subList(3, 4), ids.subList(4, 5), ids.subList(5, 6)),
                sent(), "2 nodes with the budget of 1 whole, then 1 at a time");
        assertEquals(List.of("1", "0", "0", "0", "0"), t.aws().requests("SendCommand").stream()
                .map(r -> r.input().path("MaxErrors").asText()).toList());
        assertEquals(List.of("NEXT_ROUND", "NEXT_ROUND", "NEXT_ROUND", "NEXT_ROUND", "DONE"), decisions);
    }

    @Test
    void aResumedWaitAddsNoRoundAndKeepsTheRoundsDeadline() {
        ObjectNode state = start("rounds-3");
        steps.send(state, "token-1");
        long deadline = t.store().getWave("rounds-3", Phase.MAIN, 1).orElseThrow().deadline();
        t.clock().advance(Duration.ofSeconds(30));

        steps.send(state, "token-2");

        assertEquals(1, sent().size(), "the round is still running: nothing more goes out");
        WaveRecord wave = t.store().getWave("rounds-3", Phase.MAIN, 1).orElseThrow();
        assertEquals(2, wave.dispatched());
        assertEquals(deadline, wave.deadline());
        assertEquals("token-2", wave.taskToken());
    }

    @Test
    void aSendWaveThatFailedAfterAddingItsRoundSendsThatRoundOnceOnRetry() {
        ObjectNode state = start("rounds-4");
        t.ssm().failNext("SendCommand", 1, "InternalServerError", "SSM had a bad moment");
        assertThrows(RuntimeException.class, () -> steps.send(state, "token-1"));
        assertEquals(2, t.store().getWave("rounds-4", Phase.MAIN, 1).orElseThrow().dispatched(), "the round was added");

        steps.send(state, "token-2");

        assertEquals(List.of(ids.subList(0, 2)), sent(), "the same round, once");
        assertEquals(1, t.store().batches("rounds-4", Phase.MAIN, 1).size());
    }

    @Test
    void aLateEventOfTheLastRoundDoesNotEndTheNextRoundsWait() {
        ObjectNode state = start("rounds-5");
        steps.send(state, "token-1");
        SentCommand first = steps.commands("rounds-5", Phase.MAIN, 1).get(0);
        steps.finishAndDeliver(List.of(first), id -> InvocationOutcome.success("ok"));
        ObjectNode next = (ObjectNode) steps.evaluate.handle(steps.afterWave(state, "token-1"));
        steps.send(next, "token-2");

        steps.deliver(first.commandId(), first.instanceIds().get(0)); // EventBridge delivers it again

        assertEquals(0, steps.successCalls("token-2"), "the second round is running");
        assertEquals(2, sent().size());
    }
}
