package dev.fleetrun.testing;

import dev.fleetrun.local.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.aws.Alarms;
import dev.fleetrun.aws.Config;
import dev.fleetrun.aws.Json;
import dev.fleetrun.aws.Notifier;
import dev.fleetrun.aws.ResourceGroupsGateway;
import dev.fleetrun.aws.SsmGateway;
import dev.fleetrun.aws.TaskTokens;
import dev.fleetrun.records.DynamoRunStore;
import dev.fleetrun.records.RunStore;
import dev.fleetrun.run.Services;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * fleetrun's {@link Services} for a handler component test, wired as Lambda wires them but against
 * loopback: real AWS SDK clients pointed at a {@link FakeAws}, the records on a fresh fleetrun table
 * in {@link DynamoDbLocal}, one {@link MutableClock} shared by the records and the fake, and a
 * {@link Config} read from a map, as from a function's environment.
 *
 * <pre>{@code
 * try (TestServices t = TestServices.start(Map.of("FLEETRUN_LEASE_SECONDS", "600"))) {
 *     List<String> ids = t.addNodes(3, Map.of("Role", "web"));
 *     JsonNode state = new StartRunHandler(t.services()).handle(...);
 *     // assert on t.store() (the records), t.aws().requests("SendCommand"), t.aws().events().entries() ...
 * }
 * }</pre>
 *
 * Every DynamoDB call the services make is counted ({@link #dynamoRequests()}), so a test can prove
 * that a handler wrote nothing. {@link #servicesWith} gives a second set of services on the same
 * table, fake and clock whose DynamoDB client carries extra interceptors, to inject a fault into one
 * invocation and then retry with the healthy services, as Lambda would.
 */
public final class TestServices implements AutoCloseable {
    /** Where every test's clock starts. */
    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    /** The SNS topic given as {@code FLEETRUN_ALERT_TOPIC_ARN} by {@link #start()}. */
    public static final String ALERT_TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:fleetrun-alerts";

    private static final List<String> DYNAMO_WRITES =
            List.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");

    private final MutableClock clock = new MutableClock(T0);
    private final FakeAws aws = FakeAws.start(clock);
    private final FakeAwsClients clients = aws.clients();
    private final String table = DynamoDbLocal.newTable();
    private final RequestCounter dynamoRequests = new RequestCounter();
    private final List<DynamoDbClient> dynamoClients = new ArrayList<>();
    private final Config config;
    private final Services services;
    private final DynamoRunStore store;
    private int nextNode = 1;

    private TestServices(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("FLEETRUN_TABLE", table);
        this.config = Config.from(env);
        this.services = servicesWith();
        this.store = new DynamoRunStore(DynamoDbLocal.client(), table, clock, config.retention());
    }

    /** Services with the default configuration plus an alert topic ({@link #ALERT_TOPIC_ARN}). */
    public static TestServices start() {
        return start(Map.of());
    }

    /**
     * Services configured by {@code environment} (the function's variables, {@code FLEETRUN_*}), plus
     * {@code FLEETRUN_ALERT_TOPIC_ARN} = {@link #ALERT_TOPIC_ARN} unless the map sets it ("" for none).
     * {@code FLEETRUN_TABLE} is always the fresh table.
     */
    public static TestServices start(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>();
        env.put("FLEETRUN_ALERT_TOPIC_ARN", ALERT_TOPIC_ARN);
        env.putAll(environment);
        return new TestServices(env);
    }

    /** The services a handler under test gets. */
    public Services services() {
        return services;
    }

    /**
     * Another set of services on the same table, fake, clock and configuration, whose DynamoDB client
     * also runs {@code interceptors} (for example one that fails a chosen call once).
     */
    public Services servicesWith(ExecutionInterceptor... interceptors) {
        return servicesWith(config, interceptors);
    }

    /**
     * Services on the same table, fake and clock, configured by {@code environment} instead (plus the table): the
     * functions after a deploy that changed a setting while runs were in flight.
     */
    public Services servicesConfiguredBy(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("FLEETRUN_TABLE", table);
        return servicesWith(Config.from(env));
    }

    private Services servicesWith(Config config, ExecutionInterceptor... interceptors) {
        ExecutionInterceptor[] all = new ExecutionInterceptor[interceptors.length + 1];
        all[0] = dynamoRequests;
        System.arraycopy(interceptors, 0, all, 1, interceptors.length);
        DynamoDbClient dynamo = DynamoDbLocal.newClient(all);
        synchronized (dynamoClients) {
            dynamoClients.add(dynamo);
        }
        return new Services(config, clock,
                () -> (RunStore) new DynamoRunStore(dynamo, table, clock, config.retention()),
                () -> new SsmGateway(clients.ssm()),
                () -> new TaskTokens(clients.sfn()),
                () -> new Notifier(clients.events(), clients.sns(), config.eventBus(), config.alertTopicArn()),
                () -> new Alarms(clients.cloudWatch()),
                () -> new ResourceGroupsGateway(clients.resourceGroups()));
    }

    /** The records, read on a client of its own (not counted in {@link #dynamoRequests()}). */
    public DynamoRunStore store() {
        return store;
    }

    public MutableClock clock() {
        return clock;
    }

    public FakeAws aws() {
        return aws;
    }

    public FakeSsm ssm() {
        return aws.ssm();
    }

    /** Real SDK clients on the fake, for a test that plays another tool (a foreign SendCommand). */
    public FakeAwsClients clients() {
        return clients;
    }

    public Config config() {
        return config;
    }

    public String table() {
        return table;
    }

    /** Every DynamoDB call the services made, by operation. */
    public RequestCounter dynamoRequests() {
        return dynamoRequests;
    }

    /** DynamoDB write calls the services made (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems). */
    public int dynamoWrites() {
        return DYNAMO_WRITES.stream().mapToInt(dynamoRequests::count).sum();
    }

    /** The managed node id number {@code n}: {@code i-} and 17 digits. */
    public static String nodeId(int n) {
        return String.format("i-%017d", n);
    }

    /**
     * Adds {@code count} online Linux nodes with these tags, numbered after the nodes already in the
     * fleet so that several calls never collide, and returns their ids in order.
     */
    public List<String> addNodes(int count, Map<String, String> tags) {
        return addNodes(count, "Linux", "Online", tags);
    }

    /** Adds {@code count} nodes of this platform and ping status; returns their ids in order. */
    public synchronized List<String> addNodes(int count, String platformType, String pingStatus, Map<String, String> tags) {
        int first = nextNode;
        nextNode += count;
        List<String> ids = IntStream.range(first, first + count).mapToObj(TestServices::nodeId).toList();
        ids.forEach(id -> aws.ssm().addNode(id, platformType, pingStatus, tags));
        return ids;
    }

    /** The {@code execution} part of StartRun's input for an execution named {@code runId}. */
    public ObjectNode execution(String runId) {
        ObjectNode e = Json.object();
        e.put("name", runId)
                .put("arn", "arn:aws:states:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":execution:fleetrun-rolling-run:" + runId)
                .put("startTime", clock.instant().toString());
        return e;
    }

    /** StartRun's input: {@code {"request": request, "execution": execution(runId)}}. */
    public ObjectNode startInput(String runId, JsonNode request) {
        ObjectNode in = Json.object();
        in.set("request", request);
        in.set("execution", execution(runId));
        return in;
    }

    /** The EventBridge event SSM would emit now for one invocation of a command the fake holds. */
    public JsonNode invocationEvent(String commandId, String instanceId) {
        return RepoFiles.parseJson(aws.ssm().invocationEvent(commandId, instanceId));
    }

    /** The EventBridge event SSM would emit now for a command as a whole. */
    public JsonNode commandEvent(String commandId) {
        return RepoFiles.parseJson(aws.ssm().commandEvent(commandId));
    }

    /** Closes the clients, then the fake (which rethrows any failure it had while serving). */
    @Override
    public void close() {
        synchronized (dynamoClients) {
            dynamoClients.forEach(DynamoDbClient::close);
        }
        clients.close();
        aws.close();
    }
}
