package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.eventually;
import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandInvocationStatus;
import software.amazon.awssdk.services.ssm.model.CommandPlugin;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;

/** Nodes of the simulated SSM really run the commands they are sent, as the SSM Agent would. */
class RunCommandComponentTest {
    private SsmSimulation sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void runsTheCommandsWithBashInTheNodesHomeAndRecordsTheOutput() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));

        GetCommandInvocationResponse invocation = sim.run(id(1),
                "echo hello from $FLEETRUN_INSTANCE_ID", "pwd", "echo \"bash ${BASH_VERSINFO[0]}\" | cut -c1-4",
                "echo oops >&2");

        assertEquals(CommandInvocationStatus.SUCCESS, invocation.status());
        assertEquals("Success", invocation.statusDetails());
        assertEquals(0, invocation.responseCode());
        assertEquals("hello from " + id(1) + "\n" + sim.ssm.home(id(1)) + "\nbash\n",
                invocation.standardOutputContent());
        assertEquals("oops\n", invocation.standardErrorContent());
        assertEquals("aws:runShellScript", invocation.pluginName());
        assertFalse(invocation.executionStartDateTime().isEmpty());
        assertFalse(invocation.executionEndDateTime().isEmpty());
    }

    @Test
    void namesTheNodeAndItsTagsInACleanEnvironment() {
        sim = SsmSimulation.start(Fleet.generate(1, Map.of("Environment", "staging", "app-name", "web")));

        String output = sim.run(id(1), "echo $AWS_SSM_INSTANCE_ID $AWS_SSM_REGION_NAME",
                "echo $FLEETRUN_TAG_ENVIRONMENT $FLEETRUN_TAG_APP_NAME $FLEETRUN_TAGS",
                "echo home=$HOME", "echo key=${AWS_ACCESS_KEY_ID:-none}").standardOutputContent();

        assertEquals(id(1) + " us-east-1\nstaging web Environment=staging,app-name=web\nhome=" + sim.ssm.home(id(1))
                + "\nkey=none\n", output);
    }

    @Test
    void eachNodeWorksInItsOwnSandbox() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(2));

        String commandId = sim.send(SsmSimulation.ids(2), "echo $FLEETRUN_INSTANCE_ID > mine.txt");
        sim.await(commandId);

        assertEquals(id(1) + "\n", Files.readString(sim.ssm.home(id(1)).resolve("mine.txt")));
        assertEquals(id(2) + "\n", Files.readString(sim.ssm.home(id(2)).resolve("mine.txt")));
        assertFalse(sim.ssm.home(id(1)).equals(sim.ssm.home(id(2))));
    }

    @Test
    void mapsExitCodesAsTheAgentDoes() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));

        GetCommandInvocationResponse failed = sim.run(id(1), "echo partial", "exit 3");
        GetCommandInvocationResponse successAndSkip = sim.run(id(1), "exit 168");
        GetCommandInvocationResponse failAndSkip = sim.run(id(1), "exit 169");
        GetCommandInvocationResponse lastCommandCounts = sim.run(id(1), "false", "true");

        assertEquals(List.of("Failed", "Failed", "3", "partial\n"), List.of(failed.statusAsString(),
                failed.statusDetails(), String.valueOf(failed.responseCode()), failed.standardOutputContent()));
        assertEquals(List.of("Success", "168"), List.of(successAndSkip.statusAsString(),
                String.valueOf(successAndSkip.responseCode())));
        assertEquals(List.of("Failed", "169"), List.of(failAndSkip.statusAsString(),
                String.valueOf(failAndSkip.responseCode())));
        assertEquals(CommandInvocationStatus.SUCCESS, lastCommandCounts.status());
    }

    @Test
    void killsAScriptAndWhatItStartedAtTheExecutionTimeout() throws IOException {
        // 5 s, the shortest timeout the agent applies, at 2.5 times the wall clock: two real seconds, time
        // enough for bash to start on a busy machine before the agent kills it.
        sim = SsmSimulation.start(SsmSimulation.nodes(1), ssm -> ssm.time(SsmTime.scaled(2.5)));

        List<String> commands = List.of("echo started", "sleep 30 & touch child.started", "wait", "echo never");
        String commandId = sim.send(List.of(id(1)), commands,
                r -> r.parameters(Map.of("commands", commands, "executionTimeout", List.of("5"))));
        CommandRollup command = sim.await(commandId);

        GetCommandInvocationResponse invocation = sim.invocation(commandId, id(1));
        assertEquals(CommandInvocationStatus.TIMED_OUT, invocation.status());
        assertEquals("ExecutionTimedOut", invocation.statusDetails());
        assertEquals(137, invocation.responseCode());
        assertEquals("started\n", invocation.standardOutputContent());
        assertEquals("Failed", command.status(), "an execution timeout counts against MaxErrors 0");
        assertEquals(1, command.errorCount());
        assertTrue(Files.exists(sim.ssm.home(id(1)).resolve("child.started")));
        eventually("the script and its sleep are gone", () -> SsmSimulation.processesOf(commandId).isEmpty());
    }

    @Test
    void rebootsOnExit194StaysInProgressAndRunsTheScriptAgainFromTheStart() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1), ssm -> ssm.rebootDuration(Duration.ofSeconds(20)));

        String commandId = sim.send(List.of(id(1)), "echo run >> runs.log",
                "if [ -f rebooted ]; then echo second run; exit 0; fi", "touch rebooted", "echo first run", "exit 194");
        eventually("the node reboots (unreachable)", () -> sim.ssm.node(id(1)).pingStatus().equals("ConnectionLost"));
        sim.ssm.takeOffline(id(1)); // so that it cannot report before the test has looked
        GetCommandInvocationResponse rebooting = sim.invocation(commandId, id(1));
        sim.ssm.bringOnline(id(1));
        CommandRollup command = sim.await(commandId);

        assertEquals(CommandInvocationStatus.IN_PROGRESS, rebooting.status());
        GetCommandInvocationResponse done = sim.invocation(commandId, id(1));
        assertEquals(CommandInvocationStatus.SUCCESS, done.status());
        assertEquals("second run\n", done.standardOutputContent());
        assertEquals("Success", command.status());
        assertEquals("Online", sim.ssm.node(id(1)).pingStatus());
        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " Success", "command Success"),
                sim.eventLines(commandId));
    }

    @Test
    void aRebootOnceNodeRebootsOnItsFirstRunOnly() {
        sim = SsmSimulation.start(Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), NodeProfile.rebootingOnce()))),
                ssm -> ssm.rebootDuration(Duration.ofSeconds(2)));

        String first = sim.run(id(1), "echo run >> runs.log", "wc -l < runs.log").standardOutputContent();
        String second = sim.run(id(1), "echo run >> runs.log", "wc -l < runs.log").standardOutputContent();

        assertEquals("2\n", first, "the first command ran twice: before and after the reboot");
        assertEquals("3\n", second);
    }

    @Test
    void cutsOutputAsSsmDoesAndKeepsAllOfItOnTheNode() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));

        String commandId = sim.send(List.of(id(1)), "head -c 30000 /dev/zero | tr '\\0' o",
                "head -c 9000 /dev/zero | tr '\\0' e >&2");
        sim.await(commandId);

        GetCommandInvocationResponse invocation = sim.invocation(commandId, id(1));
        assertEquals(24000, invocation.standardOutputContent().length());
        assertTrue(invocation.standardOutputContent().endsWith("o--output truncated--"));
        assertEquals(8000, invocation.standardErrorContent().length());
        assertTrue(invocation.standardErrorContent().endsWith("e--output truncated--"));
        CommandPlugin plugin = sim.invocations(commandId).get(0).commandPlugins().get(0);
        int half = (2500 - "\n----------ERROR-------\n".length() - "\n---Output truncated---".length()
                - "\n---Error truncated----".length()) / 2;
        assertEquals("o".repeat(half) + "\n---Output truncated---\n----------ERROR-------\n" + "e".repeat(half)
                + "\n---Error truncated----", plugin.output(), "both long: each gets half of the 2,500 characters");
        Path stdout = sim.ssm.workDir().resolve(id(1)).resolve("runs").resolve(commandId).resolve("awsrunShellScript")
                .resolve("stdout");
        assertEquals(30000, Files.size(stdout));
    }

    @Test
    void listsPluginDetailsOnlyWhenAsked() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        String commandId = sim.send(List.of(id(1)), "echo out", "echo err >&2", "exit 2");
        sim.await(commandId);

        CommandInvocation plain = sim.client.listCommandInvocations(r -> r.commandId(commandId)).commandInvocations()
                .get(0);
        CommandPlugin plugin = sim.invocations(commandId).get(0).commandPlugins().get(0);

        assertTrue(plain.commandPlugins().isEmpty());
        assertEquals("out\n\n----------ERROR-------\nerr\n", plugin.output());
        assertEquals(2, plugin.responseCode());
        assertEquals("aws:runShellScript", plugin.name());
    }

    @Test
    void runsInTheWorkingDirectoryGivenRelativeToTheNodesHome() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        sim.run(id(1), "mkdir -p app/current");

        String commandId = sim.send(List.of(id(1)), List.of("pwd"), r -> r.parameters(Map.of(
                "commands", List.of("pwd"), "workingDirectory", List.of("app/current"))));
        sim.await(commandId);
        String missing = sim.send(List.of(id(1)), List.of("pwd"), r -> r.parameters(Map.of(
                "commands", List.of("pwd"), "workingDirectory", List.of("no/such/dir"))));
        sim.await(missing);

        assertEquals(sim.ssm.home(id(1)).resolve("app/current") + "\n",
                sim.invocation(commandId, id(1)).standardOutputContent());
        GetCommandInvocationResponse failed = sim.invocation(missing, id(1));
        assertEquals("Failed", failed.statusAsString());
        assertTrue(failed.standardErrorContent().contains("workingDirectory"), failed.standardErrorContent());
    }

    @Test
    void powerShellWithoutPwshAndShellScriptsOnWindowsFailAsInvalidPlatform() {
        sim = SsmSimulation.start(Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), NodeProfile.HEALTHY),
                new FleetNode(id(2), "Windows", "Online", Map.of(), NodeProfile.HEALTHY))), ssm -> ssm.powerShell(null));

        String powerShell = sim.send(List.of(id(1)), List.of("Write-Output hi"),
                r -> r.documentName("AWS-RunPowerShellScript"));
        String shellOnWindows = sim.send(List.of(id(2)), "echo hi");
        CommandRollup powerShellCommand = sim.await(powerShell);
        sim.await(shellOnWindows);

        GetCommandInvocationResponse noPwsh = sim.invocation(powerShell, id(1));
        assertEquals(List.of("Failed", "InvalidPlatform", "-1"), List.of(noPwsh.statusAsString(),
                noPwsh.statusDetails(), String.valueOf(noPwsh.responseCode())));
        assertTrue(noPwsh.standardErrorContent().contains("pwsh"), noPwsh.standardErrorContent());
        assertEquals(0, powerShellCommand.errorCount(), "InvalidPlatform does not count against MaxErrors");
        GetCommandInvocationResponse windows = sim.invocation(shellOnWindows, id(2));
        assertEquals("InvalidPlatform", windows.statusDetails());
        assertTrue(windows.standardErrorContent().contains("Windows"), windows.standardErrorContent());
    }

    @Test
    void oneNodeRunsOneCommandAtATimeInTheOrderTheyArrived() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        String marker = sim.scratch("order.log");

        String first = sim.send(List.of(id(1)), "echo first-start >> " + marker, "sleep 0.2",
                "echo first-end >> " + marker);
        String second = sim.send(List.of(id(1)), "echo second >> " + marker);
        sim.await(first);
        sim.await(second);

        assertEquals(List.of("first-start", "first-end", "second"), Files.readAllLines(Path.of(marker)));
    }
}
