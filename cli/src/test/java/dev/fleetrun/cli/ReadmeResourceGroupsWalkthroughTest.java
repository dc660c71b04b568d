package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.AwsCli;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's "Resource groups" as a user follows it: {@code ./fleetrun serve} in one terminal, and the section's
 * commands, exactly as the README has them, in another (one bash, {@code set -e}): the AWS CLI makes a tag-based
 * group on the runtime, lists its members, and {@code fleetrun run --targets resource-groups:Name=...} rolls out
 * over them.
 */
class ReadmeResourceGroupsWalkthroughTest {
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
        return ServeProcess.readmeBashBlock("### Resource groups");
    }

    @Test
    void everyCommandOfTheSectionWorksAndPrintsWhatItSays() throws Exception {
        AwsCli.require("the README's resource groups walkthrough", () -> null, () -> null);
        var result = serve.shell("set -e\n" + walkthrough());
        assertEquals(0, result.exitCode(), "the walkthrough failed:\n" + result.stdout() + "\n" + result.stderr());
        String out = result.stdout();
        assertContains(out, "\"Name\": \"web-servers\"");
        assertTrue(Pattern.compile("(?m)^20$").matcher(out).find(), "list-group-resources printed 20:\n" + out);
        assertContains(out, "wave 1/2: 1 node(s)");
        assertContains(out, "wave 2/2: 19 node(s)");
        assertTrue(Pattern.compile("run \\S+: SUCCEEDED").matcher(out).find(), out);
    }
}
