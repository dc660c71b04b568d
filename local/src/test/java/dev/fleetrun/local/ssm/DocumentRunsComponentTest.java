package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.CommandPlugin;
import software.amazon.awssdk.services.ssm.model.DocumentFormat;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidDocumentVersionException;
import software.amazon.awssdk.services.ssm.model.InvalidParametersException;
import software.amazon.awssdk.services.ssm.model.InvalidPluginNameException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

/**
 * Schema 2.2 documents on the simulated nodes, through the SDK's SsmClient: steps in order, with their
 * parameters and Parameter Store values filled in, preconditions, exit conditions, per-step timeouts and
 * reboots, reported per step as CommandPlugins and by GetCommandInvocation's PluginName.
 */
class DocumentRunsComponentTest {
    private SsmSimulation sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private void create(String name, String file) throws IOException {
        String content = Files.readString(DocumentParserTest.documents().resolve(file));
        sim.client.createDocument(r -> r.name(name).documentFormat(file.endsWith(".json") ? DocumentFormat.JSON
                : DocumentFormat.YAML).content(content));
    }

    private String run(String document, Consumer<SendCommandRequest.Builder> more) {
        SendCommandRequest.Builder request = SendCommandRequest.builder().documentName(document).instanceIds(id(1));
        more.accept(request);
        String commandId = sim.client.sendCommand(request.build()).command().commandId();
        sim.await(commandId);
        return commandId;
    }

    private List<String> plugins(String commandId) {
        CommandInvocation invocation = sim.invocations(commandId).get(0);
        return invocation.commandPlugins().stream()
                .map(p -> p.name() + " " + p.statusAsString() + " " + p.responseCode()).toList();
    }

    private GetCommandInvocationResponse step(String commandId, String step) {
        return sim.client.getCommandInvocation(r -> r.commandId(commandId).instanceId(id(1)).pluginName(step));
    }

    @Test
    void stepsRunInOrderWithParametersAndParameterStoreValuesAndPreconditionsSkipTheOthers() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        sim.client.putParameter(r -> r.name("/fleetrun-test/channel").type(ParameterType.STRING).value("canary"));
        create("Deploy-App", "deploy.yaml");

        String commandId = run("Deploy-App", r -> r.parameters(Map.of("version", List.of("1.4.2"),
                "checks", List.of("test -s current", "grep -q canary current"))));

        assertEquals(List.of("unpack Success 0", "unpackWindows Success 0", "check Success 0", "verify Success 0"),
                plugins(commandId));
        assertEquals("unpacked 1.4.2 (canary) on " + id(1) + "\n", step(commandId, "unpack").standardOutputContent());
        assertEquals("checked in " + sim.ssm.home(id(1)).resolve("releases") + "\n",
                step(commandId, "check").standardOutputContent());
        assertEquals("verified 1.4.2\n", step(commandId, "verify").standardOutputContent());
        CommandPlugin skipped = sim.invocations(commandId).get(0).commandPlugins().get(1);
        assertEquals("Step execution skipped due to unsatisfied preconditions: '\"StringEquals\": [platformType,"
                + " Windows]'. Step name: unpackWindows", skipped.output());
        assertEquals("Success", step(commandId, "unpackWindows").statusDetails());
        assertEquals("Success", sim.invocations(commandId).get(0).statusDetails());
        assertEquals(Map.of("version", List.of("1.4.2"), "checks", List.of("test -s current", "grep -q canary current")),
                sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0).parameters(),
                "ListCommands echoes the parameters as sent");
    }

    @Test
    void aMultiStepInvocationNeedsThePluginNameAndNamesItsSteps() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        sim.client.putParameter(r -> r.name("/fleetrun-test/channel").type(ParameterType.STRING).value("stable"));
        create("Deploy-App", "deploy.yaml");
        String commandId = run("Deploy-App", r -> r.parameters(Map.of("version", List.of("2.0.0"))));

        InvalidPluginNameException missing = assertThrows(InvalidPluginNameException.class,
                () -> sim.invocation(commandId, id(1)));
        InvalidPluginNameException wrong = assertThrows(InvalidPluginNameException.class,
                () -> step(commandId, "aws:runShellScript"));
        CommandInvocation listed = sim.invocations(commandId).get(0);

        assertTrue(missing.awsErrorDetails().errorMessage().contains("[unpack, unpackWindows, check, verify]"),
                missing.awsErrorDetails().errorMessage());
        assertTrue(wrong.awsErrorDetails().errorMessage().contains("PluginName is a step's name, not its plugin"));
        assertEquals("", listed.standardOutputUrl(), "filled in only for one-step documents");
        GetCommandInvocationResponse verify = step(commandId, "verify");
        assertEquals("verify", verify.pluginName());
        assertFalse(verify.executionStartDateTime().isEmpty());
        assertTrue(verify.executionElapsedTime().startsWith("PT"), verify.executionElapsedTime());
    }

    @Test
    void documentVersionsAreResolvedAsSendCommandNamesThem() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        String v1 = "{\"schemaVersion\": \"2.2\", \"mainSteps\": [{\"action\": \"aws:runShellScript\", \"name\": \"say\","
                + " \"inputs\": {\"runCommand\": [\"echo version one\"]}}]}";
        sim.client.createDocument(r -> r.name("Say").content(v1));
        sim.client.updateDocument(r -> r.name("Say").documentVersion("$LATEST").content(v1.replace("one", "two")));

        assertEquals("version one\n", say(null));
        assertEquals("version one\n", say("$DEFAULT"));
        assertEquals("version two\n", say("$LATEST"));
        assertEquals("version two\n", say("2"));
        assertThrows(InvalidDocumentVersionException.class, () -> say("3"));
    }

    private String say(String version) {
        String commandId = run("Say", r -> r.documentVersion(version));
        assertEquals(version == null ? "" : version, sim.client.listCommands(r -> r.commandId(commandId)).commands()
                .get(0).documentVersion(), "DocumentVersion is echoed as sent");
        return sim.invocation(commandId, id(1)).standardOutputContent();
    }

    @Test
    void invalidParametersAreRefusedBeforeAnythingIsSent() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        create("Deploy-App", "deploy.yaml");

        InvalidParametersException refused = assertThrows(InvalidParametersException.class, () -> sim.client.sendCommand(
                r -> r.documentName("Deploy-App").instanceIds(id(1)).parameters(Map.of("version", List.of("latest"),
                        "checks", List.of("a", "b", "c", "d"), "colour", List.of("red")))));

        String message = refused.awsErrorDetails().errorMessage();
        for (String problem : List.of("parameter 'colour' is not defined by the document",
                "parameter 'version' value \"latest\" does not match its allowedPattern",
                "parameter 'checks' takes at most 3 item(s), got 4")) {
            assertTrue(message.contains(problem), "expected '" + problem + "' in: " + message);
        }
        assertTrue(sim.client.listCommands(r -> { }).commands().isEmpty());
    }

    @Test
    void aParameterStoreReferenceTheAgentCannotResolveFailsTheInvocationOnTheNode() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        create("Deploy-App", "deploy.yaml");

        String missing = run("Deploy-App", r -> r.parameters(Map.of("version", List.of("1.0.0"))));
        sim.client.putParameter(r -> r.name("/fleetrun-test/channel").type(ParameterType.STRING).value("nightly"));
        String notAllowed = run("Deploy-App", r -> r.parameters(Map.of("version", List.of("1.0.0"))));

        GetCommandInvocationResponse first = step(missing, "unpack");
        assertEquals(List.of("Failed", "Failed"), List.of(first.statusAsString(), first.statusDetails()));
        assertTrue(first.standardErrorContent().contains("Input contains invalid parameters [/fleetrun-test/channel]"),
                first.standardErrorContent());
        assertTrue(step(notAllowed, "unpack").standardErrorContent().contains("parameter 'channel' must be one of"
                + " [stable, canary], not \"nightly\""), step(notAllowed, "unpack").standardErrorContent());
        assertFalse(Files.exists(sim.ssm.home(id(1)).resolve("releases")), "no step ran");
    }

    @Test
    void exitConditionsSkipTheRemainingStepsButTheFinallyStep() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        create("Exits", "exit-conditions.yaml");

        String failedAndExit = run("Exits", r -> r.parameters(Map.of("firstExit", List.of("3"))));
        String successAndExit = run("Exits", r -> r.parameters(Map.of("firstExit", List.of("3"),
                "onFirstFailure", List.of("successAndExit"))));
        String exitOnSuccess = run("Exits", r -> { });
        String exit168 = run("Exits", r -> r.parameters(Map.of("firstExit", List.of("168"))));

        assertEquals(List.of("first Failed 3", "second Success 0", "third Success 0", "cleanup Success 0"),
                plugins(failedAndExit));
        assertEquals("Failed", sim.invocations(failedAndExit).get(0).statusAsString());
        assertEquals("Plugin with name aws:runShellScript and id second skipped due to prior step with an exit"
                + " condition", sim.invocations(failedAndExit).get(0).commandPlugins().get(1).output());
        assertEquals("cleanup\n", step(failedAndExit, "cleanup").standardOutputContent());
        assertTrue(step(failedAndExit, "first").standardOutputContent().endsWith("Step was found to have onFailure"
                + " property. Further document steps will be skipped."));
        assertEquals(List.of("first Success 168", "second Success 0", "third Success 0", "cleanup Success 0"),
                plugins(successAndExit));
        assertEquals("Success", sim.invocations(successAndExit).get(0).statusAsString());
        assertEquals("second\n", step(exitOnSuccess, "second").standardOutputContent());
        assertTrue(step(exitOnSuccess, "third").standardOutputContent().startsWith("Plugin with name"), "onSuccess exit");
        assertTrue(step(exit168, "first").standardOutputContent().contains("Step exited with code 168."));
        assertTrue(step(exit168, "second").standardOutputContent().contains("skipped due to prior step"));
    }

    @Test
    void eachStepHasItsOwnExecutionTimeout() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1), ssm -> ssm.time(SsmTime.scaled(5)));
        create("Timeouts", "timeouts.yaml");

        String commandId = run("Timeouts", r -> { });

        assertEquals(List.of("quick Success 0", "stuck TimedOut 137", "afterwards Success 0"), plugins(commandId));
        assertEquals(List.of("TimedOut", "ExecutionTimedOut"), List.of(
                sim.invocations(commandId).get(0).statusAsString(), sim.invocations(commandId).get(0).statusDetails()));
        assertEquals("stuck\n", step(commandId, "stuck").standardOutputContent());
        assertEquals(1, sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0).errorCount());
        // ExpiresAfter allows the delivery window plus every step's timeout (3600 for the out-of-range '2').
        var command = sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0);
        assertEquals(3600 + 5 + 5 + 3600, Duration.between(command.requestedDateTime(), command.expiresAfter()).toSeconds());
    }

    @Test
    void aStepThatAsksForARebootRunsAgainAfterItButTheStepsBeforeItDoNot() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1), ssm -> ssm.rebootDuration(Duration.ofSeconds(10)));
        create("Reboot", "reboot.yaml");

        String commandId = run("Reboot", r -> { });

        assertEquals(List.of("before Success 0", "install Success 0", "after Success 0"), plugins(commandId));
        assertEquals("1", count("before.count"));
        assertEquals("2", count("install.count"));
        assertEquals("1", count("after.count"));
        assertEquals("installed after the reboot\n", step(commandId, "install").standardOutputContent());
        assertEquals(List.of(id(1) + " InProgress", "command InProgress", id(1) + " Success", "command Success"),
                sim.eventLines(commandId), "one InProgress across the reboot");
    }

    private String count(String file) throws IOException {
        return String.valueOf(Files.readAllLines(sim.ssm.home(id(1)).resolve(file)).size());
    }
}
