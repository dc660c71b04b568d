package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.logs.LogsService;
import dev.fleetrun.local.s3.S3Service;
import dev.fleetrun.local.wire.AwsServer;
import java.time.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.CommandInvocation;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.SendCommandRequest;

/**
 * A {@link SimulatedSsm} on an {@link AwsServer} on loopback, with the S3 and CloudWatch Logs its nodes send
 * output to on the same endpoint, a real {@link SsmClient} pointed at it, and every event the simulation emits,
 * recorded. The nodes' sandboxes and the test's scratch directory (which every node may write, also when scripts
 * are isolated) are under a fresh directory in {@code target/}. Time runs 20 times faster than the wall
 * clock unless the test says otherwise: a 30 s delivery timeout takes 1.5 real seconds.
 */
final class SsmSimulation implements AutoCloseable {
    static final double DEFAULT_SCALE = 20;
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final SimulatedSsm ssm;
    final AwsServer server;
    /** The S3 and CloudWatch Logs the nodes send output to, on the same endpoint. */
    final S3Service s3;
    final LogsService logs;
    final SsmClient client;
    /** A directory the test's scripts may share (marker files), outside every node's sandbox. */
    final Path scratch;
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());
    private Consumer<JsonNode> alsoOnEvent = event -> { };

    private SsmSimulation(Fleet fleet, Consumer<SimulatedSsm.Builder> settings) {
        Path root = newDirectory();
        scratch = root.resolve("scratch");
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = AwsServer.start(0);
        s3 = new S3Service(Clock.systemUTC(), "us-east-1").serveOn(server);
        logs = new LogsService(Clock.systemUTC(), "us-east-1", "123456789012").serveOn(server);
        SimulatedSsm.Builder builder = SimulatedSsm.builder()
                .fleet(fleet)
                .output(new ServiceOutputDestinations(s3, logs))
                .workDir(root.resolve("nodes"))
                .time(SsmTime.scaled(DEFAULT_SCALE))
                .sharedDirectory(scratch)
                .eventSink(event -> {
                    events.add(event);
                    alsoOnEvent.accept(event);
                });
        settings.accept(builder);
        ssm = builder.build();
        ssm.serveOn(server);
        client = SsmClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        server.credentials().accessKeyId(), server.credentials().secretAccessKey())))
                .endpointOverride(server.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static SsmSimulation start(Fleet fleet) {
        return new SsmSimulation(fleet, builder -> { });
    }

    static SsmSimulation start(Fleet fleet, Consumer<SimulatedSsm.Builder> settings) {
        return new SsmSimulation(fleet, settings);
    }

    /** n healthy Linux nodes i-...01 to i-...0n, tagged Role=web. */
    static Fleet nodes(int n) {
        return Fleet.generate(n, Map.of("Role", "web"));
    }

    /** One Linux node, i-...01, untagged, with this profile. */
    static Fleet one(NodeProfile profile) {
        return Fleet.of(List.of(FleetNode.linux(id(1), Map.of(), profile)));
    }

    static String id(int n) {
        return Fleet.instanceId(n);
    }

    static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            ids.add(id(n));
        }
        return ids;
    }

    /** Runs also this on every event, after recording it (on the events thread). */
    void onEvent(Consumer<JsonNode> action) {
        alsoOnEvent = action;
    }

    /** Sends AWS-RunShellScript with these commands to these nodes; more settings through {@code more}. */
    String send(List<String> instanceIds, List<String> commands, Consumer<SendCommandRequest.Builder> more) {
        SendCommandRequest.Builder request = SendCommandRequest.builder()
                .documentName("AWS-RunShellScript")
                .instanceIds(instanceIds)
                .parameters(Map.of("commands", commands));
        more.accept(request);
        return client.sendCommand(request.build()).command().commandId();
    }

    String send(List<String> instanceIds, String... commands) {
        return send(instanceIds, List.of(commands), request -> { });
    }

    /** Waits until the command is terminal. */
    CommandRollup await(String commandId) {
        try {
            return ssm.awaitCommand(commandId, PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends, waits until terminal, and returns the invocation on the first node. */
    GetCommandInvocationResponse run(String instanceId, String... commands) {
        String commandId = send(List.of(instanceId), commands);
        await(commandId);
        return invocation(commandId, instanceId);
    }

    GetCommandInvocationResponse invocation(String commandId, String instanceId) {
        return client.getCommandInvocation(r -> r.commandId(commandId).instanceId(instanceId));
    }

    List<CommandInvocation> invocations(String commandId) {
        return client.listCommandInvocations(r -> r.commandId(commandId).details(true)).commandInvocations();
    }

    /** Every event emitted so far (after the outbox delivered them), in order. */
    List<JsonNode> events() {
        try {
            if (!ssm.flushEvents(PATIENCE)) {
                fail("the simulated SSM did not deliver its events within " + PATIENCE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The events about one command, as "detail-type short name: instance or command: status" lines. */
    List<String> eventLines(String commandId) {
        return events().stream()
                .filter(event -> event.path("detail").path("command-id").asText().equals(commandId))
                .map(SsmSimulation::line)
                .toList();
    }

    static String line(JsonNode event) {
        JsonNode detail = event.path("detail");
        String subject = detail.has("instance-id") ? detail.get("instance-id").asText() : "command";
        return subject + " " + detail.path("status").asText();
    }

    /** Waits (polling) until {@code condition} holds; fails the test after {@link #PATIENCE}. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting until " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The processes on this machine that run for a command: the script, whatever it started, and (isolated)
     * the bubblewrap around it. They are found by the {@code FLEETRUN_COMMAND_ID} every one of them inherits,
     * since a pid a script records in an isolated sandbox is a pid of its own namespace, not the host's.
     */
    static List<Long> processesOf(String commandId) {
        return processesWithEnvironment("FLEETRUN_COMMAND_ID=" + commandId);
    }

    /** The live processes (not zombies) of this user whose environment holds {@code entry} (NAME=value). */
    static List<Long> processesWithEnvironment(String entry) {
        byte[] wanted = (entry + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<Long> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(process -> {
            try {
                byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
                if (contains(environ, wanted) && process.isAlive()) {
                    found.add(process.pid());
                }
            } catch (IOException | SecurityException e) {
                // gone meanwhile, or another user's
            }
        });
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** A file in the scratch directory, as the scripts name it. */
    String scratch(String name) {
        return scratch.resolve(name).toString();
    }

    @Override
    public void close() {
        client.close();
        try {
            server.close();
        } finally {
            ssm.close();
        }
    }

    private static Path newDirectory() {
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(tmp);
            return Files.createTempDirectory(tmp, "ssmsim-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
