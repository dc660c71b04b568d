package dev.fleetrun.cli;

import static dev.fleetrun.cli.ServeProcess.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where each {@code ./fleetrun} command goes, as a user sees it beside a real {@code ./fleetrun serve}: the first line
 * on standard error names the serve (endpoint, pid, work dir) or the one-shot runtime; another checkout's serve and a
 * serve that is gone are named and never used or replaced silently; with no serve, {@code status} says so and
 * {@code run} starts a one-shot runtime that leaves no temporary directory; a busy port and an unreadable credentials
 * file get one line each; a run refused by the workflow is told once; run ids end in a fixed-width random suffix; a
 * cancelled node says why it has no exit code.
 */
class RuntimeDiscoveryComponentTest {
    private static final Pattern RUN_ID = Pattern.compile("fleetrun: run (run-\\d{8}-\\d{6}-[0-9a-f]{6}) started on ");

    private static ServeProcess serve;
    private static String runId;

    @BeforeAll
    static void startServeAndMakeOneRun() throws Exception {
        serve = ServeProcess.start("--port", "0", "--nodes", "2");
        ServeProcess.Result run = serve.fleetrun("run", "--commands", "echo hello", "--targets", "tag:Environment=staging");
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        Matcher m = RUN_ID.matcher(run.stdout());
        assertTrue(m.find(), "a run id of the name, the time and 6 random hexadecimal digits:\n" + run.stdout());
        runId = m.group(1);
    }

    @AfterAll
    static void stopServeAndFindItsWorkDirectoryGone() throws Exception {
        try {
            Matcher m = Pattern.compile("\"workDir\":\"([^\"]+)\"").matcher(Files.readString(serve.home.resolve("serve.json")));
            assertTrue(m.find(), "serve.json names the work directory");
            Path workDir = Path.of(m.group(1));
            assertTrue(Files.isDirectory(workDir), workDir.toString());
            assertEquals(143, serve.stop(), "SIGTERM, as Ctrl-C or a service manager stops it");
            assertFalse(Files.exists(workDir), "serve removes its work directory " + workDir + " when it stops");
            assertFalse(Files.exists(serve.home.resolve("serve.json")), "and its serve.json");
        } finally {
            serve.close();
        }
    }

    @Test
    void statusSaysOnItsFirstLineWhichServeItAsked() throws Exception {
        ServeProcess.Result status = serve.fleetrun("status", runId);
        assertEquals(0, status.exitCode(), status.stderr());
        String first = status.stderr().lines().findFirst().orElse("");
        assertTrue(first.startsWith("fleetrun: the fleetrun serve on " + serve.endpoint + " (pid " + serve.process.pid()
                + ", work dir /"), first);
        assertContains(first, "found in " + serve.home.resolve("serve.json"));
        assertContains(status.stdout(), "run " + runId + " (run): SUCCEEDED");
        assertFalse(status.stdout().contains("fleetrun: the fleetrun serve"), "standard output stays the answer");
    }

    @Test
    void aRunRefusedByTheWorkflowIsToldOnceAsNotStarted() throws Exception {
        ServeProcess.Result refused = serve.fleetrun("run", "--commands", "true", "--targets", "tag:Environment=nowhere");
        assertEquals(ExitCode.REFUSED, refused.exitCode(), refused.stdout() + refused.stderr());
        assertContains(refused.stdout(), "did not start: Fleetrun.NoTargets");
        assertFalse(refused.stdout().contains("started on"), "never 'started' then 'did not start':\n" + refused.stdout());
    }

    @Test
    void anotherCheckoutsServeIsNamedAndNotUsed() throws Exception {
        Path home = homeBeside();
        String json = Files.readString(serve.home.resolve("serve.json"))
                .replaceFirst("\"checkout\":\"[^\"]*\"", "\"checkout\":\"/work/another-checkout\"");
        assertContains(json, "/work/another-checkout");
        Files.writeString(home.resolve("serve.json"), json);
        ServeProcess.Result status = withHome(home, "status " + runId);
        assertEquals(ExitCode.NOT_FOUND, status.exitCode(), status.stdout() + status.stderr());
        assertContains(status.stderr(), "started from another checkout, /work/another-checkout (this is " + ServeProcess.ROOT + ")");
        assertContains(status.stderr(), "use it with --endpoint " + serve.endpoint);
        ServeProcess.Result named = withHome(home, "status " + runId + " --endpoint " + serve.endpoint);
        assertEquals(0, named.exitCode(), named.stderr());
        assertContains(named.stderr().lines().findFirst().orElse(""), "fleetrun: the runtime at " + serve.endpoint + " (--endpoint)");
    }

    @Test
    void aServeJsonWhoseServeIsGoneIsNamedAndNoThrowawayRuntimeAnswers() throws Exception {
        Path home = homeBeside();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Files.writeString(home.resolve("serve.json"), "{\"endpoint\":\"http://127.0.0.1:" + closedPort + "\",\"pid\":"
                + gone.pid() + "}");
        ServeProcess.Result status = withHome(home, "status " + runId);
        assertEquals(ExitCode.NOT_FOUND, status.exitCode(), status.stdout() + status.stderr());
        assertContains(status.stderr(), "serve.json names pid " + gone.pid() + " on port " + closedPort
                + ", which is gone: start `fleetrun serve` or remove");
        assertFalse((status.stdout() + status.stderr()).contains("one-shot"), "no throwaway runtime:\n" + status.stderr());
        assertFalse(status.stdout().contains("no run"), status.stdout());
    }

    @Test
    void withNoServeStatusSaysSoAndRunStartsAOneShotRuntimeThatLeavesNoTemporaryDirectory() throws Exception {
        Path home = Files.createTempDirectory(serve.home, "empty-home");
        Path tmp = Files.createTempDirectory(serve.home, "tmp");
        ServeProcess.Result status = withHome(home, "status " + runId);
        assertEquals(ExitCode.NOT_FOUND, status.exitCode(), status.stdout() + status.stderr());
        assertContains(status.stderr(), "no fleetrun serve is running for " + home + " (no serve.json there): start one with"
                + " ./fleetrun serve");

        // The README's own fault example, on the one-shot runtime's command line: faults apply after the functions exist.
        ServeProcess.Result run = serve.shell("FLEETRUN_HOME=" + home + " FLEETRUN_JAVA_OPTS=-Djava.io.tmpdir=" + tmp
                + " ./fleetrun run --nodes 2 --fault fail-lambda:function=SendWave --commands true"
                + " --targets tag:Environment=staging");
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        List<String> notes = run.stderr().lines().toList();
        assertContains(notes.get(0), "--nodes asks for a simulated fleet of its own: starting a one-shot embedded runtime"
                + " for this command");
        assertContains(notes.get(1), "fleetrun: a one-shot embedded runtime with 2 simulated node(s) on http://127.0.0.1:");
        assertContains(run.stdout(), ": SUCCEEDED");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("fleetrun-")).toList(),
                    "the one-shot runtime's work directory is removed when it ends");
        }
    }

    @Test
    void aBusyPortGetsOneLineNamingItAndWhatToDo() throws Exception {
        ServeProcess.Result second = serve.fleetrun("serve", "--port", Integer.toString(serve.port()), "--nodes", "1");
        assertEquals(ExitCode.USAGE, second.exitCode(), second.stdout() + second.stderr());
        assertContains(second.stderr(), "fleetrun: port " + serve.port() + " on 127.0.0.1 is in use by the fleetrun serve on "
                + serve.endpoint + " (pid " + serve.process.pid());
        assertContains(second.stderr(), "choose another port with --port N");
        assertFalse(second.stderr().contains("Exception") || second.stderr().contains("\tat "), second.stderr());
    }

    @Test
    void anUnreadableCredentialsFileGetsOneLine() throws Exception {
        Path home = homeBeside();
        Files.write(home.resolve("credentials"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        ServeProcess.Result status = withHome(home, "status " + runId);
        assertEquals(ExitCode.USAGE, status.exitCode(), status.stdout() + status.stderr());
        assertContains(status.stderr(), "fleetrun: cannot read the local credentials in " + home.resolve("credentials"));
        assertContains(status.stderr(), "or remove it and restart ./fleetrun serve");
        assertFalse(status.stderr().contains("Exception") || status.stderr().contains("\tat "), status.stderr());
    }

    @Test
    void aCancelledNodeSaysWhyItHasNoExitCode() throws Exception {
        ServeProcess.Result started = serve.fleetrun("run", "--detach", "--commands", "sleep 60", "--max-concurrency", "2",
                "--waves", "100%", "--targets", "tag:Environment=staging");
        assertEquals(0, started.exitCode(), started.stdout() + started.stderr());
        Matcher m = RUN_ID.matcher(started.stdout());
        assertTrue(m.find(), started.stdout());
        String id = m.group(1);
        String table = "";
        java.util.function.Predicate<String> cancelledNode = l -> l.startsWith("i-") && l.contains(" CANCELLED ");
        for (int i = 0; i < 120 && table.lines().noneMatch(cancelledNode); i++) {
            if (i == 4) {
                assertEquals(0, serve.fleetrun("stop", id).exitCode());
            }
            Thread.sleep(500);
            table = serve.fleetrun("status", id, "--all").stdout();
        }
        // Killed while it ran, the script reports an exit code; cancelled before it ran, it has none, and says why.
        Pattern exit = Pattern.compile(" CANCELLED +(-?\\d+  \\S|-  no exit code: cancelled before its command ended)");
        assertTrue(table.lines().filter(cancelledNode).allMatch(l -> exit.matcher(l).find()),
                "a cancelled node's EXIT is its exit code, or '-' and why there is none:\n" + table);
    }

    /** A FLEETRUN_HOME of its own with the serve's serve.json and credentials, to change one of them. */
    private static Path homeBeside() throws IOException {
        Path home = Files.createTempDirectory(serve.home, "home");
        Files.copy(serve.home.resolve("serve.json"), home.resolve("serve.json"));
        Files.copy(serve.home.resolve("credentials"), home.resolve("credentials"));
        return home;
    }

    private static ServeProcess.Result withHome(Path home, String command) throws IOException, InterruptedException {
        return serve.shell("FLEETRUN_HOME=" + home + " ./fleetrun " + command);
    }
}
