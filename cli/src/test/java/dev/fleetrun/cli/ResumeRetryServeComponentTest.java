package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./fleetrun retry} and {@code ./fleetrun resume} as a user types them, beside a real
 * {@code ./fleetrun serve} over a fleet file with one failing node: the launcher lists both commands, a run
 * whose node failed inside the budget is not resumed (its workflow did not fail) and the message says to
 * retry, and the retry runs on that node alone, linked to the first run; the AWS CLI sees the redrive fields.
 */
class ResumeRetryServeComponentTest {
    private static final Pattern STARTED = Pattern.compile("run (\\S+) started");

    @Test
    void retryAndResumeThroughTheLauncherBesideAServe() throws Exception {
        Path fleet = Files.createTempFile("fleetrun-retry-fleet", ".json");
        Files.writeString(fleet, """
                {"nodes": [
                  {"id": "i-00000000000000001", "tags": {"Group": "retry"}},
                  {"id": "i-00000000000000002", "tags": {"Group": "retry"}},
                  {"id": "i-00000000000000003", "tags": {"Group": "retry"}, "profile": {"failExitCode": 3}}
                ]}""");
        // Cleanup always failing: a stopped run's record is never closed, which the last case below needs.
        try (ServeProcess serve = ServeProcess.start("--port", "0", "--fleet", fleet.toString(),
                "--fault", "fail-lambda:function=Cleanup,times=every")) {
            ServeProcess.Result help = serve.fleetrun("help");
            assertContains(help.stdout(), "resume");
            assertContains(help.stdout(), "retry");

            ServeProcess.Result first = serve.fleetrun("run", "--targets", "tag:Group=retry", "--commands", "echo hi",
                    "--waves", "100%", "--max-errors", "1");
            String runId = runId(first.stdout());

            ServeProcess.Result resume = serve.fleetrun("resume", runId);
            assertEquals(ExitCode.USAGE, resume.exitCode(), resume.stdout() + resume.stderr());
            assertContains(resume.stdout(), "cannot resume run " + runId + ": it ended ");
            assertContains(resume.stdout(), "fleetrun retry " + runId);

            ServeProcess.Result retry = serve.fleetrun("retry", runId, "--max-errors", "0");
            assertContains(retry.stdout(), "a retry of " + runId + " over 1 node(s) (1 failed)");
            String retryId = runId(retry.stdout());
            assertContains(serve.fleetrun("status", retryId).stdout(), "retry of " + runId);

            JsonNode described = Json.parse(serve.shell("eval \"$(./fleetrun env)\" && aws stepfunctions describe-execution"
                    + " --execution-arn arn:aws:states:us-east-1:123456789012:execution:fleetrun-rolling-run:" + retryId).stdout());
            assertEquals(0, described.path("redriveCount").asInt());
            JsonNode request = Json.parse(described.path("input").asText());
            assertEquals("i-00000000000000003", request.path("instanceIds").get(0).asText());
            assertEquals(runId, request.path("trigger").path("retryOf").asText());

            ServeProcess.Result missing = serve.fleetrun("resume", "no-such-run");
            assertEquals(ExitCode.NOT_FOUND, missing.exitCode(), missing.stdout() + missing.stderr());

            // A run stopped while its record is never closed (Cleanup fails): the record says RUNNING, the execution
            // ABORTED, and status and list give the execution's exit code (4, cancelled), not the record's 0.
            ServeProcess.Result detached = serve.fleetrun("run", "--detach", "--targets", "tag:Group=retry", "--commands", "sleep 60",
                    "--waves", "100%");
            assertEquals(ExitCode.OK, detached.exitCode(), detached.stdout() + detached.stderr());
            assertContains(detached.stdout(), "follow it with: fleetrun watch ");
            String stopped = runId(detached.stdout());
            assertEquals(ExitCode.OK, serve.fleetrun("stop", stopped).exitCode());
            ServeProcess.Result status = serve.fleetrun("status", stopped);
            for (int i = 0; i < 60 && !status.stdout().contains("execution ABORTED"); i++) {
                Thread.sleep(500);
                status = serve.fleetrun("status", stopped);
            }
            assertContains(status.stdout(), "): RUNNING, execution ABORTED");
            assertEquals(ExitCode.CANCELLED, status.exitCode(), status.stdout());
            ServeProcess.Result json = serve.fleetrun("status", stopped, "--output", "json");
            assertEquals(ExitCode.CANCELLED, json.exitCode(), json.stdout());
            JsonNode listed = Json.parse(serve.fleetrun("list", "--status", "RUNNING", "--output", "json").stdout()).path("runs").get(0);
            assertEquals(stopped, listed.path("runId").asText(), listed.toString());
            assertEquals("ABORTED", listed.path("execution").path("status").asText(), listed.toString());
            assertEquals(ExitCode.CANCELLED, listed.path("exitCode").asInt(), listed.toString());
        } finally {
            Files.deleteIfExists(fleet);
        }
    }

    private static String runId(String output) {
        Matcher m = STARTED.matcher(output);
        if (!m.find()) {
            throw new AssertionError("no 'run ... started' line:\n" + output);
        }
        return m.group(1);
    }
}
