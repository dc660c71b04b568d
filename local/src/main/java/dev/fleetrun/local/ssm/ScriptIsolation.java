package dev.fleetrun.local.ssm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How the simulated nodes' scripts are confined on the host. With bubblewrap ({@code bwrap}) each
 * script runs in namespaces of its own: the whole file system read-only except the node's sandbox
 * directory, a private {@code /tmp}, the serving user's home and runtime directory hidden, no network unless the node's
 * fleet entry allows it, no capabilities, its own process ids (so the script and everything it started
 * die together) and the node id as host name. Without bubblewrap, scripts run as plain processes of
 * the user who started the runtime: they can write wherever that user can.
 *
 * <p>{@link #of} decides once per process which of the two is in force ({@link Mode#AUTO}: bubblewrap
 * when it is installed and a trial sandbox starts, as root or with unprivileged user namespaces), and
 * {@link #describe} says it in one line for the start-up output.
 */
public final class ScriptIsolation {
    /** What the operator asked for. */
    public enum Mode {
        /** bubblewrap where it works here, otherwise none (and the start-up line says why). */
        AUTO,
        /** bubblewrap or refuse to start. */
        BUBBLEWRAP,
        /** Plain processes (for comparisons, or a machine where bubblewrap misbehaves). */
        NONE;

        /** {@code auto}, {@code bubblewrap} or {@code none}, in any case. */
        public static Mode parse(String text) {
            for (Mode mode : values()) {
                if (mode.name().equalsIgnoreCase(text.trim())) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not a script isolation; use auto, bubblewrap or none");
        }
    }

    private static final String INSTALL = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)";
    private static Probe probe;

    private final Path bwrap;
    private final String description;
    /**
     * Directories the scripts see as empty and read-only: the serving user's home and runtime directory, and what
     * {@link #hiding} adds.
     */
    private final List<Path> hidden;
    /** The PATH's directories under a hidden one: bound back, read-only, so the programs there still run. */
    private final List<Path> keptOnPath;

    private ScriptIsolation(Path bwrap, String description, List<Path> hidden) {
        this.bwrap = bwrap;
        this.description = description;
        this.hidden = List.copyOf(hidden);
        List<Path> kept = new ArrayList<>();
        for (String entry : pathEntries()) {
            Path dir = Path.of(entry).toAbsolutePath().normalize();
            if (hidden.stream().anyMatch(h -> dir.startsWith(h) && !dir.equals(h)) && Files.isDirectory(dir)
                    && !kept.contains(dir)) {
                kept.add(dir);
            }
        }
        this.keptOnPath = List.copyOf(kept);
    }

    /**
     * The isolation {@code mode} asks for on this machine.
     *
     * @throws IllegalStateException for {@link Mode#BUBBLEWRAP} where bubblewrap cannot run, saying why
     */
    public static ScriptIsolation of(Mode mode) {
        if (mode == Mode.NONE) {
            return none("turned off (script isolation 'none')");
        }
        Probe found = probe();
        if (found.bwrap() != null) {
            return bubblewrap(found.bwrap(), found.version());
        }
        if (mode == Mode.BUBBLEWRAP) {
            throw new IllegalStateException("node scripts cannot be isolated here: " + found.problem() + "; " + INSTALL
                    + ", or choose script isolation 'auto' or 'none'");
        }
        return none(found.problem());
    }

    /** Plain processes; {@code why} ends the start-up line ("NOT isolated: why; ..."). */
    static ScriptIsolation none(String why) {
        return new ScriptIsolation(null, "node scripts: NOT isolated: " + why + "; they run as user "
                + System.getProperty("user.name") + " and can write wherever that user can, and reach the network"
                + (why.startsWith("turned off") ? "" : ": " + INSTALL + " to isolate them"), List.of());
    }

    /** Scripts in bubblewrap sandboxes, with {@code bwrap} (its version, e.g. "0.8.0", for the start-up line). */
    static ScriptIsolation bubblewrap(Path bwrap, String version) {
        return bubblewrap(bwrap, version, System.getenv());
    }

    /** As {@link #bubblewrap(Path, String)}, the user's runtime directory as {@code environment} names it. */
    static ScriptIsolation bubblewrap(Path bwrap, String version, Map<String, String> environment) {
        Path home = hideable(Path.of(System.getProperty("user.home", "/")));
        Path runtime = hideable(userRuntimeDirectory(environment));
        List<Path> hidden = java.util.stream.Stream.of(home, runtime).filter(Objects::nonNull).distinct().toList();
        return new ScriptIsolation(bwrap, "node scripts: isolated with bubblewrap " + version + " (" + bwrap
                + "): each writes only its node's sandbox and a private /tmp, "
                + (hidden.isEmpty() ? "" : "does not see " + hidden.stream().map(Path::toString)
                        .collect(java.util.stream.Collectors.joining(" or ")) + ", ")
                + "and has no network unless its fleet entry says \"network\": true",
                hidden);
    }

    /**
     * {@code $XDG_RUNTIME_DIR}, else {@code /run/user/UID}: where the user's session sockets are (the D-Bus session
     * bus, through which {@code systemd-run --user} runs a command outside any sandbox; ssh-agent, gpg-agent,
     * podman). A read-only file system does not keep a process from connecting to a socket on it, and a network
     * namespace does not cover sockets that have a path, so the directory must not be seen. Null when unknown.
     */
    static Path userRuntimeDirectory(Map<String, String> environment) {
        String named = environment.get("XDG_RUNTIME_DIR");
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        try {
            return Path.of("/run/user", String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * This isolation, with {@code more} directories hidden from the scripts as well (the runtime's own
     * files: its credentials). Directories that do not exist (yet) are left out. Without bubblewrap it
     * changes nothing: plain processes see everything their user sees.
     */
    public ScriptIsolation hiding(List<Path> more) {
        if (bwrap == null) {
            return this;
        }
        List<Path> all = new ArrayList<>(hidden);
        for (Path dir : more) {
            Path h = hideable(dir);
            if (h != null && !all.contains(h)) {
                all.add(h);
            }
        }
        return new ScriptIsolation(bwrap, description, all);
    }

    /** Whether scripts run in sandboxes (bubblewrap). */
    public boolean isolated() {
        return bwrap != null;
    }

    /** One line for the start-up output: which isolation is in force and what it means. */
    public String describe() {
        return description;
    }

    /**
     * The command line that runs {@code interpreter} (e.g. {@code [bash, script.sh]}) for a node.
     *
     * @param sandbox  the node's sandbox directory: writable, and every path the script is given is in it
     * @param shared   more host directories every node may write (tests that coordinate nodes)
     * @param hidden   more host directories the scripts must not see (the runtime's own credentials), besides
     *                 the serving user's home; those that do not exist are left out
     * @param hostname what {@code hostname} prints in the sandbox
     * @param network  whether the script may use the host's network
     */
    List<String> command(List<String> interpreter, Path sandbox, Path workingDirectory, List<Path> shared,
                         String hostname, boolean network) {
        if (bwrap == null) {
            return interpreter;
        }
        List<String> c = new ArrayList<>(List.of(bwrap.toString(),
                // Dies with the thread that started it (ScriptLauncher keeps that thread alive for the runtime's life);
                // bwrap's pid namespace then takes the script and whatever it started with it.
                "--die-with-parent", "--unshare-all"));
        if (network) {
            c.add("--share-net");
        }
        c.addAll(List.of("--cap-drop", "ALL", "--new-session", "--hostname", hostname,
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
        for (Path dir : hidden) {
            c.addAll(List.of("--tmpfs", dir.toString()));
        }
        for (Path dir : keptOnPath) {
            c.addAll(List.of("--ro-bind", dir.toString(), dir.toString()));
        }
        for (Path dir : concat(List.of(sandbox), shared)) {
            c.addAll(List.of("--bind", dir.toString(), dir.toString()));
        }
        for (Path dir : hidden) {
            c.addAll(List.of("--remount-ro", dir.toString()));
        }
        c.addAll(List.of("--chdir", workingDirectory.toString(), "--"));
        c.addAll(interpreter);
        return c;
    }

    @Override
    public String toString() {
        return description;
    }

    // ---- finding out what this machine can do, once per process ----

    /** bubblewrap found and working ({@code bwrap} set), or what stands in the way ({@code problem}). */
    private record Probe(Path bwrap, String version, String problem) {
    }

    private static synchronized Probe probe() {
        if (probe == null) {
            probe = tryBubblewrap();
        }
        return probe;
    }

    /** Finds bwrap and starts one trial sandbox the way scripts are started. */
    private static Probe tryBubblewrap() {
        Path bwrap = onPath("bwrap");
        if (bwrap == null) {
            return new Probe(null, null, "bubblewrap (bwrap) is not installed");
        }
        Path trial = null;
        try {
            trial = Files.createTempDirectory("fleetrun-bwrap-trial-");
            String version = run(List.of(bwrap.toString(), "--version")).trim().replaceFirst("^bubblewrap\\s*", "");
            ScriptIsolation candidate = bubblewrap(bwrap, version.isEmpty() ? "(version unknown)" : version);
            List<String> command = candidate.command(List.of("bash", "-c", "touch \"$0\"/ok", trial.toString()),
                    trial, trial, List.of(), "fleetrun-trial", false);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process process = builder.start();
            String output = new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Probe(null, null, "a trial bubblewrap sandbox did not finish within 20 s");
            }
            if (process.exitValue() != 0 || !Files.exists(trial.resolve("ok"))) {
                String first = output.lines().findFirst().orElse("exit status " + process.exitValue());
                return new Probe(null, null, "bubblewrap is installed (" + bwrap + ") but cannot start a sandbox here ("
                        + first + "; it needs root or unprivileged user namespaces)");
            }
            return new Probe(bwrap, version.isEmpty() ? "(version unknown)" : version, null);
        } catch (IOException e) {
            return new Probe(null, null, "bubblewrap (" + bwrap + ") could not be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(null, null, "interrupted while trying bubblewrap");
        } finally {
            deleteQuietly(trial);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    /** {@code dir}, absolute, when it is a directory that can be hidden (not the root); null otherwise. */
    private static Path hideable(Path dir) {
        if (dir == null) {
            return null;
        }
        Path normal = dir.toAbsolutePath().normalize();
        return normal.getParent() != null && Files.isDirectory(normal) ? normal : null;
    }

    private static List<String> pathEntries() {
        String path = System.getenv("PATH");
        return path == null ? List.of() : Stream.of(path.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
    }

    static Path onPath(String executable) {
        for (String dir : pathEntries()) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover trial directory in the temp directory is harmless
        }
    }
}
