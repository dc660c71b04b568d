package dev.fleetrun.local.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Smithy RPC v2 CBOR, which the SDK 2.41 CloudWatch client speaks:
 * {@code POST /service/<ServiceShape>/operation/<Operation>}, {@code Content-Type: application/cbor},
 * members as a CBOR map, answers carrying {@code smithy-protocol: rpc-v2-cbor}. CloudWatch is
 * "AWS Query compatible", so errors also carry the legacy Query code in {@code x-amzn-query-error}.
 *
 * <p>A body must be one CBOR map and nothing after it, each key once, nested at most
 * {@link WireLimits#MAX_NESTING_DEPTH} deep; anything else is a {@code SerializationException} that says what
 * is wrong and at which byte.
 */
public final class RpcV2CborProtocol implements WireProtocol {
    private static final CBORMapper CBOR = new CBORMapper();
    private static final CBORFactory FACTORY = CBOR.getFactory();
    private static final CBORMapper REQUESTS = CBORMapper.builder(CBORFactory.builder()
                    .streamReadConstraints(ParseProblems.constraints()).enable(ParseProblems.duplicates()).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    @Override
    public JsonNode decode(byte[] body) {
        if (body.length == 0) {
            return WireTree.object();
        }
        JsonNode tree;
        try {
            tree = REQUESTS.readTree(body);
        } catch (JacksonException e) {
            throw AwsError.of("SerializationException", "The request body is not valid CBOR: "
                    + ParseProblems.describe(e, "CBOR") + ". Send one CBOR map, as the AWS SDKs do.");
        } catch (IOException e) {
            throw AwsError.of("SerializationException", "The request body could not be read as CBOR.");
        }
        if (tree == null || !tree.isObject()) {
            throw AwsError.of("SerializationException", "The request body must be a CBOR map.");
        }
        return tree;
    }

    @Override
    public String mediaType() {
        return "application/cbor";
    }

    @Override
    public HttpErrors httpErrors() {
        return HttpErrors.QUERY;
    }

    @Override
    public WireResponse encode(String operation, JsonNode output, String requestId) {
        return new WireResponse(200, "application/cbor", headers(requestId), cbor(output));
    }

    @Override
    public AuthErrors authErrors() {
        return AuthErrors.QUERY;
    }

    @Override
    public WireResponse encodeError(AwsError error, String requestId) {
        var body = WireTree.object().put("__type", error.code()).put("message", error.getMessage());
        Map<String, String> headers = new HashMap<>(headers(requestId));
        String fault = error.httpStatus() >= 500 ? "Receiver" : "Sender";
        headers.put("x-amzn-query-error", error.queryCode() + ";" + fault);
        return new WireResponse(error.httpStatus(), "application/cbor", headers, cbor(body));
    }

    private static Map<String, String> headers(String requestId) {
        return Map.of("smithy-protocol", "rpc-v2-cbor", "x-amzn-RequestId", requestId);
    }

    private static byte[] cbor(JsonNode tree) {
        var out = new ByteArrayOutputStream();
        try (CBORGenerator generator = FACTORY.createGenerator(out)) {
            WireTree.write(tree, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
