package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.local.ssm.InvocationOutcome;
import dev.fleetrun.testing.TestServices;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run request is checked against the deployment's allow-list once, at the start: the steps after StartRun read
 * the stored request back without checking it against the list of the moment, so a deploy that narrows
 * {@code FLEETRUN_ALLOWED_DOCUMENTS} leaves the runs in flight alone.
 */
class StoredRequestComponentTest {
    private final TestServices t = TestServices.start(Map.of("FLEETRUN_ALLOWED_DOCUMENTS", "AWS-RunShellScript,MyOrg-Patch"));
    private final HandlerSteps before = new HandlerSteps(t);

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aDeployThatNarrowsTheAllowedDocumentsDoesNotFailARunInFlight() {
        t.ssm().addDocument("MyOrg-Patch", "patch");
        List<String> ids = t.addNodes(2, Map.of());
        ObjectNode request = HandlerSteps.request(ids);
        request.remove("commands");
        request.set("document", Json.parse("{\"name\": \"MyOrg-Patch\", \"parameters\": {\"action\": [\"apply\"]}}"));
        request.set("rollback", Json.parse("{\"document\": {\"name\": \"MyOrg-Patch\", \"parameters\": {\"action\": [\"revert\"]}}}"));
        request.put("maxErrors", "0").putArray("waves").add(1).add(1);
        ObjectNode state = before.started("deploy-1", request);
        // The deploy: MyOrg-Patch is no longer allowed for new runs.
        HandlerSteps after = new HandlerSteps(t, t.servicesConfiguredBy(Map.of("FLEETRUN_ALLOWED_DOCUMENTS", "AWS-RunShellScript")));

        ObjectNode wave2 = (ObjectNode) after.evaluate.handle(after.runWave(state, "token-1", id -> InvocationOutcome.success("ok")));
        assertEquals("CONTINUE", wave2.path("decision").asText(), wave2::toString);
        ObjectNode breached = (ObjectNode) after.evaluate.handle(after.runWave(wave2, "token-2",
                HandlerSteps.succeedExcept(Set.of(ids.get(1)), InvocationOutcome.failed(1, "patch failed"))));
        assertEquals("BREACH", breached.path("decision").asText(), breached::toString);
        ObjectNode rollback = (ObjectNode) after.rollback.handle(breached);
        assertEquals("ROLLBACK", rollback.path("decision").asText(), rollback::toString);
        after.send(rollback, "token-3");

        assertEquals(List.of("MyOrg-Patch", "MyOrg-Patch", "MyOrg-Patch"), t.aws().requests("SendCommand").stream()
                .map(r -> r.input().path("DocumentName").asText()).toList(), "both waves and the rollback were sent");
        assertEquals(List.of("apply", "apply", "revert"), t.aws().requests("SendCommand").stream()
                .map(r -> r.input().path("Parameters").path("action").get(0).asText()).toList());
    }
}
