package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code States.ArrayGetItem}: the item at a (0-based) index. */
public final class StatesArrayGetItem extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("array", ArgType.ARRAY), of("index", ArgType.NON_NEGATIVE_INTEGER));

    @Override
    public String name() {
        return "States.ArrayGetItem";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        JsonNode array = args.get(0);
        long index = args.get(1).asLong();
        if (index >= array.size()) {
            throw failure("index " + index + " is out of bounds for an array of " + array.size() + " items");
        }
        return array.get((int) index);
    }
}
