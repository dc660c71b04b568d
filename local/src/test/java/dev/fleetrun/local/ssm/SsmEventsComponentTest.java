package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static dev.fleetrun.local.ssm.SsmSimulation.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every status change is announced as the EventBridge event SSM would emit, in order. */
class SsmEventsComponentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private SsmSimulation sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(Path.of(System.getProperty("fleetrun.root"), "events", "ssm", name).toFile());
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        Iterator<String> names = node.fieldNames();
        names.forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void announcesInvocationsStartingAndEndingAndEveryCommandStatusInOrder() {
        sim = SsmSimulation.start(SsmSimulation.nodes(2));

        String commandId = sim.send(ids(2), List.of("[ $FLEETRUN_INSTANCE_ID = " + id(1) + " ]"),
                r -> r.maxConcurrency("1").maxErrors("1"));
        sim.await(commandId);

        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " Success",
                id(2) + " InProgress", id(2) + " Failed", "command Failed"), sim.eventLines(commandId));
    }

    @Test
    void eventsHaveTheShapesOfSsmsOwn() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(2));

        String commandId = sim.send(ids(2), List.of("true"), r -> r.timeoutSeconds(600)
                .parameters(Map.of("commands", List.of("true"), "executionTimeout", List.of("3600"))));
        sim.await(commandId);

        List<JsonNode> events = sim.events();
        JsonNode invocation = events.stream().filter(e -> e.path("detail").path("status").asText().equals("Success")
                && e.path("detail").has("instance-id")).findFirst().orElseThrow();
        JsonNode command = events.get(events.size() - 1);
        JsonNode invocationFixture = fixture("invocation-success.json");
        JsonNode commandFixture = fixture("command-success.json");
        assertEquals(keys(invocationFixture), keys(invocation));
        assertEquals(keys(invocationFixture.get("detail")), keys(invocation.get("detail")));
        assertEquals(keys(commandFixture), keys(command));
        assertEquals(keys(commandFixture.get("detail")), keys(command.get("detail")));
        assertEquals(invocationFixture.get("detail-type"), invocation.get("detail-type"));
        assertEquals(commandFixture.get("detail-type"), command.get("detail-type"));
        assertEquals("aws.ssm", command.get("source").asText());
        assertEquals("Success", command.get("detail").get("status").asText());
        assertEquals(JSON.valueToTree(Map.of("commands", List.of("true"), "executionTimeout", List.of("3600"))),
                command.get("detail").get("parameters"));
        assertEquals(List.of("arn:aws:ec2:us-east-1:123456789012:instance/" + id(1),
                "arn:aws:ec2:us-east-1:123456789012:instance/" + id(2)),
                JSON.convertValue(command.get("resources"), List.class));
        assertTrue(command.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                command.get("time").asText());
        assertTrue(command.get("detail").get("expire-after").asText()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0).requestedDateTime()
                .toEpochMilli(), java.time.Instant.parse(invocation.get("detail").get("requested-date-time").asText())
                .toEpochMilli());
    }

    @Test
    void announcesTerminatedAndTimedOutInvocationsToo() {
        sim = SsmSimulation.start(Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), NodeProfile.failing(1)),
                FleetNode.linux(id(2), Map.of(), NodeProfile.HEALTHY))));
        String terminated = sim.send(ids(2), List.of("true"), r -> r.maxConcurrency("1"));
        sim.await(terminated);
        sim.ssm.takeOffline(id(2));
        String timedOut = sim.send(List.of(id(2)), List.of("true"), r -> r.timeoutSeconds(30));
        sim.await(timedOut);

        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " Failed", id(2) + " Cancelled",
                "command Failed"), sim.eventLines(terminated));
        assertEquals(List.of(id(2) + " TimedOut", "command TimedOut"), sim.eventLines(timedOut));
    }

    @Test
    void aSinkMayCallSsmBackWhileHandlingAnEvent() {
        sim = SsmSimulation.start(SsmSimulation.nodes(3));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        sim.onEvent(event -> {
            JsonNode detail = event.path("detail");
            if (detail.has("instance-id") && detail.path("status").asText().equals("Success")) {
                seen.add(sim.invocation(detail.get("command-id").asText(), detail.get("instance-id").asText())
                        .standardOutputContent());
            }
        });

        String commandId = sim.send(ids(3), "echo from $FLEETRUN_INSTANCE_ID");
        sim.await(commandId);
        sim.events();

        assertEquals(List.of("from " + id(1) + "\n", "from " + id(2) + "\n", "from " + id(3) + "\n"),
                seen.stream().sorted().toList());
        assertTrue(sim.ssm.eventSinkFailures().isEmpty());
    }
}
