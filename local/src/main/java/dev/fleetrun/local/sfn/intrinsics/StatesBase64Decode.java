package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code States.Base64Decode}: decodes Base64 text (at most 10,000 characters) into a UTF-8 string. */
public final class StatesBase64Decode extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("base64", ArgType.SHORT_STRING));

    @Override
    public String name() {
        return "States.Base64Decode";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        try {
            byte[] bytes = Base64.getDecoder().decode(args.get(0).textValue());
            return TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw failure("the argument is not Base64: " + e.getMessage());
        }
    }
}
