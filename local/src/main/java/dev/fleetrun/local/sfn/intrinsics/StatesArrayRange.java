package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** {@code States.ArrayRange}: the integers from {@code start} to {@code end} (inclusive) by {@code step}; at most 1000 of them. */
public final class StatesArrayRange extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("start", ArgType.INTEGER), of("end", ArgType.INTEGER), of("step", ArgType.INTEGER));

    @Override
    public String name() {
        return "States.ArrayRange";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        long start = args.get(0).asLong();
        long end = args.get(1).asLong();
        long step = args.get(2).asLong();
        if (step == 0) {
            throw failure("argument 3 (step) must not be 0");
        }
        ArrayNode range = JsonNodeFactory.instance.arrayNode();
        for (long value = start; step > 0 ? value <= end : value >= end; value += step) {
            if (range.size() == 1000) {
                throw failure("the range would hold more than 1000 items");
            }
            range.add(value);
        }
        return range;
    }
}
