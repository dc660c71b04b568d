package dev.fleetrun.local.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * AWS JSON 1.0 and 1.1 (SSM, EventBridge: 1.1; Step Functions, SQS, CloudWatch for the AWS CLI: 1.0): the
 * operation is named by {@code X-Amz-Target: <prefix>.<Operation>}, members travel as a JSON object, errors as
 * {@code {"__type": code, "message": ...}} with HTTP 400.
 *
 * <p>A service that moved to JSON from the Query protocol is "AWS Query compatible" (the {@code awsQueryCompatible}
 * trait of its model: SQS, CloudWatch): its errors also carry the legacy Query code in
 * {@code x-amzn-query-error: <code>;Sender|Receiver}, which the AWS CLI prints and SDK v2 reports as the error code,
 * and it refuses callers with the Query family's codes ({@link AuthErrors#QUERY}).
 */
public final class AwsJsonProtocol implements WireProtocol {
    private final String contentType;
    private final boolean queryCompatible;

    /** @param version "1.0" or "1.1" */
    public AwsJsonProtocol(String version) {
        this(version, false);
    }

    private AwsJsonProtocol(String version, boolean queryCompatible) {
        this.contentType = "application/x-amz-json-" + version;
        this.queryCompatible = queryCompatible;
    }

    /** AWS JSON {@code version} for a service of Query heritage (SQS, CloudWatch). */
    public static AwsJsonProtocol queryCompatible(String version) {
        return new AwsJsonProtocol(version, true);
    }

    @Override
    public AuthErrors authErrors() {
        return queryCompatible ? AuthErrors.QUERY : AuthErrors.JSON;
    }

    @Override
    public JsonNode decode(byte[] body) {
        if (body.length == 0) {
            return WireTree.object();
        }
        try {
            JsonNode tree = WireTree.JSON.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw AwsError.of("SerializationException", "The request body must be a JSON object.");
            }
            return tree;
        } catch (IOException e) {
            throw AwsError.of("SerializationException", "The request body is not valid JSON: " + e.getMessage());
        }
    }

    @Override
    public WireResponse encode(String operation, JsonNode output, String requestId) {
        return new WireResponse(200, contentType, Map.of("x-amzn-RequestId", requestId), json(output));
    }

    @Override
    public WireResponse encodeError(AwsError error, String requestId) {
        var body = WireTree.object().put("__type", error.code()).put("message", error.getMessage());
        Map<String, String> headers = new HashMap<>(Map.of("x-amzn-RequestId", requestId, "x-amzn-ErrorType", error.code()));
        if (queryCompatible) {
            headers.put("x-amzn-query-error", error.queryCode() + ";" + (error.httpStatus() >= 500 ? "Receiver" : "Sender"));
        }
        return new WireResponse(error.httpStatus(), contentType, Map.copyOf(headers), json(body));
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
