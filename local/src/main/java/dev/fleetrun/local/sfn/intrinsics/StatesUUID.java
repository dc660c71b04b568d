package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.UUID;

/** {@code States.UUID}: a new random (version 4) UUID. */
public final class StatesUUID extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of();

    @Override
    public String name() {
        return "States.UUID";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        return TextNode.valueOf(UUID.randomUUID().toString());
    }
}
