package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bubblewrap command line a node's script runs with, and the start-up line of each isolation. */
class ScriptIsolationTest {
    private static final Path SANDBOX = Path.of("/work/nodes/i-00000000000000001");
    private static final Path HOME = SANDBOX.resolve("home");
    private static final List<String> SCRIPT = List.of("bash", SANDBOX.resolve("runs/c/script.sh").toString());

    private static List<String> command(boolean network, List<Path> shared, ScriptIsolation isolation) {
        return isolation.command(SCRIPT, SANDBOX, HOME, shared, "i-00000000000000001", network);
    }

    @Test
    void bubblewrapMakesEverythingReadOnlyButTheSandboxAndTakesTheNetworkAway() {
        List<String> c = command(false, List.of(), ScriptIsolation.bubblewrap(Path.of("/usr/bin/bwrap"), "0.8.0"));

        assertEquals(List.of("/usr/bin/bwrap", "--die-with-parent", "--unshare-all", "--cap-drop", "ALL"), c.subList(0, 5));
        assertFalse(c.contains("--share-net"), "no network by default");
        assertEquals(List.of("--ro-bind", "/", "/"), c.subList(c.indexOf("--ro-bind"), c.indexOf("--ro-bind") + 3));
        assertEquals(List.of("--tmpfs", "/tmp"), c.subList(c.indexOf("/tmp") - 1, c.indexOf("/tmp") + 1));
        int bind = c.indexOf("--bind");
        assertEquals(List.of("--bind", SANDBOX.toString(), SANDBOX.toString()), c.subList(bind, bind + 3));
        assertEquals(1, Collections.frequency(c, "--bind"), "the sandbox is the one writable place");
        assertEquals(List.of("--hostname", "i-00000000000000001"), c.subList(c.indexOf("--hostname"), c.indexOf("--hostname") + 2));
        assertEquals(List.of("--chdir", HOME.toString(), "--", "bash", SCRIPT.get(1)), c.subList(c.size() - 5, c.size()));
        assertTrue(c.indexOf("--ro-bind") < c.indexOf("--tmpfs") && c.indexOf("--tmpfs") < bind,
                "the writable sandbox is mounted over the read-only root and the private /tmp, not under them");
    }

    @Test
    void aNodeWithNetworkSharesTheHostsAndSharedDirectoriesAreWritableToo() {
        List<String> c = command(true, List.of(Path.of("/work/scratch")),
                ScriptIsolation.bubblewrap(Path.of("/usr/bin/bwrap"), "0.8.0"));

        assertTrue(c.contains("--share-net"));
        assertEquals(2, Collections.frequency(c, "--bind"));
        assertTrue(c.contains("/work/scratch"));
    }

    @Test
    void theServingUsersHomeAndHiddenDirectoriesBecomeEmptyAndReadOnly() throws IOException {
        Path secret = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "credentials-");
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath().normalize();

        List<String> c = command(false, List.of(), ScriptIsolation.bubblewrap(Path.of("/usr/bin/bwrap"), "0.8.0")
                .hiding(List.of(secret, secret.resolve("not-there"))));

        for (Path hidden : List.of(home, secret)) {
            int tmpfs = c.indexOf(hidden.toString()) - 1;
            assertEquals("--tmpfs", c.get(tmpfs), hidden + " in " + c);
            int remount = c.lastIndexOf(hidden.toString()) - 1;
            assertEquals("--remount-ro", c.get(remount), hidden + " in " + c);
        }
        assertFalse(String.join(" ", c).contains("not-there"), "a directory that does not exist is not mounted over");
        assertTrue(c.lastIndexOf("--remount-ro") > c.lastIndexOf("--bind"),
                "read-only once the sandbox is mounted in it (a sandbox under the home stays writable)");
    }

    @Test
    void theUsersRuntimeDirectoryWithItsSessionSocketsIsHiddenToo() throws IOException {
        Path runtime = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "xdg-runtime-");
        runtime.toFile().deleteOnExit();
        ScriptIsolation isolation = ScriptIsolation.bubblewrap(Path.of("/usr/bin/bwrap"), "0.8.0",
                java.util.Map.of("XDG_RUNTIME_DIR", runtime.toString()));

        List<String> c = command(false, List.of(), isolation);

        assertEquals("--tmpfs", c.get(c.indexOf(runtime.toString()) - 1), runtime + " in " + c);
        assertTrue(isolation.describe().contains("does not see") && isolation.describe().contains(runtime.toString()),
                isolation.describe());
        assertEquals(Path.of("/run/user", String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))),
                ScriptIsolation.userRuntimeDirectory(java.util.Map.of()), "systemd's place when XDG_RUNTIME_DIR is unset");
    }

    @Test
    void withoutBubblewrapTheScriptRunsAsItIsAndTheStartUpLineSaysWhatThatMeans() {
        ScriptIsolation none = ScriptIsolation.none("bubblewrap (bwrap) is not installed");

        assertEquals(SCRIPT, command(false, List.of(), none));
        assertFalse(none.isolated());
        assertTrue(none.describe().startsWith("node scripts: NOT isolated: bubblewrap (bwrap) is not installed;"), none.describe());
        assertTrue(none.describe().contains("can write wherever that user can"), none.describe());
        assertTrue(none.describe().endsWith("install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) to isolate them"),
                none.describe());
        assertTrue(ScriptIsolation.bubblewrap(Path.of("/usr/bin/bwrap"), "0.8.0").describe()
                .startsWith("node scripts: isolated with bubblewrap 0.8.0 (/usr/bin/bwrap): "));
    }

    @Test
    void readsTheModeAsTheCommandLineGivesIt() {
        assertEquals(ScriptIsolation.Mode.BUBBLEWRAP, ScriptIsolation.Mode.parse("Bubblewrap"));
        assertEquals(ScriptIsolation.Mode.NONE, ScriptIsolation.Mode.parse("none"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScriptIsolation.Mode.parse("docker")).getMessage()
                .contains("use auto, bubblewrap or none"));
    }
}
