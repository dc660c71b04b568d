package dev.fleetrun.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.cli.embedded.EmbeddedRuntime;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.ScriptIsolation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The roll-out benchmark: whole fleetrun runs on the embedded runtime (the real workflow and handlers,
 * the simulated fleet whose nodes really run {@code sleep}), once with a single wave and once with the
 * default canary-then-doubling plan, for each node count. For each run it prints the wall time against the
 * plan's ideal (the sum over waves of ceil(wave size / C) x d), fleetrun's overhead per wave and where it
 * went, state transitions, Lambda invocations, DynamoDB writes and peak heap, then the goals:
 * <ul>
 *   <li>wall time at most 1.1 x the ideal + 0.5 s per wave;</li>
 *   <li>state transitions independent of the node count;</li>
 *   <li>peak heap under 512 MiB.</li>
 * </ul>
 * A program, not a test: it prints figures and never fails a build (README.md, "Benchmark", says how to run it).
 *
 * <p>Arguments, all optional: {@code --nodes 100,1000 --concurrency 100 --seconds 1 --plans single,default
 * --warmup 20 --max-scripts N --isolation auto} (warmup: nodes of an unreported first run that warms the JVM up,
 * 0 for none; max-scripts: the simulated fleet's cap on scripts running at once, default the embedded runtime's;
 * isolation: how node scripts are confined, auto, bubblewrap or none, as {@code --script-isolation} takes it).
 */
public final class RolloutBenchmark {
    private static final long MIB = 1024 * 1024;
    private static final long HEAP_GOAL = 512 * MIB;

    private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
    private final int maxRunningScripts;
    private final ScriptIsolation.Mode isolation;

    RolloutBenchmark(int maxRunningScripts, ScriptIsolation.Mode isolation) {
        this.maxRunningScripts = maxRunningScripts;
        this.isolation = isolation;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = arguments(args);
        List<Integer> nodeCounts = Stream.of(a.getOrDefault("nodes", "100,1000").split(",")).map(Integer::parseInt).toList();
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "100"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "1"));
        List<String> plans = List.of(a.getOrDefault("plans", "single,default").split(","));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "20"));
        int maxScripts = Integer.parseInt(a.getOrDefault("max-scripts",
                Integer.toString(EmbeddedRuntime.DEFAULT_MAX_RUNNING_SCRIPTS)));

        ScriptIsolation.Mode isolation = ScriptIsolation.Mode.parse(a.getOrDefault("isolation", "auto"));

        RolloutBenchmark bench = new RolloutBenchmark(maxScripts, isolation);
        System.out.printf("fleetrun roll-out benchmark: %d cores, max heap %d MiB, Java %s; the simulated fleet runs"
                        + " at most %d scripts at once%n%s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / MIB, System.getProperty("java.version"), maxScripts,
                ScriptIsolation.of(isolation).describe());
        if (warmup > 0) {
            Result w = bench.run(Scenario.defaultPlan(warmup, concurrency, seconds));
            System.out.printf("warm-up (%s): %s in %.2f s, not reported%n%n", w.scenario().describe(), w.status(),
                    seconds(w.wall()));
        }
        List<Result> results = new ArrayList<>();
        for (int nodes : nodeCounts) {
            for (String plan : plans) {
                Scenario s = switch (plan.trim()) {
                    case "single" -> Scenario.singleWave(nodes, concurrency, seconds);
                    case "default" -> Scenario.defaultPlan(nodes, concurrency, seconds);
                    default -> throw new IllegalArgumentException("--plans takes single and/or default, not " + plan);
                };
                Result r = bench.run(s);
                Report.scenario(r).forEach(System.out::println);
                System.out.println();
                results.add(r);
            }
        }
        Report.summary(results, HEAP_GOAL).forEach(System.out::println);
        // DynamoDB Local leaves a non-daemon job thread sleeping for minutes after it is closed.
        System.exit(0);
    }

    private static Map<String, String> arguments(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("arguments are --name value pairs (--nodes 100,1000 --concurrency 100"
                        + " --seconds 1 --plans single,default --warmup 20), not " + String.join(" ", args));
            }
            a.put(args[i].substring(2), args[++i]);
        }
        return a;
    }

    /** Runs one scenario on a runtime of its own and measures it. */
    Result run(Scenario s) throws InterruptedException {
        EmbeddedRuntime.Options options = EmbeddedRuntime.Options.of(
                Fleet.generate(s.nodes(), Map.of(Scenario.TAG_KEY, Scenario.TAG_VALUE)))
                .withMaxRunningScripts(maxRunningScripts).withIsolation(isolation);
        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(options);
             SfnClient sfn = SfnClient.builder().endpointOverride(runtime.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(runtime.credentialsProvider()).httpClient(http).build();
             SsmClient ssm = SsmClient.builder().endpointOverride(runtime.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(runtime.credentialsProvider()).httpClient(http).build()) {
            EndpointCalls dynamo = new EndpointCalls();
            runtime.server().onRequest(dynamo);
            String runId = "bench-" + s.nodes() + "-" + (s.waves().isEmpty() ? "default" : "single") + "-"
                    + Long.toString(System.currentTimeMillis(), 36);
            DescribeExecutionResponse done;
            HeapSampler.Figures heap;
            CpuTime cpu;
            try (HeapSampler sampler = HeapSampler.start()) {
                CpuTime cpuAtStart = CpuTime.now();
                String arn = sfn.startExecution(b -> b.stateMachineArn(runtime.stateMachineArn()).name(runId)
                        .input(Json.write(s.request()))).executionArn();
                // The wall time comes from the execution's own start and stop dates: polling is only to see the
                // end, and slow polling leaves the cores to the run.
                while ((done = sfn.describeExecution(b -> b.executionArn(arn))).status() == ExecutionStatus.RUNNING) {
                    Thread.sleep(200);
                }
                cpu = CpuTime.now().minus(cpuAtStart);
                awaitQuiet(runtime);
                heap = sampler.figures();
            }
            String arn = done.executionArn();
            List<HistoryEvent> history = sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).maxResults(1000))
                    .events().stream().toList();
            JsonNode output = done.output() == null ? Json.object() : Json.parse(done.output());
            List<WaveTimeline.Wave> waves = WaveTimeline.of(runId, output, s.concurrency(), s.commandSeconds(),
                    done.startDate(), history, ssm);
            return new Result(s, done.statusAsString() + (done.error() == null ? "" : " " + done.error()),
                    output, Duration.between(done.startDate(), done.stopDate()), done.stopDate(), waves,
                    History.of(history), Map.copyOf(runtime.lambdas().invocationCounts()), lambdaErrors(runtime),
                    dynamo.figures(), heap, cpu);
        } finally {
            deleteTree(options.workDir());
        }
    }

    /**
     * Waits for the events and Lambda invocations still under way when the execution ended (late SSM
     * events the listener still records), so that their calls and writes are counted with the run.
     */
    private static void awaitQuiet(EmbeddedRuntime runtime) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((runtime.bus().inFlight() > 0 || runtime.lambdas().asyncInFlight() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Failed Lambda attempts by function and error type (a listener that gave up, a handler that threw). */
    private static Map<String, Integer> lambdaErrors(EmbeddedRuntime runtime) {
        Map<String, Integer> errors = new java.util.TreeMap<>();
        for (var i : runtime.lambdas().invocations()) {
            if (!i.succeeded()) {
                errors.merge(i.function() + " " + i.errorType(), 1, Integer::sum);
            }
        }
        return errors;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the benchmark's work directory " + dir, e);
        }
    }

    static double seconds(Duration d) {
        return d == null ? Double.NaN : d.toNanos() / 1e9;
    }

    /** What one scenario measured. */
    record Result(Scenario scenario, String status, JsonNode output, Duration wall, Instant end,
                  List<WaveTimeline.Wave> waves, History history, Map<String, Integer> lambdas,
                  Map<String, Integer> lambdaErrors, EndpointCalls.Figures dynamo, HeapSampler.Figures heap,
                  CpuTime cpu) {

        Duration ideal() {
            return waves.stream().map(WaveTimeline.Wave::ideal).reduce(Duration.ZERO, Duration::plus);
        }

        /** 1.1 x the ideal + 0.5 s per wave. */
        Duration wallGoal() {
            return Duration.ofNanos((long) (ideal().toNanos() * 1.1)).plusMillis(500L * waves.size());
        }

        int lambdaInvocations() {
            return lambdas.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * What the execution history says: states entered (transitions, as AWS bills them), all events, reconciles,
     * and the time spent in each Task state (entered to exited; for SendWave, entered to the task's submission,
     * that is SendWave's own work without the wait for the wave).
     */
    record History(int transitions, int events, int reconciles, Map<String, Integer> entered,
                   Map<String, Duration> taskTime) {
        static History of(List<HistoryEvent> events) {
            Map<String, Integer> entered = new LinkedHashMap<>();
            Map<String, Duration> taskTime = new LinkedHashMap<>();
            int transitions = 0;
            String state = null;
            Instant since = null;
            for (HistoryEvent e : events) {
                String type = e.typeAsString();
                if (type.endsWith("StateEntered")) {
                    transitions++;
                    state = e.stateEnteredEventDetails().name();
                    since = e.timestamp();
                    entered.merge(state, 1, Integer::sum);
                } else if (type.equals("TaskStateExited") || (type.equals("TaskSubmitted") && "SendWave".equals(state))) {
                    if (since != null) {
                        taskTime.merge(state, Duration.between(since, e.timestamp()), Duration::plus);
                    }
                    since = null;
                }
            }
            return new History(transitions, events.size(), entered.getOrDefault("Reconcile", 0), entered, taskTime);
        }
    }
}
