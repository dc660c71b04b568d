package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.LocalClients;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.DocumentFormat;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.InvalidOutputFolderException;

/**
 * The simulated agent sends each step's (plugin's) complete output where SendCommand asked, in the SSM Agent's layout
 * ({@link OutputLayout}): S3 keys {@code prefix/CommandId/InstanceId/awsrunShellScript/0.awsrunShellScript/stdout},
 * log streams {@code CommandId/InstanceId/aws-runShellScript/stdout}, StandardOutputUrl naming the object; the inline
 * content is cut at 24,000 / 8,000 characters as the agent cuts it; a bucket that does not exist is
 * {@code InvalidOutputFolder}. Read back with the SDK's S3 and CloudWatch Logs clients.
 */
class OutputDestinationsComponentTest {
    private SsmSimulation sim;

    @AfterEach
    void close() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void stdoutAndStderrGoToS3AndCloudWatchLogsInTheAgentsLayout() {
        sim = SsmSimulation.start(SsmSimulation.nodes(2));
        sim.s3.createBucket("ops-output");
        String commandId = sim.send(List.of(id(1), id(2)), List.of(
                "for i in $(seq 1 12500); do printf 'line %05d\\n' $i; done",   // 12,500 lines of 11: 137,500 characters
                "echo \"warning from $AWS_SSM_INSTANCE_ID\" >&2"), r -> r
                .outputS3BucketName("ops-output").outputS3KeyPrefix("fleetrun/runs")
                .cloudWatchOutputConfig(c -> c.cloudWatchOutputEnabled(true).cloudWatchLogGroupName("/fleetrun/output")));
        sim.await(commandId);

        String expected = expectedLines();
        String key = "fleetrun/runs/" + commandId + "/" + id(1) + "/awsrunShellScript/0.awsrunShellScript/";
        assertEquals(List.of(key + "stderr", key + "stdout"), sim.s3.keys("ops-output", "fleetrun/runs/" + commandId + "/" + id(1)));
        try (S3Client s3 = LocalClients.s3(sim.server); CloudWatchLogsClient logs = LocalClients.logs(sim.server)) {
            assertEquals(expected, s3.getObjectAsBytes(b -> b.bucket("ops-output").key(key + "stdout")).asUtf8String());
            assertEquals("warning from " + id(1) + "\n", s3.getObjectAsBytes(b -> b.bucket("ops-output").key(key + "stderr")).asUtf8String());

            GetCommandInvocationResponse invocation = sim.invocation(commandId, id(1));
            assertEquals(sim.server.endpoint() + "/ops-output/" + key + "stdout", invocation.standardOutputUrl());
            assertEquals(sim.server.endpoint() + "/ops-output/" + key + "stderr", invocation.standardErrorUrl());
            assertEquals(24_000, invocation.standardOutputContent().length());
            assertEquals(expected.substring(0, 23_980) + "--output truncated--", invocation.standardOutputContent());

            String stream = commandId + "/" + id(2) + "/aws-runShellScript/";
            assertTrue(sim.logs.streams("/fleetrun/output").containsAll(List.of(stream + "stdout", stream + "stderr")),
                    sim.logs.streams("/fleetrun/output").toString());
            List<String> messages = logs.getLogEventsPaginator(b -> b.logGroupName("/fleetrun/output")
                    .logStreamName(stream + "stdout").startFromHead(true)).events().stream().map(OutputLogEvent::message).toList();
            // Lines packed into events of at most 200,000 bytes, each without its last newline: here one event.
            assertEquals(List.of(expected.substring(0, expected.length() - 1)), messages);
            assertEquals(List.of("warning from " + id(2)), logs.getLogEvents(b -> b.logGroupName("/fleetrun/output")
                    .logStreamName(stream + "stderr")).events().stream().map(OutputLogEvent::message).toList());
        }
    }

    @Test
    void withoutAGroupNameOutputGoesToAwsSsmDocumentNameAndEmptyStreamsAreNotWritten() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        String commandId = sim.send(List.of(id(1)), List.of("echo only stdout"),
                r -> r.cloudWatchOutputConfig(c -> c.cloudWatchOutputEnabled(true)));
        sim.await(commandId);

        assertEquals(List.of(commandId + "/" + id(1) + "/aws-runShellScript/stdout"), sim.logs.streams("/aws/ssm/AWS-RunShellScript"));
        assertEquals("", sim.invocation(commandId, id(1)).standardOutputUrl(), "no S3 output, no URL");
    }

    @Test
    void aSchema2StepWritesUnderItsOwnName() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1), b -> b.document(SsmDocument.custom("Fleetrun-Deploy", "deployStep")));
        sim.s3.createBucket("ops-output");
        String commandId = sim.client.sendCommand(r -> r.documentName("Fleetrun-Deploy").instanceIds(id(1))
                .parameters(Map.of("commands", List.of("echo deployed")))
                .outputS3BucketName("ops-output")
                .cloudWatchOutputConfig(c -> c.cloudWatchOutputEnabled(true).cloudWatchLogGroupName("deploys"))).command().commandId();
        sim.await(commandId);

        assertEquals(List.of(commandId + "/" + id(1) + "/awsrunShellScript/deployStep/stdout"), sim.s3.keys("ops-output", ""));
        assertEquals(List.of(commandId + "/" + id(1) + "/deployStep/stdout"), sim.logs.streams("deploys"));
    }

    @Test
    void eachStepOfADocumentThatRanWritesItsScriptsOutputUnderItsOwnName() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        sim.s3.createBucket("ops-output");
        sim.client.createDocument(r -> r.name("Build-In-Steps").documentFormat(DocumentFormat.YAML).content("""
                schemaVersion: '2.2'
                description: three steps, the last one skipped after exit 168
                mainSteps:
                - action: aws:runShellScript
                  name: prepare
                  inputs:
                    runCommand:
                    - mkdir -p work
                    - echo prepared
                - action: aws:runShellScript
                  name: build
                  inputs:
                    workingDirectory: work
                    runCommand:
                    - echo "built in $(basename "$PWD")"
                    - echo "a warning" >&2
                    - exit 168
                - action: aws:runShellScript
                  name: publish
                  inputs:
                    runCommand:
                    - echo published
                """));
        String commandId = sim.client.sendCommand(r -> r.documentName("Build-In-Steps").instanceIds(id(1))
                .outputS3BucketName("ops-output").outputS3KeyPrefix("runs")
                .cloudWatchOutputConfig(c -> c.cloudWatchOutputEnabled(true).cloudWatchLogGroupName("builds")))
                .command().commandId();
        sim.await(commandId);

        String folder = "runs/" + commandId + "/" + id(1) + "/awsrunShellScript/";
        assertEquals(List.of(folder + "build/stderr", folder + "build/stdout", folder + "prepare/stdout"),
                sim.s3.keys("ops-output", "runs/"), "the skipped step writes nothing, nor do empty streams");
        assertEquals("prepared\n", sim.s3.object("ops-output", folder + "prepare/stdout").orElseThrow().text());
        assertEquals("built in work\n", sim.s3.object("ops-output", folder + "build/stdout").orElseThrow().text(),
                "the step's working directory; the script's own output, without the agent's line about 168");
        assertEquals("a warning\n", sim.s3.object("ops-output", folder + "build/stderr").orElseThrow().text());
        String stream = commandId + "/" + id(1) + "/";
        assertEquals(List.of(stream + "build/stderr", stream + "build/stdout", stream + "prepare/stdout"),
                sim.logs.streams("builds").stream().sorted().toList());

        CommandInvocation invocation = sim.client.listCommandInvocations(r -> r.commandId(commandId).details(true))
                .commandInvocations().get(0);
        assertEquals("", invocation.standardOutputUrl(), "a document of several steps has no URL of its own");
        Map<String, String> urls = new java.util.LinkedHashMap<>();
        invocation.commandPlugins().forEach(p -> urls.put(p.name(), p.standardOutputUrl()));
        String base = sim.server.endpoint() + "/ops-output/" + folder;
        assertEquals(Map.of("prepare", base + "prepare/stdout", "build", base + "build/stdout",
                "publish", base + "publish/stdout"), urls, "every step's URL in the layout its output is written in");
        assertEquals(base + "build/stderr", sim.client.getCommandInvocation(r -> r.commandId(commandId).instanceId(id(1))
                .pluginName("build")).standardErrorUrl());
    }

    @Test
    void aBucketThatDoesNotExistIsInvalidOutputFolderAndNothingIsSent() {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        InvalidOutputFolderException refused = assertThrows(InvalidOutputFolderException.class,
                () -> sim.send(List.of(id(1)), List.of("echo never"), r -> r.outputS3BucketName("no-such-bucket")));
        assertTrue(refused.awsErrorDetails().errorMessage().contains("no-such-bucket"), refused.getMessage());
        assertEquals(List.of(), sim.client.listCommands().commands());
    }

    @Test
    void inlineOutputIsCutAtExactly24000And8000CharactersAndS3KeepsAll() {
        sim = SsmSimulation.start(SsmSimulation.nodes(3));
        sim.s3.createBucket("ops-output");
        Map<String, Integer> sizes = Map.of(id(1), 23_999, id(2), 24_000, id(3), 24_001);
        Map<String, Integer> errors = Map.of(id(1), 7_999, id(2), 8_000, id(3), 8_001);
        String commandId = sim.send(List.of(id(1), id(2), id(3)), List.of(
                "case $AWS_SSM_INSTANCE_ID in *1) n=23999; e=7999;; *2) n=24000; e=8000;; *3) n=24001; e=8001;; esac",
                "head -c $n /dev/zero | tr '\\0' o", "head -c $e /dev/zero | tr '\\0' e >&2"),
                r -> r.outputS3BucketName("ops-output"));
        sim.await(commandId);

        for (String node : List.of(id(1), id(2), id(3))) {
            GetCommandInvocationResponse invocation = sim.invocation(commandId, node);
            String out = "o".repeat(sizes.get(node));
            String err = "e".repeat(errors.get(node));
            assertEquals(sizes.get(node) < 24_000 ? out : out.substring(0, 23_980) + "--output truncated--",
                    invocation.standardOutputContent(), node + " stdout of " + sizes.get(node));
            assertEquals(errors.get(node) < 8_000 ? err : err.substring(0, 7_980) + "--output truncated--",
                    invocation.standardErrorContent(), node + " stderr of " + errors.get(node));
            String key = commandId + "/" + node + "/awsrunShellScript/0.awsrunShellScript/";
            assertEquals(out, sim.s3.object("ops-output", key + "stdout").orElseThrow().text());
            assertEquals(err, sim.s3.object("ops-output", key + "stderr").orElseThrow().text());
        }
    }

    private static String expectedLines() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 12_500; i++) {
            b.append(String.format("line %05d%n", i));
        }
        return b.toString();
    }
}
