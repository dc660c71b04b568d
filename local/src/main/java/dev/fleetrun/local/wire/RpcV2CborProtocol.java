package dev.fleetrun.local.wire;

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
 */
public final class RpcV2CborProtocol implements WireProtocol {
    private static final CBORMapper CBOR = new CBORMapper();
    private static final CBORFactory FACTORY = CBOR.getFactory();

    @Override
    public JsonNode decode(byte[] body) {
        if (body.length == 0) {
            return WireTree.object();
        }
        try {
            JsonNode tree = CBOR.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw AwsError.of("SerializationException", "The request body must be a CBOR map.");
            }
            return tree;
        } catch (IOException e) {
            throw AwsError.of("SerializationException", "The request body is not valid CBOR: " + e.getMessage());
        }
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
