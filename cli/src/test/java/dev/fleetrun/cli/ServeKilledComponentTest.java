package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import dev.fleetrun.local.testing.ProcessLines;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No node script outlives {@code fleetrun serve}, however it ends: the real {@code ./fleetrun serve} runs
 * a long command on every node of its fleet (started with {@code ./fleetrun run --detach}), its JVM is
 * killed with SIGKILL, and within a few seconds none of the scripts, nor what they started, is left. Once
 * with scripts isolated by bubblewrap (skipped where it cannot run, required under CI=true) and once
 * without isolation, where the process-group reaper alone ends them.
 */
class ServeKilledComponentTest {
    private static final Pattern READY = Pattern.compile("fleetrun: ready on (http://127\\.0\\.0\\.1:(\\d+))");
    private static final Path ROOT = Path.of(System.getProperty("fleetrun.root", "..")).toAbsolutePath().normalize();
    private static final int NODES = 4;

    @ParameterizedTest
    @ValueSource(strings = {"bubblewrap", "none"})
    void noNodeScriptOutlivesAServeKilledWithSigkill(String isolation) throws Exception {
        // Every script, and everything it starts, inherits FLEETRUN_TAG_MARKER: that is how they are found on the host.
        String marker = UUID.randomUUID().toString();
        String inherited = "FLEETRUN_TAG_MARKER=" + marker;
        Path home = Files.createTempDirectory("fleetrun-home");
        Path stderr = Files.createTempFile("fleetrun-serve", ".err");
        Process serve = fleetrun(home, List.of("serve", "--port", "0", "--nodes", Integer.toString(NODES),
                "--tag", "Marker=" + marker, "--script-isolation", isolation)).redirectError(stderr.toFile()).start();
        serve.getOutputStream().close();
        try {
            String ready = firstLine(serve, 240); // a first run may build the modules
            String errors = Files.readString(stderr);
            if (ready == null && isolation.equals("bubblewrap") && errors.contains("cannot be isolated here")) {
                if ("true".equals(System.getenv("CI"))) {
                    fail("CI=true needs bubblewrap (.ci/run installs it): " + errors);
                }
                Assumptions.abort("bubblewrap unavailable here: " + errors.strip());
            }
            assertNotNull(ready, "no ready line; stderr: " + errors);
            Matcher m = READY.matcher(ready);
            assertTrue(m.matches(), "the ready line: " + ready);
            assertTrue(Files.readString(stderr).contains(isolation.equals("bubblewrap")
                    ? "fleetrun: node scripts: isolated with bubblewrap" : "fleetrun: node scripts: NOT isolated"),
                    "serve says at start-up which isolation is in force: " + Files.readString(stderr));
            // ./fleetrun execs java: the process is the JVM itself, not a shell that would die in its place.
            assertTrue(serve.info().command().orElse("").endsWith("/java"), serve.info().toString());

            Process run = fleetrun(home, List.of("run", "--endpoint", m.group(1), "--detach", "--name", "sleepers",
                    "--targets", "tag:Marker=" + marker, "--waves", "100%", "--commands", "sleep 300"))
                    .redirectErrorStream(true).start();
            String runOutput = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.waitFor(120, TimeUnit.SECONDS), "fleetrun run --detach did not return: " + runOutput);
            assertEquals(0, run.exitValue(), runOutput);
            eventually("a sleep runs on each of the " + NODES + " nodes", () -> sleeps(inherited).size() == NODES);

            serve.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, serve.exitValue(), "killed by SIGKILL");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!processesWithEnvironment(inherited).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of(), describe(processesWithEnvironment(inherited)),
                    "no node script, nor what it started, outlives serve");
        } finally {
            serve.destroyForcibly();
            processesWithEnvironment(inherited).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static ProcessBuilder fleetrun(Path home, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("fleetrun").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("FLEETRUN_HOME", home.toString());
        return builder;
    }

    private static List<ProcessHandle> sleeps(String inherited) {
        return processesWithEnvironment(inherited).stream()
                .filter(p -> p.info().command().orElse("").endsWith("/sleep")).toList();
    }

    private static List<String> describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }

    /** The live processes (not zombies) whose environment holds {@code entry} (NAME=value). */
    static List<ProcessHandle> processesWithEnvironment(String entry) {
        String wanted = entry + "\0";
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(process -> {
            try {
                String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ")),
                        StandardCharsets.ISO_8859_1);
                if ((environ.startsWith(wanted) || environ.contains("\0" + wanted)) && process.isAlive()) {
                    found.add(process);
                }
            } catch (IOException | SecurityException e) {
                // gone meanwhile, or another user's
            }
        });
        return found;
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    /** The first line the process prints, or null when it ends first or after {@code seconds}. */
    private static String firstLine(Process process, int seconds) throws InterruptedException {
        LinkedBlockingQueue<String> lines = ProcessLines.of(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null || (!process.isAlive() && lines.isEmpty())) {
                return line;
            }
        }
        return null;
    }

}
