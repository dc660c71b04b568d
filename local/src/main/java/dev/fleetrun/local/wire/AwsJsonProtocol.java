package dev.fleetrun.local.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * AWS JSON 1.0 and 1.1 (SSM, EventBridge: 1.1; Step Functions, SQS, CloudWatch for the AWS CLI: 1.0): the
 * operation is named by {@code X-Amz-Target: <prefix>.<Operation>}, members travel as a JSON object, errors as
 * {@code {"__type": code, "message": ...}} with HTTP 400.
 *
 * <p>A service that moved to JSON from the Query protocol is "AWS Query compatible" (the {@code awsQueryCompatible}
 * trait of its model: SQS, CloudWatch): its errors also carry the legacy Query code in
 * {@code x-amzn-query-error: <code>;Sender|Receiver}, which the AWS CLI prints and SDK v2 reports as the error code,
 * and it refuses callers with the Query family's codes ({@link AuthErrors#QUERY}).
 *
 * <p>A body is read as AWS reads it: UTF-8 (nothing else, not even UTF-16 with a byte order mark), one JSON
 * object and nothing after it, each member once, arrays and objects nested at most
 * {@link WireLimits#MAX_NESTING_DEPTH} deep. Anything else is a {@code SerializationException} that says what is
 * wrong and where.
 */
public final class AwsJsonProtocol implements WireProtocol {
    /** What AWS JSON bodies may be labelled: either version (the SDKs send their service's), or plain JSON. */
    private static final Set<String> MEDIA_TYPES = Set.of("application/x-amz-json-1.0", "application/x-amz-json-1.1",
            "application/json");
    private static final ObjectMapper REQUESTS = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(ParseProblems.constraints()).enable(ParseProblems.duplicates()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

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
        return read(body);
    }

    /** The JSON object a request body holds, read as {@link #decode} reads it; {@code SerializationException} if none. */
    static JsonNode read(byte[] body) {
        int[] bad = new int[1];
        String text = ParseProblems.strictUtf8(body, bad);
        if (text == null) {
            throw AwsError.of("SerializationException", "The request body is not UTF-8: the bytes at offset " + bad[0]
                    + " are not a UTF-8 character. Send one JSON object in UTF-8, as the AWS SDKs do.");
        }
        JsonNode tree;
        try {
            tree = REQUESTS.readTree(text);
        } catch (JacksonException e) {
            throw AwsError.of("SerializationException", "The request body is not valid JSON: "
                    + ParseProblems.describe(e, "JSON") + ". Send one JSON object, as the AWS SDKs do.");
        } catch (IOException e) {
            throw AwsError.of("SerializationException", "The request body could not be read as JSON.");
        }
        if (tree == null || !tree.isObject()) {
            throw AwsError.of("SerializationException", "The request body must be a JSON object ({...}), not "
                    + kind(tree) + ".");
        }
        return tree;
    }

    private static String kind(JsonNode tree) {
        if (tree == null || tree.isMissingNode()) {
            return "blank";
        }
        return tree.isArray() ? "an array" : tree.isTextual() ? "a string" : tree.isNumber() ? "a number"
                : tree.isBoolean() ? "a boolean" : tree.isNull() ? "null" : "another value";
    }

    @Override
    public String mediaType() {
        return contentType;
    }

    @Override
    public boolean readsMediaType(String type) {
        return type != null && MEDIA_TYPES.contains(WireProtocol.mediaTypeOf(type));
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
