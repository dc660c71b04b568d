package dev.fleetrun.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local (2.x) hosted in this process, listening on 127.0.0.1 only, on a port the system picks.
 * The embedded runtime reaches it through its single AWS endpoint ({@code AwsServer.forward}); tests may
 * also talk to {@link #endpoint()} directly.
 *
 * <p>Why not DynamoDB Local's {@code ServerRunner}: it binds every interface and has no host option. This
 * class builds the same server (DynamoDB Local's own request handler behind Jetty) with a loopback-only
 * connector, and without telemetry. The database is shared across credentials and regions
 * ({@code -sharedDb}), so any client configuration sees the same tables.
 *
 * <pre>{@code
 * try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.inMemory()) {      // or EmbeddedDynamoDb.inDirectory(dir)
 *     DynamoDbClient client = dynamo.newClient();
 *     ...
 * }
 * }</pre>
 *
 * The JVM needs {@code --enable-native-access=ALL-UNNAMED} (DynamoDB Local loads SQLite natively), and
 * {@code DDB_LOCAL_TELEMETRY=0} in its environment saves a second at start.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    /** DynamoDB Local 2.x accepts access keys made of letters and digits only ("fleetrun-local" fails). */
    public static final String ACCESS_KEY = "fleetrunlocal";
    private static final String SECRET_KEY = "fleetrunlocal";

    private final Server server;
    private final LocalDynamoDBRequestHandler requests;
    private final URI endpoint;
    private final Path dataDirectory;

    private EmbeddedDynamoDb(Server server, LocalDynamoDBRequestHandler requests, URI endpoint, Path dataDirectory) {
        this.server = server;
        this.requests = requests;
        this.endpoint = endpoint;
        this.dataDirectory = dataDirectory;
    }

    /** A database that lives in memory and is gone when it is closed (the default of the runtime and the tests). */
    public static EmbeddedDynamoDb inMemory() {
        return start(null);
    }

    /**
     * A database kept in {@code directory} (created if needed, file {@code shared-local-instance.db}), so that
     * tables and items outlive the process.
     */
    public static EmbeddedDynamoDb inDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the DynamoDB data directory " + directory
                    + ": " + e.getMessage() + "; choose a directory you can write to", e);
        }
        return start(directory.toAbsolutePath());
    }

    private static EmbeddedDynamoDb start(Path directory) {
        Server jetty = new Server();
        try {
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost(HOST);
            connector.setPort(0);
            jetty.addConnector(connector);
            // As ServerRunner builds it for "-inMemory -sharedDb" (or "-dbPath DIR -sharedDb"), minus
            // telemetry and the all-interfaces bind.
            boolean inMemory = directory == null;
            var requests = new LocalDynamoDBRequestHandler(0, inMemory, inMemory ? null : directory.toString(), true,
                    false);
            var context = new ContextHandler();
            context.setHandler(new LocalDynamoDBServerHandler(requests, null));
            jetty.setHandler(new ContextHandlerCollection(context));
            jetty.start();
            URI endpoint = URI.create("http://" + HOST + ":" + connector.getLocalPort());
            return new EmbeddedDynamoDb(jetty, requests, endpoint, directory);
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // nothing was serving yet
            }
            throw new IllegalStateException("could not start DynamoDB Local on " + HOST
                    + (directory == null ? " in memory" : " with data in " + directory)
                    + " (is the JVM run with --enable-native-access=ALL-UNNAMED?): " + e.getMessage(), e);
        }
    }

    /** Where DynamoDB Local listens: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The directory the data is kept in, or null for an in-memory database. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * A new SDK client for {@code endpoint} (url-connection HTTP client, us-east-1, static credentials that
     * DynamoDB Local accepts), with these interceptors; the caller closes it.
     */
    public static DynamoDbClient newClient(URI endpoint, ExecutionInterceptor... interceptors) {
        return newClient(endpoint, StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
                interceptors);
    }

    /** As {@link #newClient(URI, ExecutionInterceptor...)}, signing with {@code credentials} (for an endpoint that checks them). */
    public static DynamoDbClient newClient(URI endpoint, AwsCredentialsProvider credentials, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A new SDK client pointed straight at this database; the caller closes it. */
    public DynamoDbClient newClient(ExecutionInterceptor... interceptors) {
        return newClient(endpoint, interceptors);
    }

    /** Stops the server; an in-memory database is lost. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local at " + endpoint + " did not stop cleanly: " + e.getMessage(), e);
        } finally {
            requests.shutdown();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedDynamoDb[" + endpoint + (dataDirectory == null ? ", in memory" : ", " + dataDirectory) + "]";
    }
}
