package dev.fleetrun.testing;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import dev.fleetrun.records.FleetrunTable;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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
 * <p>Why not {@code ServerRunner}: it binds all interfaces and has no host option. This helper
 * builds the same server (DynamoDB Local's own request handler behind Jetty) with a loopback-only
 * connector. The database is shared across credentials and regions ({@code sharedDb}), so any
 * client configuration sees the same tables. The server stops when the JVM exits.
 */
public final class DynamoDbLocal {

    private static final String HOST = "127.0.0.1";
    /** DynamoDB Local 2.x rejects access keys with anything but letters and digits ("fleetrun-test" fails). */
    public static final String ACCESS_KEY = "fleetruntest";
    private static final AtomicInteger TABLES = new AtomicInteger();

    private static Server server;
    private static URI endpoint;
    private static DynamoDbClient client;

    private DynamoDbLocal() {
    }

    /** The server's address, {@code http://127.0.0.1:<port>}; starts the server if needed. */
    public static synchronized URI endpoint() {
        if (endpoint == null) {
            start();
        }
        return endpoint;
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
        return DynamoDbClient.builder()
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "fleetruntest")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
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

    private static void start() {
        try {
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost(HOST);
            connector.setPort(0);
            jetty.addConnector(connector);
            // As ServerRunner builds it for "-inMemory -sharedDb", minus telemetry and the all-interfaces bind.
            var requests = new LocalDynamoDBRequestHandler(0, true, null, true, false);
            var context = new ContextHandler();
            context.setHandler(new LocalDynamoDBServerHandler(requests, null));
            jetty.setHandler(new ContextHandlerCollection(context));
            jetty.start();
            server = jetty;
            endpoint = URI.create("http://" + HOST + ":" + connector.getLocalPort());
            Runtime.getRuntime().addShutdownHook(new Thread(DynamoDbLocal::stop, "dynamodb-local-stop"));
        } catch (Exception e) {
            throw new IllegalStateException("could not start DynamoDB Local on " + HOST + " (is the DynamoDBLocal"
                    + " test dependency on the classpath, and are tests run with --enable-native-access=ALL-UNNAMED?)", e);
        }
    }

    private static synchronized void stop() {
        try {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            // The JVM is exiting; nothing is left to clean up that outlives it.
        }
    }
}
