package dev.fleetrun.testing;

import dev.fleetrun.local.dynamodb.EmbeddedDynamoDb;
import dev.fleetrun.records.FleetrunTable;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local for component tests: one in-memory server per test JVM, started on first use,
 * listening on 127.0.0.1 only, on a port the system picks. Tests talk to it through a real AWS SDK
 * v2 {@link DynamoDbClient} (url-connection HTTP client, us-east-1, dummy static credentials).
 *
 * <pre>{@code
 * DynamoDbClient dynamo = DynamoDbLocal.client();
 * String table = DynamoDbLocal.newTable();          // a fresh fleetrun table, unique name
 * RunStore store = new DynamoRunStore(dynamo, table, clock, Duration.ofDays(90));
 * // code that builds its own client: point it at DynamoDbLocal.endpoint()
 * }</pre>
 *
 * <p>The server is the embedded runtime's {@link EmbeddedDynamoDb} (loopback only, shared across
 * credentials and regions); this helper keeps one per test JVM and stops it when the JVM exits.
 */
public final class DynamoDbLocal {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private static EmbeddedDynamoDb server;
    private static DynamoDbClient client;

    private DynamoDbLocal() {
    }

    /** The server's address, {@code http://127.0.0.1:<port>}; starts the server if needed. */
    public static synchronized URI endpoint() {
        if (server == null) {
            server = EmbeddedDynamoDb.inMemory();
            Runtime.getRuntime().addShutdownHook(new Thread(DynamoDbLocal::stop, "dynamodb-local-stop"));
        }
        return server.endpoint();
    }

    /** A client for the server, shared by the tests of this JVM (do not close it). */
    public static synchronized DynamoDbClient client() {
        if (client == null) {
            client = newClient();
        }
        return client;
    }

    /**
     * A new client for the server, configured like {@link #client()}, with these interceptors (for
     * example a {@link RequestCounter}); the caller closes it.
     */
    public static DynamoDbClient newClient(ExecutionInterceptor... interceptors) {
        return EmbeddedDynamoDb.newClient(endpoint(), interceptors);
    }

    /** Creates a fleetrun table with a name no other test uses, and returns the name. */
    public static String newTable() {
        String name = "fleetrun-test-" + TABLES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        createTable(name);
        return name;
    }

    /** Creates a table with fleetrun's definition ({@link FleetrunTable#createTableRequest}) and TTL. */
    public static void createTable(String name) {
        DynamoDbClient dynamo = client();
        dynamo.createTable(FleetrunTable.createTableRequest(name));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
        dynamo.updateTimeToLive(FleetrunTable.timeToLiveRequest(name));
    }

    private static synchronized void stop() {
        try {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        } catch (Exception e) {
            // The JVM is exiting; nothing is left to clean up that outlives it.
        }
    }
}
