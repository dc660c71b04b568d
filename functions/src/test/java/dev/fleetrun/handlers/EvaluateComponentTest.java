package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.testing.FakeEventBridge.PutEvent;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.testing.TestServices;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Evaluate between waves: the run's error budget counted over all its waves, the run's CloudWatch
 * alarms, the last wave, the approval gate, and the walk through the rollback waves.
 */
class EvaluateComponentTest {
    private final TestServices t = TestServices.start();
    private final HandlerSteps steps = new HandlerSteps(t);
    private List<String> ids;

    @AfterEach
    void close() {
        t.close();
    }

    /** Six nodes in waves of 1, 2 and 3, one error allowed; more fields from {@code extra}. */
    private ObjectNode start(String runId, String extra) {
        ids = t.addNodes(6, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxErrors", "1").putArray("waves").add(1).add(2).add(3);
        request.setAll((ObjectNode) Json.parse(extra));
        return steps.started(runId, request);
    }

    private ObjectNode wave(ObjectNode state, String token, Set<String> failing) {
        return (ObjectNode) steps.evaluate.handle(steps.runWave(state, token,
                HandlerSteps.succeedExcept(failing, InvocationOutcome.failed(1, "boom"))));
    }

    @Test
    void errorsWithinTheBudgetContinueToTheNextWaveAndAnnounceTheWave() {
        ObjectNode state = start("eval-1", "{}");

        ObjectNode next = wave(state, "token-1", Set.of(ids.get(0)));

        assertEquals("CONTINUE", next.path("decision").asText(), next::toString);
        assertEquals(Json.parse("{\"phase\":\"main\",\"wave\":2}"), next.path("cursor"));
        assertFalse(next.path("approvalRequired").asBoolean());
        List<PutEvent> completed = t.aws().events().entries(Notifier.WAVE_COMPLETED);
        assertEquals(1, completed.size());
        JsonNode detail = completed.get(0).detail();
        assertEquals("eval-1", detail.path("runId").asText());
        assertEquals(1, detail.path("wave").asInt());
        assertEquals(1, detail.path("errors").asInt());
        assertEquals(1, detail.path("errorAllowance").asInt());
        assertEquals(1, detail.path("counts").path("FAILED").asInt());
        assertTrue(t.store().getRun("eval-1").orElseThrow().breachJson() == null);
        assertTrue(t.aws().events().entries(Notifier.RUN_BREACHED).isEmpty());
    }

    @Test
    void errorsBeyondTheBudgetOverTheWholeRunBreach() {
        ObjectNode next = wave(start("eval-2", "{}"), "token-1", Set.of(ids.get(0)));

        ObjectNode after = wave(next, "token-2", Set.of(ids.get(2)));

        assertEquals("BREACH", after.path("decision").asText(), after::toString);
        assertEquals(2, after.path("cursor").path("wave").asInt(), "the cursor stays on the breached wave");
        JsonNode breach = Json.parse(t.store().getRun("eval-2").orElseThrow().breachJson());
        assertTrue(breach.path("reason").asText().contains("2 error(s) exceed maxErrors 1"), breach::toString);
        assertEquals(2, breach.path("wave").asInt());
        List<PutEvent> breached = t.aws().events().entries(Notifier.RUN_BREACHED);
        assertEquals(1, breached.size());
        assertEquals("eval-2", breached.get(0).detail().path("runId").asText());
        assertEquals(2, breached.get(0).detail().path("errors").asInt());
        assertFalse(breached.get(0).detail().path("rollback").asBoolean());
        assertEquals(2, t.aws().events().entries(Notifier.WAVE_COMPLETED).size());
    }

    @Test
    void anAlarmInAlarmBreachesEvenWithoutErrors() {
        t.aws().cloudWatch().setAlarm("web-5xx-high", "OK").setAlarm("web-latency", "INSUFFICIENT_DATA");
        ObjectNode next = wave(start("eval-3", "{\"alarms\": [\"web-5xx-high\", \"web-latency\"]}"), "token-1", Set.of());
        assertEquals("CONTINUE", next.path("decision").asText(), "OK and INSUFFICIENT_DATA do not stop a run");
        t.aws().cloudWatch().setAlarm("web-5xx-high", "ALARM");

        ObjectNode after = wave(next, "token-2", Set.of());

        assertEquals("BREACH", after.path("decision").asText(), after::toString);
        JsonNode breach = Json.parse(t.store().getRun("eval-3").orElseThrow().breachJson());
        assertEquals("alarm in ALARM: web-5xx-high", breach.path("reason").asText());
        assertEquals("[\"web-5xx-high\"]", breach.path("alarms").toString());
        assertEquals(1, t.aws().events().entries(Notifier.RUN_BREACHED).size());
        assertTrue(t.aws().requests("DescribeAlarms").stream()
                .allMatch(r -> r.input().path("AlarmNames").toString().contains("web-5xx-high")));
    }

    @Test
    void aCompositeAlarmInAlarmBreachesToo() {
        t.aws().cloudWatch().setCompositeAlarm("web-health", "OK");
        ObjectNode next = wave(start("eval-composite", "{\"alarms\": [\"web-health\"]}"), "token-1", Set.of());
        assertEquals("CONTINUE", next.path("decision").asText(), next::toString);
        t.aws().cloudWatch().setCompositeAlarm("web-health", "ALARM");

        ObjectNode after = wave(next, "token-2", Set.of());

        assertEquals("BREACH", after.path("decision").asText(), "a composite alarm is an alarm: " + after);
        assertEquals("alarm in ALARM: web-health",
                Json.parse(t.store().getRun("eval-composite").orElseThrow().breachJson()).path("reason").asText());
    }

    @Test
    void theLastWaveWithinTheBudgetIsDone() {
        ObjectNode state = start("eval-4", "{}");
        ObjectNode w1 = wave(state, "token-1", Set.of());
        ObjectNode w2 = wave(w1, "token-2", Set.of(ids.get(1)));
        assertEquals("CONTINUE", w2.path("decision").asText());

        ObjectNode w3 = wave(w2, "token-3", Set.of());

        assertEquals("DONE", w3.path("decision").asText(), w3::toString);
        assertEquals(3, w3.path("cursor").path("wave").asInt());
        assertEquals(3, t.aws().events().entries(Notifier.WAVE_COMPLETED).size());
        assertTrue(t.aws().events().entries(Notifier.RUN_BREACHED).isEmpty());
    }

    @Test
    void theApprovalGateSitsAfterTheWaveTheRequestNames() {
        ObjectNode state = start("eval-5", "{\"approvalAfterWave\": 1}");

        ObjectNode w1 = wave(state, "token-1", Set.of());
        ObjectNode w2 = wave(w1, "token-2", Set.of());

        assertTrue(w1.path("approvalRequired").asBoolean(), w1::toString);
        assertEquals(2, w1.path("cursor").path("wave").asInt());
        assertFalse(w2.path("approvalRequired").asBoolean(), "only after wave 1");
    }

    @Test
    void inTheRollbackPhaseEvaluateWalksTheRollbackWavesAndThenEnds() {
        // 52 nodes at a concurrency of 1: waves of 50 and 2; 51 succeed, so the rollback needs waves of 50 and 1.
        ids = t.addNodes(52, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("maxConcurrency", "1").put("maxErrors", "0").putArray("waves").add("100%");
        request.putObject("rollback").putArray("commands").add("undo");
        request.putArray("alarms").add("app-5xx-high");
        t.aws().cloudWatch().setAlarm("app-5xx-high", "OK");
        ObjectNode state = steps.started("eval-6", request);
        ObjectNode w1 = wave(state, "token-1", Set.of());
        ObjectNode w2 = wave(w1, "token-2", Set.of(ids.get(51)));
        assertEquals("BREACH", w2.path("decision").asText(), w2::toString);
        ObjectNode rollback = (ObjectNode) steps.rollback.handle(w2);
        assertEquals(2, rollback.path("rollbackWaveCount").asInt(), rollback::toString);
        int alarmsQueried = t.aws().requests("DescribeAlarms").size();
        assertEquals(1 + 2, alarmsQueried, "once at the start (StartRun checks the names), then once per main wave");
        int waveEvents = t.aws().events().entries(Notifier.WAVE_COMPLETED).size();

        ObjectNode r1 = wave(rollback, "rollback-1", Set.of());
        ObjectNode r2 = wave(r1, "rollback-2", Set.of());

        assertEquals("CONTINUE", r1.path("decision").asText(), r1::toString);
        assertEquals(Json.parse("{\"phase\":\"rollback\",\"wave\":2}"), r1.path("cursor"));
        assertEquals("DONE", r2.path("decision").asText(), r2::toString);
        assertEquals(alarmsQueried, t.aws().requests("DescribeAlarms").size(), "a rollback does not stop for alarms");
        assertEquals(waveEvents, t.aws().events().entries(Notifier.WAVE_COMPLETED).size());
        assertNotNull(t.store().getRun("eval-6").orElseThrow().breachJson());
    }
}
