package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.records.Lease;
import dev.fleetrun.testing.FakeEventBridge.PutEvent;
import dev.fleetrun.testing.FakeSns.Published;
import dev.fleetrun.testing.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The approval gate: the token the workflow waits on is kept on the run (where {@code fleetrun
 * approve} finds it), and the gate is announced with the command that opens it.
 */
class RequestApprovalComponentTest {
    private final TestServices t = TestServices.start();
    private final HandlerSteps steps = new HandlerSteps(t);

    @AfterEach
    void close() {
        t.close();
    }

    /** The Hold step: decides what the state waits on; it must be {@code expected}. */
    private ObjectNode hold(ObjectNode state, String expected) {
        ObjectNode input = dev.fleetrun.aws.Json.object();
        input.set("state", state);
        ObjectNode held = (ObjectNode) steps.requestApproval.handle(input);
        assertEquals(expected, held.path("hold").asText(), held::toString);
        return held;
    }

    @Test
    void anApprovalTimeoutBelowItsRangeOrWithoutAGateIsRefused() {
        List<String> ids = t.addNodes(2, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.putObject("approval").put("timeoutSeconds", 5).put("onTimeout", "later");
        dev.fleetrun.domain.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.fleetrun.domain.InvalidInputException.class,
                () -> new dev.fleetrun.domain.RunRequestParser(dev.fleetrun.domain.RunRequestParser.DEFAULT_ALLOWED_DOCUMENTS).parse(request));
        String message = e.getMessage();
        assertTrue(message.contains("approval.timeoutSeconds"), message);
        assertTrue(message.contains("approval.onTimeout: must be \"fail\""), message);
        assertTrue(message.contains("the request has no gate: give approvalAfterWave"), message);
    }

    @Test
    void theGateKeepsEveryNodeLeasedForAsLongAsItMayWait() {
        List<String> ids = t.addNodes(3, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("approvalAfterWave", 1);
        ObjectNode afterWave1 = steps.succeedWaveAndEvaluate(steps.started("gated-lease", request), "token-1");

        steps.requestApproval.handle(HandlerSteps.sendInput(hold(afterWave1, "APPROVAL"), "approval-token-1"));

        Instant gateEnds = t.clock().instant().plus(Duration.ofDays(7));
        for (String id : ids) {
            Lease lease = t.store().leaseHolder(id).orElseThrow();
            assertEquals("gated-lease", lease.runId());
            assertTrue(lease.until().isAfter(gateEnds), id + " is leased only until " + lease.until());
        }
    }

    @Test
    void theGateRecordsItsTokenOnTheRunAndSaysHowToApprove() {
        List<String> ids = t.addNodes(3, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.put("approvalAfterWave", 1);
        ObjectNode state = steps.started("gated-1", request);
        ObjectNode afterWave1 = steps.succeedWaveAndEvaluate(state, "token-1");
        assertTrue(afterWave1.path("approvalRequired").asBoolean(), afterWave1::toString);

        JsonNode out = steps.requestApproval.handle(HandlerSteps.sendInput(hold(afterWave1, "APPROVAL"), "approval-token-1"));

        assertTrue(out.path("waiting").asBoolean(), out::toString);
        assertEquals("approval-token-1", t.store().getRun("gated-1").orElseThrow().approvalToken());
        List<PutEvent> asked = t.aws().events().entries(Notifier.APPROVAL_REQUESTED);
        assertEquals(1, asked.size());
        assertEquals("gated-1", asked.get(0).detail().path("runId").asText());
        assertEquals(1, asked.get(0).detail().path("afterWave").asInt());
        assertEquals(2, asked.get(0).detail().path("nextWave").asInt());
        List<Published> alerts = t.aws().sns().published();
        assertEquals(1, alerts.size());
        assertEquals(TestServices.ALERT_TOPIC_ARN, alerts.get(0).topicArn());
        assertTrue(alerts.get(0).message().contains("fleetrun approve gated-1"), alerts.get(0).message());
        assertTrue(alerts.get(0).message().contains("fleetrun stop gated-1"), alerts.get(0).message());
        assertTrue(t.aws().requests("SendCommand").stream().noneMatch(r -> r.input().path("Comment").asText().contains("wave 2")),
                "nothing of wave 2 is sent while the gate is closed");

        ObjectNode failed = afterWave1.deepCopy();
        failed.putObject("failure").put("Error", "Fleetrun.ApprovalRejected").put("Cause", "not today");
        steps.finish.handle(failed);
        assertNull(t.store().getRun("gated-1").orElseThrow().approvalToken(), "a finished run waits for nothing");
    }
}
