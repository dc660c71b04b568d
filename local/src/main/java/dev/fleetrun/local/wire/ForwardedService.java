package dev.fleetrun.local.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.faults.FaultQueue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An AWS JSON service that another server on this machine answers (DynamoDB Local): an {@link AwsServer}
 * relays each of its requests as it came (method, path, headers, body) and the answer as it went, byte for
 * byte, so checksums such as DynamoDB's {@code x-amz-crc32} still hold. Faults on demand
 * ({@link #throttleNext}, {@link #failNext}) are answered here, without reaching the upstream server.
 */
public final class ForwardedService {
    /** Headers the JDK client sets itself (it refuses them), and hop-by-hop headers that must not be relayed. */
    private static final Set<String> NOT_RELAYED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    private final String name;
    private final String targetPrefix;
    private final URI upstream;
    private final WireProtocol errors;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, FaultQueue<AwsError>> faults = new HashMap<>();
    private final RequestCheck check;
    private final Map<String, String> addedHeaders;

    /** What a request must pass before it is relayed: the checks the real service's front end makes. */
    @FunctionalInterface
    public interface RequestCheck {
        /** No check: the upstream server sees every well-formed JSON request. */
        RequestCheck NONE = (operation, input) -> { };

        /** Throws the {@link AwsError} the service answers a request it refuses with. */
        void check(String operation, JsonNode input);
    }

    /**
     * @param name         the short name requests are recorded under ("dynamodb")
     * @param targetPrefix the {@code X-Amz-Target} prefix routed here ({@code DynamoDB_20120810})
     * @param upstream     where the service listens, e.g. {@code http://127.0.0.1:8000}
     * @param jsonVersion  the AWS JSON version of the service ("1.0" for DynamoDB), for the faults' answers
     * @param addedHeaders header fields every relayed request carries besides its own (the upstream's relay secret);
     *                     the caller's fields of those names are not relayed
     */
    ForwardedService(String name, String targetPrefix, URI upstream, String jsonVersion, RequestCheck check,
                     Map<String, String> addedHeaders) {
        this.check = check;
        this.addedHeaders = Map.copyOf(addedHeaders);
        this.name = name;
        this.targetPrefix = targetPrefix;
        this.upstream = upstream;
        this.errors = new AwsJsonProtocol(jsonVersion);
    }

    public String name() {
        return name;
    }

    public String targetPrefix() {
        return targetPrefix;
    }

    public URI upstream() {
        return upstream;
    }

    /** Refuses a request as the service's front end would, before it is relayed. */
    void check(String operation, JsonNode input) {
        check.check(operation, input);
    }

    /** The protocol the service speaks, for the answers given here (faults, refused callers). */
    WireProtocol protocol() {
        return errors;
    }

    /**
     * Makes the next {@code times} calls of {@code operation} (e.g. {@code PutItem}) fail with
     * {@code ThrottlingException}, as AWS does under load; the SDK retries those by itself unless told not to.
     */
    public synchronized void throttleNext(String operation, int times) {
        failNext(operation, times, "ThrottlingException", "Rate of requests exceeds the allowed throughput.");
    }

    /** Makes the next {@code times} calls of {@code operation} fail with this error code (HTTP 400). */
    public synchronized void failNext(String operation, int times, String errorCode, String message) {
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0, was " + times);
        }
        faults.computeIfAbsent(operation, op -> new FaultQueue<>()).add(AwsError.of(errorCode, message), times);
    }

    private synchronized AwsError nextFault(String operation) {
        FaultQueue<AwsError> queue = faults.get(operation);
        return queue == null ? null : queue.poll();
    }

    /** The answer to one request: a scripted fault, or the upstream server's answer relayed unchanged. */
    WireResponse relay(String method, URI requestUri, Map<String, List<String>> headers, byte[] body, String operation,
                       String requestId) throws IOException, InterruptedException {
        AwsError fault = nextFault(operation);
        if (fault != null) {
            return errors.encodeError(fault, requestId);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(requestUri.getRawPath()
                        + (requestUri.getRawQuery() == null ? "" : "?" + requestUri.getRawQuery())))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((header, values) -> {
            if (!NOT_RELAYED.contains(header.toLowerCase(java.util.Locale.ROOT))
                    && addedHeaders.keySet().stream().noneMatch(header::equalsIgnoreCase)) {
                values.forEach(value -> request.header(header, value));
            }
        });
        addedHeaders.forEach(request::header);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> answerHeaders = new HashMap<>();
        response.headers().map().forEach((header, values) -> {
            if (!NOT_RELAYED.contains(header.toLowerCase(java.util.Locale.ROOT)) && !header.equalsIgnoreCase("content-type")
                    && !values.isEmpty() && !header.startsWith(":")) {
                answerHeaders.put(header, values.get(0));
            }
        });
        String contentType = response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.0");
        return new WireResponse(response.statusCode(), contentType, answerHeaders, response.body());
    }

    /** The request members, for the record; null when the body is not a JSON object. */
    static JsonNode decodeForRecord(byte[] body) {
        try {
            JsonNode tree = WireTree.JSON.readTree(body);
            return tree != null && tree.isObject() ? tree : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The error code of an answer ({@code __type} after its last '#'), or null when it succeeded. */
    static String errorCodeOf(WireResponse response) {
        if (response.status() < 400) {
            return null;
        }
        JsonNode body = decodeForRecord(response.body());
        String type = body == null ? null : body.path("__type").asText(null);
        if (type == null) {
            return "HTTP " + response.status();
        }
        return type.substring(type.lastIndexOf('#') + 1);
    }

    @Override
    public String toString() {
        return "ForwardedService[" + name + " (" + targetPrefix + ") -> " + upstream + "]";
    }
}
