package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code States.Base64Encode}: the Base64 of the UTF-8 bytes of a string of at most 10,000 characters. */
public final class StatesBase64Encode extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("text", ArgType.SHORT_STRING));

    @Override
    public String name() {
        return "States.Base64Encode";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        byte[] bytes = args.get(0).textValue().getBytes(StandardCharsets.UTF_8);
        return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
    }
}
