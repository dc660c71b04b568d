package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strict budget as a user drives it: the real {@code ./fleetrun} script with a fleet file of failing and flaky
 * nodes (local/FLEET.md), on the one-shot embedded runtime each command starts. The plan says what the mode does,
 * and the run fails no more than maxErrors + 1 nodes.
 */
class StrictBudgetCommandLineComponentTest {
    private static final Path ROOT = Path.of(System.getProperty("fleetrun.root", "..")).toAbsolutePath().normalize();
    private static final Pattern TOTAL = Pattern.compile("(?m)^total\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");

    @TempDir
    Path dir;

    /** Ten nodes: six fail every time, four fail half the time (seeded, so the same every run). */
    private Path fleet() throws IOException {
        StringBuilder nodes = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            String profile = i <= 6 ? "\"failing\"" : "{\"failShare\": 0.5, \"seed\": " + i + "}";
            nodes.append(i > 1 ? ",\n" : "").append(String.format(
                    "    {\"id\": \"i-%017d\", \"tags\": {\"Role\": \"web\"}, \"profile\": %s}", i, profile));
        }
        Path file = dir.resolve("fleet.json");
        Files.writeString(file, "{\"nodes\": [\n" + nodes + "\n]}\n");
        return file;
    }

    private record Result(int exitCode, String output) {
    }

    private Result fleetrun(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("fleetrun").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path home = Files.createDirectories(dir.resolve("home"));
        builder.environment().put("FLEETRUN_HOME", home.toString());
        Path out = dir.resolve("out-" + System.nanoTime());
        builder.redirectOutput(out.toFile());
        Process p = builder.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./fleetrun " + String.join(" ", args) + " did not end: " + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    @Test
    void aStrictRunOnAFailingFleetStopsAtMaxErrorsPlusOneFailures() throws Exception {
        Path fleet = fleet();
        Result plan = fleetrun("plan", "--fleet", fleet.toString(), "--targets", "tag:Role=web", "--commands", "uptime",
                "--max-errors", "20%", "--waves", "100%", "--budget-mode", "strict");
        assertEquals(ExitCode.OK, plan.exitCode(), plan.output());
        assertTrue(plan.output().contains("maxErrors 20% (breach at error 3)"), plan.output());
        assertTrue(plan.output().contains("budget: strict: at most 3 node(s) can fail"), plan.output());

        Result run = fleetrun("run", "--fleet", fleet.toString(), "--targets", "tag:Role=web", "--commands", "uptime",
                "--max-errors", "20%", "--waves", "100%", "--budget-mode", "strict");
        assertEquals(ExitCode.BREACHED, run.exitCode(), run.output());
        Matcher total = TOTAL.matcher(run.output());
        assertTrue(total.find(), run.output());
        assertEquals(10, Integer.parseInt(total.group(1)), run.output());
        assertEquals(3, Integer.parseInt(total.group(3)), "failed: 20% of 10 nodes allows 2, the 3rd breaches\n" + run.output());
        assertTrue(run.output().contains("breach: 3 error(s) exceed maxErrors 20%"), run.output());
    }
}
