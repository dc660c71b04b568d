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
        try (ServeProcess serve = ServeProcess.start("--port", "0", "--fleet", fleet.toString())) {
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
