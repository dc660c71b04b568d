package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./fleetrun run} in a real terminal (a tmux pane): the live display redraws one line per wave with its
 * bar, counts and ETA and shows the bake; Ctrl-C beside a running serve leaves the run going (watched to its end
 * afterwards; Ctrl-C on a watch stops the watching alone), and Ctrl-C on a one-shot embedded runtime stops the run, whose leases the command then finds released.
 */
class TerminalDisplayComponentTest {
    private static final Pattern STARTED = Pattern.compile("fleetrun: run (\\S+) started on");

    @BeforeAll
    static void tmux() throws InterruptedException {
        TmuxPane.requireTmux();
    }

    @Test
    void ctrlCBesideAServeLeavesTheRunGoingAndSaysHowToWatchOrStopIt() throws Exception {
        try (ServeProcess serve = ServeProcess.start("--port", "0", "--nodes", "12");
             TmuxPane pane = TmuxPane.start(serve.home, "./fleetrun run --targets tag:Environment=staging"
                     + " --commands 'sleep 4' --waves 1,100% --max-concurrency 2 --bake 2")) {
            String screen = pane.await("bake: 2 s before wave 2/2, until ", 240);
            Matcher started = STARTED.matcher(screen);
            assertTrue(started.find(), screen);
            String runId = started.group(1);
            assertContains(screen, "wave 1/2: 1 node(s), 1 at a time\nwave 1/2 done: 1 succeeded\n");
            // The redrawn line of wave 2: its bar, its counts, its ETA (wave 1 was observed).
            screen = pane.await("wave 2/2 [", 60);
            assertTrue(Pattern.compile("wave 2/2 \\[[#.]{20}] [0-4] running, \\d+ succeeded, 0 failed, 0 timed out of 11; ETA \\d+s")
                    .matcher(screen).find(), screen);

            pane.keys("C-c");
            screen = pane.await("EXIT=", 30);
            assertContains(screen, "fleetrun: interrupted; run " + runId + " goes on in the fleetrun serve on " + serve.endpoint + ".\n"
                    + "  watch it: fleetrun watch " + runId + "    stop it: fleetrun stop " + runId + "\nEXIT=130");

            try (TmuxPane watching = TmuxPane.start(serve.home, "./fleetrun watch " + runId)) {
                // Wave 2 takes 6 rounds of 4 s: the run is still going when this watch attaches.
                watching.await(" running, ", 60);
                watching.keys("C-c");
                assertContains(watching.await("EXIT=", 30), "fleetrun: stopped watching; run " + runId
                        + " goes on. Again: fleetrun watch " + runId + "    stop it: fleetrun stop " + runId + "\nEXIT=130");
            }
            ServeProcess.Result watched = serve.fleetrun("watch", runId);
            assertEquals(0, watched.exitCode(), watched.stdout() + watched.stderr());
            assertContains(watched.stdout(), "run " + runId + ": SUCCEEDED");
            assertContains(watched.stdout(), "wave 2         11        11      0         0         0         0");

            // retry follows its run as run does, Ctrl-C included: the run goes on in the serve, and the command says so.
            ServeProcess.Result failing = serve.fleetrun("run", "--targets", "tag:Environment=staging", "--waves", "100%",
                    "--max-errors", "5", "--commands", "case \"$AWS_SSM_INSTANCE_ID\" in *01) exit 3;; esac");
            assertEquals(ExitCode.NODES_FAILED, failing.exitCode(), failing.stdout() + failing.stderr());
            Matcher failed = STARTED.matcher(failing.stdout());
            assertTrue(failed.find(), failing.stdout());
            try (TmuxPane retrying = TmuxPane.start(serve.home, "./fleetrun retry " + failed.group(1) + " --commands 'sleep 20'")) {
                String retried = retrying.await(" running, ", 60);
                Matcher retry = STARTED.matcher(retried);
                assertTrue(retry.find(), retried);
                retrying.keys("C-c");
                assertContains(retrying.await("EXIT=", 30), "fleetrun: interrupted; run " + retry.group(1) + " goes on in the"
                        + " fleetrun serve on " + serve.endpoint + ".\n  watch it: fleetrun watch " + retry.group(1)
                        + "    stop it: fleetrun stop " + retry.group(1) + "\nEXIT=130");
            }
        }
    }

    @Test
    void ctrlCOnAOneShotRuntimeStopsTheRunAndReleasesItsLeases() throws Exception {
        Path home = Files.createTempDirectory("fleetrun-home");
        try (TmuxPane pane = TmuxPane.start(home, 72, "./fleetrun run --nodes 4 --targets tag:Environment=staging"
                + " --commands 'sleep 300' --waves 100%")) {
            String screen = pane.await("4 running, 0 succeeded", 240);
            // The redrawn line is cut to the pane's 72 columns: a wrapped line could not be redrawn in place.
            assertContains(screen, "\nwave 1/1 [....................] 4 running, 0 succeeded, 0 failed, 0 ...\n");
            assertContains(screen, "fleetrun: a one-shot embedded runtime with 4 simulated node(s)");
            Matcher started = STARTED.matcher(screen);
            assertTrue(started.find(), screen);
            String runId = started.group(1);

            pane.keys("C-c");
            screen = pane.await("EXIT=", 60);
            assertContains(screen, "fleetrun: interrupted; this command's embedded runtime ends with it, so run " + runId
                    + " is being stopped (in-flight commands cancelled, leases released)...");
            // The verdict, with its cause, as the run's last line always is.
            assertTrue(Pattern.compile("run " + runId + ": CANCELLED: [^\n]+ \\(stopped on Ctrl-C\\); leases released on all 4 node\\(s\\)\nEXIT=4")
                    .matcher(screen).find(), screen);
            assertTrue(!screen.contains("Exception") && !screen.contains("WARN"), screen);
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
