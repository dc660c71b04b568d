package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static dev.fleetrun.cli.WorkflowHarness.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.local.ssm.NodeProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AWS CLI against the runtime {@code fleetrun serve} runs (started here in-process, as serve starts
 * it): Step Functions, SSM and DynamoDB calls with {@code --endpoint-url} and dummy credentials, as a
 * user would type them. Skipped with a message where {@code aws} is not installed, except under
 * {@code CI=true}, where its absence fails the test.
 */
class AwsCliWorkflowTest {
    private static Path aws;
    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        aws = AwsCliRequired.check("fleetrun serve");
        h = WorkflowHarness.start(group("cli", 1, 2, NodeProfile.HEALTHY), Map.of());
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void stepFunctionsListsTheRollingRunStateMachine() throws Exception {
        JsonNode machines = aws("stepfunctions", "list-state-machines").json();
        List<String> arns = new ArrayList<>();
        machines.path("stateMachines").forEach(m -> {
            if ("fleetrun-rolling-run".equals(m.path("name").asText())) {
                arns.add(m.path("stateMachineArn").asText());
            }
        });
        assertEquals(List.of(h.runtime.stateMachineArn()), arns);
    }

    @Test
    void ssmDescribesTheSimulatedNodesAndRunsACommandSentByHand() throws Exception {
        JsonNode info = aws("ssm", "describe-instance-information").json();
        Set<String> online = new TreeSet<>();
        info.path("InstanceInformationList").forEach(i -> {
            assertEquals("Linux", i.path("PlatformType").asText());
            if ("Online".equals(i.path("PingStatus").asText())) {
                online.add(i.path("InstanceId").asText());
            }
        });
        assertEquals(Set.copyOf(ids(1, 2)), online);

        JsonNode sent = aws("ssm", "send-command", "--document-name", "AWS-RunShellScript",
                "--instance-ids", ids(1, 1).get(0), ids(2, 1).get(0),
                "--parameters", "{\"commands\": [\"echo hello from the aws cli on $AWS_SSM_INSTANCE_ID\"]}",
                "--comment", "sent by hand").json();
        String commandId = sent.path("Command").path("CommandId").asText();
        assertEquals(2, sent.path("Command").path("TargetCount").asInt());
        h.runtime.ssm().awaitCommand(commandId, Duration.ofSeconds(60));

        JsonNode invocations = aws("ssm", "list-command-invocations", "--command-id", commandId, "--details").json();
        assertEquals(2, invocations.path("CommandInvocations").size());
        for (JsonNode i : invocations.path("CommandInvocations")) {
            assertEquals("Success", i.path("Status").asText());
            assertEquals("hello from the aws cli on " + i.path("InstanceId").asText(),
                    i.path("CommandPlugins").get(0).path("Output").asText().strip());
        }
    }

    @Test
    void aRunStartedWithTheAwsCliIsRecordedInDynamoDb() throws Exception {
        var request = Json.object();
        ids(1, 2).forEach(request.putArray("instanceIds")::add);
        request.putArray("commands").add("echo from the aws cli");
        String input = Json.write(request);
        JsonNode started = aws("stepfunctions", "start-execution", "--state-machine-arn", h.runtime.stateMachineArn(),
                "--name", "from-aws-cli", "--input", input).json();
        assertEquals(h.executionArn("from-aws-cli"), started.path("executionArn").asText());
        h.awaitExecutionEnd("from-aws-cli");

        JsonNode described = aws("stepfunctions", "describe-execution", "--execution-arn", h.executionArn("from-aws-cli")).json();
        assertEquals("SUCCEEDED", described.path("status").asText());
        assertEquals("SUCCEEDED", Json.parse(described.path("output").asText()).path("status").asText());

        JsonNode scan = aws("dynamodb", "scan", "--table-name", "fleetrun").json();
        JsonNode run = null;
        List<String> nodes = new ArrayList<>();
        for (JsonNode item : scan.path("Items")) {
            String pk = item.path("pk").path("S").asText();
            String sk = item.path("sk").path("S").asText();
            if ("RUN#from-aws-cli".equals(pk) && "#RUN".equals(sk)) {
                run = item;
            }
            if ("RUN#from-aws-cli".equals(pk) && sk.startsWith("NODE#main#")) {
                nodes.add(sk + " " + item.path("status").path("S").asText());
            }
        }
        assertTrue(run != null, "the scan has the run item: " + scan);
        assertEquals("SUCCEEDED", run.path("status").path("S").asText());
        assertEquals(List.of("NODE#main#0001#" + ids(1, 1).get(0) + " SUCCEEDED", "NODE#main#0002#" + ids(2, 1).get(0) + " SUCCEEDED"),
                nodes.stream().sorted().toList());
    }

    private record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            assertEquals(0, exitCode, "the aws command failed: " + stderr);
            return Json.parse(stdout.isBlank() ? "{}" : stdout);
        }
    }

    /** {@code aws <service> <operation> <args> --endpoint-url <runtime>}, with the runtime's credentials and none of the user's setup. */
    private static Result aws(String service, String operation, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(aws.toString(), service, operation));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", h.runtime.endpoint().toString(), "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        Path nowhere = Files.createTempDirectory("aws-cli-home");
        env.putAll(Map.of("AWS_ACCESS_KEY_ID", h.runtime.credentials().accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", h.runtime.credentials().secretAccessKey(), "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_CONFIG_FILE", nowhere.resolve("config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", nowhere.resolve("credentials").toString(), "AWS_PAGER", ""));
        Path stderr = nowhere.resolve("stderr");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("aws " + service + " " + operation + " did not end within 60 s");
        }
        return new Result(process.exitValue(), stdout, Files.readString(stderr));
    }
}
