package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.eventually;
import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static dev.fleetrun.local.ssm.SsmSimulation.one;
import static dev.fleetrun.local.ssm.SsmSimulation.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;

/**
 * Every status SSM reports, each reached through a node profile of the fleet file (local/FLEET.md),
 * with the status-change events it produces compared field by field with the shapes of
 * shared/reference/ssm-events-examples.json (a copy is under src/test/resources/ssm/).
 */
class StatusesComponentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode commandExample;
    private static JsonNode invocationExample;
    private SsmSimulation sim;

    @BeforeAll
    static void examples() throws IOException {
        try (InputStream in = StatusesComponentTest.class.getClassLoader()
                .getResourceAsStream("ssm/ssm-events-examples.json")) {
            JsonNode examples = JSON.readTree(in);
            commandExample = examples.get(0);
            invocationExample = examples.get(1);
        }
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** Status / StatusDetails / ResponseCode of the invocation on node 1, from ListCommandInvocations. */
    private String invocationOf(String commandId) {
        CommandInvocation invocation = sim.client.listCommandInvocations(r -> r.commandId(commandId).details(true))
                .commandInvocations().get(0);
        return invocation.statusAsString() + "/" + invocation.statusDetails() + "/"
                + invocation.commandPlugins().get(0).responseCode();
    }

    private String commandOf(String commandId) {
        Command command = sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0);
        return command.statusAsString() + "/" + command.statusDetails();
    }

    /** Every event of the command has the shape of AWS's example of its detail type, field by field. */
    private void assertEventShapes(String commandId) {
        List<JsonNode> events = sim.events().stream()
                .filter(e -> e.path("detail").path("command-id").asText().equals(commandId)).toList();
        assertTrue(!events.isEmpty(), "the command produced events");
        for (JsonNode event : events) {
            boolean invocation = event.path("detail").has("instance-id");
            JsonNode example = invocation ? invocationExample : commandExample;
            assertEquals(keys(example, "_source"), keys(event, "_source"), "envelope fields of " + event);
            assertEquals(keys(example.get("detail"), ""), keys(event.get("detail"), ""), "detail fields of " + event);
            for (String same : List.of("version", "detail-type", "source", "account", "region")) {
                assertEquals(example.get(same), event.get(same), same + " of " + event);
            }
            assertTrue(event.get("id").asText().matches("[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}"), event.toString());
            assertTrue(event.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), event.toString());
            for (JsonNode resource : event.get("resources")) {
                assertTrue(resource.asText().matches("arn:aws:ec2:us-east-1:123456789012:instance/i-\\w{17}"), resource.asText());
            }
            JsonNode detail = event.get("detail");
            assertEquals(commandId, detail.get("command-id").asText());
            assertTrue(detail.get("requested-date-time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
            if (invocation) {
                assertEquals(List.of("arn:aws:ec2:us-east-1:123456789012:instance/" + detail.get("instance-id").asText()),
                        List.of(event.get("resources").get(0).asText()));
                assertTrue(List.of("InProgress", "Success", "Failed", "TimedOut", "Cancelled")
                        .contains(detail.get("status").asText()), "a coarse status: " + detail);
            } else {
                assertTrue(detail.get("expire-after").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
                detail.get("parameters").properties().forEach(p -> p.getValue().forEach(v -> assertTrue(v.isTextual())));
                assertTrue(List.of("InProgress", "Success", "Failed", "TimedOut", "Cancelled")
                        .contains(detail.get("status").asText()), "a coarse status: " + detail);
            }
        }
    }

    private static Set<String> keys(JsonNode node, String except) {
        Set<String> keys = new TreeSet<>();
        Iterator<String> names = node.fieldNames();
        names.forEachRemaining(keys::add);
        keys.remove(except);
        return keys;
    }

    @Test
    void pendingOnAnOfflineNodeThenDeliveryTimedOut() {
        sim = SsmSimulation.start(one(NodeProfile.offlineNode()));
        String commandId = sim.send(List.of(id(1)), List.of("true"), r -> r.timeoutSeconds(30));

        String pending = invocationOf(commandId) + " " + commandOf(commandId);
        sim.await(commandId);

        assertEquals("Pending/Pending/-1 Pending/Pending", pending);
        assertEquals("TimedOut/DeliveryTimedOut/-1 TimedOut/DeliveryTimedOut",
                invocationOf(commandId) + " " + commandOf(commandId));
        assertEquals(List.of(id(1) + " TimedOut", "command TimedOut"), sim.eventLines(commandId));
        assertEventShapes(commandId);
    }

    @Test
    void inProgressThenSuccessThenFailed() {
        sim = SsmSimulation.start(Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), NodeProfile.slow(Duration.ofSeconds(20))),
                FleetNode.linux(id(2), Map.of(), NodeProfile.failing(4)))));
        String slow = sim.send(List.of(id(1)), "echo done");
        eventually("the slow node took it up", () -> invocationOf(slow).startsWith("InProgress/InProgress"));
        String running = commandOf(slow);
        sim.await(slow);
        String failed = sim.send(List.of(id(2)), "echo never");
        sim.await(failed);

        assertEquals("InProgress/InProgress", running);
        assertEquals("Success/Success/0 Success/Success", invocationOf(slow) + " " + commandOf(slow));
        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " Success", "command Success"),
                sim.eventLines(slow));
        assertEquals("Failed/Failed", commandOf(failed));
        assertEquals(List.of(id(2) + " InProgress", "command InProgress", id(2) + " Failed", "command Failed"),
                sim.eventLines(failed));
        assertEventShapes(slow);
        assertEventShapes(failed);
    }

    @Test
    void delayedWhileDeliveryFailsThenDelivered() {
        sim = SsmSimulation.start(one(NodeProfile.delayedDelivery(2)));
        String commandId = sim.send(List.of(id(1)), "echo finally");

        String delayed = invocationOf(commandId) + " " + commandOf(commandId);
        List<String> listedDelayed = sim.client.listCommandInvocations(r -> r.commandId(commandId)
                .filters(f -> f.key("Status").value("Delayed"))).commandInvocations().stream()
                .map(CommandInvocation::instanceId).toList();
        sim.await(commandId);

        assertEquals("Delayed/Delayed/-1 InProgress/InProgress", delayed, "the plugin shows Pending meanwhile");
        assertEquals(List.of(id(1)), listedDelayed);
        assertEquals("Success/Success/0", invocationOf(commandId));
        assertEquals("finally\n", sim.invocation(commandId, id(1)).standardOutputContent());
        assertEquals(List.of("command InProgress", id(1) + " InProgress", id(1) + " Success", "command Success"),
                sim.eventLines(commandId), "Delayed itself is not announced");
        assertEventShapes(commandId);
    }

    @Test
    void undeliverableAfterSsmGivesUpAndNotAnErrorForMaxErrors() {
        sim = SsmSimulation.start(Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), NodeProfile.undeliverableNode()),
                FleetNode.linux(id(2), Map.of(), NodeProfile.HEALTHY))));
        String commandId = sim.send(ids(2), List.of("echo hi"), r -> r.maxErrors("0"));
        CommandRollup rollup = sim.await(commandId);

        CommandInvocation undeliverable = sim.client.listCommandInvocations(r -> r.commandId(commandId)
                .instanceId(id(1))).commandInvocations().get(0);
        assertEquals(List.of("Failed", "Undeliverable"), List.of(undeliverable.statusAsString(),
                undeliverable.statusDetails()));
        assertEquals(-1, sim.invocation(commandId, id(1)).responseCode());
        assertEquals("Success", sim.invocation(commandId, id(2)).statusAsString(), "MaxErrors 0 did not stop it");
        assertEquals(0, rollup.errorCount());
        assertTrue(sim.eventLines(commandId).contains(id(1) + " Failed"), sim.eventLines(commandId).toString());
        assertEventShapes(commandId);
    }

    @Test
    void accessDeniedAtOnceAndNotAnError() {
        sim = SsmSimulation.start(one(NodeProfile.accessDeniedNode()));
        String commandId = sim.send(List.of(id(1)), "touch ran");
        sim.await(commandId);

        assertEquals("Failed/AccessDenied/-1 Failed/Failed", invocationOf(commandId) + " " + commandOf(commandId));
        assertEquals(0, sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0).errorCount());
        assertTrue(sim.invocation(commandId, id(1)).standardErrorContent().contains("access-denied profile"));
        assertEquals(List.of(id(1) + " Failed", "command Failed"), sim.eventLines(commandId));
        assertTrue(!Files.exists(sim.ssm.home(id(1)).resolve("ran")));
        assertEventShapes(commandId);
    }

    @Test
    void invalidPlatformForAShellScriptToWindows() {
        sim = SsmSimulation.start(Fleet.of(List.of(new FleetNode(id(1), "Windows", "Online", Map.of(),
                NodeProfile.HEALTHY))));
        String commandId = sim.send(List.of(id(1)), "uname");
        sim.await(commandId);

        assertEquals("Failed/InvalidPlatform/-1 Failed/Failed", invocationOf(commandId) + " " + commandOf(commandId));
        assertEquals(List.of(id(1) + " Failed", "command Failed"), sim.eventLines(commandId));
        assertEventShapes(commandId);
    }

    @Test
    void executionTimedOutCountsAsAnError() {
        sim = SsmSimulation.start(one(NodeProfile.HEALTHY), ssm -> ssm.time(SsmTime.scaled(5)));
        List<String> commands = List.of("sleep 30");
        String commandId = sim.send(List.of(id(1)), commands, r -> r.parameters(Map.of("commands", commands,
                "executionTimeout", List.of("5"))));
        sim.await(commandId);

        assertEquals("TimedOut/ExecutionTimedOut/137 Failed/Failed", invocationOf(commandId) + " " + commandOf(commandId));
        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " TimedOut", "command Failed"),
                sim.eventLines(commandId));
        assertEventShapes(commandId);
    }

    @Test
    void cancellingWhileTheNodeCannotReportThenCancelled() throws IOException {
        sim = SsmSimulation.start(one(NodeProfile.HEALTHY));
        String commandId = sim.send(List.of(id(1)), "touch started", "sleep 30");
        eventually("the script started", () -> Files.exists(sim.ssm.home(id(1)).resolve("started")));
        sim.ssm.takeOffline(id(1));

        sim.client.cancelCommand(r -> r.commandId(commandId));
        String cancelling = invocationOf(commandId) + " " + commandOf(commandId);
        sim.ssm.bringOnline(id(1));
        sim.await(commandId);

        assertEquals("Cancelling/Cancelling/-1 Cancelling/Cancelling", cancelling);
        assertEquals("Cancelled/Cancelled/1 Cancelled/Cancelled", invocationOf(commandId) + " " + commandOf(commandId));
        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " Cancelled", "command Cancelled"),
                sim.eventLines(commandId), "Cancelling is not announced");
        assertEventShapes(commandId);
    }

    @Test
    void terminatedWhenMaxErrorsStopsTheCommand() {
        sim = SsmSimulation.start(Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), NodeProfile.failing(1)),
                FleetNode.linux(id(2), Map.of(), NodeProfile.HEALTHY))));
        String commandId = sim.send(ids(2), List.of("true"), r -> r.maxConcurrency("1"));
        sim.await(commandId);

        CommandInvocation terminated = sim.client.listCommandInvocations(r -> r.commandId(commandId).instanceId(id(2)))
                .commandInvocations().get(0);
        assertEquals(List.of("Cancelled", "Terminated"), List.of(terminated.statusAsString(), terminated.statusDetails()));
        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " Failed", id(2) + " Cancelled",
                "command Failed"), sim.eventLines(commandId));
        assertEventShapes(commandId);
    }

    @Test
    void ssmRampsUpOneNodeThenTwoMoreThenFourBeforeMaxConcurrency() {
        sim = SsmSimulation.start(SsmSimulation.nodes(7));
        String commandId = sim.send(ids(7), List.of("sleep 0.5"), r -> r.maxConcurrency("7"));
        sim.await(commandId);

        List<String> started = new ArrayList<>();
        for (String line : sim.eventLines(commandId)) {
            if (line.endsWith(" InProgress") && !line.startsWith("command")) {
                started.add(line.substring(0, line.indexOf(' ')));
            }
        }
        assertEquals(id(1), started.get(0), "one node first");
        assertEquals(Set.of(id(2), id(3)), Set.copyOf(started.subList(1, 3)), "then two more");
        assertEquals(Set.of(id(4), id(5), id(6), id(7)), Set.copyOf(started.subList(3, 7)), "then four more");
    }
}
