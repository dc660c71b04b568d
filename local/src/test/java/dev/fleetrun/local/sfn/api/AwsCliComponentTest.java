package dev.fleetrun.local.sfn.api;

import static dev.fleetrun.local.sfn.api.ApiHarness.ROLE;
import static dev.fleetrun.local.sfn.api.ApiHarness.START;
import static dev.fleetrun.local.sfn.api.ApiHarness.definition;
import static dev.fleetrun.local.sfn.api.ApiHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.time.VirtualClock;
import dev.fleetrun.local.testing.AwsCli;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Step Functions API as the AWS CLI sees it: {@code aws stepfunctions ... --endpoint-url} run as a
 * subprocess, with dummy credentials and no user configuration, against a running
 * {@link dev.fleetrun.local.LocalRuntime}. Skipped with a message where {@code aws} is not installed, except
 * under {@code CI=true}, where its absence fails the test.
 */
@SuppressWarnings("try") // a clock hold is held for its scope, never read
class AwsCliComponentTest {

    private final ApiHarness api = new ApiHarness();
    private AwsCli aws;

    @BeforeEach
    void findTheAwsCli() {
        aws = AwsCli.find("the Step Functions API", api.runtime.endpoint(), api.runtime.credentials());
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void createStartDescribeAndHistoryWorkFromTheCli() throws Exception {
        JsonNode created = cli("create-state-machine", "--name", "greeter", "--role-arn", ROLE,
                "--definition", definition("wait-then-pass.asl.json")).json();
        String machineArn = created.get("stateMachineArn").asText();
        assertEquals("arn:aws:states:us-east-1:123456789012:stateMachine:greeter", machineArn);
        assertEquals(START, date(created.get("creationDate")));

        JsonNode started = cli("start-execution", "--state-machine-arn", machineArn, "--name", "from-cli",
                "--input", "{\"name\": \"cli\"}").json();
        String executionArn = started.get("executionArn").asText();
        assertEquals("arn:aws:states:us-east-1:123456789012:execution:greeter:from-cli", executionArn);
        api.finish(executionArn);

        JsonNode described = cli("describe-execution", "--execution-arn", executionArn).json();
        assertEquals("SUCCEEDED", described.get("status").asText());
        assertEquals(json("{\"name\": \"cli\"}"), json(described.get("input").asText()));
        assertEquals(json("{\"greeting\": \"hello cli\"}"), json(described.get("output").asText()));
        assertEquals(START, date(described.get("startDate")));
        assertEquals(START.plusSeconds(90), date(described.get("stopDate")));

        // --page-size 2: the CLI follows the nextTokens and joins the pages.
        JsonNode history = cli("get-execution-history", "--execution-arn", executionArn, "--page-size", "2").json();
        List<String> types = new ArrayList<>();
        history.get("events").forEach(event -> types.add(event.get("type").asText()));
        assertEquals(List.of("ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered", "PassStateExited",
                "ExecutionSucceeded"), types);
        JsonNode first = history.get("events").get(0);
        assertEquals(ROLE, first.get("executionStartedEventDetails").get("roleArn").asText());
        assertEquals(START, date(first.get("timestamp")));

        JsonNode listed = cli("list-executions", "--state-machine-arn", machineArn, "--status-filter", "SUCCEEDED").json();
        assertEquals(executionArn, listed.get("executions").get(0).get("executionArn").asText());
    }

    @Test
    void aTaskTokenIsAnsweredFromTheCli() throws Exception {
        String machineArn = api.create("approvals", "callback.asl.json");
        String executionArn;
        // Time stands still: the task waits for its token, not for its default timeout.
        try (VirtualClock.Hold hold = api.clock.hold()) {
            executionArn = cli("start-execution", "--state-machine-arn", machineArn, "--name", "approve").json()
                    .get("executionArn").asText();
            String token = api.nextTask().taskToken();
            cli("send-task-heartbeat", "--task-token", token).json();
            cli("send-task-success", "--task-token", token, "--task-output", "{\"approved\": true}").json();
        }
        api.finish(executionArn);
        JsonNode described = cli("describe-execution", "--execution-arn", executionArn).json();
        assertEquals("SUCCEEDED", described.get("status").asText());
        assertEquals(json("{\"approved\": true}"), json(described.get("output").asText()));
    }

    @Test
    void refusalsReachTheCliWithAwsCodesAndMessages() throws Exception {
        String missing = "arn:aws:states:us-east-1:123456789012:execution:greeter:missing";
        AwsCli.Result unknown = cli("describe-execution", "--execution-arn", missing);
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.stderr().contains("An error occurred (ExecutionDoesNotExist) when calling the DescribeExecution operation:"
                + " Execution Does Not Exist: '" + missing + "'"), unknown.stderr());

        AwsCli.Result invalid = cli("create-state-machine", "--name", "broken", "--role-arn", ROLE,
                "--definition", "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}");
        assertNotEquals(0, invalid.exitCode());
        assertTrue(invalid.stderr().contains("(InvalidDefinition)") && invalid.stderr().contains("/States/A/Next"), invalid.stderr());

        AwsCli.Result badToken = cli("send-task-failure", "--task-token", "not-a-token");
        assertTrue(badToken.stderr().contains("(InvalidToken)"), badToken.stderr());
    }

    @Test
    void anUnsignedOrWronglySignedCliCallIsRefused() throws Exception {
        AwsCli.Result unsigned = cli("list-state-machines", "--no-sign-request");
        assertNotEquals(0, unsigned.exitCode());
        assertTrue(unsigned.stderr().contains("(MissingAuthenticationTokenException)"), unsigned.stderr());

        AwsCli.Result wrongSecret = cli(Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"), "list-state-machines");
        assertNotEquals(0, wrongSecret.exitCode());
        assertTrue(wrongSecret.stderr().contains("(InvalidSignatureException)"), wrongSecret.stderr());

        AwsCli.Result otherKey = cli(Map.of("AWS_ACCESS_KEY_ID", "AKIAANOTHERUSERSKEY0"), "list-state-machines");
        assertTrue(otherKey.stderr().contains("(UnrecognizedClientException)"), otherKey.stderr());
    }

    /** A CLI date: AWS CLI v1 prints the wire's epoch seconds, v2 an ISO-8601 text. */
    private static Instant date(JsonNode value) {
        return value.isNumber()
                ? Instant.ofEpochMilli(Math.round(value.doubleValue() * 1000))
                : Instant.parse(value.asText().replace("+00:00", "Z"));
    }

    /** {@code aws stepfunctions <operation> <args>} against the runtime, with nothing of the user's setup. */
    private AwsCli.Result cli(String operation, String... args) throws IOException, InterruptedException {
        return aws.run("stepfunctions", operation, args);
    }

    /** As {@link #cli(String, String...)}, with these variables over the runtime's own credentials. */
    private AwsCli.Result cli(Map<String, String> environment, String operation, String... args)
            throws IOException, InterruptedException {
        return aws.run(environment, "stepfunctions", operation, args);
    }
}
