package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;

/** {@code States.MathAdd}: the sum of two integers. */
public final class StatesMathAdd extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("left", ArgType.INTEGER), of("right", ArgType.INTEGER));

    @Override
    public String name() {
        return "States.MathAdd";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        return LongNode.valueOf(args.get(0).asLong() + args.get(1).asLong());
    }
}
