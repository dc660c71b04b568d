package dev.fleetrun.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;
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
 * DynamoDB Local checks no signature: any process on this machine that finds its port may read and write every
 * table. A runtime whose endpoint checks its callers therefore starts it {@link #inMemoryRelayedOnly() relayed
 * only}: it answers only the requests that carry {@link #relayHeaders()}, a secret of this process, which the
 * endpoint adds to the requests it relays once it has checked them; any other is refused with HTTP 403.
 *
 * <p>The JVM needs {@code --enable-native-access=ALL-UNNAMED} (DynamoDB Local loads SQLite natively), and
 * {@code DDB_LOCAL_TELEMETRY=0} in its environment saves a second at start.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    /** DynamoDB Local 2.x accepts access keys made of letters and digits only ("fleetrun-local" fails). */
    public static final String ACCESS_KEY = "fleetrunlocal";
    private static final String SECRET_KEY = "fleetrunlocal";
    /** The header that a {@link #inMemoryRelayedOnly() relayed-only} database requires, with its {@link #relayHeaders() value}. */
    public static final String RELAY_HEADER = "X-Fleetrun-Relay";
    private static final byte[] NOT_RELAYED = ("{\"__type\":\"com.amazon.coral.service#AccessDeniedException\","
            + "\"message\":\"This DynamoDB Local answers only the requests its fleetrun endpoint relays; send them"
            + " there, signed.\"}").getBytes(StandardCharsets.UTF_8);

    private final Server server;
    private final LocalDynamoDBRequestHandler requests;
    private final URI endpoint;
    private final Path dataDirectory;
    private final String relayToken;

    private EmbeddedDynamoDb(Server server, LocalDynamoDBRequestHandler requests, URI endpoint, Path dataDirectory,
                             String relayToken) {
        this.server = server;
        this.requests = requests;
        this.endpoint = endpoint;
        this.dataDirectory = dataDirectory;
        this.relayToken = relayToken;
    }

    /** A database that lives in memory and is gone when it is closed, answering any caller (the tests'). */
    public static EmbeddedDynamoDb inMemory() {
        return start(null, false);
    }

    /**
     * A database in memory that answers only the requests carrying {@link #relayHeaders()} (the embedded runtime's,
     * behind its endpoint's signature check): other processes of this machine, and web pages that find its port,
     * are refused with HTTP 403.
     */
    public static EmbeddedDynamoDb inMemoryRelayedOnly() {
        return start(null, true);
    }

    /** The header fields a request must carry to be answered: none, unless the database is relayed only. */
    public Map<String, String> relayHeaders() {
        return relayToken == null ? Map.of() : Map.of(RELAY_HEADER, relayToken);
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
        return start(directory.toAbsolutePath(), false);
    }

    private static EmbeddedDynamoDb start(Path directory, boolean relayedOnly) {
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
            Handler dynamo = new LocalDynamoDBServerHandler(requests, null);
            String token = relayedOnly ? newToken() : null;
            context.setHandler(token == null ? dynamo : new RelayedOnly(dynamo, token));
            jetty.setHandler(new ContextHandlerCollection(context));
            jetty.start();
            URI endpoint = URI.create("http://" + HOST + ":" + connector.getLocalPort());
            return new EmbeddedDynamoDb(jetty, requests, endpoint, directory, token);
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

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Hands on only the requests that carry the relay token; answers the others 403 in DynamoDB's JSON. */
    private static final class RelayedOnly extends Handler.Wrapper {
        private final byte[] token;

        RelayedOnly(Handler handler, String token) {
            super(handler);
            this.token = token.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String given = request.getHeaders().get(RELAY_HEADER);
            if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.US_ASCII), token)) {
                return super.handle(request, response, callback);
            }
            response.setStatus(403);
            response.getHeaders().put("Content-Type", "application/x-amz-json-1.0");
            response.write(true, ByteBuffer.wrap(NOT_RELAYED), callback);
            return true;
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
