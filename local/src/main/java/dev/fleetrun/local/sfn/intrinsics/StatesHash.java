package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetrun.local.sfn.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** {@code States.Hash}: the lower-case hex digest of a string (or of a value's JSON text) with MD5, SHA-1, SHA-256, SHA-384 or SHA-512. */
public final class StatesHash extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("data", ArgType.ANY), of("algorithm", ArgType.STRING));
    private static final List<String> ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");

    @Override
    public String name() {
        return "States.Hash";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        JsonNode data = args.get(0);
        String text = data.isTextual() ? data.textValue() : Json.text(data);
        if (text.length() > 10_000) {
            throw failure("argument 1 (data) must be at most 10000 characters, got " + text.length());
        }
        String algorithm = args.get(1).textValue();
        if (!ALGORITHMS.contains(algorithm)) {
            throw failure("argument 2 (algorithm) must be one of " + String.join(", ", ALGORITHMS) + ", got '" + algorithm + "'");
        }
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
            return TextNode.valueOf(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw failure("this JVM has no " + algorithm);
        }
    }
}
