package dev.fleetrun.local.ssm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Systems Manager Run Command for the embedded runtime, against a simulated fleet whose nodes really
 * run the commands they are sent: SendCommand, ListCommands, ListCommandInvocations,
 * GetCommandInvocation, CancelCommand and DescribeInstanceInformation; the Command documents they run
 * (CreateDocument, UpdateDocument, UpdateDocumentDefaultVersion, DescribeDocument, GetDocument,
 * ListDocuments, ListDocumentVersions, DeleteDocument: {@link SsmDocuments}); and the Parameter Store
 * the documents read ({@link ParameterStore}); over AWS JSON 1.1, hosted on an {@link AwsServer} under
 * {@code X-Amz-Target} prefix {@value #TARGET_PREFIX} ({@link #serveOn}).
 *
 * <p>Each node runs the document's steps in order with bash (or pwsh) in a sandbox directory of its
 * own ({@link NodeAgent}, {@link NodeSandbox}), isolated where the machine allows ({@link ScriptIsolation}:
 * only its sandbox writable, a private /tmp, no network unless its fleet entry allows it), with each step's
 * execution timeout, reboots on exit 194 (3010 on Windows), and behaves as its {@link NodeProfile} says; each
 * step's complete output goes to S3 and CloudWatch Logs where the command asks ({@link OutputDestinations}). No
 * script outlives the simulation, however the JVM ends ({@link ScriptLauncher}). Commands are sent with SSM's rate controls, delivery
 * timeout and cancel semantics ({@link Dispatcher}), and every invocation and command status change is
 * handed to the event sink as the EventBridge event SSM would emit ({@link SsmEvents}), in order, on a
 * thread of its own. Answers share their shapes, checks and filters with the component tests' fake
 * ({@link SsmQueries}).
 *
 * <pre>{@code
 * try (var ssm = SimulatedSsm.builder().fleet(Fleet.generate(5, Map.of("Environment", "staging")))
 *         .time(SsmTime.scaled(60)).eventSink(bus::put).build();
 *      var server = AwsServer.start(0)) {
 *     ssm.serveOn(server);   // SDK clients and the AWS CLI at server.endpoint() now reach it
 *     ssm.takeOffline("i-00000000000000003");
 * }
 * }</pre>
 *
 * <p>Thread-safe: API calls and the nodes' progress share one lock (the service's). Closing kills
 * every script still running.
 */
public final class SimulatedSsm extends AwsService implements AutoCloseable {
    /** The X-Amz-Target prefix SSM's clients send. */
    public static final String TARGET_PREFIX = "AmazonSSM";
    /** The operations answered; every other one is {@code UnknownOperationException}. */
    public static final List<String> OPERATIONS = List.of("SendCommand", "ListCommands", "ListCommandInvocations",
            "GetCommandInvocation", "CancelCommand", "DescribeInstanceInformation", "CreateDocument", "UpdateDocument",
            "UpdateDocumentDefaultVersion", "DescribeDocument", "GetDocument", "ListDocuments", "ListDocumentVersions",
            "DeleteDocument", "PutParameter", "GetParameter", "GetParameters", "GetParametersByPath", "DeleteParameter",
            "DeleteParameters");

    private final String accountId;
    private final Path workDir;
    private final AgentSettings settings;
    private final ScriptLauncher launcher;
    private final SsmShapes shapes;
    private final SsmQueries queries;
    private final EventOutbox outbox;
    private final Dispatcher dispatcher;
    private final SsmDocuments documents;
    private final ParameterStore parameterStore;
    private final Map<String, NodeAgent> agents = new LinkedHashMap<>();
    private final Map<String, SsmCommand> commands = new LinkedHashMap<>();
    private final NodeGroups groups;

    private SimulatedSsm(Builder builder, Clock clock) {
        super("ssm", new AwsJsonProtocol("1.1"), OPERATIONS, clock);
        this.accountId = builder.accountId;
        this.groups = builder.groups;
        this.workDir = builder.workDir();
        this.launcher = new ScriptLauncher(builder.isolation().hiding(builder.hidden), builder.shared);
        this.settings = new AgentSettings(builder.time, builder.region, builder.rebootDuration,
                new Semaphore(builder.maxRunningScripts), builder.pwsh, launcher, builder.output);
        this.shapes = new SsmShapes(builder.region, builder.output);
        this.queries = new SsmQueries(shapes);
        this.outbox = new EventOutbox(builder.eventSink);
        this.dispatcher = new Dispatcher(this, builder.time, new SsmEvents(builder.region, builder.accountId), outbox,
                agents);
        this.documents = new SsmDocuments(builder.accountId, clock);
        this.parameterStore = new ParameterStore(builder.region, builder.accountId, clock);
        try {
            builder.documents.forEach(documents::add);
            builder.fleet.nodes().forEach(this::addNode);
        } catch (RuntimeException e) {
            launcher.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Hosts this service on {@code server}, under {@value #TARGET_PREFIX}. */
    public SimulatedSsm serveOn(AwsServer server) {
        server.jsonService(TARGET_PREFIX, this);
        return this;
    }

    // ---- the fleet ----

    /** Adds a node to the fleet; its sandbox is created under the work directory. */
    public synchronized SimulatedSsm addNode(FleetNode node) {
        if (agents.containsKey(node.instanceId())) {
            throw new IllegalArgumentException("node " + node.instanceId() + " is already in the simulated fleet");
        }
        agents.put(node.instanceId(), new NodeAgent(this, dispatcher, settings,
                new NodeSandbox(workDir, node.instanceId()), node, parameterStore));
        return this;
    }

    /**
     * Takes a node offline: its agent loses its connection (ping ConnectionLost). Scripts already
     * running go on; their results wait until the node is back. Commands to it stay Pending.
     */
    public void takeOffline(String instanceId) {
        setPingStatus(instanceId, ManagedNode.CONNECTION_LOST);
    }

    /** Brings a node back online: it takes its pending commands and reports held results. */
    public void bringOnline(String instanceId) {
        setPingStatus(instanceId, ManagedNode.ONLINE);
    }

    /** Sets a node's ping status: Online, ConnectionLost or Inactive. */
    public synchronized void setPingStatus(String instanceId, String pingStatus) {
        if (!ManagedNode.PING_STATUSES.contains(pingStatus)) {
            throw new IllegalArgumentException("'" + pingStatus + "' is not an SSM ping status; use one of "
                    + ManagedNode.PING_STATUSES);
        }
        agent(instanceId).setPingStatus(pingStatus);
    }

    /** A node as DescribeInstanceInformation reports it now. */
    public synchronized ManagedNode node(String instanceId) {
        return agent(instanceId).inventory();
    }

    /** Every node, in the order they joined the fleet. */
    public synchronized List<ManagedNode> nodes() {
        return agents.values().stream().map(NodeAgent::inventory).toList();
    }

    /** The node's home directory: HOME and the working directory of its scripts. */
    public synchronized Path home(String instanceId) {
        return agent(instanceId).home();
    }

    /** How the nodes' scripts are isolated here; {@link ScriptIsolation#describe} says it in one line. */
    public ScriptIsolation isolation() {
        return launcher.isolation();
    }

    /** The directory the nodes' sandboxes are in. */
    public Path workDir() {
        return workDir;
    }

    /**
     * Makes a Command document known, besides AWS-RunShellScript and AWS-RunPowerShellScript (as
     * CreateDocument would, or as its next version when the name is known).
     */
    public synchronized SimulatedSsm addDocument(SsmDocument document) {
        documents.add(document);
        return this;
    }

    /** The Parameter Store the nodes read {@code {{ssm:...}}} references from. */
    public ParameterStore parameterStore() {
        return parameterStore;
    }

    // ---- waiting, for tests and the runtime ----

    /**
     * Waits until a command is terminal and returns its final status and counts.
     *
     * @throws IllegalStateException when it is not terminal within {@code timeout} (real time)
     */
    public synchronized CommandRollup awaitCommand(String commandId, Duration timeout) throws InterruptedException {
        CommandRollup rollup = dispatcher.awaitTerminal(commandId, timeout);
        if (rollup == null) {
            throw new IllegalStateException("command " + commandId + " is still " + commands.get(commandId).rollup()
                    + " after " + timeout);
        }
        return rollup;
    }

    /** Waits until every event emitted so far reached the sink; false when {@code timeout} passed first. */
    public boolean flushEvents(Duration timeout) throws InterruptedException {
        return outbox.flush(timeout);
    }

    /** What the event sink threw, in order (the simulation goes on after a failing sink). */
    public List<RuntimeException> eventSinkFailures() {
        return outbox.failures();
    }

    /**
     * Kills every script still running and stops the timers; events already emitted are still
     * delivered. Throws if the event sink failed, so such a failure cannot pass unnoticed.
     */
    @Override
    public void close() {
        synchronized (this) {
            dispatcher.close();
        }
        launcher.close();
        outbox.close();
        List<RuntimeException> failures = outbox.failures();
        if (!failures.isEmpty()) {
            var failure = new IllegalStateException("the SSM event sink failed " + failures.size()
                    + " time(s); the first cause is attached", failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    // ---- the API ----

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        return switch (operation) {
            case "SendCommand" -> sendCommand(input);
            case "ListCommands" -> queries.listCommands(input, commands);
            case "ListCommandInvocations" -> queries.listCommandInvocations(input, commands);
            case "GetCommandInvocation" -> queries.getCommandInvocation(input, commands);
            case "CancelCommand" -> cancelCommand(input);
            case "DescribeInstanceInformation" -> queries.describeInstanceInformation(input, nodes(),
                    node -> agents.get(node.instanceId()).lastPing());
            case "CreateDocument" -> documents.create(input);
            case "UpdateDocument" -> documents.update(input);
            case "UpdateDocumentDefaultVersion" -> documents.updateDefaultVersion(input);
            case "DescribeDocument" -> documents.describe(input);
            case "GetDocument" -> documents.get(input);
            case "ListDocuments" -> documents.list(input);
            case "ListDocumentVersions" -> documents.listVersions(input);
            case "DeleteDocument" -> documents.delete(input);
            case "PutParameter" -> parameterStore.put(input);
            case "GetParameter" -> parameterStore.get(input);
            case "GetParameters" -> parameterStore.getMany(input);
            case "GetParametersByPath" -> parameterStore.getByPath(input);
            case "DeleteParameter" -> parameterStore.delete(input);
            case "DeleteParameters" -> parameterStore.deleteMany(input);
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        };
    }

    /** A request as the server records it: a PutParameter's SecureString value hidden. */
    @Override
    public JsonNode recordable(String operation, JsonNode input) {
        return parameterStore.redacted(operation, input);
    }

    private JsonNode sendCommand(JsonNode input) {
        SendCommandInput request = SendCommandInput.parse(input);
        request.targets().forEach(CommandTarget::checkSupported);
        SsmDocument document = documents.resolve(documentName(request.documentName()), request.documentVersion());
        document.validate(request.parameters());
        String bucket = RequestFields.optionalText(input, "OutputS3BucketName", null);
        if (bucket != null && !settings.output().bucketExists(bucket)) {
            throw AwsError.of("InvalidOutputFolder", "The S3 bucket " + bucket + " does not exist: create it first"
                    + " (aws s3 mb s3://" + bucket + "), or leave OutputS3BucketName out. Nothing was sent.");
        }
        List<String> targets = targets(request);
        var command = new SsmCommand(UUID.randomUUID().toString(), request, document, targets, now());
        commands.put(command.commandId(), command);
        ObjectNode answer = WireTree.object();
        answer.set("Command", shapes.command(command));
        dispatcher.start(command);
        return answer;
    }

    /** A document named by its ARN (arn:aws:ssm:region:account:document/Name) is the document of that name. */
    private static String documentName(String nameOrArn) {
        int slash = nameOrArn.indexOf(":document/");
        return nameOrArn.startsWith("arn:") && slash > 0 ? nameOrArn.substring(slash + ":document/".length()) : nameOrArn;
    }

    /** The nodes a command goes to: its InstanceIds (each must be in the fleet), or the nodes its Targets match. */
    private List<String> targets(SendCommandInput request) {
        if (!request.instanceIds().isEmpty()) {
            List<String> unknown = request.instanceIds().stream().filter(id -> !agents.containsKey(id)).toList();
            if (!unknown.isEmpty()) {
                throw AwsError.of("InvalidInstanceId", "Instances " + unknown + " not in a valid state for account "
                        + accountId + " (they are not in the simulated fleet)");
            }
            return request.instanceIds();
        }
        return CommandTargets.resolve(request.targets(), nodes(), groups);
    }

    private JsonNode cancelCommand(JsonNode input) {
        dispatcher.cancel(queries.cancelRequest(input, commands));
        return WireTree.object();
    }

    private NodeAgent agent(String instanceId) {
        NodeAgent agent = agents.get(instanceId);
        if (agent == null) {
            throw new IllegalArgumentException("node " + instanceId + " is not in the simulated fleet; nodes: "
                    + agents.keySet());
        }
        return agent;
    }

    /** How a {@link SimulatedSsm} is set up; every setting has a default. */
    public static final class Builder {
        private Fleet fleet = Fleet.empty();
        private SsmTime time = SsmTime.real();
        private Path workDir;
        private Consumer<JsonNode> eventSink = event -> { };
        private Duration rebootDuration = Duration.ofSeconds(10);
        private int maxRunningScripts = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        private String region = "us-east-1";
        private String accountId = "123456789012";
        private NodeGroups groups;
        private Path pwsh = findOnPath("pwsh");
        private ScriptIsolation isolation;
        private final List<Path> shared = new ArrayList<>();
        private final List<Path> hidden = new ArrayList<>();
        private OutputDestinations output = OutputDestinations.NONE;
        private final List<SsmDocument> documents = new ArrayList<>();

        private Builder() {
        }

        /** The nodes to start with (default: none; add more with {@link #addNode}). */
        public Builder fleet(Fleet fleet) {
            this.fleet = Objects.requireNonNull(fleet, "fleet");
            return this;
        }

        /** Timestamps and the scale of simulated delays (default: real time). */
        public Builder time(SsmTime time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** Where the nodes' sandboxes go (default: a new temporary directory). */
        public Builder workDir(Path workDir) {
            this.workDir = Objects.requireNonNull(workDir, "workDir");
            return this;
        }

        /** Receives every SSM event, in order, on a thread of its own (default: dropped). */
        public Builder eventSink(Consumer<JsonNode> sink) {
            this.eventSink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** How long (simulated time) a node is unreachable when it reboots; default 10 s. */
        public Builder rebootDuration(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("a reboot cannot take negative time: " + duration);
            }
            this.rebootDuration = duration;
            return this;
        }

        /** How many scripts may run on the host at once, over all nodes (default: 4 per core, at least 8). */
        public Builder maxRunningScripts(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxRunningScripts must be at least 1, was " + max);
            }
            this.maxRunningScripts = max;
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId, "accountId");
            return this;
        }

        /**
         * The resource groups {@code resource-groups:Name} targets resolve through (default: none, and such targets
         * are refused with {@code NotImplementedLocally}).
         */
        public Builder resourceGroups(NodeGroups groups) {
            this.groups = Objects.requireNonNull(groups, "groups");
            return this;
        }

        /** The PowerShell that runs AWS-RunPowerShellScript (default: pwsh on the PATH); null for none. */
        public Builder powerShell(Path pwsh) {
            this.pwsh = pwsh;
            return this;
        }

        /**
         * How the nodes' scripts are confined (default: {@code ScriptIsolation.of(Mode.AUTO)}, bubblewrap
         * where it works here).
         */
        public Builder isolation(ScriptIsolation isolation) {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        /**
         * A host directory every node's scripts may write, besides their own sandbox, when they are
         * isolated: for tests whose nodes meet in marker files.
         */
        public Builder sharedDirectory(Path dir) {
            shared.add(dir.toAbsolutePath().normalize());
            return this;
        }

        /**
         * A host directory the isolated scripts must not see (the runtime's own files, its credentials),
         * besides the serving user's home, which they never see. It must exist when the simulation starts.
         */
        public Builder hiddenDirectory(Path dir) {
            hidden.add(dir.toAbsolutePath().normalize());
            return this;
        }

        /**
         * Where the nodes send the complete output of commands that ask for it (OutputS3BucketName,
         * CloudWatchOutputConfig); default {@link OutputDestinations#NONE}: nowhere, and every bucket taken to exist.
         */
        public Builder output(OutputDestinations destinations) {
            this.output = Objects.requireNonNull(destinations, "destinations");
            return this;
        }

        /** A Command document to know besides the built-in two (a second one of a name is its next version). */
        public Builder document(SsmDocument document) {
            documents.add(Objects.requireNonNull(document, "document"));
            return this;
        }

        public SimulatedSsm build() {
            return new SimulatedSsm(this, time.clock());
        }

        private ScriptIsolation isolation() {
            return isolation != null ? isolation : ScriptIsolation.of(ScriptIsolation.Mode.AUTO);
        }

        private Path workDir() {
            if (workDir != null) {
                return workDir;
            }
            try {
                return Files.createTempDirectory("fleetrun-ssm-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a work directory for the simulated nodes: "
                        + e.getMessage() + " (set one with SimulatedSsm.builder().workDir(...))", e);
            }
        }

        private static Path findOnPath(String executable) {
            String path = System.getenv("PATH");
            if (path == null) {
                return null;
            }
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, executable);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            return null;
        }
    }
}
