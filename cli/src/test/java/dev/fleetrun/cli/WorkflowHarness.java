package dev.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.cli.embedded.EmbeddedRuntime;
import dev.fleetrun.domain.NodeStatus;
import dev.fleetrun.domain.Phase;
import dev.fleetrun.local.lambda.Invocation;
import dev.fleetrun.local.sns.SnsService;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.FleetNode;
import dev.fleetrun.local.ssm.NodeProfile;
import dev.fleetrun.local.wire.Callers;
import dev.fleetrun.records.DynamoRunStore;
import dev.fleetrun.records.NodeRecord;
import dev.fleetrun.records.RunRecord;
import dev.fleetrun.records.RunView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;

/**
 * One embedded runtime for a workflow test class, and the ways its tests drive and read it: the
 * {@code fleetrun} command line against its endpoint ({@link #cli}), real SDK clients (Step Functions,
 * SSM, DynamoDB), the run records ({@link #store}), the commands SSM received ({@link #commandsTo}),
 * the {@code fleetrun} events on the bus and the SNS messages. Tests of a class share it, each on nodes
 * of its own (a distinct {@code Group} tag), so one test's records, commands and leases never meet another's.
 */
final class WorkflowHarness implements AutoCloseable {
    /** How long any wait of a test may last before it fails (generous: the machine is shared). */
    static final Duration PATIENCE = Duration.ofSeconds(90);
    /** Simulated time runs this much faster: retries, heartbeats, reboots and delivery windows pass quickly. */
    static final double TIME_SCALE = 10;

    private static final Pattern STARTED = Pattern.compile("fleetrun: run (\\S+) (?:started on|did not start)");

    final EmbeddedRuntime runtime;
    final SfnClient sfn;
    final SsmClient ssm;
    final DynamoDbClient dynamo;
    final DynamoRunStore store;

    private WorkflowHarness(EmbeddedRuntime runtime) {
        this.runtime = runtime;
        URI endpoint = runtime.endpoint();
        var credentials = runtime.credentialsProvider();
        var http = UrlConnectionHttpClient.builder().build();
        this.sfn = SfnClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(http).build();
        this.ssm = SsmClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(http).build();
        this.dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClient(http).build();
        this.store = new DynamoRunStore(dynamo, EmbeddedRuntime.TABLE, Clock.systemUTC(), Duration.ofDays(1));
    }

    /** Starts a runtime over {@code fleet} on a free port, time {@value #TIME_SCALE} times faster, with these settings. */
    static WorkflowHarness start(Fleet fleet, Map<String, String> settings) {
        // Signed with the credentials of the tests' FLEETRUN_HOME, as serve is: the fleetrun commands find them there.
        return new WorkflowHarness(EmbeddedRuntime.start(EmbeddedRuntime.Options.of(fleet)
                .withSettings(settings).withTimeScale(TIME_SCALE)
                .withCallers(dev.fleetrun.local.FleetrunHome.callers(false, System.err::println))));
    }

    // ---- fleets ----

    /** {@code count} Linux nodes numbered from {@code first}, tagged {@code Group=<group>}, with this profile. */
    static Fleet group(String group, int first, int count, NodeProfile profile) {
        return Fleet.generate(first, count, Map.of("Group", group), profile);
    }

    static FleetNode node(String group, int n, NodeProfile profile) {
        return FleetNode.linux(Fleet.instanceId(n), Map.of("Group", group), profile);
    }

    static List<String> ids(int first, int count) {
        List<String> ids = new ArrayList<>();
        for (int n = first; n < first + count; n++) {
            ids.add(Fleet.instanceId(n));
        }
        return ids;
    }

    // ---- the command line ----

    /** What one {@code fleetrun} command returned and printed (standard output and standard error together). */
    record Cli(int exitCode, String output) {
        /** The run id from the "run ... started" line. */
        String runId() {
            Matcher m = STARTED.matcher(output);
            if (!m.find()) {
                fail("the command printed no 'run ... started' line:\n" + output);
            }
            return m.group(1);
        }

        Cli expect(int code) {
            if (exitCode != code) {
                fail("expected exit code " + code + ", got " + exitCode + "; the command printed:\n" + output);
            }
            return this;
        }

        void shows(String text) {
            assertTrue(output.contains(text), "expected the output to contain '" + text + "':\n" + output);
        }
    }

    /**
     * Runs {@code fleetrun <command> --endpoint <runtime> <args>} in this thread. Standard error (where
     * usage errors and the line naming the runtime go) is captured as well, put before standard output, so only one command may run this way at a time.
     */
    Cli cli(String command, String... args) {
        synchronized (WorkflowHarness.class) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream previous = System.err;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                Cli out = execute(command, args);
                // Standard error first: what it carries (where the command went, usage errors) comes before the
                // answer, and the verdict stays the last line.
                return new Cli(out.exitCode(), err.toString(StandardCharsets.UTF_8) + out.output());
            } finally {
                System.setErr(previous);
            }
        }
    }

    /** Runs a command in the background (standard output only), e.g. a {@code run} that another command will stop. */
    CompletableFuture<Cli> cliInBackground(String command, String... args) {
        return CompletableFuture.supplyAsync(() -> execute(command, args));
    }

    private Cli execute(String command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> line = new ArrayList<>(List.of(command, "--endpoint", runtime.endpoint().toString()));
        line.addAll(List.of(args));
        int code = Fleetrun.execute(new Terminal(new PrintStream(out, true, StandardCharsets.UTF_8), false),
                line.toArray(String[]::new));
        return new Cli(code, out.toString(StandardCharsets.UTF_8));
    }

    static Cli finished(CompletableFuture<Cli> run) {
        try {
            return run.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("the fleetrun command did not end within " + PATIENCE);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("the fleetrun command failed", e);
        }
    }

    // ---- records ----

    RunView run(String runId) {
        return store.loadRun(runId).orElseGet(() -> fail("no run record for " + runId));
    }

    /** The run's nodes of one phase, by instance id. */
    Map<String, NodeRecord> nodes(String runId, Phase phase) {
        Map<String, NodeRecord> byId = new TreeMap<>();
        run(runId).nodes(phase).forEach(n -> byId.put(n.instanceId(), n));
        return byId;
    }

    /** Each node's status in one phase, by instance id. */
    Map<String, NodeStatus> statuses(String runId, Phase phase) {
        Map<String, NodeStatus> byId = new TreeMap<>();
        nodes(runId, phase).forEach((id, n) -> byId.put(id, n.status()));
        return byId;
    }

    RunRecord awaitFinished(String runId) {
        await("run " + runId + " to end", () -> store.getRun(runId).map(r -> r.status().isTerminal()).orElse(false));
        return store.getRun(runId).orElseThrow();
    }

    DescribeExecutionResponse execution(String runId) {
        return sfn.describeExecution(b -> b.executionArn(executionArn(runId)));
    }

    DescribeExecutionResponse awaitExecutionEnd(String runId) {
        await("execution " + runId + " to end", () -> execution(runId).status() != ExecutionStatus.RUNNING);
        return execution(runId);
    }

    String executionArn(String runId) {
        return runtime.stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + runId;
    }

    // ---- what SSM received ----

    /** Every command SSM received, oldest first. */
    List<Command> commands() {
        List<Command> all = new ArrayList<>(ssm.listCommandsPaginator(b -> { }).commands().stream().toList());
        all.sort(Comparator.comparing(Command::requestedDateTime));
        return all;
    }

    /** The commands sent to one node, by anyone. */
    List<Command> commandsTo(String instanceId) {
        return commands().stream().filter(c -> c.instanceIds().contains(instanceId)).toList();
    }

    /** How many commands each of these nodes received. */
    Map<String, Integer> commandCounts(List<String> instanceIds) {
        List<Command> all = commands();
        Map<String, Integer> counts = new TreeMap<>();
        for (String id : instanceIds) {
            counts.put(id, (int) all.stream().filter(c -> c.instanceIds().contains(id)).count());
        }
        return counts;
    }

    /** The commands a run sent (fleetrun names its run in each command's comment). */
    List<Command> commandsOf(String runId) {
        return commands().stream().filter(c -> c.comment() != null && c.comment().startsWith("fleetrun " + runId + " ")).toList();
    }

    // ---- events, alerts, functions ----

    /** The {@code fleetrun} events about one run, oldest first. */
    List<JsonNode> events(String runId) {
        return runtime.bus().events().stream()
                .filter(e -> "fleetrun".equals(e.path("source").asText()))
                .filter(e -> runId.equals(e.path("detail").path("runId").asText()))
                .toList();
    }

    List<String> eventTypes(String runId) {
        return events(runId).stream().map(e -> e.path("detail-type").asText()).toList();
    }

    Optional<JsonNode> event(String runId, String detailType) {
        return events(runId).stream().filter(e -> detailType.equals(e.path("detail-type").asText())).findFirst();
    }

    /** The SNS messages on the alert topic that name the run. */
    List<SnsService.Message> alerts(String runId) {
        return runtime.sns().messages(runtime.alertTopicArn()).stream()
                .filter(m -> m.message().contains(runId) || (m.subject() != null && m.subject().contains(runId)))
                .toList();
    }

    /** The attempts of one function whose payload (or its state) names the run. */
    List<Invocation> invocations(String function, String runId) {
        return runtime.lambdas().invocations(function).stream()
                .filter(i -> runId.equals(i.payload().path("runId").asText())
                        || runId.equals(i.payload().path("state").path("runId").asText()))
                .toList();
    }

    // ---- waiting ----

    /** Waits until {@code condition} holds, polling; fails naming {@code what} after {@link #PATIENCE}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + PATIENCE.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    static <T> T awaitValue(String what, Supplier<Optional<T>> value) {
        await(what, () -> value.get().isPresent());
        return value.get().orElseThrow();
    }

    // ---- gates: scripts that wait until the test lets them go on ----

    /**
     * A file the test creates, in every node's own home, to let scripts that wait for it finish: the home is what a
     * node's script sees wherever the work tree is (a node isolated with bubblewrap has a /tmp of its own, so a file
     * under the host's /tmp would never appear to it).
     */
    record Gate(String name, List<Path> homes) {
        /** A shell line that waits until the gate is open. */
        String awaitLine() {
            return "while [ ! -f \"$HOME/" + name + "\" ]; do sleep 0.05; done";
        }

        void open() {
            try {
                for (Path home : homes) {
                    Files.writeString(home.resolve(name), "open");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A gate for the scripts of this runtime's nodes. */
    Gate gate() {
        List<Path> homes = runtime.ssm().nodes().stream().map(n -> runtime.ssm().home(n.instanceId())).toList();
        return new Gate("gate-" + java.util.UUID.randomUUID(), homes);
    }

    @Override
    public void close() {
        sfn.close();
        ssm.close();
        dynamo.close();
        runtime.close();
    }
}
