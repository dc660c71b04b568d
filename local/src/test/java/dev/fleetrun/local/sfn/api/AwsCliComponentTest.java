package dev.fleetrun.local.sfn.api;

import static dev.fleetrun.local.sfn.api.ApiHarness.ROLE;
import static dev.fleetrun.local.sfn.api.ApiHarness.START;
import static dev.fleetrun.local.sfn.api.ApiHarness.definition;
import static dev.fleetrun.local.sfn.api.ApiHarness.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.time.VirtualClock;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Step Functions API as the AWS CLI sees it: {@code aws stepfunctions ... --endpoint-url} run as a
 * subprocess, with dummy credentials and no user configuration, against a running
 * {@link dev.fleetrun.local.LocalRuntime}. Skipped with a message where {@code aws} is not installed, except
 * under {@code CI=true}, where its absence fails the test.
 */
@SuppressWarnings("try") // a clock hold is held for its scope, never read
class AwsCliComponentTest {

    private static Path aws;

    private final ApiHarness api = new ApiHarness();

    @BeforeAll
    static void findTheAwsCli() {
        aws = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "aws"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (aws == null) {
            String why = "the AWS CLI ('aws') is not on the PATH, so the Step Functions API is not checked against it;"
                    + " install it (pip install awscli, or AWS CLI v2) to run this test";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ". CI requires it.");
            }
            Assumptions.abort(why);
        }
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
        Result unknown = cli("describe-execution", "--execution-arn", missing);
        assertNotEquals(0, unknown.exitCode());
        assertTrue(unknown.stderr().contains("An error occurred (ExecutionDoesNotExist) when calling the DescribeExecution operation:"
                + " Execution Does Not Exist: '" + missing + "'"), unknown.stderr());

        Result invalid = cli("create-state-machine", "--name", "broken", "--role-arn", ROLE,
                "--definition", "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}");
        assertNotEquals(0, invalid.exitCode());
        assertTrue(invalid.stderr().contains("(InvalidDefinition)") && invalid.stderr().contains("/States/A/Next"), invalid.stderr());

        Result badToken = cli("send-task-failure", "--task-token", "not-a-token");
        assertTrue(badToken.stderr().contains("(InvalidToken)"), badToken.stderr());
    }

    @Test
    void anUnsignedOrWronglySignedCliCallIsRefused() throws Exception {
        Result unsigned = cli("list-state-machines", "--no-sign-request");
        assertNotEquals(0, unsigned.exitCode());
        assertTrue(unsigned.stderr().contains("(MissingAuthenticationTokenException)"), unsigned.stderr());

        Result wrongSecret = cli(Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"), "list-state-machines");
        assertNotEquals(0, wrongSecret.exitCode());
        assertTrue(wrongSecret.stderr().contains("(InvalidSignatureException)"), wrongSecret.stderr());

        Result otherKey = cli(Map.of("AWS_ACCESS_KEY_ID", "AKIAANOTHERUSERSKEY0"), "list-state-machines");
        assertTrue(otherKey.stderr().contains("(UnrecognizedClientException)"), otherKey.stderr());
    }

    /** A CLI date: AWS CLI v1 prints the wire's epoch seconds, v2 an ISO-8601 text. */
    private static Instant date(JsonNode value) {
        return value.isNumber()
                ? Instant.ofEpochMilli(Math.round(value.doubleValue() * 1000))
                : Instant.parse(value.asText().replace("+00:00", "Z"));
    }

    private record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            assertEquals(0, exitCode, "the aws command failed: " + stderr);
            return ApiHarness.json(stdout.isBlank() ? "{}" : stdout);
        }
    }

    /** Runs {@code aws stepfunctions <operation> <args> --endpoint-url <runtime>} with nothing of the user's setup. */
    private Result cli(String operation, String... args) throws IOException, InterruptedException {
        return cli(Map.of(), operation, args);
    }

    /** As {@link #cli(String, String...)}, with these variables over the runtime's own credentials. */
    private Result cli(Map<String, String> environment, String operation, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(aws.toString(), "stepfunctions", operation));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", api.runtime.endpoint().toString(), "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        Path nowhere = Files.createTempDirectory("aws-cli-home");
        env.putAll(Map.of("AWS_ACCESS_KEY_ID", api.runtime.credentials().accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", api.runtime.credentials().secretAccessKey(), "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_CONFIG_FILE", nowhere.resolve("config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", nowhere.resolve("credentials").toString(), "AWS_PAGER", ""));
        env.putAll(environment);
        Path stderr = nowhere.resolve("stderr");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("aws stepfunctions " + operation + " did not end within 60 s");
        }
        return new Result(process.exitValue(), stdout, Files.readString(stderr));
    }
}
