package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static dev.fleetrun.local.ssm.SsmSimulation.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.wire.AwsError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.InvalidInstanceIdException;
import software.amazon.awssdk.services.ssm.model.SsmException;
import software.amazon.awssdk.services.ssm.model.Target;

/** SendCommand's targeting and rate controls (MaxConcurrency, MaxErrors) with SSM's semantics. */
class RateControlComponentTest {
    private SsmSimulation sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /**
     * Each script marks itself running in a shared directory, waits a moment, counts the marks, and
     * removes its own: the largest count is the most scripts that ran at once. Until some script has
     * seen {@code partners} marks, the scripts first wait (5 s at most) for that many, so that the
     * ones allowed to run together overlap even on a busy machine.
     */
    private List<String> concurrencyProbe(int partners) {
        String dir = sim.scratch("running");
        String reached = sim.scratch("reached");
        String count = "$(ls " + dir + " | wc -l)";
        return List.of("mkdir -p " + dir, "touch " + dir + "/$FLEETRUN_INSTANCE_ID",
                "for i in $(seq 250); do if [ " + count + " -ge " + partners + " ]; then touch " + reached + "; fi;"
                        + " [ -f " + reached + " ] && break; sleep 0.02; done",
                "sleep 0.1", "echo " + count + " >> " + sim.scratch("counts"), "rm " + dir + "/$FLEETRUN_INSTANCE_ID");
    }

    private int mostAtOnce() throws IOException {
        return Files.readAllLines(Path.of(sim.scratch("counts"))).stream()
                .mapToInt(line -> Integer.parseInt(line.trim())).max().orElse(0);
    }

    @Test
    void runsAtMostMaxConcurrencyNodesAtOnce() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(6));

        String commandId = sim.send(ids(6), concurrencyProbe(2), r -> r.maxConcurrency("2"));
        CommandRollup command = sim.await(commandId);

        assertEquals("Success", command.status());
        assertEquals(6, command.completedCount());
        assertEquals(6, Files.readAllLines(Path.of(sim.scratch("counts"))).size(), "every node ran");
        assertEquals(2, mostAtOnce());
    }

    @Test
    void aPercentageOfMaxConcurrencyIsOfTheTargetsRoundedUp() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(6));

        sim.await(sim.send(ids(6), concurrencyProbe(3), r -> r.maxConcurrency("34%")));

        assertEquals(3, mostAtOnce(), "34% of 6 targets is 2.04: 3");
    }

    @Test
    void stopsSendingWhenErrorsExceedMaxErrorsAndTerminatesTheRest() {
        sim = SsmSimulation.start(SsmSimulation.nodes(5));

        String commandId = sim.send(ids(5), List.of("touch ran", "exit 1"), r -> r.maxConcurrency("1").maxErrors("1"));
        CommandRollup rollup = sim.await(commandId);

        List<String> details = new ArrayList<>();
        for (String id : ids(5)) {
            details.add(sim.invocation(commandId, id).statusAsString() + "/" + sim.invocation(commandId, id).statusDetails());
        }
        assertEquals(List.of("Failed/Failed", "Failed/Failed", "Cancelled/Terminated", "Cancelled/Terminated",
                "Cancelled/Terminated"), details, "MaxErrors 1 allows one error; the second stops the command");
        assertEquals(-1, sim.invocation(commandId, id(3)).responseCode());
        for (int n = 3; n <= 5; n++) {
            assertFalse(Files.exists(sim.ssm.home(id(n)).resolve("ran")), "node " + n + " never got the command");
        }
        Command command = sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0);
        assertEquals(List.of("Failed", "Failed"), List.of(command.statusAsString(), command.statusDetails()));
        assertEquals(List.of(5, 5, 2), List.of(command.targetCount(), command.completedCount(), command.errorCount()));
        assertEquals(rollup.status(), command.statusAsString());
    }

    @Test
    void maxErrorsZeroStopsAtTheFirstErrorWhileInFlightInvocationsFinish() {
        Fleet fleet = Fleet.of(List.of(
                FleetNode.linux(id(1), Map.of(), NodeProfile.failing(2)),
                FleetNode.linux(id(2), Map.of(), NodeProfile.slow(java.time.Duration.ofSeconds(20))),
                FleetNode.linux(id(3), Map.of(), NodeProfile.HEALTHY),
                FleetNode.linux(id(4), Map.of(), NodeProfile.HEALTHY)));
        sim = SsmSimulation.start(fleet);

        String commandId = sim.send(ids(4), List.of("echo ok"), r -> r.maxConcurrency("2"));
        sim.await(commandId);

        assertEquals("Failed", sim.invocation(commandId, id(1)).statusAsString());
        assertEquals("Success", sim.invocation(commandId, id(2)).statusAsString(), "it was already in flight");
        assertEquals("Terminated", sim.invocation(commandId, id(3)).statusDetails());
        assertEquals("Terminated", sim.invocation(commandId, id(4)).statusDetails());
    }

    @Test
    void errorsWithinMaxErrorsLetTheCommandRunEverywhereAndEndIncomplete() {
        sim = SsmSimulation.start(SsmSimulation.nodes(4));

        String commandId = sim.send(ids(4), List.of("[ $FLEETRUN_INSTANCE_ID != " + id(2) + " ]"),
                r -> r.maxErrors("25%"));
        CommandRollup command = sim.await(commandId);

        assertEquals(List.of("Failed", "Incomplete", "1", "4"), List.of(command.status(), command.statusDetails(),
                String.valueOf(command.errorCount()), String.valueOf(command.completedCount())));
    }

    @Test
    void targetsMatchEveryKeyAndAnyOfItsValues() {
        Fleet fleet = Fleet.generate(1, 2, Map.of("Environment", "staging", "Role", "web"), NodeProfile.HEALTHY)
                .plus(Fleet.generate(3, 1, Map.of("Environment", "production", "Role", "web"), NodeProfile.HEALTHY))
                .plus(Fleet.generate(4, 1, Map.of("Environment", "staging"), NodeProfile.HEALTHY))
                .plus(Fleet.generate(5, 1, Map.of("Environment", "test", "Role", "db"), NodeProfile.HEALTHY));
        sim = SsmSimulation.start(fleet);

        Command sent = sim.client.sendCommand(r -> r.documentName("AWS-RunShellScript")
                .targets(Target.builder().key("tag:Environment").values("staging", "production").build(),
                        Target.builder().key("tag-key").values("Role").build())
                .parameters(Map.of("commands", List.of("echo $FLEETRUN_TAG_ENVIRONMENT")))).command();
        sim.await(sent.commandId());

        List<String> targeted = sim.client.listCommandInvocations(r -> r.commandId(sent.commandId()))
                .commandInvocations().stream().map(CommandInvocation::instanceId).sorted().toList();
        assertEquals(List.of(id(1), id(2), id(3)), targeted);
        assertEquals(3, sent.targetCount());
        assertTrue(sent.instanceIds().isEmpty());
        assertEquals(List.of("tag:Environment", "tag-key"), sent.targets().stream().map(Target::key).toList());
        assertEquals("production\n", sim.invocation(sent.commandId(), id(3)).standardOutputContent());
    }

    @Test
    void targetsThatMatchNoNodeEndTheCommandNoInstancesInTag() {
        sim = SsmSimulation.start(SsmSimulation.nodes(2));

        String commandId = sim.client.sendCommand(r -> r.documentName("AWS-RunShellScript")
                .targets(Target.builder().key("tag:Role").values("db").build())
                .parameters(Map.of("commands", List.of("true")))).command().commandId();

        Command command = sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0);
        assertEquals(List.of("Failed", "NoInstancesInTag", "0"), List.of(command.statusAsString(),
                command.statusDetails(), String.valueOf(command.targetCount())));
        assertEquals(List.of("command Failed"), sim.eventLines(commandId));
    }

    @Test
    void refusesUnknownNodesBothTargetFormsAndResourceGroups() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));

        assertThrows(InvalidInstanceIdException.class, () -> sim.send(List.of(id(9)), "true"));
        SsmException both = assertThrows(SsmException.class, () -> sim.send(List.of(id(1)), List.of("true"),
                r -> r.targets(Target.builder().key("tag:Role").values("web").build())));
        assertEquals("ValidationException", both.awsErrorDetails().errorCode());
        SsmException groups = assertThrows(SsmException.class, () -> sim.client.sendCommand(r -> r
                .documentName("AWS-RunShellScript").parameters(Map.of("commands", List.of("true")))
                .targets(Target.builder().key("resource-groups:Name").values("web").build())));
        assertEquals(AwsError.NOT_IMPLEMENTED, groups.awsErrorDetails().errorCode());
        assertTrue(sim.client.listCommands(r -> { }).commands().isEmpty());
    }
}
