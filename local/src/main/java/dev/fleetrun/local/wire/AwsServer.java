package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * fails.
 *
 * <p>Bad bytes cost a bounded amount and run nothing ({@link WireLimits}): header fields over the limit, a body
 * declared too long or of another protocol's content type are refused from the headers alone; a body is read up to
 * its limit and no further, and one cut short or badly chunked is refused; a body that is not the protocol's
 * (not UTF-8, not one JSON object or CBOR map, nested too deep, a malformed form) is refused with the protocol's
 * {@code SerializationException} or {@code InvalidQueryParameter}; every refusal is a 4xx in the protocol's error
 * shape ({@link HttpErrors}). At most so many requests are read and answered at once; one more waits its turn, and
 * is answered 503 when it waits too long. Only what the HTTP layer itself cannot parse (a request line, a
 * Content-Length that is not a number, conflicting lengths) is answered by the JDK's server, with a bare 400.
 *
 * <p>A failure inside a service is answered with HTTP 500 {@code InternalFailure} and kept: {@link #close()}
 * rethrows it, so it cannot pass unnoticed.
 */
public final class AwsServer implements AutoCloseable {
    private static final Pattern RPC_V2_PATH = Pattern.compile("^/service/([^/]+)/operation/([^/]+)$");
    private static final WireProtocol FALLBACK_PROTOCOL = new AwsJsonProtocol("1.1");
    /** The answers to a Query request before its Action is read: in SNS's namespace, the one Query service. */
    private static final WireProtocol QUERY = new AwsQueryProtocol("http://sns.amazonaws.com/doc/2010-03-31/");

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
    private final WireLimits limits;
    private final Semaphore turns;

    static {
        WireLimits.configureJdkServer();
    }

    private AwsServer(int port, Callers callers, WireLimits limits) throws IOException {
        this.callers = callers;
        this.limits = limits;
        this.turns = new Semaphore(limits.maxConcurrentRequests(), true);
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
        return start(port, callers, WireLimits.DEFAULT);
    }

    /** As {@link #start(int, Callers)}, refusing what goes beyond {@code limits}. */
    public static AwsServer start(int port, Callers callers, WireLimits limits) {
        try {
            return new AwsServer(port, callers, limits);
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
        return forward(serviceName, targetPrefix, upstream, jsonVersion, ForwardedService.RequestCheck.NONE);
    }

    /**
     * As {@link #forward(String, String, URI, String)}, each request first passing {@code check}: the checks of the
     * service's own front end that the server behind it does not make (see {@code DynamoDbRequests}).
     */
    public AwsServer forward(String serviceName, String targetPrefix, URI upstream, String jsonVersion,
                             ForwardedService.RequestCheck check) {
        return forward(serviceName, targetPrefix, upstream, jsonVersion, check, Map.of());
    }

    /**
     * As {@link #forward(String, String, URI, String, ForwardedService.RequestCheck)}, each relayed request carrying
     * {@code addedHeaders} too: the secret by which an upstream server that checks no signature of its own knows the
     * requests this server has checked ({@code EmbeddedDynamoDb.relayHeaders()}).
     */
    public AwsServer forward(String serviceName, String targetPrefix, URI upstream, String jsonVersion,
                             ForwardedService.RequestCheck check, Map<String, String> addedHeaders) {
        forwards.put(targetPrefix, new ForwardedService(serviceName, targetPrefix, upstream, jsonVersion, check,
                addedHeaders));
        return this;
    }

    /** The forwarded service recorded under {@code serviceName}, to script its faults. */
    public ForwardedService forwarded(String serviceName) {
        return forwards.values().stream().filter(f -> f.name().equals(serviceName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service named '" + serviceName
                        + "' is forwarded here; forwarded: " + forwards.values().stream().map(ForwardedService::name).toList()));
    }

    /**
     * Calls {@code listener} with every request served and how it was answered, before the caller has that answer: a
     * caller that has its answer finds its request recorded.
     */
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

    /** What it takes from a caller before it refuses. */
    public WireLimits limits() {
        return limits;
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

    /**
     * Where a request goes, as far as its headers tell: a hosted service and its operation, a forwarded one, the REST
     * service (S3), or, for a Query request, the protocol only until the body names its {@code Action}. A REST route's
     * protocol is only for the refusals given before its service is reached.
     */
    private record Route(String service, AwsService target, ForwardedService forward, RestService rest,
                         WireProtocol protocol, String operation, boolean known, boolean awaitsAction) {
        static Route hosted(AwsService service, String operation) {
            return new Route(service.name(), service, null, null, service.protocol(), operation, true, false);
        }

        static Route unknown(String what, WireProtocol protocol, String operation) {
            return new Route(what, null, null, null, protocol, operation, false, false);
        }

        static Route rest(RestService service) {
            return new Route(service.name(), null, null, service, FALLBACK_PROTOCOL, "", false, false);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            long arrived = System.nanoTime();
            String requestId = UUID.randomUUID().toString();
            Route route = routeByHeaders(exchange);
            // Who is calling, first: a caller that cannot sign has nothing read, not even a body within the limits.
            AwsError refused = callers.refusalBeforeBody(port(), exchange.getRequestURI(), exchange.getRequestHeaders(),
                    route.rest() != null ? route.rest().authErrors() : route.protocol().authErrors());
            if (refused == null) {
                refused = beforeBody(exchange, route);
            }
            if (refused != null) {
                answerUnread(exchange, route, refused, requestId, arrived);
                return;
            }
            if (!takeTurn()) {
                answerUnread(exchange, route, route.protocol().httpErrors().unavailable(limits.maxConcurrentRequests(),
                        limits.maxWait()), requestId, arrived);
                return;
            }
            try {
                serveTurn(exchange, route, requestId, arrived);
            } finally {
                turns.release();
            }
        }
    }

    /** Waits up to the limit for one of the turns; false when none came free in time. */
    private boolean takeTurn() {
        try {
            return turns.tryAcquire(limits.maxWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The refusals that need no body: header fields over the limits, a body of the wrong type or declared too long. */
    private AwsError beforeBody(HttpExchange exchange, Route route) {
        HttpErrors errors = route.protocol().httpErrors();
        Headers headers = exchange.getRequestHeaders();
        int fields = 0;
        long bytes = exchange.getRequestMethod().length() + exchange.getRequestURI().toString().length()
                + exchange.getProtocol().length() + 32L;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            for (String value : header.getValue()) {
                fields++;
                bytes += header.getKey().length() + value.length() + 32L;
            }
        }
        if (fields > limits.maxHeaders()) {
            return errors.headersTooLarge(fields + " fields, where this endpoint takes at most " + limits.maxHeaders());
        }
        if (bytes > limits.maxHeaderBytes()) {
            return errors.headersTooLarge("the request line and fields come to " + bytes + " bytes (each field counted"
                    + " as its name, its value and 32 bytes), where this endpoint takes at most " + limits.maxHeaderBytes());
        }
        long declared = declaredLength(headers);
        boolean hasBody = declared != 0;
        String contentType = headers.getFirst("Content-Type");
        if (route.known() && hasBody && !route.protocol().readsMediaType(contentType)) {
            return errors.unsupportedMediaType(contentType == null ? "(none)" : contentType, route.protocol().mediaType());
        }
        int limit = bodyLimit(route);
        if (declared > limit) {
            return errors.bodyTooLarge(declared, limit);
        }
        return null;
    }

    /** The body's Content-Length, -1 when it comes chunked (the JDK's server has refused malformed lengths). */
    private static long declaredLength(Headers headers) {
        if (headers.getFirst("Transfer-Encoding") != null) {
            return -1;
        }
        String length = headers.getFirst("Content-Length");
        return length == null ? 0 : Long.parseLong(length.trim());
    }

    private int bodyLimit(Route route) {
        // S3's objects and DynamoDB's batches are larger than any other service's requests.
        return route.forward() != null || route.rest() != null ? limits.maxRelayedBodyBytes() : limits.maxBodyBytes();
    }

    /** Answers a request refused before its body was read; the connection is closed after the answer. */
    private void answerUnread(HttpExchange exchange, Route route, AwsError refused, String requestId, long arrived) {
        exchange.getResponseHeaders().set("Connection", "close");
        answerRefusal(exchange, route, refused, requestId, arrived);
    }

    private void answerRefusal(HttpExchange exchange, Route route, AwsError refused, String requestId, long arrived) {
        WireResponse response = route.rest() != null
                ? route.rest().encodeError(new RestRequest(exchange.getRequestMethod(), exchange.getRequestURI(),
                        exchange.getRequestHeaders(), new byte[0]), refused, requestId)
                : route.protocol().encodeError(refused, requestId);
        record(new RecordedRequest(route.service(), route.operation(), null, Map.copyOf(exchange.getRequestHeaders()),
                response.status(), refused.code(), Duration.ofNanos(System.nanoTime() - arrived)));
        try {
            send(exchange, response);
        } catch (IOException e) {
            // the caller has gone (or the connection was closed under it): nothing to answer
        }
    }

    private void serveTurn(HttpExchange exchange, Route route, String requestId, long arrived) throws IOException {
        int limit = bodyLimit(route);
        byte[] body;
        try {
            body = readBody(exchange, limit);
        } catch (BodyTooLarge e) {
            answerUnread(exchange, route, route.protocol().httpErrors().bodyTooLarge(-1, limit), requestId, arrived);
            return;
        } catch (IOException | RuntimeException e) {
            // A body cut short or badly chunked (the JDK's chunked reader can also fail with an unchecked exception).
            answerUnread(exchange, route, route.protocol().httpErrors().malformed(bodyProblem(exchange)),
                    requestId, arrived);
            return;
        }
        if (route.rest() != null) {
            serveRest(exchange, route.rest(), body, requestId, arrived);
            return;
        }
        AwsError refused = callers.refusal(port(), exchange.getRequestMethod(), exchange.getRequestURI(),
                exchange.getRequestHeaders(), body, route.protocol().authErrors());
        if (refused == null && "OPTIONS".equalsIgnoreCase(exchange.getRequestMethod())) {
            // A CORS preflight from the endpoint's own origin (or none): no permission is granted to others.
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        if (refused != null) {
            answerRefusal(exchange, route, refused, requestId, arrived);
            return;
        }
        if (route.forward() != null) {
            relay(exchange, route, body, requestId, arrived);
            return;
        }
        JsonNode input = null;
        WireResponse response;
        String errorCode = null;
        Route served = route;
        try {
            input = route.protocol().decode(body);
            if (route.awaitsAction()) {
                served = routeByAction(input);
            }
            if (served.target() == null) {
                throw AwsError.of("UnknownOperationException", "no service here answers " + served.service()
                        + " (operation '" + served.operation() + "'); served: X-Amz-Target " + byTargetPrefix.keySet()
                        + ", Query Action " + byQueryAction.keySet() + ", RPC v2 service " + byRpcV2Service.keySet());
            }
            JsonNode output = served.target().invoke(served.operation(), input);
            response = served.protocol().encode(served.operation(), output, requestId);
        } catch (AwsError error) {
            errorCode = error.code();
            response = served.protocol().encodeError(error, requestId);
        } catch (RuntimeException | Error bug) {
            internalErrors.add(bug);
            AwsError error = new AwsError("InternalFailure", "the service failed: " + bug, 500, null);
            errorCode = error.code();
            response = served.protocol().encodeError(error, requestId);
        }
        JsonNode recorded = served.target() == null || input == null ? input
                : served.target().recordable(served.operation(), input);
        record(new RecordedRequest(served.service(), served.operation(), recorded, Map.copyOf(exchange.getRequestHeaders()),
                response.status(), errorCode, Duration.ofNanos(System.nanoTime() - arrived)));
        send(exchange, response);
    }

    /** Tells the listeners of a request before its caller has the answer, so what a caller sees is recorded already. */
    private void record(RecordedRequest served) {
        listeners.forEach(l -> l.accept(served));
    }

    /** Thrown when a body runs past the limit. */
    private static final class BodyTooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        BodyTooLarge() {
            super(null, null, false, false);
        }
    }

    /** The body, read up to {@code limit} bytes: one byte more is {@link BodyTooLarge}, without reading the rest. */
    private static byte[] readBody(HttpExchange exchange, int limit) throws IOException, BodyTooLarge {
        InputStream in = exchange.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > limit) {
                throw new BodyTooLarge();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String bodyProblem(HttpExchange exchange) {
        long declared = declaredLength(exchange.getRequestHeaders());
        return declared > 0
                ? "the body ended before the " + declared + " bytes its Content-Length announces"
                : "the chunked body is malformed or cut short (each chunk is a hexadecimal size line, the bytes and a"
                + " CRLF; a chunk of size 0 ends it)";
    }

    /**
     * Relays a request to the server of its forwarded service once its body is known to be one JSON object as the
     * protocol has it (a body that is not is refused here, as the service would refuse it, and never reaches it).
     */
    private void relay(HttpExchange exchange, Route route, byte[] body, String requestId, long arrived) throws IOException {
        ForwardedService forward = route.forward();
        JsonNode input = null;
        WireResponse response;
        try {
            input = body.length == 0 ? null : AwsJsonProtocol.read(body);
            forward.check(route.operation(), input == null ? WireTree.object() : input);
            response = forward.relay(exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders(), body, route.operation(), requestId);
        } catch (AwsError refused) {
            response = forward.protocol().encodeError(refused, requestId);
        } catch (IOException | RuntimeException e) {
            internalErrors.add(e);
            AwsError error = new AwsError("InternalFailure", "the " + forward.name() + " server at "
                    + forward.upstream() + " did not answer: " + e, 500, null);
            response = forward.protocol().encodeError(error, requestId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        record(new RecordedRequest(forward.name(), route.operation(), input, Map.copyOf(exchange.getRequestHeaders()),
                response.status(), ForwardedService.errorCodeOf(response), Duration.ofNanos(System.nanoTime() - arrived)));
        send(exchange, response);
    }

    private Route routeByHeaders(HttpExchange exchange) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target != null) {
            int dot = target.lastIndexOf('.');
            String prefix = dot < 0 ? target : target.substring(0, dot);
            String operation = dot < 0 ? "" : target.substring(dot + 1);
            ForwardedService forward = forwards.get(prefix);
            if (forward != null) {
                return new Route(forward.name(), null, forward, null, forward.protocol(), operation, true, false);
            }
            AwsService service = byTargetPrefix.get(prefix);
            return service == null
                    ? Route.unknown("X-Amz-Target prefix '" + prefix + "'", FALLBACK_PROTOCOL, operation)
                    : Route.hosted(service, operation);
        }
        Matcher rpcV2 = RPC_V2_PATH.matcher(exchange.getRequestURI().getPath());
        if (rpcV2.matches()) {
            AwsService service = byRpcV2Service.get(rpcV2.group(1));
            return service == null
                    ? Route.unknown("RPC v2 service '" + rpcV2.group(1) + "'", new RpcV2CborProtocol(), rpcV2.group(2))
                    : Route.hosted(service, rpcV2.group(2));
        }
        Route restJson = restJsonRoute(exchange);
        if (restJson != null) {
            return restJson;
        }
        RestService restService = rest;
        if (restService != null && isForRest(exchange)) {
            return Route.rest(restService);
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && QUERY.readsMediaType(contentType)) {
            return new Route("a Query request (its Action not read)", null, null, null, QUERY, "", true, true);
        }
        if (restService != null) {
            return Route.rest(restService);
        }
        String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
        return Route.unknown("a request without X-Amz-Target, RPC v2 path or Query form (" + request + ")",
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
        java.util.Optional<RestJsonProtocol.Route> modelled = restJson.protocol().route(method, uri.getRawPath());
        RestJsonProtocol.Route operation = modelled
                .orElse(new RestJsonProtocol.Route(method, uri.getRawPath(), method + " " + uri.getRawPath()));
        return new Route(restJson.service().name(), restJson.service(), null, null,
                restJson.protocol().forRequest(uri, operation), operation.operation(), modelled.isPresent(), false);
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
        record(served);
        send(exchange, response);
    }


    /** The service a Query request's {@code Action} names: AWS's MissingAction and InvalidAction otherwise. */
    private Route routeByAction(JsonNode form) {
        JsonNode field = form.get("Action");
        if (field == null || field.asText().isEmpty()) {
            throw AwsError.of("MissingAction", "The request names no Action; this endpoint answers the Query actions "
                    + byQueryAction.keySet() + ".");
        }
        String action = field.asText();
        AwsService service = byQueryAction.get(action);
        if (service == null) {
            throw AwsError.of("InvalidAction", "The action " + (action.length() > 80 ? action.substring(0, 80) + "..." : action)
                    + " is not valid for this endpoint; it answers the Query actions " + byQueryAction.keySet() + ".");
        }
        return Route.hosted(service, action);
    }

    /** Writes the answer and ends it, so the caller has it before any unread rest of its body is drained. */
    private static void send(HttpExchange exchange, WireResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            OutputStream out = exchange.getResponseBody();
            out.write(body);
            try {
                out.close();
            } catch (RuntimeException e) {
                // The JDK's chunked reader failed again while draining a malformed body: the answer is out, and the
                // server closes the connection when its request time is up.
            }
        }
    }

    @Override
    public String toString() {
        return "AwsServer[" + endpoint() + "]";
    }
}
