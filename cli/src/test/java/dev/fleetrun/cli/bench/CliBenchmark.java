package dev.fleetrun.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLI benchmark: how long each {@code ./fleetrun} command takes, wall time from start to exit, as a user types it
 * beside a running {@code ./fleetrun serve}. It starts a serve (its own FLEETRUN_HOME, 3 simulated nodes), makes one
 * finished run, then runs each command line N times and prints its median, p95, min and max, against the goal of a
 * median under 1 s; then, for {@code fleetrun run} with no serve, how long a one-shot runtime takes to print its first
 * line and to end. A program, not a test: it prints figures and never fails a build (README.md, "A quick command
 * line", says how to run it and what it measured).
 *
 * <p>It needs only the JDK, so it runs straight from its source:
 * {@code "$(./dev java-home)/bin/java" cli/src/test/java/dev/fleetrun/cli/bench/CliBenchmark.java [options]}.
 * Options: {@code --times N} (default 10), {@code --modes lean,full} (lean: the launcher as it is; full: with
 * {@code FLEETRUN_FULL_CLASSPATH=1}, the whole runtime class path with no class-data archive, as every command started
 * before), {@code --command 'LINE'} (repeat: the command lines to time instead of the default ones; {@code {RUN}} and
 * {@code {INSTANCE}} stand for the finished run and one of its nodes), {@code --one-shot N} (default 3, 0: none).
 * The default lines are {@code status {RUN}}, {@code logs {RUN}}, {@code plan ...}, {@code history --instance
 * {INSTANCE}}, and {@code list} where the launcher has that command.
 */
public final class CliBenchmark {
    private static final Path ROOT = Path.of(System.getProperty("fleetrun.root", ".")).toAbsolutePath().normalize();
    private static final Pattern READY = Pattern.compile("fleetrun: ready on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern STARTED = Pattern.compile("run (\\S+) started on ");
    private static final String INSTANCE = "i-00000000000000001";

    static final List<String> DEFAULT_COMMANDS = List.of(
            "status {RUN}",
            "list",
            "logs {RUN}",
            "plan --commands uptime --targets tag:Environment=staging --waves 1,50%,100%",
            "history --instance {INSTANCE}");

    private final Path home;

    private CliBenchmark(Path home) {
        this.home = home;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, List<String>> a = arguments(argv);
        int times = Integer.parseInt(one(a, "times", "10"));
        List<String> modes = List.of(one(a, "modes", "lean,full").split(","));
        int oneShots = Integer.parseInt(one(a, "one-shot", "3"));
        if (!Files.isExecutable(ROOT.resolve("fleetrun"))) {
            System.err.println("run it from the repository's root (or give -Dfleetrun.root=DIR): no ./fleetrun in " + ROOT);
            System.exit(2);
        }
        Path home = Files.createTempDirectory("cli-benchmark-home");
        CliBenchmark bench = new CliBenchmark(home);
        System.out.printf("fleetrun CLI benchmark: %d cores, load average %s, %d times each%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), times);
        Process serve = bench.startServe();
        try {
            Result made = bench.fleetrun(Map.of(), "run", "--commands", "echo hello", "--targets", "tag:Environment=staging");
            Matcher m = STARTED.matcher(made.stdout());
            if (made.exitCode() != 0 || !m.find()) {
                throw new IllegalStateException("the run to look at did not succeed (" + made.exitCode() + "):\n"
                        + made.stdout() + made.stderr());
            }
            String run = m.group(1);
            List<String> lines = a.containsKey("command") ? a.get("command") : bench.existing(DEFAULT_COMMANDS);
            System.out.printf("serve on %s, 3 nodes; run %s finished%n%n", bench.endpoint, run);
            System.out.printf("%-5s %-72s %7s %7s %7s %7s  %s%n", "MODE", "COMMAND", "MEDIAN", "P95", "MIN", "MAX", "GOAL");
            for (String mode : modes) {
                Map<String, String> env = mode.equals("full") ? Map.of("FLEETRUN_FULL_CLASSPATH", "1") : Map.of();
                for (String line : lines) {
                    String expanded = line.replace("{RUN}", run).replace("{INSTANCE}", INSTANCE);
                    List<String> args = words(expanded);
                    Result warm = bench.fleetrun(env, args.toArray(String[]::new)); // the first after a build makes the archive
                    if (warm.exitCode() != 0) {
                        System.out.printf("%-5s %-72s exit code %d: %s%n", mode, expanded, warm.exitCode(),
                                (warm.stderr() + warm.stdout()).lines().findFirst().orElse(""));
                        continue;
                    }
                    long[] ms = new long[times];
                    for (int i = 0; i < times; i++) {
                        ms[i] = bench.fleetrun(env, args.toArray(String[]::new)).millis();
                    }
                    Arrays.sort(ms);
                    long median = percentile(ms, 50);
                    System.out.printf("%-5s %-72s %5d ms %4d ms %4d ms %4d ms  %s%n", mode, shorten(expanded, 72), median,
                            percentile(ms, 95), ms[0], ms[ms.length - 1], median < 1000 ? "met (< 1 s)" : "NOT met (< 1 s)");
                }
            }
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
        if (oneShots > 0) {
            System.out.printf("%nfleetrun run with no serve (a one-shot embedded runtime over 2 nodes), %d times:%n", oneShots);
            long[] first = new long[oneShots];
            long[] whole = new long[oneShots];
            for (int i = 0; i < oneShots; i++) {
                long[] t = bench.firstLineAndEnd("run", "--nodes", "2", "--commands", "true", "--targets", "tag:Environment=staging");
                first[i] = t[0];
                whole[i] = t[1];
            }
            Arrays.sort(first);
            Arrays.sort(whole);
            System.out.printf("  first line (what it is doing): median %d ms, max %d ms  %s%n", percentile(first, 50),
                    first[first.length - 1], first[first.length - 1] < 1000 ? "met (< 1 s)" : "NOT met (< 1 s)");
            System.out.printf("  whole command (start, run, stop): median %d ms, max %d ms%n", percentile(whole, 50),
                    whole[whole.length - 1]);
        }
        System.out.printf("%nload average at the end: %s%n", loadAverage());
        try (var paths = Files.walk(home)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String endpoint;

    private Process startServe() throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(ROOT.resolve("fleetrun").toString(), "serve", "--port", "0", "--nodes", "3")
                .directory(ROOT.toFile()).redirectError(home.resolve("serve.err").toFile());
        environment(b.environment(), Map.of());
        Process p = b.start();
        p.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // a first start may build the modules first
        Matcher m = line == null ? null : READY.matcher(line);
        if (m == null || !m.matches()) {
            p.destroyForcibly();
            throw new IllegalStateException("no ready line from fleetrun serve: " + line + "\n"
                    + Files.readString(home.resolve("serve.err")));
        }
        endpoint = m.group(1);
        return p;
    }

    /** The default lines whose command this launcher has (list comes with another change). */
    private List<String> existing(List<String> lines) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            String command = words(line).get(0);
            if (fleetrun(Map.of(), command, "--help").exitCode() == 0) {
                out.add(line);
            } else {
                System.out.printf("(no command '%s' here: not timed)%n", command);
            }
        }
        return out;
    }

    record Result(int exitCode, String stdout, String stderr, long millis) {
    }

    private Result fleetrun(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("fleetrun").toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(ROOT.toFile());
        environment(b.environment(), env);
        Path err = Files.createTempFile(home, "command", ".err");
        b.redirectError(err.toFile());
        long start = System.nanoTime();
        Process p = b.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not end within 300 s");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, stderr, millis);
    }

    /** Milliseconds to the first line on standard error or output, and to the end. */
    private long[] firstLineAndEnd(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("fleetrun").toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        Path empty = Files.createTempDirectory(home, "no-serve");
        environment(b.environment(), Map.of("FLEETRUN_HOME", empty.toString()));
        long start = System.nanoTime();
        Process p = b.start();
        p.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long first = -1;
        while (out.readLine() != null) {
            if (first < 0) {
                first = (System.nanoTime() - start) / 1_000_000;
            }
        }
        p.waitFor(300, TimeUnit.SECONDS);
        return new long[] {first, (System.nanoTime() - start) / 1_000_000};
    }

    /** This benchmark's FLEETRUN_HOME, and none of the machine's AWS or fleetrun settings. */
    private void environment(Map<String, String> env, Map<String, String> extra) {
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("FLEETRUN_"));
        env.put("FLEETRUN_HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-aws-credentials").toString());
        env.putAll(extra);
    }

    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    private static String shorten(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static Map<String, List<String>> arguments(String[] argv) {
        Map<String, List<String>> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("write --name value pairs, not '" + argv[i] + "'");
            }
            a.computeIfAbsent(argv[i].substring(2), k -> new ArrayList<>()).add(argv[++i]);
        }
        return a;
    }

    private static String one(Map<String, List<String>> a, String key, String fallback) {
        List<String> v = a.get(key);
        return v == null ? fallback : v.get(v.size() - 1);
    }
}
