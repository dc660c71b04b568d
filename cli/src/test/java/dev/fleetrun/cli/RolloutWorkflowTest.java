package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static dev.fleetrun.cli.WorkflowHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.FleetNode;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.WaveRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.ssm.model.Command;

/**
 * Whole runs on the embedded runtime that end as planned or are refused at the start: a roll-out over
 * several waves, reboots, offline nodes, a target set with no node online, plans and dry runs, invalid
 * requests. Each test drives the {@code fleetrun} command line (or the SDK) and reads the run record,
 * the node records, SSM's commands, the {@code fleetrun} events and the command's exit code and output.
 */
class RolloutWorkflowTest {
    private static final Path INPUTS = Path.of(System.getProperty("fleetrun.root", "../"), "events", "inputs");

    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        Fleet fleet = group("success", 1, 4, NodeProfile.HEALTHY)
                .plus(Fleet.of(List.of(
                        withTag(node("reboot", 5, NodeProfile.rebootingOnce()), "Reboot", "profile"),
                        withTag(node("reboot", 6, NodeProfile.HEALTHY), "Reboot", "script"),
                        node("mixed", 7, NodeProfile.HEALTHY),
                        node("mixed", 8, NodeProfile.HEALTHY),
                        node("mixed", 9, NodeProfile.offlineNode()),
                        node("dark", 10, NodeProfile.offlineNode()),
                        node("dark", 11, NodeProfile.offlineNode()))))
                .plus(Fleet.generate(12, 3, Map.of("Group", "plan", "Role", "web"), NodeProfile.HEALTHY));
        h = WorkflowHarness.start(fleet, Map.of());
    }

    private static FleetNode withTag(FleetNode n, String key, String value) {
        Map<String, String> tags = new TreeMap<>(n.tags());
        tags.put(key, value);
        return new FleetNode(n.instanceId(), n.platformType(), n.pingStatus(), tags, n.profile());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aRunSucceedsWaveByWaveAndRecordsEachNodesOutput() {
        List<String> nodes = ids(1, 4);
        WorkflowHarness.Cli cli = h.cli("run", "--name", "greet", "--targets", "tag:Group=success",
                "--commands", "echo \"hello from $FLEETRUN_INSTANCE_ID\"", "--waves", "1,50%,100%").expect(ExitCode.OK);
        String runId = cli.runId();
        cli.shows("wave 1/3 done: 1 succeeded");
        cli.shows("run " + runId + ": SUCCEEDED");

        RunView view = h.run(runId);
        assertEquals(RunStatus.SUCCEEDED, view.run().status());
        assertEquals(3, view.run().waveCount());
        assertEquals(4, view.run().mainCounts().get(NodeStatus.SUCCEEDED));
        assertEquals(0, view.run().errors());
        List<WaveRecord> waves = view.waves(Phase.MAIN);
        assertEquals(1, waves.get(0).size(), "the first wave is the canary");
        assertEquals(4, waves.stream().mapToInt(WaveRecord::size).sum());
        for (WaveRecord w : waves) {
            assertTrue(w.complete(), "wave " + w.wave() + " is complete");
            assertEquals(w.size(), w.counts().get(NodeStatus.SUCCEEDED), "every node of wave " + w.wave() + " succeeded");
        }

        Map<String, NodeRecord> recorded = h.nodes(runId, Phase.MAIN);
        assertEquals(Set.copyOf(nodes), recorded.keySet());
        for (NodeRecord n : recorded.values()) {
            assertEquals(NodeStatus.SUCCEEDED, n.status(), n.instanceId());
            assertEquals(0, n.responseCode(), n.instanceId());
            assertEquals("Success", n.statusDetails(), n.instanceId());
            assertEquals("hello from " + n.instanceId(), n.outputExcerpt().strip(), n.instanceId());
            assertNotNull(n.commandId(), n.instanceId());
        }

        // One command per wave, in order, each to exactly that wave's nodes.
        List<Command> commands = h.commandsOf(runId);
        assertEquals(3, commands.size());
        for (int i = 0; i < 3; i++) {
            int wave = i + 1;
            assertTrue(commands.get(i).comment().endsWith("wave " + wave + " batch 1"), commands.get(i).comment());
            Set<String> waveNodes = recorded.values().stream().filter(n -> n.wave() == wave)
                    .map(NodeRecord::instanceId).collect(Collectors.toSet());
            assertEquals(waveNodes, Set.copyOf(commands.get(i).instanceIds()), "wave " + wave);
        }
        assertEquals(Map.of(nodes.get(0), 1, nodes.get(1), 1, nodes.get(2), 1, nodes.get(3), 1), h.commandCounts(nodes));

        assertEquals(List.of("Fleetrun Run Started", "Fleetrun Wave Completed", "Fleetrun Wave Completed",
                "Fleetrun Wave Completed", "Fleetrun Run Finished"), h.eventTypes(runId));
        JsonNode finished = h.event(runId, "Fleetrun Run Finished").orElseThrow().path("detail");
        assertEquals("SUCCEEDED", finished.path("status").asText());
        assertEquals(4, finished.path("totals").path("succeeded").asInt());
        assertEquals(List.of(), h.alerts(runId), "a run that succeeds alerts no one");
        nodes.forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty(), "the lease on " + id + " is released"));
        assertEquals(ExecutionStatus.SUCCEEDED, h.execution(runId).status());

        // fleetrun logs shows what each node printed.
        WorkflowHarness.Cli logs = h.cli("logs", runId).expect(ExitCode.OK);
        for (String id : nodes) {
            logs.shows("== " + id + " (main, SUCCEEDED, exit 0)");
            logs.shows("hello from " + id);
        }
    }

    @Test
    void aNodeThatRebootsOnceIsCountedASuccessAfterItsSecondRun() throws IOException {
        String profileNode = WorkflowHarness.ids(5, 1).get(0);
        String scriptNode = WorkflowHarness.ids(6, 1).get(0);
        WorkflowHarness.Cli cli = h.cli("run", "--name", "reboot", "--targets", "tag:Group=reboot",
                "--commands", "n=$(( $(cat runs 2>/dev/null || echo 0) + 1 )); echo $n > runs",
                "--commands", "if [ \"$FLEETRUN_TAG_REBOOT\" = script ] && [ $n -eq 1 ]; then echo rebooting; exit 194; fi",
                "--commands", "echo \"run $n\"").expect(ExitCode.OK);
        String runId = cli.runId();

        assertEquals(RunStatus.SUCCEEDED, h.run(runId).run().status());
        Map<String, NodeRecord> recorded = h.nodes(runId, Phase.MAIN);
        for (String id : List.of(profileNode, scriptNode)) {
            NodeRecord n = recorded.get(id);
            assertEquals(NodeStatus.SUCCEEDED, n.status(), id);
            assertEquals(0, n.responseCode(), id);
            assertEquals("run 2", n.outputExcerpt().strip(), id + " reports its second run's output");
            assertEquals("2", Files.readString(h.runtime.ssm().home(id).resolve("runs")).strip(), id + " ran the script twice");
        }
        assertEquals(Map.of(profileNode, 1, scriptNode, 1), h.commandCounts(List.of(profileNode, scriptNode)),
                "the reboot re-ran the script; fleetrun sent nothing again");
        assertEquals(0, h.run(runId).run().errors());
    }

    @Test
    void offlineNodesAreSkippedWithTheirReasonAndTheOthersRun() {
        String offline = ids(9, 1).get(0);
        WorkflowHarness.Cli cli = h.cli("run", "--name", "mixed", "--targets", "tag:Group=mixed", "--commands", "echo ok")
                .expect(ExitCode.OK);
        String runId = cli.runId();
        cli.shows("skipped: 1 node(s)");

        RunView view = h.run(runId);
        assertEquals(RunStatus.SUCCEEDED, view.run().status());
        Map<String, NodeRecord> recorded = h.nodes(runId, Phase.MAIN);
        NodeRecord skipped = recorded.get(offline);
        assertEquals(NodeStatus.SKIPPED, skipped.status());
        assertEquals(0, skipped.wave(), "skipped nodes are wave 0");
        assertEquals("ping status ConnectionLost: the SSM agent has not reported recently", skipped.reason());
        assertEquals(Map.of(ids(7, 1).get(0), NodeStatus.SUCCEEDED, ids(8, 1).get(0), NodeStatus.SUCCEEDED,
                offline, NodeStatus.SKIPPED), h.statuses(runId, Phase.MAIN));
        assertEquals(List.of(), h.commandsTo(offline), "nothing is sent to a skipped node");
        assertTrue(h.store.leaseHolder(offline).isEmpty());
        assertEquals(1, h.event(runId, "Fleetrun Run Started").orElseThrow().path("detail").path("skipped").asInt());
        assertEquals(1, h.event(runId, "Fleetrun Run Finished").orElseThrow().path("detail").path("totals").path("skipped").asInt());

        h.cli("status", runId, "--all").expect(ExitCode.OK)
                .shows("ping status ConnectionLost: the SSM agent has not reported recently");
    }

    @Test
    void aTargetSetWithNoNodeOnlineIsRefusedWithTheReason() {
        WorkflowHarness.Cli cli = h.cli("run", "--name", "dark", "--targets", "tag:Group=dark", "--commands", "echo never")
                .expect(ExitCode.REFUSED);
        String runId = cli.runId();
        cli.shows("did not start: Fleetrun.NoTargets");
        cli.shows("no node can run the command: the targets tag:Group=dark matched 2 node(s), all skipped: "
                + ids(10, 1).get(0) + " (ping status ConnectionLost: the SSM agent has not reported recently); "
                + ids(11, 1).get(0) + " (ping status ConnectionLost");

        DescribeExecutionResponse exec = h.execution(runId);
        assertEquals(ExecutionStatus.FAILED, exec.status());
        assertEquals("Fleetrun.NoTargets", exec.error());
        assertTrue(h.store.getRun(runId).isEmpty(), "a refused run leaves no run record");
        ids(10, 2).forEach(id -> {
            assertEquals(List.of(), h.commandsTo(id));
            assertTrue(h.store.leaseHolder(id).isEmpty());
        });
    }

    @Test
    void planAndDryRunResolveAndPlanButSendNothing() throws IOException {
        int commandsBefore = h.commands().size();
        WorkflowHarness.Cli plan = h.cli("plan", "--name", "planned", "--targets", "tag:Group=plan",
                "--commands", "touch planned", "--waves", "1,100%", "--max-errors", "1").expect(ExitCode.OK);
        plan.shows("plan: 3 node(s) with AWS-RunShellScript");
        plan.shows("wave 1       1 node(s)  " + ids(12, 1).get(0));
        plan.shows("wave 2       2 node(s)  " + ids(13, 1).get(0) + " ... " + ids(14, 1).get(0));
        plan.shows("nothing was sent");

        // The sample dry run, started as the console or any SDK would.
        String runId = "dry-run-sample";
        h.sfn.startExecution(b -> b.stateMachineArn(h.runtime.stateMachineArn()).name(runId)
                .input(read(INPUTS.resolve("dry-run.json"))));
        DescribeExecutionResponse exec = h.awaitExecutionEnd(runId);
        assertEquals(ExecutionStatus.SUCCEEDED, exec.status());
        JsonNode output = Json.parse(exec.output());
        assertTrue(output.path("dryRun").asBoolean());
        assertEquals(3, output.path("targeted").asInt());
        Set<String> planned = new TreeSet<>();
        output.path("waves").forEach(wave -> wave.path("instanceIds").forEach(id -> planned.add(id.asText())));
        assertEquals(Set.copyOf(ids(12, 3)), planned);

        assertEquals(commandsBefore, h.commands().size(), "neither a plan nor a dry run sends a command");
        assertTrue(h.store.getRun(runId).isEmpty(), "a dry run writes no run record");
        assertTrue(h.store.recentRuns(100).stream().noneMatch(r -> "planned".equals(r.name())), "a plan writes no run record");
        ids(12, 3).forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty(), "a plan leases nothing: " + id));
        ids(12, 3).forEach(id -> assertFalse(Files.exists(h.runtime.ssm().home(id).resolve("planned")), "nothing ran on " + id));
    }

    /** Every invalid sample request, with words its cause must contain: the bad fields. */
    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("invalid-commands-and-document.json", List.of("commands", "document")),
                Arguments.of("invalid-document-not-allowed.json", List.of("document", "AWS-RunPatchBaseline")),
                Arguments.of("invalid-empty-instance-ids.json", List.of("instanceIds")),
                Arguments.of("invalid-max-errors-101-percent.json", List.of("maxErrors")),
                Arguments.of("invalid-several-errors.json", List.of("instanceIds", "maxConcurrency", "maxErrors", "waves", "colour")),
                Arguments.of("invalid-targets-and-instance-ids.json", List.of("targets", "instanceIds")),
                Arguments.of("invalid-unknown-field.json", List.of("maxConcurency")),
                Arguments.of("invalid-wrong-types.json", List.of("instanceIds", "bakeSeconds", "dryRun")));
    }

    @Test
    void everyInvalidSampleRequestIsCovered() throws IOException {
        Set<String> covered = invalidRequests().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(INPUTS)) {
            assertEquals(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("invalid-")).collect(Collectors.toSet()),
                    covered);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void anInvalidRequestFailsTheExecutionWithInvalidInputAndSendsNothing(String file, List<String> fields) throws IOException {
        int commandsBefore = h.commands().size();
        String runId = "invalid-" + file.replace(".json", "").replace("invalid-", "");
        h.sfn.startExecution(b -> b.stateMachineArn(h.runtime.stateMachineArn()).name(runId).input(read(INPUTS.resolve(file))));
        DescribeExecutionResponse exec = h.awaitExecutionEnd(runId);
        assertEquals(ExecutionStatus.FAILED, exec.status());
        assertEquals("Fleetrun.InvalidInput", exec.error());
        for (String field : fields) {
            assertTrue(exec.cause().contains(field), "the cause names " + field + ": " + exec.cause());
        }
        assertTrue(h.store.getRun(runId).isEmpty());
        assertEquals(commandsBefore, h.commands().size());
    }

    @Test
    void theCommandLineRefusesAnInvalidRequestBeforeStartingAnything() {
        int executionsBefore = h.sfn.listExecutions(b -> b.stateMachineArn(h.runtime.stateMachineArn())).executions().size();
        int commandsBefore = h.commands().size();
        WorkflowHarness.Cli cli = h.cli("run", "--input", INPUTS.resolve("invalid-unknown-field.json").toString())
                .expect(ExitCode.USAGE);
        cli.shows("the run request is invalid, nothing was started:");
        cli.shows("maxConcurency");
        WorkflowHarness.Cli flags = h.cli("run", "--targets", "tag:Group=success", "--commands", "echo x", "--max-errors", "101%")
                .expect(ExitCode.USAGE);
        flags.shows("maxErrors");
        assertEquals(executionsBefore, h.sfn.listExecutions(b -> b.stateMachineArn(h.runtime.stateMachineArn())).executions().size(),
                "no execution was started");
        assertEquals(commandsBefore, h.commands().size());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
