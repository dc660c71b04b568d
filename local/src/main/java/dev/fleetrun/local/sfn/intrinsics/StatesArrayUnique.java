package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** {@code States.ArrayUnique}: the array without repeated values, first occurrences kept, in order. */
public final class StatesArrayUnique extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("array", ArgType.ARRAY));

    @Override
    public String name() {
        return "States.ArrayUnique";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        ArrayNode unique = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : args.get(0)) {
            boolean seen = false;
            for (JsonNode kept : unique) {
                if (JsonEquality.equal(kept, item)) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                unique.add(item);
            }
        }
        return unique;
    }
}
