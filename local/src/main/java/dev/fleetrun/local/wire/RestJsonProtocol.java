package dev.fleetrun.local.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWS REST-JSON (Resource Groups): the operation is named by the method and the path of the request, as the service
 * model's {@code http} trait gives them ({@code POST /groups} is CreateGroup), members travel as a JSON object in the
 * body, and a few as query-string parameters ({@code ListGroups}' {@code maxResults}); an answer is a JSON object with
 * HTTP 200, an error {@code {"Message": ...}} with the code in {@code x-amzn-ErrorType} and the HTTP status its shape
 * declares (404 for {@code NotFoundException}). Nothing in such a request says which service it is for but its
 * signature's credential scope ({@code .../resource-groups/aws4_request}), which is how {@link AwsServer} routes it
 * ({@link AwsServer#restJsonService}); every other request without an {@code X-Amz-Target} stays S3's.
 *
 * @param signingName the service in the credential scope of requests for this service ({@code resource-groups})
 * @param operations  every operation of the service's model, implemented or not, so that a request for one this
 *                    simulation lacks is named in the answer
 */
public record RestJsonProtocol(String signingName, List<Route> operations) {

    /**
     * One operation of the model: its method, its path (no path parameters: none of the operations routed here has
     * one), and the members it reads from the query string (query parameter name to member name).
     */
    public record Route(String method, String path, String operation, Map<String, String> queryMembers) {
        public Route(String method, String path, String operation) {
            this(method, path, operation, Map.of());
        }
    }

    public RestJsonProtocol {
        operations = List.copyOf(operations);
    }

    /** The operation a request calls, by its method and path; empty when the model has none there. */
    public Optional<Route> route(String method, String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (Route route : operations) {
            if (route.method().equalsIgnoreCase(method) && route.path().equals(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    /** The protocol for one request: its body and the query members of its route decode into one tree of members. */
    public WireProtocol forRequest(URI uri, Route route) {
        return new Request(uri, route);
    }

    /** The service named by a request's SigV4 credential scope ({@code Credential=KEY/DATE/REGION/SERVICE/aws4_request}). */
    public static Optional<String> scopeService(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        int credential = authorization.indexOf("Credential=");
        if (credential < 0) {
            return Optional.empty();
        }
        int end = authorization.indexOf(',', credential);
        String[] scope = authorization.substring(credential + "Credential=".length(), end < 0 ? authorization.length() : end)
                .trim().split("/");
        return scope.length == 5 ? Optional.of(scope[3]) : Optional.empty();
    }

    private static final class Request implements WireProtocol {
        private final URI uri;
        private final Route route;

        Request(URI uri, Route route) {
            this.uri = uri;
            this.route = route;
        }

        @Override
        public JsonNode decode(byte[] body) {
            ObjectNode members;
            if (body.length == 0) {
                members = WireTree.object();
            } else {
                try {
                    // Read as every JSON body of the endpoint is: UTF-8, one object, each member once, nesting bounded.
                    members = (ObjectNode) AwsJsonProtocol.read(body);
                } catch (AwsError e) {
                    // Resource Groups' model has no SerializationException: a body it cannot read is a bad request.
                    throw AwsError.of("BadRequestException", e.getMessage());
                }
            }
            RestRequest request = new RestRequest("POST", uri, Map.of(), new byte[0]);
            request.query().forEach((name, value) -> {
                String member = route.queryMembers().get(name);
                if (member != null) {
                    members.put(member, value);
                }
            });
            return members;
        }

        @Override
        public String mediaType() {
            return "application/json";
        }

        @Override
        public WireResponse encode(String operation, JsonNode output, String requestId) {
            return new WireResponse(200, "application/json", Map.of("x-amzn-RequestId", requestId), json(output));
        }

        @Override
        public WireResponse encodeError(AwsError error, String requestId) {
            ObjectNode body = WireTree.object().put("Message", error.getMessage());
            return new WireResponse(error.httpStatus(), "application/json",
                    Map.of("x-amzn-RequestId", requestId, "x-amzn-ErrorType", error.code()), json(body));
        }
    }

    private static byte[] json(JsonNode tree) {
        var out = new ByteArrayOutputStream();
        try (JsonGenerator generator = WireTree.JSON.getFactory().createGenerator(out)) {
            WireTree.write(tree, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
