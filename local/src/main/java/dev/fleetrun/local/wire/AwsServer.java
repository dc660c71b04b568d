package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP server on the loopback interface that speaks the AWS wire protocols, so that real AWS SDK
 * clients and the AWS CLI pointed at {@link #endpoint()} (for example through {@code AWS_ENDPOINT_URL})
 * work against the {@link AwsService}s it hosts unchanged. A request is routed:
 * <ul>
 *   <li>by {@code X-Amz-Target: <prefix>.<Operation>} (AWS JSON 1.0 and 1.1: SSM, Step Functions,
 *       EventBridge, DynamoDB, SQS, and CloudWatch for the AWS CLI);</li>
 *   <li>by the path {@code /service/<shape>/operation/<Operation>} (Smithy RPC v2 CBOR: CloudWatch for SDK v2);</li>
 *   <li>by the form field {@code Action} (AWS Query: SNS);</li>
 *   <li>by the service of its signature's credential scope, then its method and path (REST-JSON: Resource Groups,
 *       {@link #restJsonService});</li>
 *   <li>by method and path (REST: S3), for every request that names none of the above, or whose signature is
 *       scoped to service {@code s3}, or that is addressed to {@code BUCKET.localhost} ({@link #restService}).</li>
 * </ul>
 * A service can be hosted under several of them at once ({@link #jsonService(String, AwsService, AwsJsonProtocol)}).
 * A service another server answers (DynamoDB Local) is relayed there by its {@code X-Amz-Target} prefix
 * ({@link #forward}), so one endpoint serves every service.
 * An operation no service implements is answered with HTTP 400 {@code UnknownOperationException}
 * naming it. Every request, to every service, is first checked by the server's {@link Callers} (its
 * {@code Host}, its {@code Origin}, its signature) and refused with HTTP 403 before anything runs when it
 * fails. A failure inside a service is answered with HTTP 500
 * {@code InternalFailure} and kept: {@link #close()} rethrows it, so it cannot pass unnoticed.
 */
public final class AwsServer implements AutoCloseable {
    private static final Pattern RPC_V2_PATH = Pattern.compile("^/service/([^/]+)/operation/([^/]+)$");
    private static final WireProtocol FALLBACK_PROTOCOL = new AwsJsonProtocol("1.1");
    private static final WireProtocol QUERY = new AwsQueryProtocol("https://sns.amazonaws.com/doc/2010-03-31/");

    private final Map<String, AwsService> byTargetPrefix = new ConcurrentHashMap<>();
    private final Map<String, AwsService> byRpcV2Service = new ConcurrentHashMap<>();
    private final Map<String, AwsService> byQueryAction = new ConcurrentHashMap<>();
    private final Map<String, RestJson> byScopeService = new ConcurrentHashMap<>();
    private final Map<String, ForwardedService> forwards = new ConcurrentHashMap<>();
    private volatile RestService rest;
    private final List<Consumer<RecordedRequest>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Throwable> internalErrors = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private final Callers callers;

    private AwsServer(int port, Callers callers) throws IOException {
        this.callers = callers;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Listens on 127.0.0.1:{@code port}, or on a free port when {@code port} is 0, and answers only requests
     * signed with new random credentials ({@link #credentials()}).
     */
    public static AwsServer start(int port) {
        return start(port, Callers.signedWith(LocalCredentials.generate()));
    }

    /** Listens on 127.0.0.1:{@code port} (0: a free port) and answers the {@code callers} only. */
    public static AwsServer start(int port, Callers callers) {
        try {
            return new AwsServer(port, callers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port
                    + (port == 0 ? "" : " (is another process using it? choose another with --port)"), e);
        }
    }

    /** Hosts an AWS JSON service under its {@code X-Amz-Target} prefix, e.g. {@code AmazonSSM}. */
    public AwsServer jsonService(String targetPrefix, AwsService service) {
        byTargetPrefix.put(targetPrefix, service);
        return this;
    }

    /**
     * Hosts a service under AWS JSON as well as the protocol it was made with: one service, its state and its faults,
     * answering several protocols (CloudWatch: RPC v2 CBOR for SDK v2 and AWS JSON 1.0 for the AWS CLI v1, which
     * picks the first protocol of the model's {@code protocols} list that it supports).
     */
    public AwsServer jsonService(String targetPrefix, AwsService service, AwsJsonProtocol protocol) {
        return jsonService(targetPrefix, service.speaking(protocol));
    }

    /** Hosts a Smithy RPC v2 service under its shape name, e.g. {@code GraniteServiceVersion20100801}. */
    public AwsServer rpcV2Service(String serviceShape, AwsService service) {
        byRpcV2Service.put(serviceShape, service);
        return this;
    }

    /** Hosts an AWS Query service: each of its operations is routed by {@code Action}. */
    public AwsServer queryService(AwsService service) {
        service.operations().forEach(action -> byQueryAction.put(action, service));
        return this;
    }

    /**
     * Hosts a REST-JSON service (Resource Groups): the requests signed for {@code protocol.signingName()} go to it,
     * each to the operation its method and path name. Only the signature tells these requests from S3's (a
     * {@code POST /groups} could be an S3 bucket's), so an unsigned one stays S3's, and is refused as S3 refuses it.
     */
    public AwsServer restJsonService(RestJsonProtocol protocol, AwsService service) {
        byScopeService.put(protocol.signingName(), new RestJson(protocol, service));
        return this;
    }

    private record RestJson(RestJsonProtocol protocol, AwsService service) {
    }

    /**
     * Hosts the one REST service (S3): it answers the requests that carry no {@code X-Amz-Target}, RPC v2 path or
     * Query form, and those signed for service {@code s3} or sent to {@code BUCKET.localhost:PORT}.
     */
    public AwsServer restService(RestService service) {
        this.rest = service;
        return this;
    }

    /**
     * Relays every request whose {@code X-Amz-Target} prefix is {@code targetPrefix} to another server on this
     * machine, unchanged, and its answer back unchanged: DynamoDB Local behind the same endpoint as the rest.
     *
     * @param serviceName  the name the requests are recorded under ("dynamodb")
     * @param targetPrefix e.g. {@code DynamoDB_20120810}
     * @param upstream     where that server listens, e.g. {@code http://127.0.0.1:8000}
     * @param jsonVersion  the service's AWS JSON version ("1.0" for DynamoDB), for the faults answered here
     */
    public AwsServer forward(String serviceName, String targetPrefix, URI upstream, String jsonVersion) {
        forwards.put(targetPrefix, new ForwardedService(serviceName, targetPrefix, upstream, jsonVersion));
        return this;
    }

    /** The forwarded service recorded under {@code serviceName}, to script its faults. */
    public ForwardedService forwarded(String serviceName) {
        return forwards.values().stream().filter(f -> f.name().equals(serviceName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service named '" + serviceName
                        + "' is forwarded here; forwarded: " + forwards.values().stream().map(ForwardedService::name).toList()));
    }

    /** Calls {@code listener} with every request served, after it was answered. */
    public AwsServer onRequest(Consumer<RecordedRequest> listener) {
        listeners.add(listener);
        return this;
    }

    /** The URL to give SDK clients as endpointOverride, or to set as AWS_ENDPOINT_URL. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The credentials a caller signs its requests with. */
    public LocalCredentials credentials() {
        return callers.credentials();
    }

    /** Who this server answers. */
    public Callers callers() {
        return callers;
    }

    /** Stops the server; throws if a service failed while serving. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        synchronized (internalErrors) {
            if (!internalErrors.isEmpty()) {
                var failure = new IllegalStateException("the AWS endpoint failed while serving " + internalErrors.size()
                        + " request(s); the first cause is attached", internalErrors.get(0));
                internalErrors.stream().skip(1).forEach(failure::addSuppressed);
                throw failure;
            }
        }
    }

    private record Route(String service, AwsService target, WireProtocol protocol, String operation, RestService rest) {
        Route(String service, AwsService target, WireProtocol protocol, String operation) {
            this(service, target, protocol, operation, null);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            long arrived = System.nanoTime();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String requestId = UUID.randomUUID().toString();
            ForwardedService forward = forwardFor(exchange);
            Route route = forward != null ? null : route(exchange, body);
            if (route != null && route.rest() != null) {
                serveRest(exchange, route.rest(), body, requestId, arrived);
                return;
            }
            WireProtocol protocol = forward != null ? forward.protocol() : route.protocol();
            AwsError refused = callers.refusal(port(), exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders(), body, protocol.authErrors());
            if (refused == null && "OPTIONS".equalsIgnoreCase(exchange.getRequestMethod())) {
                // A CORS preflight from the endpoint's own origin (or none): no permission is granted to others.
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            if (refused != null) {
                WireResponse response = protocol.encodeError(refused, requestId);
                send(exchange, response);
                RecordedRequest served = new RecordedRequest(forward != null ? forward.name() : route.service(),
                        forward != null ? "" : route.operation(), null, Map.copyOf(exchange.getRequestHeaders()),
                        response.status(), refused.code(), Duration.ofNanos(System.nanoTime() - arrived));
                listeners.forEach(l -> l.accept(served));
                return;
            }
            if (forward != null) {
                relay(exchange, forward, body, requestId, arrived);
                return;
            }
            JsonNode input = null;
            WireResponse response;
            String errorCode = null;
            try {
                input = route.protocol().decode(body);
                if (route.target() == null) {
                    throw AwsError.of("UnknownOperationException", "no service here answers " + route.service()
                            + " (operation '" + route.operation() + "'); served: X-Amz-Target " + byTargetPrefix.keySet()
                            + ", Query Action " + byQueryAction.keySet() + ", RPC v2 service " + byRpcV2Service.keySet());
                }
                JsonNode output = route.target().invoke(route.operation(), input);
                response = route.protocol().encode(route.operation(), output, requestId);
            } catch (AwsError error) {
                errorCode = error.code();
                response = route.protocol().encodeError(error, requestId);
            } catch (RuntimeException | Error bug) {
                internalErrors.add(bug);
                AwsError error = new AwsError("InternalFailure", "the service failed: " + bug, 500, null);
                errorCode = error.code();
                response = route.protocol().encodeError(error, requestId);
            }
            RecordedRequest served = new RecordedRequest(route.service(), route.operation(), input,
                    Map.copyOf(exchange.getRequestHeaders()), response.status(), errorCode,
                    Duration.ofNanos(System.nanoTime() - arrived));
            send(exchange, response);
            listeners.forEach(l -> l.accept(served));
        }
    }

    private ForwardedService forwardFor(HttpExchange exchange) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || forwards.isEmpty()) {
            return null;
        }
        int dot = target.lastIndexOf('.');
        return forwards.get(dot < 0 ? target : target.substring(0, dot));
    }

    private void relay(HttpExchange exchange, ForwardedService forward, byte[] body, String requestId, long arrived)
            throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = target.substring(target.lastIndexOf('.') + 1);
        WireResponse response;
        try {
            response = forward.relay(exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders(), body, operation, requestId);
        } catch (IOException | RuntimeException e) {
            internalErrors.add(e);
            AwsError error = new AwsError("InternalFailure", "the " + forward.name() + " server at "
                    + forward.upstream() + " did not answer: " + e, 500, null);
            response = new AwsJsonProtocol("1.0").encodeError(error, requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        RecordedRequest served = new RecordedRequest(forward.name(), operation, ForwardedService.decodeForRecord(body),
                Map.copyOf(exchange.getRequestHeaders()), response.status(), ForwardedService.errorCodeOf(response),
                Duration.ofNanos(System.nanoTime() - arrived));
        send(exchange, response);
        listeners.forEach(l -> l.accept(served));
    }

    private Route route(HttpExchange exchange, byte[] body) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            String prefix = dot < 0 ? target : target.substring(0, dot);
            String operation = dot < 0 ? "" : target.substring(dot + 1);
            AwsService service = byTargetPrefix.get(prefix);
            return service == null
                    ? new Route("X-Amz-Target prefix '" + prefix + "'", null, FALLBACK_PROTOCOL, operation)
                    : new Route(service.name(), service, service.protocol(), operation);
        }
        Matcher rpcV2 = RPC_V2_PATH.matcher(exchange.getRequestURI().getPath());
        if (rpcV2.matches()) {
            AwsService service = byRpcV2Service.get(rpcV2.group(1));
            WireProtocol protocol = service == null ? new RpcV2CborProtocol() : service.protocol();
            String name = service == null ? "RPC v2 service '" + rpcV2.group(1) + "'" : service.name();
            return new Route(name, service, protocol, rpcV2.group(2));
        }
        Route restJson = restJsonRoute(exchange);
        if (restJson != null) {
            return restJson;
        }
        RestService restService = rest;
        if (restService != null && isForRest(exchange)) {
            return new Route(restService.name(), null, null, "", restService);
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            String action = AwsQueryProtocol.form(body).path("Action").asText("");
            AwsService service = byQueryAction.get(action);
            return service == null
                    ? new Route("Query Action '" + action + "'", null, QUERY, action)
                    : new Route(service.name(), service, service.protocol(), action);
        }
        if (restService != null) {
            return new Route(restService.name(), null, null, "", restService);
        }
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        return new Route("a request without X-Amz-Target, RPC v2 path or Query form (" + request + ")", null,
                FALLBACK_PROTOCOL, "");
    }

    /** A request signed for a REST-JSON service hosted here: that service, and the operation of its method and path. */
    private Route restJsonRoute(HttpExchange exchange) {
        if (byScopeService.isEmpty()) {
            return null;
        }
        RestJson restJson = RestJsonProtocol.scopeService(exchange.getRequestHeaders().getFirst("Authorization"))
                .map(byScopeService::get).orElse(null);
        if (restJson == null) {
            return null;
        }
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod();
        RestJsonProtocol.Route operation = restJson.protocol().route(method, uri.getRawPath())
                .orElse(new RestJsonProtocol.Route(method, uri.getRawPath(), method + " " + uri.getRawPath()));
        return new Route(restJson.service().name(), restJson.service(), restJson.protocol().forRequest(uri, operation),
                operation.operation());
    }

    /** Signed for s3, or addressed to BUCKET.localhost: S3's even when its body is a form (a PutObject of one). */
    private static boolean isForRest(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.contains("/s3/aws4_request")) {
            return true;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host != null && host.toLowerCase(java.util.Locale.ROOT).matches("[^:]+\\.localhost(:\\d+)?");
    }

    /** A REST request: the same callers' checks, then the service answers in its own shapes, errors included. */
    private void serveRest(HttpExchange exchange, RestService service, byte[] body, String requestId, long arrived)
            throws IOException {
        RestRequest raw = new RestRequest(exchange.getRequestMethod(), exchange.getRequestURI(),
                exchange.getRequestHeaders(), body);
        AwsError refused = callers.refusal(port(), exchange.getRequestMethod(), exchange.getRequestURI(),
                exchange.getRequestHeaders(), body, service.authErrors());
        String operation = service.operation(raw);
        WireResponse response;
        String errorCode = null;
        if (refused != null) {
            errorCode = refused.code();
            response = service.encodeError(raw, refused, requestId);
        } else {
            try {
                RestService.Answer answer = service.answer(raw, requestId);
                response = answer.response();
                errorCode = answer.errorCode();
            } catch (RuntimeException | Error bug) {
                internalErrors.add(bug);
                AwsError failure = new AwsError("InternalError", "the service failed: " + bug, 500, null);
                errorCode = failure.code();
                response = service.encodeError(raw, failure, requestId);
            }
        }
        RecordedRequest served = new RecordedRequest(service.name(), operation, null,
                Map.copyOf(exchange.getRequestHeaders()), response.status(), errorCode,
                Duration.ofNanos(System.nanoTime() - arrived));
        send(exchange, response);
        listeners.forEach(l -> l.accept(served));
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
        return "AwsServer[" + endpoint() + "]";
    }
}
