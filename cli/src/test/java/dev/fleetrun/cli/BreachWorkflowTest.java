package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static dev.fleetrun.cli.WorkflowHarness.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.sns.SnsService;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunView;
import dev.fleetrun.records.WaveRecord;
import dev.fleetrun.records.WaveStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Runs that spend their error budget or meet an alarm: no node starts after the breach, the rollback
 * runs on exactly the nodes where the command succeeded, an alert goes to SNS, and {@code fleetrun run}
 * exits 3.
 */
class BreachWorkflowTest {
    private static final String ALARM = "web-5xx-high";

    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        Fleet fleet = Fleet.of(List.of(
                        node("breach", 1, NodeProfile.HEALTHY),
                        node("breach", 2, NodeProfile.HEALTHY),
                        node("breach", 3, NodeProfile.failing(3)),
                        node("breach", 4, NodeProfile.HEALTHY),
                        node("breach", 5, NodeProfile.HEALTHY)))
                .plus(group("alarm", 6, 3, NodeProfile.HEALTHY));
        h = WorkflowHarness.start(fleet, Map.of());
        h.runtime.cloudWatch().putAlarm(ALARM, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", Map.of("LoadBalancer", "web"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aBreachStopsTheRolloutAndRollsBackExactlyTheNodesThatSucceeded() throws IOException {
        List<String> n = ids(1, 5);
        String canary = n.get(0);
        String healthy = n.get(1);
        String failing = n.get(2);
        List<String> never = List.of(n.get(3), n.get(4));

        WorkflowHarness.Cli cli = h.cli("run", "--name", "deploy", "--targets", "tag:Group=breach",
                "--commands", "echo v2 > version; echo \"deployed on $FLEETRUN_INSTANCE_ID\"",
                "--rollback-commands", "echo v1 > version; echo \"rolled back $FLEETRUN_INSTANCE_ID\"",
                "--waves", "1,2,100%", "--max-errors", "0").expect(ExitCode.BREACHED);
        String runId = cli.runId();
        cli.shows("breach: 1 error(s) exceed maxErrors 0");
        cli.shows("rolling back");
        cli.shows("run " + runId + ": ROLLED_BACK");
        List<String> lines = cli.output().strip().lines().toList();
        assertEquals("run " + runId + ": ROLLED_BACK: 1 of 5 nodes failed (budget 0): rolled back on 2, 2 not run",
                lines.get(lines.size() - 1), "the verdict is the last line, in the words of the execution's cause");
        cli.shows("output of a node that did not succeed: fleetrun logs " + runId + " --instance " + failing);

        RunView view = h.run(runId);
        assertEquals(RunStatus.ROLLED_BACK, view.run().status());
        assertEquals(1, view.run().errors());
        JsonNode breach = Json.parse(view.run().breachJson());
        assertEquals(2, breach.path("wave").asInt(), "the breach was found after wave 2");

        // The plan: the canary, then two nodes, then the rest (by instance id).
        assertEquals(Map.of(canary, 1, healthy, 2, failing, 2, never.get(0), 3, never.get(1), 3),
                waveOf(h.nodes(runId, Phase.MAIN)));
        assertEquals(Map.of(canary, NodeStatus.SUCCEEDED, healthy, NodeStatus.SUCCEEDED, failing, NodeStatus.FAILED,
                never.get(0), NodeStatus.NOT_RUN, never.get(1), NodeStatus.NOT_RUN), h.statuses(runId, Phase.MAIN));
        NodeRecord failed = h.nodes(runId, Phase.MAIN).get(failing);
        assertEquals(3, failed.responseCode());
        assertTrue(failed.errorExcerpt().contains("failing profile"), failed.errorExcerpt());
        WaveRecord third = view.waves(Phase.MAIN).get(2);
        assertEquals(WaveStatus.NOT_RUN, third.status());
        assertEquals(null, third.sentAt(), "wave 3 was never sent");

        // No node started after the breach; the rollback went to the nodes that had succeeded, and only there.
        assertEquals(Map.of(canary, 2, healthy, 2, failing, 1, never.get(0), 0, never.get(1), 0), h.commandCounts(n));
        assertEquals(Map.of(canary, NodeStatus.SUCCEEDED, healthy, NodeStatus.SUCCEEDED), h.statuses(runId, Phase.ROLLBACK));
        for (String id : List.of(canary, healthy)) {
            assertEquals("rolled back " + id, h.nodes(runId, Phase.ROLLBACK).get(id).outputExcerpt().strip());
            assertEquals("v1", Files.readString(h.runtime.ssm().home(id).resolve("version")).strip(), id + " is back on v1");
        }
        for (String id : List.of(failing, never.get(0), never.get(1))) {
            assertFalse(Files.exists(h.runtime.ssm().home(id).resolve("version")), "no script ran on " + id);
        }
        assertTrue(h.commandsOf(runId).stream().filter(c -> c.comment().contains(" rollback "))
                .allMatch(c -> List.of(canary, healthy).containsAll(c.instanceIds())));

        // The alert, the events, the execution's output.
        List<SnsService.Message> alerts = h.alerts(runId);
        assertEquals(1, alerts.size(), "one alert: " + alerts);
        assertEquals("fleetrun: run " + runId + " ROLLED_BACK", alerts.get(0).subject());
        assertTrue(alerts.get(0).message().contains("Breach: 1 error(s) exceed maxErrors 0"), alerts.get(0).message());
        List<String> types = h.eventTypes(runId);
        assertEquals(List.of("Fleetrun Run Started", "Fleetrun Wave Completed", "Fleetrun Wave Completed",
                "Fleetrun Run Breached", "Fleetrun Run Finished"), types);
        JsonNode breached = h.event(runId, "Fleetrun Run Breached").orElseThrow().path("detail");
        assertTrue(breached.path("rollback").asBoolean());
        JsonNode finished = h.event(runId, "Fleetrun Run Finished").orElseThrow().path("detail");
        assertEquals("ROLLED_BACK", finished.path("status").asText());
        assertEquals("Fleetrun.RolledBack", finished.path("error").asText());
        DescribeExecutionResponse exec = h.execution(runId);
        assertEquals(ExecutionStatus.FAILED, exec.status(), "a rolled-back run is no green execution");
        assertEquals("Fleetrun.RolledBack", exec.error());
        assertEquals("1 of 5 nodes failed (budget 0): rolled back on 2, 2 not run", exec.cause());
        assertEquals(finished.path("cause").asText(), exec.cause(), "the event and the execution tell the same cause");
        assertTrue(alerts.get(0).message().contains(exec.cause()), alerts.get(0).message());
        assertEquals(null, exec.output(), "a failed execution has no output: the summary is in the run record");
        JsonNode output = Json.parse(view.run().summaryJson());
        assertEquals("ROLLED_BACK", output.path("status").asText());
        assertEquals(2, output.path("rollback").path("nodes").asInt());
        assertEquals(2, output.path("totals").path("notRun").asInt(), "the two nodes never sent are counted as not run");
        assertEquals(0, output.path("totals").path("cancelled").asInt(), "and not as cancelled");
        n.forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty(), "lease on " + id + " released"));
    }

    @Test
    void anAlarmInAlarmBetweenWavesBreachesTheRun() {
        List<String> n = ids(6, 3);
        WorkflowHarness.Gate gate = h.gate();
        CompletableFuture<WorkflowHarness.Cli> run = h.cliInBackground("run", "--name", "alarmed", "--targets", "tag:Group=alarm",
                "--commands", gate.awaitLine(), "--commands", "echo done", "--waves", "1,100%", "--alarms", ALARM);
        // While the canary runs, the alarm goes off; the run looks at it when the canary's wave is complete.
        WorkflowHarness.await("the canary to get its command", () -> !h.commandsTo(n.get(0)).isEmpty());
        h.runtime.cloudWatch().setAlarmState(ALARM, "ALARM", "5xx above threshold (test)");
        gate.open();
        WorkflowHarness.Cli cli = WorkflowHarness.finished(run).expect(ExitCode.BREACHED);
        h.runtime.cloudWatch().setAlarmState(ALARM, "OK", "back to normal (test)");
        String runId = cli.runId();
        cli.shows("breach: alarm in ALARM: " + ALARM);
        cli.shows("run " + runId + ": BREACHED");

        RunView view = h.run(runId);
        assertEquals(RunStatus.BREACHED, view.run().status(), "no rollback was asked for");
        assertEquals(0, view.run().errors(), "no node failed: the alarm alone breached the run");
        assertEquals(Map.of(n.get(0), NodeStatus.SUCCEEDED, n.get(1), NodeStatus.NOT_RUN, n.get(2), NodeStatus.NOT_RUN),
                h.statuses(runId, Phase.MAIN));
        assertEquals(Map.of(n.get(0), 1, n.get(1), 0, n.get(2), 0), h.commandCounts(n), "nothing of wave 2 was sent");
        assertEquals(Map.of(), h.statuses(runId, Phase.ROLLBACK));
        JsonNode breached = h.event(runId, "Fleetrun Run Breached").orElseThrow().path("detail");
        assertEquals(List.of(ALARM), Json.MAPPER.convertValue(breached.path("alarms"), List.class));
        assertEquals(1, breached.path("wave").asInt());
        assertEquals(1, h.alerts(runId).size());
        assertEquals("fleetrun: run " + runId + " BREACHED", h.alerts(runId).get(0).subject());
        DescribeExecutionResponse exec = h.execution(runId);
        assertEquals(ExecutionStatus.FAILED, exec.status());
        assertEquals("Fleetrun.Breached", exec.error());
        assertEquals("alarm in ALARM: " + ALARM + " after 0 of 3 nodes failed (budget 0): breached, no rollback configured,"
                + " 2 not run; see fleetrun status " + runId, exec.cause());
        n.forEach(id -> assertTrue(h.store.leaseHolder(id).isEmpty(), "lease on " + id + " released"));
    }

    private static Map<String, Integer> waveOf(Map<String, NodeRecord> nodes) {
        Map<String, Integer> waves = new TreeMap<>();
        nodes.forEach((id, node) -> waves.put(id, node.wave()));
        return waves;
    }
}
