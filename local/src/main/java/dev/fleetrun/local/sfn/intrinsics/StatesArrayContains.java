package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;

/** {@code States.ArrayContains}: whether the array holds a value equal to the second argument. */
public final class StatesArrayContains extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("array", ArgType.ARRAY), of("value", ArgType.ANY));

    @Override
    public String name() {
        return "States.ArrayContains";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        for (JsonNode item : args.get(0)) {
            if (JsonEquality.equal(item, args.get(1))) {
                return BooleanNode.TRUE;
            }
        }
        return BooleanNode.FALSE;
    }
}
