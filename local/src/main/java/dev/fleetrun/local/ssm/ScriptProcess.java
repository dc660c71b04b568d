package dev.fleetrun.local.ssm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One script running as a real process on the host, for a simulated node: started by the
 * {@link ScriptLauncher} in the node's sandbox with a clean environment, its output going to files (so
 * a chatty script never blocks on a full pipe), waited for with a timeout, and killable with everything
 * it started.
 */
final class ScriptProcess {
    /** The most of each output stream kept in memory; the files on disk keep all of it. */
    static final int MAX_KEPT_CHARS = 1 << 20;

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Runnable ended;
    private final AtomicBoolean over = new AtomicBoolean();

    /**
     * @param ended run once when the script has exited or is killed: ends what it left behind (its
     *              process group, when it has one of its own)
     */
    ScriptProcess(Process process, Path stdout, Path stderr, Runnable ended) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.ended = ended;
    }

    /**
     * How a script's process is started.
     *
     * @param command     the interpreter and its arguments, e.g. {@code [bash, /.../script.sh]}, as isolated
     * @param directory   the working directory
     * @param environment the whole environment of the process (nothing is inherited)
     */
    static ProcessBuilder builder(List<String> command, Path directory, Map<String, String> environment, Path stdout,
                                  Path stderr) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    /** Waits until the script exits (true) or {@code realNanos} pass (false). */
    boolean await(long realNanos) throws InterruptedException {
        boolean exited = process.waitFor(realNanos, TimeUnit.NANOSECONDS);
        if (exited) {
            end();
        }
        return exited;
    }

    /** Waits for the script to exit, however long that takes. */
    void await() throws InterruptedException {
        process.waitFor();
        end();
    }

    long pid() {
        return process.pid();
    }

    private void end() {
        if (over.compareAndSet(false, true)) {
            ended.run();
        }
    }

    /**
     * Kills the script and every process it started (SIGKILL, as the agent's timeout does). The script
     * goes first, so that it cannot react to a child's death (a {@code wait} returning) by running on;
     * then the processes it had started, and what those had started, a few rounds deep.
     */
    void kill() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        for (int round = 0; round < 3 && !tree.isEmpty(); round++) {
            List<ProcessHandle> next = new ArrayList<>();
            for (ProcessHandle handle : tree) {
                next.addAll(handle.descendants().toList());
                handle.destroyForcibly();
            }
            tree = next.stream().filter(ProcessHandle::isAlive).distinct().toList();
        }
        end();
    }

    int exitCode() {
        return process.exitValue();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** The start of a file, decoded as UTF-8 (malformed bytes replaced), at most {@link #MAX_KEPT_CHARS}. */
    static String read(Path file) {
        if (!Files.exists(file)) {
            return "";
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_KEPT_CHARS * 4);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return text.length() > MAX_KEPT_CHARS ? text.substring(0, MAX_KEPT_CHARS) : text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read script output " + file + ": " + e.getMessage(), e);
        }
    }
}
