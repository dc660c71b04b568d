package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real terminal: a tmux pane (on a tmux server of its own) running a line of bash in the repository's root as a
 * user types it, with FLEETRUN_HOME and none of this machine's AWS settings; what it shows is read with
 * capture-pane, keys such as C-c are sent with send-keys. tmux is required under CI=true (.ci/run installs it);
 * elsewhere a test without it is skipped with a line saying so.
 */
final class TmuxPane implements AutoCloseable {
    private final Path directory;
    private final String socket;

    private TmuxPane(Path directory) {
        this.directory = directory;
        this.socket = directory.resolve("tmux.sock").toString();
    }

    /** Skips the test (or fails it under CI=true) when tmux is not installed. */
    static void requireTmux() throws InterruptedException {
        boolean present;
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        }
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true needs tmux for the real-terminal tests (.ci/run installs it)");
            }
            System.out.println("tmux not installed: real-terminal test skipped");
            Assumptions.abort("tmux not installed: real-terminal test skipped");
        }
    }

    /** A 200x50 pane running {@code line} then printing EXIT=status, under FLEETRUN_HOME {@code home}. */
    static TmuxPane start(Path home, String line) throws IOException, InterruptedException {
        return start(home, 200, line);
    }

    /** A pane {@code columns} wide and 50 high running {@code line} then printing EXIT=status. */
    static TmuxPane start(Path home, int columns, String line) throws IOException, InterruptedException {
        // A socket of its own in a directory of its own, removed on close (tmux leaves its socket file behind).
        TmuxPane pane = new TmuxPane(Files.createTempDirectory("fleetrun-tmux"));
        pane.tmux(home, "new-session", "-d", "-s", "t", "-x", Integer.toString(columns), "-y", "50",
                "cd '" + ServeProcess.ROOT + "' && " + line + "; echo EXIT=$?; sleep 600");
        return pane;
    }

    /** What the pane shows now, wrapped lines joined. */
    String screen() throws IOException, InterruptedException {
        return tmux(null, "capture-pane", "-p", "-J", "-t", "t");
    }

    /** Waits (at most {@code seconds}) until the pane shows {@code text}; returns the screen then. */
    String await(String text, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String screen = screen();
        while (!screen.contains(text)) {
            if (System.nanoTime() > deadline) {
                fail("the pane never showed '" + text + "' within " + seconds + " s; it shows:\n" + screen);
            }
            Thread.sleep(100);
            screen = screen();
        }
        return screen;
    }

    void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(null, args.toArray(String[]::new));
    }

    private String tmux(Path home, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket, "-f", "/dev/null"));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        if (home != null) {
            ServeProcess.environment(b.environment(), home);
        }
        b.environment().put("TERM", "xterm-256color");
        Process p = b.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(command + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("tmux", "-S", socket, "kill-server").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        Files.deleteIfExists(Path.of(socket));
        Files.deleteIfExists(directory);
    }
}
