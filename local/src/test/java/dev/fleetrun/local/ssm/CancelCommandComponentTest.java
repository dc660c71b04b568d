package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.eventually;
import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static dev.fleetrun.local.ssm.SsmSimulation.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidCommandIdException;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;

/** CancelCommand kills what runs and stops what was not sent yet. */
class CancelCommandComponentTest {
    private SsmSimulation sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private String sendLongScript(List<String> instanceIds, String maxConcurrency) {
        return sim.send(instanceIds, List.of("touch started", "echo started", "sleep 30", "touch finished"),
                r -> r.maxConcurrency(maxConcurrency));
    }

    private void awaitStarted(String instanceId) {
        eventually(instanceId + " runs the script", () -> Files.exists(sim.ssm.home(instanceId).resolve("started")));
    }

    @Test
    void killsARunningScriptAndEndsItCancelled() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        String commandId = sendLongScript(List.of(id(1)), "50");
        awaitStarted(id(1));

        sim.client.cancelCommand(r -> r.commandId(commandId));
        CommandRollup rollup = sim.await(commandId);

        GetCommandInvocationResponse invocation = sim.invocation(commandId, id(1));
        assertEquals(List.of("Cancelled", "Cancelled", "1"), List.of(invocation.statusAsString(),
                invocation.statusDetails(), String.valueOf(invocation.responseCode())));
        assertEquals("Cancelled", rollup.status());
        eventually("the script and its sleep are gone", () -> SsmSimulation.processesOf(commandId).isEmpty());
        assertFalse(Files.exists(sim.ssm.home(id(1)).resolve("finished")));
        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " Cancelled", "command Cancelled"),
                sim.eventLines(commandId));
    }

    @Test
    void invocationsNotSentYetAreCancelledWithoutRunning() {
        sim = SsmSimulation.start(SsmSimulation.nodes(3));
        String commandId = sendLongScript(ids(3), "1");
        awaitStarted(id(1));

        sim.client.cancelCommand(r -> r.commandId(commandId));
        sim.await(commandId);

        for (String id : List.of(id(2), id(3))) {
            GetCommandInvocationResponse invocation = sim.invocation(commandId, id);
            assertEquals(List.of("Cancelled", "-1"), List.of(invocation.statusAsString(),
                    String.valueOf(invocation.responseCode())));
            assertFalse(Files.exists(sim.ssm.home(id).resolve("started")), id + " never ran it");
        }
    }

    @Test
    void cancellingSomeNodesLeavesTheOthersToFinish() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(2));
        String gate = sim.scratch("go");
        String commandId = sim.send(ids(2), "touch started",
                "while [ ! -f " + gate + " ]; do sleep 0.02; done", "echo done");
        awaitStarted(id(1));
        awaitStarted(id(2));

        sim.client.cancelCommand(r -> r.commandId(commandId).instanceIds(id(2)));
        eventually(id(2) + " is cancelled", () -> sim.invocation(commandId, id(2)).statusAsString().equals("Cancelled"));
        Files.createFile(Path.of(gate));
        sim.await(commandId);

        assertEquals("done\n", sim.invocation(commandId, id(1)).standardOutputContent());
        assertEquals("Success", sim.invocation(commandId, id(1)).statusAsString());
        Command command = sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0);
        assertEquals("Cancelled", command.statusAsString());
    }

    @Test
    void aFinishedInvocationKeepsItsStatus() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        String commandId = sim.send(List.of(id(1)), "echo quick");
        sim.await(commandId);

        sim.client.cancelCommand(r -> r.commandId(commandId));

        assertEquals("Success", sim.invocation(commandId, id(1)).statusAsString());
        assertEquals("Success", sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0).statusAsString());
    }

    @Test
    void refusesUnknownCommandsAndNodesTheCommandWasNotSentTo() {
        sim = SsmSimulation.start(SsmSimulation.nodes(2));
        String commandId = sim.send(List.of(id(1)), "true");

        assertThrows(InvalidCommandIdException.class,
                () -> sim.client.cancelCommand(r -> r.commandId("00000000-0000-0000-0000-000000000000")));
        assertThrows(InvalidInstanceIdException.class,
                () -> sim.client.cancelCommand(r -> r.commandId(commandId).instanceIds(id(2))));
    }
}
