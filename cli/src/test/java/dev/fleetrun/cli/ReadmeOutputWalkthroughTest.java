package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's "Output in S3 and CloudWatch Logs" as a user follows it: {@code ./fleetrun serve} in one terminal, and the
 * section's commands, exactly as the README has them, in another (one bash, {@code set -e}), checked on what they print.
 */
class ReadmeOutputWalkthroughTest {
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

    /** The first bash block after the section's heading. */
    static String walkthrough() throws Exception {
        return ServeProcess.readmeBashBlock("### Output in S3 and CloudWatch Logs");
    }

    @Test
    void everyCommandOfTheSectionWorksAndPrintsWhatItSays() throws Exception {
        String commands = walkthrough();
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
}
