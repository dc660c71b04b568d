package dev.fleetrun.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP server on 127.0.0.1 (a free port) that speaks the AWS wire protocols of the services
 * fleetrun's Lambda handlers call, so that real AWS SDK clients pointed at {@link #endpoint()} work
 * against it unchanged. Component tests use it until the embedded runtime exists.
 *
 * <ul>
 *   <li>{@link #ssm()}: Run Command and the fleet (AWS JSON 1.1)</li>
 *   <li>{@link #sfn()}: task token callbacks (AWS JSON 1.0)</li>
 *   <li>{@link #events()}: PutEvents (AWS JSON 1.1)</li>
 *   <li>{@link #sns()}: Publish (AWS Query)</li>
 *   <li>{@link #cloudWatch()}: DescribeAlarms (Smithy RPC v2 CBOR)</li>
 * </ul>
 *
 * Requests are routed by {@code X-Amz-Target} prefix, by the {@code /service/<shape>/operation/<op>}
 * path of RPC v2, or by the {@code Action} form field of Query. Every request is recorded
 * ({@link #requests()}) with its answer. An operation the fake does not implement is answered with
 * HTTP 400 {@code UnknownOperationException} naming it. Signatures are not checked.
 *
 * <pre>{@code
 * try (FakeAws fake = FakeAws.start(); FakeAwsClients aws = fake.clients()) {
 *     fake.ssm().addNode("i-0123456789abcdef0", "Linux", "Online", Map.of("Role", "web"));
 *     fake.ssm().onSend(cmd -> cmd.completeAll(InvocationOutcome.success("ok")));
 *     // give aws.ssm(), aws.sfn() ... to the handler's test constructor, run it, then assert on
 *     // fake.requests("SendCommand"), fake.sfn().successes(), fake.events().entries() ...
 * }
 * }</pre>
 *
 * Thread-safe: requests are served on virtual threads, each service handles one call at a time.
 * A bug inside the fake or in a test's {@code onSend} policy is answered with HTTP 500 and
 * rethrown by {@link #close()}, so it cannot pass unnoticed.
 */
public final class FakeAws implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    private static final Pattern RPC_V2_PATH = Pattern.compile("^/service/([^/]+)/operation/([^/]+)$");
    private static final WireProtocol FALLBACK_PROTOCOL = new AwsJsonProtocol("1.1");

    private final FakeSsm ssm;
    private final FakeStepFunctions sfn;
    private final FakeEventBridge events;
    private final FakeSns sns;
    private final FakeCloudWatch cloudWatch;
    private final Map<String, FakeService> byTargetPrefix;
    private final Map<String, FakeService> byRpcV2Service;
    private final Map<String, FakeService> byQueryAction = new HashMap<>();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> internalErrors = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    private FakeAws(Clock clock) throws IOException {
        ssm = new FakeSsm(clock);
        sfn = new FakeStepFunctions(clock);
        events = new FakeEventBridge(clock);
        sns = new FakeSns(clock);
        cloudWatch = new FakeCloudWatch(clock);
        byTargetPrefix = Map.of("AmazonSSM", ssm, "AWSStepFunctions", sfn, "AWSEvents", events);
        byRpcV2Service = Map.of(FakeCloudWatch.SERVICE_SHAPE, cloudWatch);
        sns.operations().forEach(action -> byQueryAction.put(action, sns));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a fake on a free loopback port, with the system clock. */
    public static FakeAws start() {
        return start(Clock.systemUTC());
    }

    /** Starts a fake whose timestamps come from {@code clock} (see {@link MutableClock}). */
    public static FakeAws start(Clock clock) {
        try {
            return new FakeAws(clock);
        } catch (IOException e) {
            throw new UncheckedIOException("FakeAws could not listen on 127.0.0.1", e);
        }
    }

    /** The URL to give SDK clients as endpointOverride, or to set as AWS_ENDPOINT_URL. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public FakeSsm ssm() {
        return ssm;
    }

    public FakeStepFunctions sfn() {
        return sfn;
    }

    public FakeEventBridge events() {
        return events;
    }

    public FakeSns sns() {
        return sns;
    }

    public FakeCloudWatch cloudWatch() {
        return cloudWatch;
    }

    /** SDK clients for every service, pointed at this fake, with the SDK's default retries (as in Lambda). */
    public FakeAwsClients clients() {
        return FakeAwsClients.create(endpoint(), 0);
    }

    /** SDK clients that make at most {@code maxAttempts} attempts per call (1: every error surfaces). */
    public FakeAwsClients clients(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        return FakeAwsClients.create(endpoint(), maxAttempts);
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The requests for one operation (e.g. "SendCommand"), in arrival order, failed attempts included. */
    public List<RecordedRequest> requests(String operation) {
        return requests().stream().filter(request -> request.operation().equals(operation)).toList();
    }

    /** Stops the server; throws if the fake itself (or an onSend policy) failed while serving. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        synchronized (internalErrors) {
            if (!internalErrors.isEmpty()) {
                var failure = new IllegalStateException("FakeAws failed while serving " + internalErrors.size()
                        + " request(s); the first cause is attached", internalErrors.get(0));
                internalErrors.stream().skip(1).forEach(failure::addSuppressed);
                throw failure;
            }
        }
    }

    private record Route(String service, FakeService target, WireProtocol protocol, String operation) {
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String requestId = UUID.randomUUID().toString();
            Route route = route(exchange, body);
            JsonNode input = null;
            WireResponse response;
            String errorCode = null;
            try {
                input = route.protocol().decode(body);
                if (route.target() == null) {
                    throw AwsError.of("UnknownOperationException", "FakeAws has no service for " + route.service()
                            + " (operation '" + route.operation() + "'); it serves X-Amz-Target AmazonSSM,"
                            + " AWSStepFunctions, AWSEvents; Query Action " + byQueryAction.keySet()
                            + "; RPC v2 service " + byRpcV2Service.keySet());
                }
                JsonNode output = route.target().invoke(route.operation(), input);
                response = route.protocol().encode(route.operation(), output, requestId);
            } catch (AwsError error) {
                errorCode = error.code();
                response = route.protocol().encodeError(error, requestId);
            } catch (RuntimeException | Error bug) {
                internalErrors.add(bug);
                AwsError error = new AwsError("InternalFailure", "FakeAws failed: " + bug, 500, null);
                errorCode = error.code();
                response = route.protocol().encodeError(error, requestId);
            }
            requests.add(new RecordedRequest(route.service(), route.operation(), input,
                    Map.copyOf(exchange.getRequestHeaders()), response.status(), errorCode));
            send(exchange, response);
        }
    }

    private Route route(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            String prefix = dot < 0 ? target : target.substring(0, dot);
            String operation = dot < 0 ? "" : target.substring(dot + 1);
            FakeService service = byTargetPrefix.get(prefix);
            return service == null
                    ? new Route("X-Amz-Target prefix '" + prefix + "'", null, FALLBACK_PROTOCOL, operation)
                    : new Route(service.name(), service, service.protocol(), operation);
        }
        Matcher rpcV2 = RPC_V2_PATH.matcher(exchange.getRequestURI().getPath());
        if (rpcV2.matches()) {
            FakeService service = byRpcV2Service.get(rpcV2.group(1));
            WireProtocol protocol = service == null ? new RpcV2CborProtocol() : service.protocol();
            String name = service == null ? "RPC v2 service '" + rpcV2.group(1) + "'" : service.name();
            return new Route(name, service, protocol, rpcV2.group(2));
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            String action = AwsQueryProtocol.form(body).path("Action").asText("");
            FakeService service = byQueryAction.get(action);
            return service == null
                    ? new Route("Query Action '" + action + "'", null, sns.protocol(), action)
                    : new Route(service.name(), service, service.protocol(), action);
        }
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        return new Route("a request without X-Amz-Target, RPC v2 path or Query form (" + request + ")", null,
                FALLBACK_PROTOCOL, "");
    }

    private static void send(HttpExchange exchange, WireResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public String toString() {
        return "FakeAws[" + endpoint() + ", " + requests.size() + " requests]";
    }
}
