package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.AwsCli;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's walkthroughs as a user follows them: {@code ./fleetrun serve} in one terminal, and each section's
 * commands, exactly as the README has them, in another (one bash, {@code set -e}), checked on what they print:
 * "Output in S3 and CloudWatch Logs" (a run whose nodes' whole output goes to S3 and Logs, read back with the AWS CLI
 * and {@code fleetrun logs}) and "Resource groups" (the AWS CLI makes a tag-based group on the runtime, lists its
 * members, and {@code fleetrun run --targets resource-groups:Name=...} rolls out over them). One serve for both, as
 * a user keeps one running.
 */
class ReadmeWalkthroughTest {
    private static ServeProcess serve;

    @BeforeAll
    static void start() throws Exception {
        serve = ServeProcess.start("--port", "0");
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void outputInS3AndCloudWatchLogs() throws Exception {
        String commands = ServeProcess.readmeBashBlock("### Output in S3 and CloudWatch Logs");
        var result = serve.shell("set -e\n" + commands);
        assertEquals(0, result.exitCode(), "the walkthrough failed:\n" + result.stdout() + "\n" + result.stderr());
        String out = result.stdout();
        assertContains(out, "runs/");
        assertContains(out, "/i-00000000000000001/awsrunShellScript/0.awsrunShellScript/stdout");
        assertContains(out, "line 020000");
        assertTrue(Pattern.compile("/i-00000000000000003/aws-runShellScript/stderr\\s+disk full").matcher(out).find(),
                "the filter found node 3's error:\n" + out);
        assertTrue(Pattern.compile("output: s3://fleetrun-output/runs/[0-9a-f-]{36}/i-00000000000000001/awsrunShellScript/"
                + "0\\.awsrunShellScript/stdout \\(240000 characters of stdout, 0 of stderr\\)").matcher(out).find(), out);
        assertContains(out, "== i-00000000000000003 (main, FAILED, exit 3)");
        assertContains(out, "-- stderr --\ndisk full");
        assertFalse(out.contains("== i-00000000000000002"), "--failed shows the failed node only:\n" + out);
        assertContains(result.stderr(), "wave 3/3");
    }

    @Test
    void resourceGroups() throws Exception {
        AwsCli.require("the README's resource groups walkthrough", () -> null, () -> null);
        var result = serve.shell("set -e\n" + ServeProcess.readmeBashBlock("### Resource groups"));
        assertEquals(0, result.exitCode(), "the walkthrough failed:\n" + result.stdout() + "\n" + result.stderr());
        String out = result.stdout();
        assertContains(out, "\"Name\": \"web-servers\"");
        assertTrue(Pattern.compile("(?m)^20$").matcher(out).find(), "list-group-resources printed 20:\n" + out);
        assertContains(out, "wave 1/2: 1 node(s)");
        assertContains(out, "wave 2/2: 19 node(s)");
        assertTrue(Pattern.compile("run \\S+: SUCCEEDED").matcher(out).find(), out);
    }
}
