package dev.fleetrun.cli.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.AwsClients;
import dev.fleetrun.aws.Config;
import dev.fleetrun.aws.Json;
import dev.fleetrun.catalog.FleetrunFunction;
import dev.fleetrun.catalog.ConfigurationException;
import dev.fleetrun.catalog.FleetrunRules;
import dev.fleetrun.catalog.jobs.DomainRunRequestCheck;
import dev.fleetrun.catalog.jobs.Job;
import dev.fleetrun.catalog.jobs.JobRules;
import dev.fleetrun.catalog.jobs.JobsFile;
import dev.fleetrun.handlers.JsonHandler;
import dev.fleetrun.local.LocalRuntime;
import dev.fleetrun.local.cloudwatch.CloudWatchService;
import dev.fleetrun.local.dynamodb.DynamoDbRequests;
import dev.fleetrun.local.dynamodb.EmbeddedDynamoDb;
import dev.fleetrun.local.events.EventBridgeService;
import dev.fleetrun.local.events.EventBus;
import dev.fleetrun.local.events.Target;
import dev.fleetrun.local.events.TargetHandlers;
import dev.fleetrun.local.faults.Faults;
import dev.fleetrun.local.integrations.ServiceIntegrations;
import dev.fleetrun.local.lambda.LambdaRegistry;
import dev.fleetrun.local.sfn.engine.Execution;
import dev.fleetrun.local.sfn.engine.StepFunctionsEngine;
import dev.fleetrun.local.sfn.task.TaskInvokers;
import dev.fleetrun.local.sfn.time.EngineClock;
import dev.fleetrun.local.sfn.time.JavaClock;
import dev.fleetrun.local.sfn.time.ScaledClock;
import dev.fleetrun.local.logs.LogsService;
import dev.fleetrun.local.resourcegroups.NodeResources;
import dev.fleetrun.local.resourcegroups.ResourceGroupsService;
import dev.fleetrun.local.s3.S3Service;
import dev.fleetrun.local.sns.SnsService;
import dev.fleetrun.local.sqs.SqsService;
import dev.fleetrun.local.ssm.Fleet;
import dev.fleetrun.local.ssm.FleetGroup;
import dev.fleetrun.local.ssm.ScriptIsolation;
import dev.fleetrun.local.ssm.ServiceOutputDestinations;
import dev.fleetrun.local.ssm.SimulatedSsm;
import dev.fleetrun.local.ssm.SsmTime;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.Callers;
import dev.fleetrun.local.wire.LocalCredentials;
import dev.fleetrun.records.FleetrunTable;
import dev.fleetrun.run.Services;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * fleetrun on one machine: the embedded runtime of {@code local/} (Step Functions, SSM over a simulated
 * fleet whose nodes really run the commands, EventBridge, DynamoDB Local, SNS, CloudWatch alarms, S3 and
 * CloudWatch Logs for the nodes' output) on one
 * loopback endpoint, with the real handlers of {@code functions/} as its Lambda functions, and the same
 * resources the CDK stack deploys, installed from the same descriptions: the functions of
 * {@link FleetrunFunction}, the workflow of {@code statemachines/}, the table of {@link FleetrunTable}
 * and the rules of {@link FleetrunRules}.
 */
public final class EmbeddedRuntime implements AutoCloseable {
    public static final String STATE_MACHINE_NAME = dev.fleetrun.cli.LocalNames.STATE_MACHINE;
    public static final String TABLE = dev.fleetrun.cli.LocalNames.TABLE;
    public static final String ALERT_TOPIC = "fleetrun-alerts";
    public static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/fleetrun-local";
    static final String WORKFLOW_RESOURCE = "statemachines/rolling-run.asl.json";
    /**
     * The most node scripts the embedded runtime runs at once. Simulated nodes stand for machines of their
     * own, so this is set well above a run's usual concurrency: a cap below it would hold nodes InProgress
     * with no script running and make a roll-out look slower than it is. A script that waits (sleep, I/O)
     * costs a process and little else; CPU-bound scripts share this machine's cores.
     */
    public static final int DEFAULT_MAX_RUNNING_SCRIPTS = 256;
    /**
     * Execution environments per function for its asynchronous events (SSM's status changes to StatusListener,
     * execution status changes to Cleanup), reused from one event to the next as Lambda's are. A burst of a
     * wave's results then waits its turn in the function's queue instead of running all at once: on one machine
     * that many handlers only queue up in DynamoDB Local (one writer at a time) and slow the wave's own sends.
     */
    static final int LAMBDA_ENVIRONMENTS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    /** The work directories this process made (Options.newWorkDir): each is removed when its runtime closes. */
    private static final java.util.Set<Path> MADE_WORK_DIRS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Options options;
    private final EngineClock clock;
    private final LambdaRegistry lambdas;
    private final LocalRuntime local;
    private final EventBus bus;
    private final SnsService sns;
    private final CloudWatchService cloudWatch;
    private final SqsService sqs;
    private final EmbeddedDynamoDb dynamo;
    private final S3Service s3;
    private final LogsService logs;
    private final SimulatedSsm ssm;
    private final ResourceGroupsService resourceGroups;
    private final Faults faults;
    private final String stateMachineArn;
    private final String alertTopicArn;
    private final CountDownLatch closed = new CountDownLatch(1);
    private EventBus busForEvents;

    /**
     * How to start it.
     *
     * @param port      loopback port, 0 for a free one
     * @param fleet     the simulated managed nodes
     * @param workDir   where nodes keep their sandboxes and SNS its message log
     * @param timeScale 1 for real time; more to make waits (reboots, bake, retries) pass faster
     * @param settings  function settings (docs/internals.md, "Configuration") over the runtime's defaults
     * @param faults    fault specifications, as {@code --fault} takes them
     * @param maxRunningScripts the most node scripts this machine runs at once, over all simulated nodes
     * @param callers   who the endpoint answers: requests signed with its credentials (see {@link Callers})
     * @param isolation how node scripts are confined ({@link ScriptIsolation})
     */
    public record Options(int port, Fleet fleet, Path workDir, double timeScale, Map<String, String> settings,
                          List<String> faults, int maxRunningScripts, Callers callers, ScriptIsolation.Mode isolation) {

        /**
         * The fleet, settings and faults a command line names (--fleet, --nodes, --tag, --allow-document, --fault,
         * --script-isolation).
         */
        public static Options from(dev.fleetrun.cli.ConnectionOptions o, int port) {
            return from(o.fleetFile(), o.nodes(), o.tags(), o.maxScripts(), o.scriptIsolation(), o.allowedDocuments(),
                    o.faults(), port);
        }

        /** The same from the options' values (null or empty: not given), as {@link OneShotEntry} passes them. */
        public static Options from(Path fleetFile, Integer nodes, List<String> tags, Integer maxScriptsOption,
                                   String scriptIsolation, List<String> allowedDocuments, List<String> faults, int port) {
            int maxScripts = maxScriptsOption == null ? DEFAULT_MAX_RUNNING_SCRIPTS : maxScriptsOption;
            if (maxScripts < 1) {
                throw new dev.fleetrun.cli.UsageException("--max-scripts " + maxScripts + ": give 1 or more");
            }
            ScriptIsolation.Mode isolation;
            try {
                isolation = scriptIsolation == null ? ScriptIsolation.Mode.AUTO
                        : ScriptIsolation.Mode.parse(scriptIsolation);
            } catch (IllegalArgumentException e) {
                throw new dev.fleetrun.cli.UsageException("--script-isolation " + e.getMessage());
            }
            Map<String, String> settings = new LinkedHashMap<>();
            if (allowedDocuments != null && !allowedDocuments.isEmpty()) {
                java.util.Set<String> documents = new java.util.LinkedHashSet<>(List.of(Config.DEFAULT_DOCUMENTS.split(",")));
                documents.addAll(allowedDocuments);
                settings.put("FLEETRUN_ALLOWED_DOCUMENTS", String.join(",", documents));
            }
            Fleet fleet = CliFleet.of(fleetFile, nodes, tags == null ? List.of() : tags);
            return new Options(port, fleet, newWorkDir(), 1.0, Map.copyOf(settings),
                    faults == null ? List.of() : List.copyOf(faults), maxScripts, oneShotCallers(), isolation);
        }

        public static Options of(Fleet fleet) {
            return new Options(0, fleet, newWorkDir(), 1.0, Map.of(), List.of(), DEFAULT_MAX_RUNNING_SCRIPTS, oneShotCallers(),
                    ScriptIsolation.Mode.AUTO);
        }

        /** A runtime that lives as long as one command answers only that command: credentials made for it alone. */
        public static Callers oneShotCallers() {
            return Callers.signedWith(LocalCredentials.generate());
        }

        public Options withCallers(Callers who) {
            return new Options(port, fleet, workDir, timeScale, settings, faults, maxRunningScripts, who, isolation);
        }

        public Options withSettings(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(settings);
            merged.putAll(more);
            return new Options(port, fleet, workDir, timeScale, Map.copyOf(merged), faults, maxRunningScripts, callers, isolation);
        }

        public Options withTimeScale(double scale) {
            return new Options(port, fleet, workDir, scale, settings, faults, maxRunningScripts, callers, isolation);
        }

        public Options withMaxRunningScripts(int max) {
            return new Options(port, fleet, workDir, timeScale, settings, faults, max, callers, isolation);
        }

        public Options withIsolation(ScriptIsolation.Mode mode) {
            return new Options(port, fleet, workDir, timeScale, settings, faults, maxRunningScripts, callers, mode);
        }

        static Path newWorkDir() {
            try {
                Path dir = Files.createTempDirectory("fleetrun-");
                MADE_WORK_DIRS.add(dir);
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a work directory for the simulated nodes", e);
            }
        }
    }

    private EmbeddedRuntime(Options options) {
        this.options = options;
        try {
            // Check the settings before anything listens, so a bad one leaves nothing running behind it.
            config();
        } catch (IllegalStateException e) {
            throw new dev.fleetrun.cli.UsageException("embedded runtime settings: " + e.getMessage());
        }
        ScriptIsolation isolation;
        try {
            isolation = ScriptIsolation.of(options.isolation());
        } catch (IllegalStateException e) {
            throw new dev.fleetrun.cli.UsageException("--script-isolation bubblewrap: " + e.getMessage());
        }
        this.clock = new ScaledClock(options.timeScale());
        Clock javaClock = JavaClock.of(clock);
        this.lambdas = new LambdaRegistry(clock);
        TaskInvokers invokers = new TaskInvokers();
        try {
            this.local = LocalRuntime.start(options.port(), StepFunctionsEngine.builder().clock(clock).invokers(invokers)
                    .region(REGION).accountId(ACCOUNT).onExecutionEnd(this::executionEnded).build(), options.callers());
        } catch (UncheckedIOException e) {
            if (options.port() == 0) {
                throw e;
            }
            String serve = RuntimeFile.live().filter(e2 -> e2.endpoint().getPort() == options.port())
                    .map(e2 -> " by " + e2.describe()).orElse("");
            throw new dev.fleetrun.cli.UsageException("port " + options.port() + " on 127.0.0.1 is in use" + serve
                    + ": stop what listens there, or choose another port with --port N (--port 0: any free port)");
        }
        this.sqs = new SqsService(javaClock, REGION, ACCOUNT).serveOn(local.server());
        // EventBridge rules may target queues, as on AWS: fleetrun's events can be read with aws sqs receive-message.
        this.bus = new EventBus(clock, TargetHandlers.forRuntime(lambdas, local.stepFunctions()).sqs(sqs));
        this.busForEvents = bus;
        EventBridgeService events = new EventBridgeService(bus, javaClock);
        this.sns = new SnsService(javaClock, options.workDir().resolve("sns-messages.jsonl"), REGION, ACCOUNT)
                .deliverToQueues((queueArn, body, attributes) -> sqs.send(queueArn, body, attributes, "sns.amazonaws.com"));
        this.cloudWatch = new CloudWatchService(javaClock, bus::publish, REGION, ACCOUNT).serveOn(local.server());
        // DynamoDB Local checks no signature: it answers only what the endpoint relays, once it has checked its caller.
        this.dynamo = EmbeddedDynamoDb.inMemoryRelayedOnly();
        // Where nodes send whole output (OutputS3BucketName, CloudWatchOutputConfig): S3 is the endpoint's REST service.
        this.s3 = new S3Service(javaClock, REGION).serveOn(local.server());
        this.logs = new LogsService(javaClock, REGION, ACCOUNT).serveOn(local.server());
        local.server()
                .jsonService(EventBridgeService.TARGET_PREFIX, events)
                .queryService(sns)
                .forward("dynamodb", "DynamoDB_20120810", dynamo.endpoint(), "1.0", DynamoDbRequests::check,
                        dynamo.relayHeaders());
        // Tag-based resource groups over the fleet's nodes, which SSM's resource-groups:Name targets resolve through.
        this.resourceGroups = new ResourceGroupsService(javaClock, REGION, ACCOUNT,
                NodeResources.of(this::simulatedSsm, REGION, ACCOUNT)).serveOn(local.server());
        this.ssm = SimulatedSsm.builder().fleet(options.fleet()).time(SsmTime.of(javaClock, options.timeScale()))
                .workDir(options.workDir().resolve("nodes")).eventSink(bus::publish)
                .maxRunningScripts(options.maxRunningScripts())
                .isolation(isolation).hiddenDirectory(fleetrunHome(isolation))
                .output(new ServiceOutputDestinations(s3, logs))
                .resourceGroups(NodeResources.groups(resourceGroups, REGION, ACCOUNT))
                .region(REGION).accountId(ACCOUNT).build().serveOn(local.server());
        for (FleetGroup group : options.fleet().groups()) {
            try {
                resourceGroups.createGroup(group.name(), group.description(), group.query().toString());
            } catch (AwsError e) {
                close();
                throw new dev.fleetrun.cli.UsageException(group.where() + ": " + e.getMessage());
            }
        }
        DynamoDbClient tableClient = EmbeddedDynamoDb.newClient(local.endpoint(), credentialsProvider());
        ServiceIntegrations.register(invokers, lambdas, sns, events, tableClient);
        this.faults = new Faults(bus, lambdas).api(ssm).api(logs).api(resourceGroups)
                .api(local.server().forwarded("dynamodb"));

        this.alertTopicArn = sns.createTopic(ALERT_TOPIC);
        Services services = new Services(config(), AwsClients.forEndpoint(local.endpoint(), Region.of(REGION),
                credentialsProvider()), javaClock);
        Map<String, String> arns = new LinkedHashMap<>();
        for (FleetrunFunction f : FleetrunFunction.values()) {
            JsonHandler handler = handler(f, services);
            arns.put(f.placeholder(), lambdas.register(f.logicalName(), handler::handle));
            lambdas.reserveConcurrency(f.logicalName(), LAMBDA_ENVIRONMENTS);
        }
        // Faults last: a fault may name any function, service or operation installed above (fail-lambda:function=SendWave).
        for (String spec : options.faults()) {
            try {
                faults.apply(spec);
            } catch (IllegalArgumentException e) {
                close();
                throw new dev.fleetrun.cli.UsageException("--fault " + spec + ": " + e.getMessage());
            }
        }
        createTable(tableClient);
        this.stateMachineArn = local.stepFunctions().createStateMachine(STATE_MACHINE_NAME, workflow(arns), ROLE_ARN, "STANDARD").arn();
        install(FleetrunRules.ssmStatus(List.copyOf(config().allowedDocuments())));
        install(FleetrunRules.executionStatus(List.of(stateMachineArn)));
    }

    /**
     * This user's fleetrun directory (FLEETRUN_HOME, ~/.fleetrun: serve.json and the runtime's credentials),
     * which isolated node scripts must not read. It is made now if it is not there yet, so that it is hidden
     * from the first script on.
     */
    private static Path fleetrunHome(ScriptIsolation isolation) {
        Path home = RuntimeFile.path().getParent().toAbsolutePath();
        if (isolation.isolated()) {
            try {
                Files.createDirectories(home);
            } catch (IOException e) {
                System.err.println("fleetrun: cannot make " + home + " (" + e.getMessage() + "); node scripts may read it");
            }
        }
        return home;
    }

    /** The simulated SSM, for the Resource Groups made before it (their resources are its nodes). */
    private SimulatedSsm simulatedSsm() {
        return ssm;
    }

    /** How the simulated nodes' scripts are isolated, in one line for the start-up output. */
    public String scriptIsolation() {
        return ssm.isolation().describe();
    }

    /** Starts the runtime and installs fleetrun into it; ready for calls when this returns. */
    public static EmbeddedRuntime start(Options options) {
        return new EmbeddedRuntime(options);
    }

    private Config config() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FLEETRUN_TABLE", TABLE);
        env.put("FLEETRUN_ALERT_TOPIC_ARN", alertTopicArn != null ? alertTopicArn
                : "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + ALERT_TOPIC);
        // A simulated node answers fast: poll a silent wave after 30 s rather than 5 minutes.
        env.put("FLEETRUN_HEARTBEAT_SECONDS", "30");
        env.put("FLEETRUN_DELIVERY_TIMEOUT_SECONDS", "60");
        env.putAll(options.settings());
        return Config.from(env);
    }

    private static JsonHandler handler(FleetrunFunction f, Services services) {
        try {
            return (JsonHandler) Class.forName(f.handlerClass()).getConstructor(Services.class).newInstance(services);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make function " + f.logicalName() + " from " + f.handlerClass(), e);
        }
    }

    private static void createTable(DynamoDbClient client) {
        try {
            client.createTable(FleetrunTable.createTableRequest(TABLE));
            client.updateTimeToLive(FleetrunTable.timeToLiveRequest(TABLE));
        } catch (ResourceInUseException e) {
            // there already: a runtime over a data directory it used before
        }
    }

    /** The workflow definition with its function placeholders resolved, as CDK's DefinitionSubstitutions does. */
    static String workflow(Map<String, String> substitutions) {
        String definition;
        try (InputStream in = EmbeddedRuntime.class.getClassLoader().getResourceAsStream(WORKFLOW_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(WORKFLOW_RESOURCE + " is not on the classpath: build the cli module (./dev build)");
            }
            definition = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map.Entry<String, String> s : substitutions.entrySet()) {
            definition = definition.replace("${" + s.getKey() + "}", s.getValue());
        }
        if (definition.contains("${")) {
            throw new IllegalStateException("the workflow names a placeholder no function provides: "
                    + definition.substring(definition.indexOf("${"), definition.indexOf('}', definition.indexOf("${")) + 1));
        }
        return definition;
    }

    private void install(FleetrunRules.Rule rule) {
        bus.putRule(rule.name(), Json.write(rule.pattern()));
        bus.putTargets(rule.name(), List.of(Target.of(rule.target().logicalName(),
                lambdas.arn(rule.target().logicalName()))), null);
    }

    /** Step Functions' "Execution Status Change" event, which the cleanup rule listens to. */
    private void executionEnded(Execution e) {
        EventBus target = busForEvents;
        if (target == null) {
            return;
        }
        ObjectNode detail = Json.object();
        detail.put("executionArn", e.arn()).put("stateMachineArn", e.info().stateMachineArn()).put("name", e.name())
                .put("status", e.status().name()).put("startDate", e.startDate().toEpochMilli())
                .put("stopDate", e.stopDate() == null ? null : e.stopDate().toEpochMilli())
                .put("input", Json.write(e.info().input()))
                .put("output", e.output() == null ? null : Json.write(e.output()))
                .put("error", e.error()).put("cause", e.cause())
                .put("redriveCount", e.redriveCount())
                .put("redriveDate", e.redriveDate() == null ? null : e.redriveDate().toEpochMilli());
        ObjectNode event = Json.object();
        event.put("version", "0").put("id", UUID.randomUUID().toString()).put("detail-type", FleetrunRules.EXECUTION_STATUS_CHANGE)
                .put("source", "aws.states").put("account", ACCOUNT).put("time", clock.now().toString()).put("region", REGION);
        event.putArray("resources").add(e.arn());
        event.set("detail", detail);
        target.publish(event);
    }

    public URI endpoint() {
        return local.endpoint();
    }

    /** Where DynamoDB Local itself listens, behind {@link #endpoint()} (for the tests that it refuses direct callers). */
    URI dynamoDbEndpoint() {
        return dynamo.endpoint();
    }

    /** The credentials every caller of the endpoint signs with. */
    public LocalCredentials credentials() {
        return local.credentials();
    }

    /** {@link #credentials()} for an SDK client. */
    public StaticCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(credentials().accessKeyId(),
                credentials().secretAccessKey()));
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public int fleetSize() {
        return ssm.nodes().size();
    }

    /** The Step Functions service the workflow runs on. */
    public dev.fleetrun.local.sfn.engine.StepFunctionsService stepFunctions() {
        return local.stepFunctions();
    }

    public SimulatedSsm ssm() {
        return ssm;
    }

    /** The loopback endpoint's server: {@code onRequest} sees every call the handlers, the engine and the CLI make. */
    public AwsServer server() {
        return local.server();
    }

    public EventBus bus() {
        return bus;
    }

    public LambdaRegistry lambdas() {
        return lambdas;
    }

    public SnsService sns() {
        return sns;
    }

    public CloudWatchService cloudWatch() {
        return cloudWatch;
    }

    public SqsService sqs() {
        return sqs;
    }

    /**
     * Installs the rules of a jobs file (the format of {@code infra/jobs.json}, read and checked as the CDK app reads
     * it) on the bus, as the stack deploys them: a scheduled job's rule starts the workflow with its constant input,
     * an alarm job's rule starts it with the input transformer that adds the alarm's trigger (and, with
     * {@code targetAlarmInstance}, its instance as the run's target) when one of its alarms goes to {@code ALARM}.
     * A disabled job's rule is installed disabled.
     *
     * @return the jobs installed
     * @throws dev.fleetrun.catalog.ConfigurationException naming every problem of the file
     */
    public List<Job> installJobs(Path jobsFile) {
        if (!Files.exists(jobsFile)) {
            throw new ConfigurationException("jobs file " + jobsFile, List.of("there is no such file"));
        }
        List<Job> jobs = JobsFile.read(jobsFile, new DomainRunRequestCheck(List.copyOf(config().allowedDocuments())));
        for (Job job : jobs) {
            String rule = JobRules.ruleName(job);
            String full = "fleetrun job " + job.name() + (job.description().isEmpty() ? "" : ": " + job.description());
            String description = full.length() > 512 ? full.substring(0, 512) : full; // EventBridge's limit, as the stack cuts it
            Target target = switch (job) {
                case Job.ScheduleJob s -> {
                    bus.putRule(rule, null, s.schedule(), job.enabled(), description, null, null);
                    yield new Target(job.name(), stateMachineArn, JobRules.scheduleInput(s), null, null, null, null);
                }
                case Job.AlarmJob a -> {
                    bus.putRule(rule, Json.write(JobRules.alarmPattern(a)), null, job.enabled(), description, null, null);
                    JobRules.Transformer t = JobRules.alarmTransformer(a);
                    yield new Target(job.name(), stateMachineArn, null, null,
                            new Target.InputTransformer(t.inputPathsMap(), t.inputTemplate()), null, null);
                }
            };
            bus.putTargets(rule, List.of(target), null);
        }
        return jobs;
    }

    /** The S3 the nodes write output to (and anyone may use through the endpoint). */
    public S3Service s3() {
        return s3;
    }

    /** The CloudWatch Logs the nodes write output to. */
    public LogsService logs() {
        return logs;
    }

    public Faults faults() {
        return faults;
    }

    public String alertTopicArn() {
        return alertTopicArn;
    }

    /** Blocks until {@link #close()}. */
    public void awaitTermination() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        busForEvents = null;
        closeQuietly(ssm);
        bus.close();
        lambdas.close(); // queued events would only fail against the stopped services, and be retried for minutes
        closeQuietly(local);
        closeQuietly(dynamo);
        if (MADE_WORK_DIRS.remove(options.workDir())) {
            removeWorkDir(options.workDir());
        }
        closed.countDown();
    }

    /** The work directory (node sandboxes, SNS's message log): made under java.io.tmpdir unless given, removed by close. */
    public Path workDir() {
        return options.workDir();
    }

    private static void removeWorkDir(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("fleetrun: could not remove the work directory " + dir + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("fleetrun: while stopping the runtime: " + e.getMessage());
        }
    }

}
