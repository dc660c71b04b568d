package dev.fleetrun.local.ssm;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What isolating a node's script costs: the time to start a script that does nothing and see it exit,
 * one after another, and a burst of scripts started at once (as a wave sends them), for plain bash
 * started from the caller's thread (how scripts ran before isolation), the launcher without isolation
 * (setsid, starter threads, reaper) and with bubblewrap, without and with the network. It prints figures;
 * it is a program, not a test:
 * <pre>
 * ./dev mvn -q -pl local test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.fleetrun.local.ssm.ScriptStartBenchmark "-Dexec.args=300 100"
 * </pre>
 * CPU is the JVM's own and that of its reaped children (the scripts, bwrap, setsid); the kernel's work
 * to tear namespaces down afterwards runs in its own threads and is in neither.
 */
public final class ScriptStartBenchmark {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100

    private ScriptStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int sequential = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path root = Files.createTempDirectory("fleetrun-script-bench-");
        Path sandbox = Files.createDirectories(root.resolve("i-00000000000000001"));
        Path script = sandbox.resolve("script.sh");
        Files.writeString(script, "true\n");
        Path sleeper = sandbox.resolve("sleep.sh");
        Files.writeString(sleeper, "sleep 1\n");
        System.out.printf("script start cost, %d cores; %d starts one after another of a script that does nothing,"
                + " then %d scripts of 'sleep 1' at once%n", Runtime.getRuntime().availableProcessors(), sequential, burst);
        System.out.printf("%-34s %12s %14s %16s %14s%n", "how", "wall/script", "cpu/script", "burst: all up", "burst: done");

        ScriptIsolation bwrap = null;
        try {
            bwrap = ScriptIsolation.of(ScriptIsolation.Mode.BUBBLEWRAP);
        } catch (IllegalStateException e) {
            System.out.println("(bubblewrap unavailable: " + e.getMessage() + ")");
        }
        for (int round = 0; round < 2; round++) { // the first round warms up; both are printed
            measure("plain bash, caller's thread", null, false, sandbox, script, sleeper, sequential, burst);
            measure("launcher, not isolated", ScriptIsolation.of(ScriptIsolation.Mode.NONE), false, sandbox, script,
                    sleeper, sequential, burst);
            if (bwrap != null) {
                measure("launcher, bubblewrap", bwrap, false, sandbox, script, sleeper, sequential, burst);
                measure("launcher, bubblewrap + network", bwrap, true, sandbox, script, sleeper, sequential, burst);
            }
        }
    }

    private static void measure(String how, ScriptIsolation isolation, boolean network, Path sandbox, Path script,
                                Path sleeper, int sequential, int burst) throws Exception {
        try (ScriptLauncher launcher = isolation == null ? null : new ScriptLauncher(isolation, List.of())) {
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < sequential; i++) {
                ScriptProcess p = start(launcher, network, sandbox, script, i);
                p.await();
            }
            long wall = System.nanoTime() - t0;
            long cpu = cpuNanos() - cpu0;

            List<Future<ScriptProcess>> started = new ArrayList<>();
            long b0 = System.nanoTime();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < burst; i++) {
                    int n = i;
                    started.add(threads.submit(() -> start(launcher, network, sandbox, sleeper, n)));
                }
            }
            long up = System.nanoTime() - b0;
            for (Future<ScriptProcess> f : started) {
                f.get().await();
            }
            long done = System.nanoTime() - b0;
            System.out.printf("%-34s %9.2f ms %11.2f ms %13.0f ms %11.0f ms%n", how, wall / 1e6 / sequential,
                    cpu / 1e6 / sequential, up / 1e6, done / 1e6);
        }
    }

    private static ScriptProcess start(ScriptLauncher launcher, boolean network, Path sandbox, Path script, int n)
            throws IOException, InterruptedException {
        Path out = sandbox.resolve("out-" + n);
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", sandbox.toString());
        List<String> bash = List.of("bash", script.toString());
        if (launcher == null) {
            Process p = ScriptProcess.builder(bash, sandbox, env, out, out).start();
            return new ScriptProcess(p, out, out, () -> { });
        }
        return launcher.start(new ScriptLauncher.Launch("i-00000000000000001", sandbox, network, bash, sandbox, env,
                out, out));
    }

    /** CPU of this JVM and of the children it has reaped (/proc/self/stat cutime + cstime). */
    private static long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long children = (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * TICK_NANOS;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() + children;
    }
}
