package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code States.JsonMerge}: a shallow merge of two objects, the second one's fields winning; like AWS, it refuses a deep merge ({@code true}). */
public final class StatesJsonMerge extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("left", ArgType.OBJECT), of("right", ArgType.OBJECT), of("deep", ArgType.BOOLEAN));

    @Override
    public String name() {
        return "States.JsonMerge";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        if (args.get(2).booleanValue()) {
            throw failure("argument 3 (deep) must be false: only a shallow merge is supported");
        }
        ObjectNode merged = args.get(0).deepCopy();
        args.get(1).properties().forEach(field -> merged.set(field.getKey(), field.getValue()));
        return merged;
    }
}
