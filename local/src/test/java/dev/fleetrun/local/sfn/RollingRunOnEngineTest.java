package dev.fleetrun.local.sfn;

import static dev.fleetrun.local.sfn.EngineHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.ExecutionStatus;
import dev.fleetrun.local.sfn.history.HistoryEventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * fleetrun's own workflow, {@code statemachines/rolling-run.asl.json}, run by the engine with Lambda functions
 * played from data (the state payload of docs/internals.md). The function ARN placeholders become
 * {@code arn:aws:lambda:us-east-1:123456789012:function:<Name>}.
 */
class RollingRunOnEngineTest {

    private static final String REQUEST = """
            {"name": "restart-web", "instanceIds": ["i-0123456789abcdef0"], "commands": ["uptime"]}""";

    private static final String STATE = """
            {"runId": "r1", "outcome": "STARTED", "waveCount": 2, "waitTimeoutSeconds": 4200, "heartbeatSeconds": 300,
             "bakeSeconds": 0, "approvalAfterWave": 0, "hasRollback": false, "cursor": {"phase": "main", "wave": 1}}""";

    private static final String SUMMARY = """
            {"runId": "r1", "status": "SUCCEEDED", "totals": {"targeted": 1, "succeeded": 1, "failed": 0, "timedOut": 0,
             "cancelled": 0, "notRun": 0, "skipped": 0}, "cause": "the node succeeded", "waves": []}""";

    private static String definition() {
        Path root = Path.of(System.getProperty("fleetrun.root", "..")).toAbsolutePath();
        Path file = root.resolve("statemachines/rolling-run.asl.json");
        if (!Files.exists(file)) {
            file = root.getParent().resolve("statemachines/rolling-run.asl.json");
        }
        try {
            String text = Files.readString(file);
            Matcher placeholder = Pattern.compile("\\$\\{(\\w+)FunctionArn}").matcher(text);
            return placeholder.replaceAll("arn:aws:lambda:us-east-1:123456789012:function:$1");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static String with(String state, String fields) {
        return state.substring(0, state.lastIndexOf('}')) + ", " + fields + "}";
    }

    private static List<String> calledFunctions(EngineHarness harness) {
        return harness.functions.calls().stream().map(PlayedFunctions.Call::function).toList();
    }

    @Test
    void twoWavesRunToTheSummary() {
        EngineHarness harness = new EngineHarness(json("""
                {"StartRun": {"return": %s},
                 "SendWave": {"callback": {"success": {"phase": "main", "wave": 1, "complete": true, "counts": {"SUCCEEDED": 1}}, "after": 40}},
                 "Evaluate": [{"return": %s}, {"return": %s}],
                 "Finish": {"return": %s}}""".formatted(STATE,
                with(STATE, "\"decision\": \"CONTINUE\", \"approvalRequired\": false"),
                with(STATE, "\"decision\": \"DONE\", \"approvalRequired\": false"), SUMMARY)));

        Execution run = harness.run(definition(), json(REQUEST));

        assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.error() + ": " + run.cause());
        assertEquals(json(SUMMARY), run.output());
        assertEquals(List.of("StartRun", "SendWave", "Evaluate", "SendWave", "Evaluate", "Finish"), calledFunctions(harness));
        JsonNode startPayload = harness.functions.calls().get(0).payload();
        assertEquals(json(REQUEST), startPayload.get("request"));
        assertEquals(run.name(), startPayload.at("/execution/name").asText());
        assertEquals(run.arn(), startPayload.at("/execution/arn").asText());
        assertEquals("2024-01-01T00:00:00.000Z", startPayload.at("/execution/startTime").asText());
        JsonNode evaluatePayload = harness.functions.calls().get(2).payload();
        assertEquals(1, evaluatePayload.at("/waveResult/wave").asInt(), "the wave summary lands at $.waveResult");
        assertEquals(Duration.ofSeconds(80), Duration.between(run.startDate(), run.stopDate()), "two waves of 40 s");
    }

    @Test
    void aWaveWithoutHeartbeatIsReconciledAndGoesOn() {
        EngineHarness harness = new EngineHarness(json("""
                {"StartRun": {"return": %s},
                 "SendWave": {"return": null},
                 "Reconcile": {"return": %s},
                 "Evaluate": {"return": %s},
                 "Finish": {"return": %s}}""".formatted(STATE,
                with(STATE, "\"waveResult\": {\"phase\": \"main\", \"wave\": 1, \"complete\": true}"),
                with(STATE, "\"decision\": \"DONE\""), SUMMARY)));

        Execution run = harness.run(definition(), json(REQUEST));

        assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.error() + ": " + run.cause());
        assertEquals(List.of("StartRun", "SendWave", "Reconcile", "Evaluate", "Finish"), calledFunctions(harness));
        JsonNode reconcilePayload = harness.functions.calls().get(2).payload();
        assertEquals("States.HeartbeatTimeout", reconcilePayload.at("/waitError/Error").asText(),
                "the heartbeat timeout is caught, not retried, and handed to Reconcile");
        assertEquals(Duration.ofSeconds(300), Duration.between(run.startDate(), run.stopDate()));
        assertEquals(1, run.history().ofType(HistoryEventType.TaskTimedOut).size());
    }

    @Test
    void anInvalidRequestFailsWithTheCauseStartRunGave() {
        EngineHarness harness = new EngineHarness(json("""
                {"StartRun": {"return": {"runId": "r1", "outcome": "INVALID", "error": "Fleetrun.InvalidInput",
                                          "cause": "maxErrors: must be a count or a percentage"}}}"""));

        Execution run = harness.run(definition(), json(REQUEST));

        assertEquals(ExecutionStatus.FAILED, run.status());
        assertEquals("Fleetrun.InvalidInput", run.error());
        assertEquals("maxErrors: must be a count or a percentage", run.cause());
        assertEquals(List.of("StartRun"), calledFunctions(harness), "nothing is sent to any node");
    }

    @Test
    void startRunFailingAfterItsRetriesIsFinishedAsAFailedRun() {
        EngineHarness harness = new EngineHarness(json("""
                {"StartRun": {"fail": {"error": "java.lang.IllegalStateException", "cause": "table missing"}},
                 "Finish": {"return": {"runId": "r1", "status": "FAILED", "error": "Fleetrun.WorkflowError",
                                       "cause": "the run failed before it started, and nothing was sent: table missing"}}}"""));

        Execution run = harness.run(definition(), json(REQUEST));

        assertEquals(ExecutionStatus.FAILED, run.status());
        assertEquals("Fleetrun.WorkflowError", run.error(), "the summary's error, through ErrorPath");
        assertEquals("the run failed before it started, and nothing was sent: table missing", run.cause(),
                "the summary's one-line cause, through CausePath");
        assertEquals(List.of("StartRun", "StartRun", "StartRun", "StartRun", "Finish"), calledFunctions(harness),
                "States.TaskFailed is retried 3 times");
        assertEquals(Duration.ofSeconds(5 + 10 + 20), Duration.between(run.startDate(), run.stopDate()));
        JsonNode finishPayload = harness.functions.calls().get(4).payload();
        assertEquals(run.name(), finishPayload.get("runId").asText());
        assertEquals("java.lang.IllegalStateException", finishPayload.at("/failure/Error").asText());
    }

    @Test
    void bakeAndApprovalSitBetweenWaves() {
        EngineHarness harness = new EngineHarness(json("""
                {"StartRun": {"return": %s},
                 "SendWave": {"callback": {"success": {"phase": "main", "wave": 1, "complete": true}}},
                 "Evaluate": [{"return": %s}, {"return": %s}],
                 "RequestApproval": {"callback": {"success": {"approvedBy": "ops"}, "after": 3600}},
                 "Finish": {"return": %s}}""".formatted(STATE,
                with(STATE.replace("\"bakeSeconds\": 0", "\"bakeSeconds\": 600"), "\"decision\": \"CONTINUE\", \"approvalRequired\": true"),
                with(STATE, "\"decision\": \"DONE\""), SUMMARY)));

        Execution run = harness.run(definition(), json(REQUEST));

        assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.error() + ": " + run.cause());
        assertEquals(List.of("StartRun", "SendWave", "Evaluate", "RequestApproval", "SendWave", "Evaluate", "Finish"), calledFunctions(harness));
        assertEquals(Duration.ofSeconds(600 + 3600), Duration.between(run.startDate(), run.stopDate()));
        JsonNode secondSend = harness.functions.calls().get(4).payload();
        assertEquals("ops", secondSend.at("/state/approval/approvedBy").asText(), "the approval lands at $.approval");
        assertNotNull(secondSend.get("taskToken"));
    }

    @Test
    void aRejectedApprovalIsNotRetriedAndFailsTheRun() {
        EngineHarness harness = new EngineHarness(json("""
                {"StartRun": {"return": %s},
                 "SendWave": {"callback": {"success": {"phase": "main", "wave": 1, "complete": true}}},
                 "Evaluate": {"return": %s},
                 "RequestApproval": {"callback": {"failure": {"error": "Fleetrun.ApprovalRejected", "cause": "not today"}}},
                 "Finish": {"return": {"runId": "r1", "status": "REJECTED", "error": "Fleetrun.Rejected",
                                       "cause": "rejected at the approval gate"}}}""".formatted(STATE,
                with(STATE, "\"decision\": \"CONTINUE\", \"approvalRequired\": true"))));

        Execution run = harness.run(definition(), json(REQUEST));

        assertEquals(List.of("StartRun", "SendWave", "Evaluate", "RequestApproval", "Finish"), calledFunctions(harness));
        JsonNode finishPayload = harness.functions.calls().get(4).payload();
        assertEquals("Fleetrun.ApprovalRejected", finishPayload.at("/failure/Error").asText());
        assertEquals("not today", finishPayload.at("/failure/Cause").asText());
        assertEquals(ExecutionStatus.FAILED, run.status());
        assertEquals("Fleetrun.Rejected", run.error());
        assertEquals("rejected at the approval gate", run.cause());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "NODES_FAILED, Fleetrun.NodesFailed, '1 of 1 node failed (budget 1): every wave ran, 0 succeeded'",
            "BREACHED, Fleetrun.Breached, '1 of 1 node failed (budget 0): breached, no rollback configured'",
            "ROLLED_BACK, Fleetrun.RolledBack, '1 of 1 node failed (budget 0): rolled back on 0'",
            "ROLLBACK_FAILED, Fleetrun.RollbackFailed, '1 of 1 node failed (budget 0): the rollback failed'"})
    void everyOutcomeButSucceededFailsTheExecutionWithFinishsErrorAndOneLineCause(String status, String error, String cause) {
        EngineHarness harness = new EngineHarness(json("""
                {"StartRun": {"return": %s},
                 "SendWave": {"callback": {"success": {"phase": "main", "wave": 1, "complete": true}}},
                 "Evaluate": {"return": %s},
                 "Finish": {"return": {"runId": "r1", "status": "%s", "error": "%s", "cause": "%s"}}}""".formatted(STATE,
                with(STATE, "\"decision\": \"DONE\""), status, error, cause)));

        Execution run = harness.run(definition(), json(REQUEST));

        assertEquals(ExecutionStatus.FAILED, run.status(), status + " is no success");
        assertEquals(error, run.error());
        assertEquals(cause, run.cause());
        assertEquals(null, run.output(), "a failed execution has no output, on AWS as here");
    }
}
