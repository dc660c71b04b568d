package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** {@code States.Array}: an array of its arguments, in order. */
public final class StatesArray extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.variadic(of("value", ArgType.ANY));

    @Override
    public String name() {
        return "States.Array";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        args.all().forEach(array::add);
        return array;
    }
}
