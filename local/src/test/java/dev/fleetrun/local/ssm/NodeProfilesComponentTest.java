package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.eventually;
import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static dev.fleetrun.local.ssm.SsmSimulation.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;

/** Nodes that are offline, taken offline mid-run, slow, failing or flaky, as their profiles say. */
class NodeProfilesComponentTest {
    private SsmSimulation sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aCommandToAnOfflineNodeStaysPendingUntilItsDeliveryTimeout() {
        sim = SsmSimulation.start(one(NodeProfile.offlineNode()));

        String commandId = sim.send(List.of(id(1)), List.of("touch ran"), r -> r.timeoutSeconds(30));
        GetCommandInvocationResponse pending = sim.invocation(commandId, id(1));
        CommandRollup rollup = sim.await(commandId);

        assertEquals("ConnectionLost", sim.ssm.node(id(1)).pingStatus());
        assertEquals(CommandInvocationStatus.PENDING, pending.status());
        GetCommandInvocationResponse timedOut = sim.invocation(commandId, id(1));
        assertEquals(List.of("TimedOut", "DeliveryTimedOut", "-1"), List.of(timedOut.statusAsString(),
                timedOut.statusDetails(), String.valueOf(timedOut.responseCode())));
        assertEquals(List.of("TimedOut", "DeliveryTimedOut"), List.of(rollup.status(), rollup.statusDetails()));
        assertEquals(List.of(1, 0), List.of(rollup.deliveryTimedOutCount(), rollup.errorCount()),
                "a delivery timeout does not count against MaxErrors");
        assertFalse(Files.exists(sim.ssm.home(id(1)).resolve("ran")));
    }

    @Test
    void aNodeBroughtBackBeforeTheDeliveryTimeoutRunsThePendingCommand() {
        sim = SsmSimulation.start(one(NodeProfile.offlineNode()));
        String commandId = sim.send(List.of(id(1)), List.of("echo caught up"), r -> r.timeoutSeconds(600));

        sim.ssm.bringOnline(id(1));
        sim.await(commandId);

        assertEquals("caught up\n", sim.invocation(commandId, id(1)).standardOutputContent());
        assertEquals("Online", sim.ssm.node(id(1)).pingStatus());
    }

    @Test
    void offlineNodesHoldNoConcurrencySlot() {
        sim = SsmSimulation.start(Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), NodeProfile.offlineNode()),
                FleetNode.linux(id(2), Map.of(), NodeProfile.HEALTHY))));

        String commandId = sim.send(List.of(id(1), id(2)), List.of("true"), r -> r.maxConcurrency("1").timeoutSeconds(30));
        sim.await(commandId);

        assertEquals("Success", sim.invocation(commandId, id(2)).statusAsString());
        assertEquals("DeliveryTimedOut", sim.invocation(commandId, id(1)).statusDetails());
    }

    /** A script that says it started and then waits for the test to let it finish. */
    private String sendGatedScript(int timeoutSeconds, int executionTimeout) {
        List<String> commands = List.of("touch started", "while [ ! -f " + sim.scratch("go") + " ]; do sleep 0.02; done",
                "echo finished", "touch finished");
        return sim.send(List.of(id(1)), commands, r -> r.timeoutSeconds(timeoutSeconds).parameters(Map.of(
                "commands", commands, "executionTimeout", List.of(String.valueOf(executionTimeout)))));
    }

    private void letItFinish() throws IOException {
        Files.createFile(Path.of(sim.scratch("go")));
        eventually("the script finished", () -> Files.exists(sim.ssm.home(id(1)).resolve("finished")));
    }

    @Test
    void aNodeTakenOfflineMidRunFinishesItsScriptAndReportsWhenItIsBack() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        String commandId = sendGatedScript(600, 3600);
        eventually("the script started", () -> Files.exists(sim.ssm.home(id(1)).resolve("started")));

        sim.ssm.takeOffline(id(1));
        letItFinish();
        GetCommandInvocationResponse whileOffline = sim.invocation(commandId, id(1));
        sim.ssm.bringOnline(id(1));
        sim.await(commandId);

        assertEquals(CommandInvocationStatus.IN_PROGRESS, whileOffline.status());
        GetCommandInvocationResponse reported = sim.invocation(commandId, id(1));
        assertEquals(CommandInvocationStatus.SUCCESS, reported.status());
        assertEquals("finished\n", reported.standardOutputContent());
    }

    @Test
    void aNodeThatStaysOfflineEndsDeliveryTimedOutAtExpiryThoughItsScriptRan() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        String commandId = sendGatedScript(30, 40);
        eventually("the script started", () -> Files.exists(sim.ssm.home(id(1)).resolve("started")));

        sim.ssm.takeOffline(id(1));
        letItFinish();
        sim.await(commandId);

        GetCommandInvocationResponse invocation = sim.invocation(commandId, id(1));
        assertEquals(List.of("TimedOut", "DeliveryTimedOut"), List.of(invocation.statusAsString(),
                invocation.statusDetails()));
        assertTrue(Files.exists(sim.ssm.home(id(1)).resolve("finished")), "DeliveryTimedOut does not mean it did not run");
    }

    @Test
    void aSlowNodeIsInProgressBeforeItsScriptStartsAndStillFinishes() {
        Fleet fleet = Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), NodeProfile.slow(Duration.ofHours(1))),
                FleetNode.linux(id(2), Map.of(), NodeProfile.slow(Duration.ofSeconds(2)))));
        sim = SsmSimulation.start(fleet);

        String verySlow = sim.send(List.of(id(1)), "touch ran");
        String slow = sim.send(List.of(id(2)), "echo eventually");
        eventually("the very slow node took the command",
                () -> sim.invocation(verySlow, id(1)).status() == CommandInvocationStatus.IN_PROGRESS);
        sim.await(slow);

        assertFalse(Files.exists(sim.ssm.home(id(1)).resolve("ran")), "an hour (3 real minutes) has not passed");
        assertEquals("eventually\n", sim.invocation(slow, id(2)).standardOutputContent());
    }

    @Test
    void aFailingNodeFailsEveryRunWithItsExitCodeWithoutRunningTheScript() {
        sim = SsmSimulation.start(one(NodeProfile.failing(3)));

        GetCommandInvocationResponse first = sim.run(id(1), "touch ran");
        GetCommandInvocationResponse second = sim.run(id(1), "touch ran");

        for (GetCommandInvocationResponse invocation : List.of(first, second)) {
            assertEquals(List.of("Failed", "Failed", "3"), List.of(invocation.statusAsString(),
                    invocation.statusDetails(), String.valueOf(invocation.responseCode())));
            assertTrue(invocation.standardErrorContent().contains("failing profile"), invocation.standardErrorContent());
        }
        assertFalse(Files.exists(sim.ssm.home(id(1)).resolve("ran")));
    }

    private List<String> flakyOutcomes() {
        List<String> outcomes = new ArrayList<>();
        for (int run = 0; run < 12; run++) {
            GetCommandInvocationResponse invocation = sim.run(id(1), "true");
            outcomes.add(invocation.statusAsString() + " " + invocation.responseCode());
        }
        return outcomes;
    }

    @Test
    void aFlakyNodeFailsAShareOfItsRunsTheSameWayEveryTime() {
        NodeProfile flaky = NodeProfile.flaky(0.5, 7, 42);
        sim = SsmSimulation.start(one(flaky));
        List<String> first = flakyOutcomes();
        sim.close();
        sim = SsmSimulation.start(one(flaky));
        List<String> again = flakyOutcomes();
        sim.close();
        sim = SsmSimulation.start(one(NodeProfile.flaky(0.5, 7, 43)));
        List<String> otherSeed = flakyOutcomes();

        assertEquals(first, again);
        assertTrue(first.contains("Failed 7") && first.contains("Success 0"), first.toString());
        assertEquals(List.of(), first.stream().filter(o -> !o.equals("Failed 7") && !o.equals("Success 0")).toList());
        assertNotEquals(first, otherSeed);
    }

    @Test
    void listCommandsShowsAnOfflineCommandExecutingUntilItTimesOut() {
        sim = SsmSimulation.start(one(NodeProfile.offlineNode()));
        String commandId = sim.send(List.of(id(1)), List.of("true"), r -> r.timeoutSeconds(30));

        List<String> executing = sim.client.listCommands(r -> r.filters(f -> f.key("ExecutionStage").value("Executing")))
                .commands().stream().map(Command::commandId).toList();
        sim.await(commandId);
        List<String> complete = sim.client.listCommands(r -> r.filters(f -> f.key("ExecutionStage").value("Complete")))
                .commands().stream().map(Command::commandId).toList();

        assertEquals(List.of(commandId), executing);
        assertEquals(List.of(commandId), complete);
    }
}
