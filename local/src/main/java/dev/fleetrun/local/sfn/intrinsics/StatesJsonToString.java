package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetrun.local.sfn.json.Json;

/** {@code States.JsonToString}: the compact JSON text of a value. */
public final class StatesJsonToString extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("value", ArgType.ANY));

    @Override
    public String name() {
        return "States.JsonToString";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        return TextNode.valueOf(Json.text(args.get(0)));
    }
}
