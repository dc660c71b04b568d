package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static dev.fleetrun.cli.WorkflowHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ssm.model.Command;

/**
 * The error budget's two modes on real runs through {@code fleetrun run}, over fleets whose nodes fail: under
 * {@code --budget-mode strict} no more than maxErrors + 1 nodes ever fail, whatever the waves and the
 * concurrency, because each wave goes out in rounds of at most the errors left + 1 nodes; under the default,
 * leaky mode, SSM's meaning holds: the nodes in flight when the budget is spent still run. Percentages are of the
 * targeted nodes rounded down, so 10% of 3 nodes and 50% of 1 node allow no error at all.
 */
class ErrorBudgetWorkflowTest {

    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        Fleet fleet = group("twenty", 1, 20, NodeProfile.HEALTHY)
                .plus(group("three", 21, 3, NodeProfile.failing(1)))
                .plus(group("one", 24, 1, NodeProfile.failing(1)))
                .plus(Fleet.of(List.of(
                        node("mixed", 25, NodeProfile.HEALTHY),
                        node("mixed", 26, NodeProfile.failing(2)),
                        node("mixed", 27, NodeProfile.HEALTHY),
                        node("mixed", 28, NodeProfile.HEALTHY),
                        node("mixed", 29, NodeProfile.failing(2)),
                        node("mixed", 30, NodeProfile.HEALTHY))))
                .plus(Fleet.of(List.of(
                        node("within", 31, NodeProfile.HEALTHY),
                        node("within", 32, NodeProfile.failing(2)),
                        node("within", 33, NodeProfile.HEALTHY),
                        node("within", 34, NodeProfile.HEALTHY),
                        node("within", 35, NodeProfile.HEALTHY))))
                .plus(group("wide", 101, 110, NodeProfile.HEALTHY));
        h = WorkflowHarness.start(fleet, Map.of());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** Fleets where every node fails, at counts and at percentages that round to 0 or more. */
    static Stream<Arguments> failingFleets() {
        return Stream.of(
                // group, nodes, the command, maxErrors, waves, the allowance it comes to
                Arguments.of("twenty", 20, "sleep 1; exit 1", "10%", "1,100%", 2),
                Arguments.of("twenty", 20, "sleep 1; exit 1", "2", "100%", 2),
                Arguments.of("twenty", 20, "sleep 1; exit 1", "0", "100%", 0),
                Arguments.of("three", 3, "uptime", "10%", "100%", 0),
                Arguments.of("three", 3, "uptime", "50%", "100%", 1),
                Arguments.of("three", 3, "uptime", "1", "1,100%", 1),
                Arguments.of("one", 1, "uptime", "50%", "100%", 0),
                Arguments.of("one", 1, "uptime", "0", "100%", 0));
    }

    @ParameterizedTest(name = "strict, {1} failing nodes, maxErrors {3}, waves {4}")
    @MethodSource("failingFleets")
    void aStrictBudgetNeverLetsMoreThanMaxErrorsPlusOneNodesFail(String group, int nodes, String command,
                                                                 String maxErrors, String waves, int allowance) {
        WorkflowHarness.Cli cli = h.cli("run", "--targets", "tag:Group=" + group, "--commands", command,
                "--max-errors", maxErrors, "--waves", waves, "--budget-mode", "strict").expect(ExitCode.BREACHED);
        String runId = cli.runId();
        RunRecord run = h.awaitFinished(runId);

        assertEquals(RunStatus.BREACHED, run.status());
        assertEquals(allowance, run.allowance(), "maxErrors " + maxErrors + " of " + nodes + " nodes, rounded down");
        assertEquals(allowance + 1, run.errors(), "every node fails, so the run breaches at exactly allowance + 1");
        Map<NodeStatus, Integer> counts = counts(h.statuses(runId, Phase.MAIN));
        assertEquals(allowance + 1, counts.getOrDefault(NodeStatus.FAILED, 0), counts::toString);
        assertEquals(nodes - allowance - 1, counts.getOrDefault(NodeStatus.NOT_RUN, 0),
                "the nodes after the breach were never sent the command: " + counts);
        everyCommandFitsTheBudgetLeft(runId);
        cli.shows("breach: " + (allowance + 1) + " error(s) exceed maxErrors " + maxErrors);
        if (nodes - (waves.startsWith("1,") ? 1 : 0) > allowance + 1) {
            cli.shows("strict budget: in rounds of the errors left + 1, now at most ");
        }
    }

    @ParameterizedTest(name = "leaky, {1} failing nodes, maxErrors {3}, waves {4}")
    @MethodSource("failingFleets")
    void aLeakyBudgetLetsTheNodesInFlightRunButNoMoreThanAllowancePlusConcurrency(String group, int nodes,
                                                                                 String command, String maxErrors,
                                                                                 String waves, int allowance) {
        WorkflowHarness.Cli cli = h.cli("run", "--targets", "tag:Group=" + group, "--commands", command,
                "--max-errors", maxErrors, "--waves", waves).expect(ExitCode.BREACHED);
        String runId = cli.runId();
        RunRecord run = h.awaitFinished(runId);

        assertEquals(RunStatus.BREACHED, run.status());
        assertEquals(allowance, run.allowance());
        assertTrue(run.errors() > allowance, "the budget is spent: " + run.errors());
        // The bound the plan gives for a leaky budget: the allowance and every node of the widest wave in flight.
        int widest = h.run(runId).waves(Phase.MAIN).stream().mapToInt(w -> w.concurrency()).max().orElseThrow();
        assertTrue(run.errors() <= Math.min(nodes, allowance + widest), run.errors() + " errors, allowance " + allowance
                + ", widest wave " + widest);
        for (Command c : h.commandsOf(runId)) {
            assertEquals(Integer.toString(c.instanceIds().size()), c.maxConcurrency(),
                    "leaky: a wave of at most 50 nodes is one command at the wave's whole concurrency");
        }
    }

    @Test
    void aStrictWaveGoesOutInRoundsThatShrinkAsErrorsHappen() {
        List<String> n = ids(25, 6);
        WorkflowHarness.Cli cli = h.cli("run", "--targets", "tag:Group=mixed", "--commands", "echo ok",
                "--max-errors", "1", "--waves", "100%", "--budget-mode", "strict").expect(ExitCode.BREACHED);
        String runId = cli.runId();
        h.awaitFinished(runId);

        // Budget 1: a round of 2 (one fails), then one node at a time until the second failure breaches the run.
        List<Command> commands = h.commandsOf(runId);
        assertEquals(List.of(List.of(n.get(0), n.get(1)), List.of(n.get(2)), List.of(n.get(3)), List.of(n.get(4))),
                commands.stream().map(Command::instanceIds).toList());
        assertEquals(List.of("2", "1", "1", "1"), commands.stream().map(Command::maxConcurrency).toList());
        assertEquals(List.of("1", "0", "0", "0"), commands.stream().map(Command::maxErrors).toList(),
                "each command's MaxErrors is the run's budget left");
        Map<String, NodeStatus> expected = new TreeMap<>(Map.of(n.get(0), NodeStatus.SUCCEEDED, n.get(1), NodeStatus.FAILED,
                n.get(2), NodeStatus.SUCCEEDED, n.get(3), NodeStatus.SUCCEEDED, n.get(4), NodeStatus.FAILED,
                n.get(5), NodeStatus.NOT_RUN));
        assertEquals(expected, h.statuses(runId, Phase.MAIN));
        assertEquals(List.of("Fleetrun Run Started", "Fleetrun Wave Completed", "Fleetrun Run Breached",
                "Fleetrun Run Finished"), h.eventTypes(runId), "rounds are not waves: one wave completed event");
    }

    @Test
    void aStrictRunWithinItsBudgetSendsEveryNodeOfEveryWave() {
        List<String> n = ids(31, 5);
        WorkflowHarness.Cli cli = h.cli("run", "--targets", "tag:Group=within", "--commands", "echo ok",
                "--max-errors", "20%", "--waves", "2,100%", "--budget-mode", "strict");
        String runId = cli.runId();
        RunRecord run = h.awaitFinished(runId);

        assertEquals(1, run.allowance(), "20% of 5 nodes");
        assertEquals(1, run.errors());
        Map<String, NodeStatus> statuses = h.statuses(runId, Phase.MAIN);
        assertEquals(NodeStatus.FAILED, statuses.get(n.get(1)));
        n.stream().filter(id -> !id.equals(n.get(1)))
                .forEach(id -> assertEquals(NodeStatus.SUCCEEDED, statuses.get(id), id + ": " + statuses));
        // Wave 1 (2 nodes) in one round of 2; then, with no error left, one node at a time.
        assertEquals(List.of(2, 1, 1, 1), h.commandsOf(runId).stream().map(c -> c.instanceIds().size()).toList());
        assertTrue(h.run(runId).waves(Phase.MAIN).stream().allMatch(w -> w.complete()), "every wave ran to its end");
        everyCommandFitsTheBudgetLeft(runId);
    }

    @Test
    void aLeakyWaveOfSeveralCommandsStopsAllOfThemOnceTheRunsBudgetIsSpent() {
        // 110 nodes at a concurrency of 4: one wave, three commands (37, 37 and 36 nodes; 2, 1 and 1 at a time), each
        // given the whole budget left. Alone, each command would stop only at its own third error.
        WorkflowHarness.Cli cli = h.cli("run", "--targets", "tag:Group=wide", "--commands", "sleep 1; exit 1",
                "--max-errors", "2", "--max-concurrency", "4", "--waves", "100%").expect(ExitCode.BREACHED);
        String runId = cli.runId();
        RunRecord run = h.awaitFinished(runId);

        List<Command> commands = h.commandsOf(runId);
        assertEquals(List.of(37, 37, 36), commands.stream().map(c -> c.instanceIds().size()).toList());
        assertEquals(List.of("2", "2", "2"), commands.stream().map(Command::maxErrors).toList());
        assertTrue(run.errors() > 2 && run.errors() <= 2 + 4, "a leaky budget of 2 at a concurrency of 4 ends with at"
                + " most 6 errors (the budget and the nodes in flight), got " + run.errors());
        Map<NodeStatus, Integer> counts = counts(h.statuses(runId, Phase.MAIN));
        assertEquals(110 - run.errors(), counts.getOrDefault(NodeStatus.CANCELLED, 0) + counts.getOrDefault(NodeStatus.TERMINATED, 0),
                "every node that did not fail was stopped: " + counts);
        assertTrue(counts.getOrDefault(NodeStatus.CANCELLED, 0) <= 4, "only nodes in flight (at most the concurrency, 4)"
                + " are CANCELLED, after they started; the rest never started and are TERMINATED, as SSM's own MaxErrors"
                + " cut-off says, which a rollback of the touched nodes leaves alone: " + counts);
    }

    @Test
    void aStrictWaveOfSeveralCommandsFailsNoMoreThanTheBudgetPlusOne() {
        WorkflowHarness.Cli cli = h.cli("run", "--targets", "tag:Group=wide", "--commands", "sleep 1; exit 1",
                "--max-errors", "2", "--max-concurrency", "4", "--waves", "100%", "--budget-mode", "strict")
                .expect(ExitCode.BREACHED);
        String runId = cli.runId();
        RunRecord run = h.awaitFinished(runId);

        assertEquals(3, run.errors());
        assertEquals(List.of(3), h.commandsOf(runId).stream().map(c -> c.instanceIds().size()).toList(),
                "one round of the budget left + 1 nodes, all of which failed");
        assertEquals(107, counts(h.statuses(runId, Phase.MAIN)).getOrDefault(NodeStatus.NOT_RUN, 0));
    }

    @Test
    void thePlanSaysWhichModeAndWhatItDoesToTheWaves() {
        WorkflowHarness.Cli strict = h.cli("plan", "--targets", "tag:Group=three", "--commands", "uptime",
                "--max-errors", "10%", "--waves", "1,100%", "--budget-mode", "strict").expect(ExitCode.OK);
        strict.shows("maxErrors 10% (breach at error 1)");
        strict.shows("budget: strict: at most 1 node(s) can fail");
        strict.shows("at most 1 while the budget left is 0");

        WorkflowHarness.Cli leaky = h.cli("plan", "--targets", "tag:Group=twenty", "--commands", "uptime",
                "--max-errors", "10%", "--waves", "1,100%").expect(ExitCode.OK);
        leaky.shows("budget: leaky (SSM's meaning): nodes already in flight when the budget is spent still run,"
                + " so up to 20 node(s) can fail (the allowance 2 + up to 19 in flight)");

        // The dry run's output, as the console or an SDK reads it: fields added beside the ones it always had.
        String runId = "strict-dry-run";
        h.sfn.startExecution(b -> b.stateMachineArn(h.runtime.stateMachineArn()).name(runId).input("""
                {"targets": [{"key": "tag:Group", "values": ["twenty"]}], "commands": ["uptime"],
                 "maxErrors": "10%", "maxConcurrency": "5", "budgetMode": "strict", "dryRun": true}"""));
        JsonNode plan = Json.parse(h.awaitExecutionEnd(runId).output());
        assertEquals("10%", plan.path("maxErrors").asText());
        assertEquals(2, plan.path("errorAllowance").asInt());
        assertEquals("strict", plan.path("budgetMode").asText());
        assertEquals(3, plan.path("budget").path("mostFailures").asInt());
        assertEquals(3, plan.path("budget").path("breachAt").asInt());
        JsonNode last = plan.path("waves").get(3); // the default waves: 1, 2, 4, 5, 5, 3
        assertEquals(5, last.path("concurrency").asInt());
        assertEquals(3, last.path("inFlightAtMost").asInt(), "the budget left (2) + 1, below the concurrency of 5");
        assertEquals(1, last.path("inFlightWithNoBudgetLeft").asInt());
    }

    @Test
    void aBudgetModeThatIsNeitherIsRefusedNamingTheField() {
        WorkflowHarness.Cli cli = h.cli("run", "--targets", "tag:Group=one", "--commands", "uptime",
                "--budget-mode", "Strict").expect(ExitCode.USAGE);
        cli.shows("budgetMode: must be \"leaky\"");
        cli.shows("got \"Strict\"");
        assertTrue(!cli.output().contains("Exception"), cli.output());
    }

    /**
     * Each command a strict run sent had at most its MaxErrors (the budget left when it was sent) + 1 nodes, at
     * most that many at a time: even had all of them failed, the run could not go past its allowance + 1.
     */
    private static void everyCommandFitsTheBudgetLeft(String runId) {
        List<String> problems = new ArrayList<>();
        for (Command c : h.commandsOf(runId)) {
            int left = Integer.parseInt(c.maxErrors());
            if (c.instanceIds().size() > left + 1 || Integer.parseInt(c.maxConcurrency()) > left + 1) {
                problems.add(c.comment() + ": " + c.instanceIds().size() + " node(s), MaxConcurrency "
                        + c.maxConcurrency() + ", MaxErrors " + c.maxErrors());
            }
        }
        assertEquals(List.of(), problems);
    }

    private static Map<NodeStatus, Integer> counts(Map<String, NodeStatus> statuses) {
        Map<NodeStatus, Integer> counts = new TreeMap<>();
        statuses.values().forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts;
    }
}
