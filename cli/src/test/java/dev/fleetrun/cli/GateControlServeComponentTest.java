package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Control at the gates as a user drives it: {@code ./fleetrun serve} in one terminal, {@code ./fleetrun run --detach},
 * {@code pause}, {@code approve}, {@code unpause}, {@code reject} and {@code status} from another, each a real
 * process of the launcher against the serve.
 */
class GateControlServeComponentTest {
    private static final String ME = System.getProperty("user.name") + " (local user)";
    private static final Pattern STARTED = Pattern.compile("fleetrun: run (\\S+) started on");
    private static ServeProcess serve;

    @BeforeAll
    static void start() throws Exception {
        serve = ServeProcess.start("--port", "0", "--nodes", "3", "--tag", "Role=web");
    }

    @AfterAll
    static void stop() {
        serve.close();
    }

    private static String started(ServeProcess.Result r) {
        assertEquals(ExitCode.OK, r.exitCode(), r.stdout() + r.stderr());
        Matcher m = STARTED.matcher(r.stdout());
        assertTrue(m.find(), r.stdout());
        return m.group(1);
    }

    private static ServeProcess.Result awaitStatus(String runId, String text) throws Exception {
        long deadline = System.nanoTime() + WorkflowHarness.PATIENCE.toNanos();
        while (true) {
            ServeProcess.Result status = serve.fleetrun("status", runId);
            if (status.stdout().contains(text)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                fail("fleetrun status " + runId + " never showed '" + text + "'; last:\n" + status.stdout() + status.stderr());
            }
            Thread.sleep(200);
        }
    }

    @Test
    void pauseApproveUnpauseAndRejectThroughTheLauncherAgainstAServe() throws Exception {
        String runId = started(serve.fleetrun("run", "--detach", "--name", "gated", "--targets", "tag:Role=web",
                "--commands", "echo ok", "--waves", "1,1,100%", "--approval-after", "1"));
        awaitStatus(runId, "approval gate open until ");

        ServeProcess.Result pause = serve.fleetrun("pause", runId);
        assertEquals(ExitCode.OK, pause.exitCode(), pause.stdout() + pause.stderr());
        assertContains(pause.stdout(), "run " + runId + " paused by " + ME);
        ServeProcess.Result approve = serve.fleetrun("approve", runId);
        assertEquals(ExitCode.OK, approve.exitCode(), approve.stdout() + approve.stderr());
        assertContains(approve.stdout(), "run " + runId + " approved by " + ME);
        // Approved but paused: the run holds before wave 2 until unpaused.
        ServeProcess.Result held = awaitStatus(runId, "paused before its next wave: fleetrun unpause " + runId);
        assertContains(held.stdout(), "paused by " + ME);
        assertContains(held.stdout(), "approved by " + ME);

        ServeProcess.Result unpause = serve.fleetrun("unpause", runId);
        assertEquals(ExitCode.OK, unpause.exitCode(), unpause.stdout() + unpause.stderr());
        ServeProcess.Result done = awaitStatus(runId, ": SUCCEEDED");
        assertEquals(ExitCode.OK, done.exitCode());
        assertContains(done.stdout(), "unpaused by " + ME);
        ServeProcess.Result late = serve.fleetrun("unpause", runId);
        assertEquals(ExitCode.REFUSED, late.exitCode(), late.stdout());
        assertContains(late.stdout(), "fleetrun: run " + runId + " is finished (SUCCEEDED): there is nothing to unpause");

        String second = started(serve.fleetrun("run", "--detach", "--name", "rejected", "--targets", "tag:Role=web",
                "--commands", "echo ok", "--waves", "1,100%", "--approval-after", "1"));
        awaitStatus(second, "approval gate open until ");
        ServeProcess.Result noReason = serve.fleetrun("reject", second);
        assertEquals(ExitCode.USAGE, noReason.exitCode());
        assertContains(noReason.stderr(), "--reason");
        ServeProcess.Result reject = serve.fleetrun("reject", second, "--reason", "not during the sale");
        assertEquals(ExitCode.OK, reject.exitCode(), reject.stdout() + reject.stderr());
        ServeProcess.Result rejected = awaitStatus(second, ": REJECTED");
        assertEquals(ExitCode.REJECTED, rejected.exitCode(), rejected.stdout());
        assertContains(rejected.stdout(), "rejected by " + ME + ": not during the sale");

        ServeProcess.Result help = serve.fleetrun("--help");
        for (String command : new String[] {"pause", "unpause", "promote", "reject"}) {
            assertContains(help.stdout() + help.stderr(), command);
        }
    }
}
