package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;

/** {@code States.ArrayLength}: the number of items in an array. */
public final class StatesArrayLength extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("array", ArgType.ARRAY));

    @Override
    public String name() {
        return "States.ArrayLength";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        return IntNode.valueOf(args.get(0).size());
    }
}
