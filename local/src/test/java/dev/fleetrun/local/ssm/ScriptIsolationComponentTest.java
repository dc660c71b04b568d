package dev.fleetrun.local.ssm;

import static dev.fleetrun.local.ssm.SsmSimulation.eventually;
import static dev.fleetrun.local.ssm.SsmSimulation.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;

/**
 * Node scripts isolated with bubblewrap: they write their own sandbox and a private /tmp and nothing
 * else, do not see the serving user's home, have no network unless their fleet entry allows it; and in
 * both modes, what a script leaves running ends with it, and a script outlives the thread that asked
 * for it. The bubblewrap tests are skipped, saying so, where bubblewrap cannot run; under CI=true they
 * fail instead, since CI installs it (.ci/run).
 */
class ScriptIsolationComponentTest {
    private SsmSimulation sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    /** bubblewrap, or the test skipped with the reason (failed under CI=true, where it must be there). */
    static ScriptIsolation bubblewrapOrSkip() {
        try {
            return ScriptIsolation.of(ScriptIsolation.Mode.BUBBLEWRAP);
        } catch (IllegalStateException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true needs bubblewrap for the script isolation tests (.ci/run installs it): " + e.getMessage());
            }
            System.out.println("ScriptIsolationComponentTest: SKIPPED, bubblewrap unavailable: " + e.getMessage());
            Assumptions.abort("bubblewrap unavailable: " + e.getMessage());
            throw e;
        }
    }

    static ScriptIsolation isolation(ScriptIsolation.Mode mode) {
        return mode == ScriptIsolation.Mode.BUBBLEWRAP ? bubblewrapOrSkip() : ScriptIsolation.of(mode);
    }

    private SsmSimulation start(Fleet fleet, ScriptIsolation isolation) {
        return SsmSimulation.start(fleet, ssm -> ssm.isolation(isolation));
    }

    @Test
    void anIsolatedScriptWritesItsSandboxAndPrivateTmpButNothingOutside() throws IOException {
        Path outside = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "outside-");
        Path realHome = Path.of(System.getProperty("user.home")).toAbsolutePath();
        String unique = UUID.randomUUID().toString();
        sim = start(SsmSimulation.nodes(1), bubblewrapOrSkip());

        Path hostMarker = Files.createFile(Path.of("/tmp", "host-only-" + unique));
        GetCommandInvocationResponse inside;
        try {
            inside = sim.run(id(1), "touch $HOME/in-home $TMPDIR/in-tmpdir /tmp/in-tmp-" + unique, "ls /tmp", "hostname");
        } finally {
            Files.deleteIfExists(hostMarker);
        }
        GetCommandInvocationResponse elsewhere = sim.run(id(1), "touch " + outside + "/evil");
        GetCommandInvocationResponse home = sim.run(id(1), "touch " + realHome + "/stray-" + unique);

        // The private /tmp holds what the script wrote there and, when the work tree itself is under /tmp (a clone in
        // /tmp), the directory bubblewrap makes to mount the node's sandbox on: nothing of the host's /tmp.
        java.util.Set<String> expected = new java.util.TreeSet<>(List.of("in-tmp-" + unique));
        Path sandbox = sim.ssm.home(id(1)).toAbsolutePath().normalize();
        if (sandbox.startsWith("/tmp") && sandbox.getNameCount() > 1) {
            expected.add(sandbox.getName(1).toString());
        }
        List<String> lines = inside.standardOutputContent().lines().toList();
        assertEquals("Success", inside.statusAsString(), inside::toString);
        assertEquals(expected, new java.util.TreeSet<>(lines.subList(0, lines.size() - 1)), inside::toString);
        assertEquals(id(1), lines.get(lines.size() - 1), "the node id as host name");
        assertTrue(Files.exists(sim.ssm.home(id(1)).resolve("in-home")));
        assertTrue(Files.exists(sim.ssm.home(id(1)).resolveSibling("tmp").resolve("in-tmpdir")));
        assertFalse(Files.exists(Path.of("/tmp/in-tmp-" + unique)), "the script's /tmp is its own");
        assertEquals(List.of("Failed", 1), List.of(elsewhere.statusAsString(), elsewhere.responseCode()));
        // Read-only, or, for a work tree under /tmp, not there at all: the script's /tmp is its own.
        assertTrue(elsewhere.standardErrorContent().contains("Read-only file system")
                || elsewhere.standardErrorContent().contains("No such file or directory"), elsewhere.standardErrorContent());
        assertFalse(Files.exists(outside.resolve("evil")), "nothing written outside the sandbox");
        assertEquals("Failed", home.statusAsString(), "the serving user's home is read-only: " + home.standardOutputContent());
        assertFalse(Files.exists(realHome.resolve("stray-" + unique)));
    }

    @Test
    void anIsolatedScriptDoesNotSeeTheServingUsersHome() throws IOException {
        Path realHome = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();
        sim = start(SsmSimulation.nodes(1), bubblewrapOrSkip());
        // Something in the real home that is neither on the way to the sandbox nor on the PATH.
        Path sandbox = sim.ssm.home(id(1)).toAbsolutePath().normalize();
        String path = System.getenv().getOrDefault("PATH", "");
        Path secret;
        try (var entries = Files.list(realHome)) {
            secret = entries.filter(e -> !sandbox.startsWith(e) && !path.contains(e.toString())).findFirst().orElse(null);
        }
        Assumptions.assumeTrue(secret != null, "the home " + realHome + " has nothing to hide");

        GetCommandInvocationResponse look = sim.run(id(1), "test -e " + secret + " && echo visible || echo hidden");

        assertEquals("hidden\n", look.standardOutputContent(), secret + " must not be visible to a node's script");
    }

    @Test
    void anIsolatedScriptDoesNotSeeTheUsersSessionSockets() throws IOException {
        bubblewrapOrSkip();
        // The user's runtime directory (/run/user/UID) holds the D-Bus session bus, through which `systemd-run --user`
        // runs any command outside the sandbox: a socket on a read-only file system can still be connected to.
        Path runtimeDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "xdg-");
        Path bus = runtimeDir.resolve("bus");
        try (ServerSocketChannel listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listening.bind(UnixDomainSocketAddress.of(bus));
            sim = start(SsmSimulation.nodes(1), ScriptIsolation.bubblewrap(ScriptIsolation.onPath("bwrap"), "(test)",
                    Map.of("XDG_RUNTIME_DIR", runtimeDir.toString())));

            GetCommandInvocationResponse look = sim.run(id(1), "test -S " + bus + " && echo visible || echo hidden");

            assertEquals("hidden\n", look.standardOutputContent(), bus + " must not be visible to a node's script");
        } finally {
            Files.deleteIfExists(bus);
            Files.deleteIfExists(runtimeDir);
        }
    }

    @Test
    void withoutIsolationAScriptWritesWhereverItsUserCan() throws IOException {
        Path outside = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "outside-");
        sim = start(SsmSimulation.nodes(1), ScriptIsolation.of(ScriptIsolation.Mode.NONE));

        GetCommandInvocationResponse elsewhere = sim.run(id(1), "touch " + outside + "/unguarded");

        assertEquals("Success", elsewhere.statusAsString());
        assertTrue(Files.exists(outside.resolve("unguarded")), "what 'NOT isolated' at start-up means");
        assertFalse(sim.ssm.isolation().isolated());
        assertTrue(sim.ssm.isolation().describe().startsWith("node scripts: NOT isolated: turned off"),
                sim.ssm.isolation().describe());
    }

    @Test
    void anIsolatedScriptHasNoNetworkUnlessItsFleetEntryAllowsIt() throws Exception {
        ScriptIsolation isolation = bubblewrapOrSkip();
        Fleet fleet = Fleet.parse("""
                {"nodes": [{"id": "i-00000000000000001"},
                           {"id": "i-00000000000000002", "network": true}]}""", "fleet.json");
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            sim = start(fleet, isolation);
            String connect = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected";

            GetCommandInvocationResponse offline = sim.run(id(1), connect);
            GetCommandInvocationResponse online = sim.run(id(2), connect);

            assertEquals("Failed", offline.statusAsString(), offline.standardOutputContent());
            assertTrue(offline.standardErrorContent().contains("Connection refused"), offline.standardErrorContent());
            assertEquals(List.of("Success", "connected\n"), List.of(online.statusAsString(),
                    online.standardOutputContent()), online.standardErrorContent());
            eventually("the server saw the one connection", () -> accepted.get() == 1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = ScriptIsolation.Mode.class, names = {"BUBBLEWRAP", "NONE"})
    void whatAScriptLeavesRunningEndsWithIt(ScriptIsolation.Mode mode) {
        sim = start(SsmSimulation.nodes(1), isolation(mode));

        String commandId = sim.send(List.of(id(1)), "sleep 30 &", "sleep 30 & disown", "echo left two sleeps");
        sim.await(commandId);

        assertEquals("Success", sim.invocation(commandId, id(1)).statusAsString());
        eventually("no process of the command is left", () -> SsmSimulation.processesOf(commandId).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = ScriptIsolation.Mode.class, names = {"BUBBLEWRAP", "NONE"})
    void closingTheSimulationEndsTheScriptsAndWhatTheyStarted(ScriptIsolation.Mode mode) {
        sim = start(SsmSimulation.nodes(2), isolation(mode));
        String commandId = sim.send(SsmSimulation.ids(2), "sleep 30 & touch started", "wait");
        eventually("both run", () -> Files.exists(sim.ssm.home(id(1)).resolve("started"))
                && Files.exists(sim.ssm.home(id(2)).resolve("started")));

        sim.close();
        sim = null;

        eventually("no process of the command is left", () -> SsmSimulation.processesOf(commandId).isEmpty());
    }

    /**
     * A parent-death signal fires when the thread that started the process ends, and an agent runs on a
     * virtual thread whose carrier the JVM may end when idle: the launcher starts every script from a
     * thread of its own, so a script goes on after the thread that asked for it is gone. (Started from
     * the asking thread itself, the bubblewrap case fails here: the script dies with its asker.)
     */
    @ParameterizedTest
    @EnumSource(value = ScriptIsolation.Mode.class, names = {"BUBBLEWRAP", "NONE"})
    void aScriptOutlivesTheThreadThatAskedForIt(ScriptIsolation.Mode mode) throws Exception {
        Path sandbox = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "launch-");
        String marker = "FLEETRUN_TEST_MARKER=" + UUID.randomUUID();
        try (ScriptLauncher launcher = new ScriptLauncher(isolation(mode), List.of())) {
            ScriptProcess[] started = new ScriptProcess[1];
            Thread asker = Thread.ofPlatform().start(() -> {
                try {
                    started[0] = launcher.start(new ScriptLauncher.Launch("i-00000000000000001", sandbox, false,
                            List.of("bash", "-c", "touch started; sleep 30; :"), sandbox,
                            Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", marker.split("=")[0], marker.split("=")[1]),
                            sandbox.resolve("stdout"), sandbox.resolve("stderr")));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                // Ends once the script runs, so that bubblewrap has set up its parent-death signal by then.
                eventually("the script runs", () -> Files.exists(sandbox.resolve("started")));
            });
            asker.join();
            Thread.sleep(300);

            assertFalse(started[0].await(0), "the script still runs after its asker ended: " + ScriptProcess.read(sandbox.resolve("stderr")));
            assertFalse(SsmSimulation.processesWithEnvironment(marker).isEmpty());
            started[0].kill();
            started[0].await();
        }
        eventually("the script is gone", () -> SsmSimulation.processesWithEnvironment(marker).isEmpty());
    }
}
