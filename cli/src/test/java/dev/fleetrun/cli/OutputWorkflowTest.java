package dev.fleetrun.cli;

import static dev.fleetrun.cli.WorkflowHarness.group;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.records.NodeRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs that send their output to S3 and CloudWatch Logs, read back with {@code fleetrun logs}: each node prints
 * 100,000 characters, far past the 24,000 SSM keeps inline; {@code --instance} prints all of it and names where it read
 * it (the S3 object of StandardOutputUrl, or the run's log group), {@code --failed} prints the failed nodes' output.
 */
class OutputWorkflowTest {
    /** 10,000 lines of 10 characters: 100,000 characters of stdout on every node; node 3 also fails with a message. */
    private static final String COMMANDS = "for i in $(seq 1 10000); do printf '%09d\\n' $i; done; "
            + "if [ \"$FLEETRUN_INSTANCE_ID\" = " + WorkflowHarness.ids(3, 1).get(0) + " ]; then"
            + " echo \"disk full on $FLEETRUN_INSTANCE_ID\" >&2; exit 3; fi";
    private static WorkflowHarness h;

    @BeforeAll
    static void start() {
        h = WorkflowHarness.start(group("out", 1, 3, NodeProfile.HEALTHY), Map.of());
        h.runtime.s3().createBucket("ops-output");
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static String whole() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 10_000; i++) {
            b.append(String.format("%09d%n", i));
        }
        return b.toString();
    }

    @Test
    void logsPrintsTheWholeOutputFromS3AndSaysWhereAndFailedPrintsTheFailedNodes() {
        String runId = h.cli("run", "--name", "to-s3", "--targets", "tag:Group=out", "--waves", "1,100%", "--max-errors", "1",
                "--commands", COMMANDS, "--output-s3-bucket", "ops-output", "--output-s3-key-prefix", "fleetrun",
                "--cloudwatch-log-group", "/fleetrun/output").runId();
        h.awaitFinished(runId);
        String node = WorkflowHarness.ids(1, 1).get(0);
        NodeRecord record = h.nodes(runId, Phase.MAIN).get(node);
        String key = "fleetrun/" + record.commandId() + "/" + node + "/awsrunShellScript/0.awsrunShellScript/stdout";
        assertEquals(h.runtime.endpoint() + "/ops-output/" + key, record.outputUrl());

        WorkflowHarness.Cli logs = h.cli("logs", runId, "--instance", node).expect(ExitCode.OK);
        logs.shows("== " + node + " (main, SUCCEEDED, exit 0)");
        logs.shows("output: s3://ops-output/" + key + " (100000 characters of stdout, 0 of stderr)");
        logs.shows(whole().stripTrailing());

        String failedNode = WorkflowHarness.ids(3, 1).get(0);
        WorkflowHarness.Cli failed = h.cli("logs", runId, "--failed").expect(ExitCode.OK);
        failed.shows("== " + failedNode + " (main, FAILED, exit 3)");
        failed.shows("(100000 characters of stdout, " + ("disk full on " + failedNode + "\n").length() + " of stderr)");
        failed.shows("-- stderr --\ndisk full on " + failedNode);
        assertFalse(failed.output().contains("== " + node), "only the failed node:\n" + failed.output().substring(0, 300));
        assertEquals(NodeStatus.FAILED, h.nodes(runId, Phase.MAIN).get(failedNode).status());
    }

    @Test
    void aRunWithCloudWatchLogsOnlyIsReadFromItsStreams() {
        String runId = h.cli("run", "--name", "to-logs", "--instance-ids", WorkflowHarness.ids(2, 1).get(0),
                "--commands", COMMANDS, "--cloudwatch-log-group", "/fleetrun/logs-only").runId();
        h.awaitFinished(runId);
        String node = WorkflowHarness.ids(2, 1).get(0);
        String commandId = h.nodes(runId, Phase.MAIN).get(node).commandId();
        WorkflowHarness.Cli logs = h.cli("logs", runId, "--instance", node).expect(ExitCode.OK);
        logs.shows("output: CloudWatch Logs group /fleetrun/logs-only, stream " + commandId + "/" + node
                + "/aws-runShellScript/stdout (100000 characters of stdout, 0 of stderr)");
        logs.shows(whole().stripTrailing());
    }

    @Test
    void withoutOutputSettingsLogsSaysItHasOnlySsmsFirst24000Characters() {
        String runId = h.cli("run", "--name", "inline", "--instance-ids", WorkflowHarness.ids(1, 1).get(0),
                "--commands", COMMANDS).runId();
        h.awaitFinished(runId);
        WorkflowHarness.Cli logs = h.cli("logs", runId, "--instance", WorkflowHarness.ids(1, 1).get(0)).expect(ExitCode.OK);
        logs.shows("output: SSM GetCommandInvocation (its StandardOutputContent keeps the first 24,000 characters");
        logs.shows("(24000 characters of stdout");
        logs.shows("--output truncated--");
    }

    @Test
    void badOutputSettingsAreRefusedBeforeAnythingStartsAndAMissingBucketFailsTheRunSayingSo() {
        WorkflowHarness.Cli bad = h.cli("run", "--instance-ids", WorkflowHarness.ids(1, 1).get(0), "--commands", "true",
                "--output-s3-bucket", "Ops_Output", "--cloudwatch-log-group", "bad group!").expect(ExitCode.USAGE);
        bad.shows("output.s3Bucket: must be an S3 bucket name");
        bad.shows("output.cloudWatchLogGroup: must be a CloudWatch Logs group name");
        WorkflowHarness.Cli prefixAlone = h.cli("run", "--instance-ids", WorkflowHarness.ids(1, 1).get(0), "--commands", "true",
                "--output-s3-key-prefix", "fleetrun").expect(ExitCode.USAGE);
        prefixAlone.shows("output.s3KeyPrefix: needs output.s3Bucket");

        WorkflowHarness.Cli missing = h.cli("run", "--name", "no-bucket", "--instance-ids", WorkflowHarness.ids(1, 1).get(0),
                "--commands", "true", "--output-s3-bucket", "no-such-bucket");
        assertTrue(missing.exitCode() != ExitCode.OK, missing.output());
        String cause = h.awaitExecutionEnd(missing.runId()).cause();
        assertTrue(cause.contains("InvalidOutputFolder") && cause.contains("no-such-bucket"), cause);
        assertEquals(List.of(), h.runtime.s3().keys("no-such-bucket", ""));
    }
}
