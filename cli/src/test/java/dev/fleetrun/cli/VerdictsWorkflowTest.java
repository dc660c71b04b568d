package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.domain.RunStatus;
import dev.fleetrun.local.lambda.Invocation;
import dev.fleetrun.local.lambda.LambdaFault;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.local.testing.AwsCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One verdict, told the same everywhere (README, "Outcomes"): through the real {@code fleetrun run} and the AWS CLI's
 * {@code describe-execution}, a run whose nodes failed inside the budget, a rollback that failed and a workflow error
 * end as FAILED executions with error {@code Fleetrun.<Outcome>} and the one-line cause the CLI's last line, the
 * {@code Fleetrun Run Finished} event and the alert carry too; the exit code is the outcome's. Execution input that is
 * no run request ({@code null}, a list, a number) is {@code Fleetrun.InvalidInput} at once, and requests the parser
 * refuses name what is wrong in words.
 */
class VerdictsWorkflowTest {
    private static AwsCli aws;
    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        aws = AwsCli.require("the outcomes through describe-execution", () -> h.runtime.endpoint(), () -> h.runtime.credentials());
        h = WorkflowHarness.start(group("allfail", 1, 3, NodeProfile.failing(3))
                .plus(group("rbf", 4, 3, NodeProfile.HEALTHY))
                .plus(group("throttled", 7, 2, NodeProfile.HEALTHY)), Map.of());
    }

    @AfterEach
    void clearFaults() {
        h.runtime.faults().clear();
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void noNodeSucceedingInsideABudgetOfAllIsNodesFailedEverywhere() {
        WorkflowHarness.Cli cli = h.cli("run", "--name", "all-fail", "--targets", "tag:Group=allfail", "--commands", "echo v2",
                "--waves", "1,100%", "--max-errors", "100%").expect(ExitCode.NODES_FAILED);
        String runId = cli.runId();
        String cause = "3 of 3 nodes failed (budget 3): every wave ran, 0 succeeded; see which with fleetrun status "
                + runId + " --all";
        assertEquals("run " + runId + ": NODES_FAILED: " + cause, lastLine(cli.output()));
        cli.shows("output of a node that did not succeed: fleetrun logs " + runId);

        JsonNode exec = aws.run("stepfunctions", "describe-execution", "--execution-arn", h.executionArn(runId)).json();
        assertEquals("FAILED", exec.path("status").asText(), "0 of 3 succeeded is no green execution: " + exec);
        assertEquals("Fleetrun.NodesFailed", exec.path("error").asText());
        assertEquals(cause, exec.path("cause").asText());
        assertFalse(exec.has("output"), "a failed execution has no output, as on AWS: " + exec);

        assertEquals(RunStatus.NODES_FAILED, h.run(runId).run().status());
        JsonNode finished = h.event(runId, "Fleetrun Run Finished").orElseThrow().path("detail");
        assertEquals(List.of("NODES_FAILED", "Fleetrun.NodesFailed", cause), List.of(finished.path("status").asText(),
                finished.path("error").asText(), finished.path("cause").asText()));
        assertEquals(3, finished.path("totals").path("failed").asInt());
        assertEquals(1, h.alerts(runId).size(), "failed nodes alert");
        assertEquals("fleetrun: run " + runId + " NODES_FAILED", h.alerts(runId).get(0).subject());
        assertTrue(h.alerts(runId).get(0).message().contains(cause), h.alerts(runId).get(0).message());

        h.cli("status", runId).expect(ExitCode.NODES_FAILED).shows("run " + runId + ": NODES_FAILED: " + cause);
    }

    @Test
    void aRollbackThatFailsOnANodeIsRollbackFailedAndExits9() {
        List<String> n = ids(4, 3);
        WorkflowHarness.Cli cli = h.cli("run", "--name", "rbf", "--targets", "tag:Group=rbf",
                "--commands", "if [ \"$FLEETRUN_INSTANCE_ID\" = " + n.get(1) + " ]; then exit 3; fi",
                "--rollback-commands", "if [ \"$FLEETRUN_INSTANCE_ID\" = " + n.get(0) + " ]; then exit 5; fi",
                "--waves", "1,2,100%", "--max-errors", "0").expect(ExitCode.ROLLBACK_FAILED);
        String runId = cli.runId();
        String cause = "1 of 3 nodes failed (budget 0): the rollback failed (1 of 2 rollback nodes failed, 1 rolled back);"
                + " those nodes need a look: fleetrun logs " + runId + " --failed";
        assertEquals("run " + runId + ": ROLLBACK_FAILED: " + cause, lastLine(cli.output()));

        JsonNode exec = aws.run("stepfunctions", "describe-execution", "--execution-arn", h.executionArn(runId)).json();
        assertEquals(List.of("FAILED", "Fleetrun.RollbackFailed", cause),
                List.of(exec.path("status").asText(), exec.path("error").asText(), exec.path("cause").asText()));
        assertEquals("fleetrun: run " + runId + " ROLLBACK_FAILED", h.alerts(runId).get(0).subject());
    }

    @Test
    void aWorkflowErrorFromTheSdkFailsTheRunWithACauseInWords() {
        // What a throttle that outlasts the SDK's retries makes a function report: the SDK's class and its message.
        h.runtime.faults().failLambda("Evaluate", 10, LambdaFault.functionError(
                "software.amazon.awssdk.services.ssm.model.ThrottlingException",
                "Rate exceeded (Service: Ssm, Status Code: 400, Request ID: 5b1e0c2a-9f4d-4e55-a1f0-3c2b1a0f9e8d)"));
        WorkflowHarness.Cli cli = h.cli("run", "--name", "throttled", "--targets", "tag:Group=throttled",
                "--commands", "echo v2").expect(ExitCode.FAILED);
        String runId = cli.runId();
        String cause = "workflow error: SSM throttled fleetrun's calls (ThrottlingException) for longer than the retries"
                + " last; wait for the load to drop, then run the nodes that did not run again; 1 of 2 nodes succeeded, 1 not run";
        assertEquals("run " + runId + ": FAILED: " + cause, lastLine(cli.output()));

        JsonNode exec = aws.run("stepfunctions", "describe-execution", "--execution-arn", h.executionArn(runId)).json();
        // The execution fails at HoldForResume, whose cause adds how to resume it (a redrive of that execution).
        assertEquals(List.of("FAILED", "Fleetrun.WorkflowError", cause + " (resume it with: fleetrun resume " + runId + ")"),
                List.of(exec.path("status").asText(), exec.path("error").asText(), exec.path("cause").asText()));
        for (String internal : List.of("software.amazon", "errorMessage", "errorType", "Request ID", "{")) {
            assertFalse(exec.path("cause").asText().contains(internal), "no SDK class names or Lambda error JSON: " + exec);
        }
        assertTrue(h.alerts(runId).get(0).message().contains(cause), h.alerts(runId).get(0).message());
        JsonNode failure = Json.parse(h.run(runId).run().summaryJson()).path("failure");
        assertEquals("software.amazon.awssdk.services.ssm.model.ThrottlingException", failure.path("Error").asText(),
                "the raw error stays in the summary for debugging");
    }

    @Test
    void executionInputThatIsNoRequestIsInvalidInputAtOnceWithoutRetries() {
        for (String input : List.of("null", "[1, 2]", "42", "\"run\"")) {
            String name = "no-request-" + Math.abs(input.hashCode());
            aws.run("stepfunctions", "start-execution", "--state-machine-arn", h.runtime.stateMachineArn(),
                    "--name", name, "--input", input).json();
            h.awaitExecutionEnd(name);

            JsonNode exec = aws.run("stepfunctions", "describe-execution", "--execution-arn", h.executionArn(name)).json();
            assertEquals("FAILED", exec.path("status").asText(), input);
            assertEquals("Fleetrun.InvalidInput", exec.path("error").asText(), input + ": " + exec);
            assertTrue(exec.path("cause").asText().startsWith("invalid run request: request: must be a JSON object such as"),
                    input + ": " + exec.path("cause").asText());
            List<Invocation> starts = h.runtime.lambdas().invocations("StartRun").stream()
                    .filter(i -> name.equals(i.payload().path("execution").path("name").asText())).toList();
            assertEquals(1, starts.size(), input + ": StartRun ran once, and refused it: no retries");
            assertTrue(h.store.getRun(name).isEmpty());
        }
    }

    @Test
    void requestsTheParserRefusesSayWhatIsWrongInWords(@TempDir Path dir) throws IOException {
        Map<String, String> refused = Map.of(
                "{\"instanceIds\": [\"i-0123456789abcdef0\"], \"document\": {\"name\": \"AWS-RunShellScript\", \"version\": 3,"
                        + " \"parameters\": {\"commands\": [\"uptime\"]}}}",
                "document.version: must be a string: \"$DEFAULT\", \"$LATEST\" or a version number in quotes such as \"3\","
                        + " got the number 3 (write \"3\")",
                "{\"instanceIds\": [\"i-0123456789abcdef0\"], \"commands\": [\"uptime\"], \"comment\": \"v2\\u0000\"}",
                "comment: must be plain text on one line, but character 3 is a control character (a NUL byte); remove it",
                "{\"instanceIds\": [\"i-0123456789abcdef0\"], \"commands\": [\"uptime\"], \"waves\": [3, 2]}",
                "waves[1]: wave 2 (2) is smaller than wave 1 (3): waves must not shrink.",
                "{\"instanceIds\": [\"i-0123456789abcdef0\"], \"commands\": [\"uptime\"]",
                "not valid JSON: it ends before the JSON value is complete",
                "[".repeat(2_000),
                "not valid JSON: it nests arrays and objects deeper than");
        int i = 0;
        for (var c : refused.entrySet()) {
            Path file = dir.resolve("request-" + (i++) + ".json");
            Files.writeString(file, c.getKey());
            WorkflowHarness.Cli cli = h.cli("run", "--input", file.toString()).expect(ExitCode.USAGE);
            cli.shows(c.getValue());
            for (String internal : List.of("StreamRead", "Exception", "jackson", "Source: ", "\tat ")) {
                assertFalse(cli.output().contains(internal), "no parser internals or stack trace: " + cli.output());
            }
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.get(lines.size() - 1);
    }
}
