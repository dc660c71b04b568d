package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fleetrun.local.testing.AwsCli;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's walkthrough "Your own documents", run as it is written: its {@code ./fleetrun serve} line as a
 * process of its own (on a free port), its second block as one bash script in the repository's root, as a user
 * types it in another terminal, and what it prints checked against the README's output block, line by line
 * ({@code ...} stands for anything). The AWS CLI is needed (skipped without it, except under {@code CI=true}).
 */
class DocumentWalkthroughWorkflowTest {
    private static final String SECTION = "### Your own documents";
    private static ServeProcess serve;
    private static List<String> blocks;

    @BeforeAll
    static void start() throws Exception {
        String readme = Files.readString(ServeProcess.ROOT.resolve("README.md"));
        int at = readme.indexOf(SECTION);
        assertTrue(at >= 0, "README has a section " + SECTION);
        int next = readme.indexOf("\n### ", at + 1);
        String section = readme.substring(at, next >= 0 && next < readme.indexOf("\n## ", at) ? next
                : readme.indexOf("\n## ", at));
        blocks = fenced(section);
        assertEquals(3, blocks.size(), "the section has the serve line, the script and its output: " + blocks);
        if (!Files.isExecutable(ServeProcess.ROOT.resolve("fleetrun"))) {
            fail("./fleetrun is not in " + ServeProcess.ROOT);
        }
        AwsCli.require("the README's walkthrough", () -> serve.endpoint, () -> serve.credentials());
        String serveLine = blocks.get(0).strip();
        assertTrue(serveLine.startsWith("./fleetrun serve "), serveLine);
        List<String> args = new ArrayList<>(Arrays.asList(serveLine.substring("./fleetrun serve ".length()).split(" +")));
        args.addAll(List.of("--port", "0"));
        serve = ServeProcess.start(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (serve != null) {
            serve.close();
        }
    }

    /** The fenced code blocks of a README section, without their fences. */
    private static List<String> fenced(String section) {
        List<String> found = new ArrayList<>();
        String[] parts = section.split("```");
        for (int i = 1; i < parts.length; i += 2) {
            found.add(parts[i].substring(parts[i].indexOf('\n') + 1));
        }
        return found;
    }

    @Test
    void everyCommandOfTheWalkthroughRunsAndPrintsWhatTheReadmeShows() throws IOException, InterruptedException {
        ServeProcess.Result result = serve.script("set -euo pipefail\n" + blocks.get(1), 480);

        String printed = result.stdout() + result.stderr();
        assertEquals(0, result.exitCode(), "the walkthrough failed:\n" + printed);
        List<String> lines = result.stdout().lines().toList();
        int next = 0;
        for (String expected : blocks.get(2).lines().toList()) {
            if (expected.equals("...")) {
                continue;
            }
            Pattern pattern = Pattern.compile(String.join(".*", Arrays.stream(expected.split("\\.\\.\\.", -1))
                    .map(Pattern::quote).toList()));
            int found = -1;
            for (int i = next; i < lines.size(); i++) {
                if (pattern.matcher(lines.get(i)).matches()) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                fail("the README shows '" + expected + "', which the walkthrough did not print (after line " + next
                        + "):\n" + printed);
            }
            next = found + 1;
        }
        ServeProcess.assertContains(printed, "InvalidParameters");
        ServeProcess.assertContains(printed, "does not match its allowedPattern");
    }
}
