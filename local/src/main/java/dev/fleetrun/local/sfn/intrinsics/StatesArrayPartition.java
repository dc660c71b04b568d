package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** {@code States.ArrayPartition}: splits an array into chunks of {@code chunkSize} items (the last one may be shorter). */
public final class StatesArrayPartition extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("array", ArgType.ARRAY), of("chunkSize", ArgType.POSITIVE_INTEGER));

    @Override
    public String name() {
        return "States.ArrayPartition";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        JsonNode array = args.get(0);
        int size = args.get(1).asInt();
        ArrayNode chunks = JsonNodeFactory.instance.arrayNode();
        ArrayNode chunk = null;
        for (int i = 0; i < array.size(); i++) {
            if (i % size == 0) {
                chunk = chunks.addArray();
            }
            chunk.add(array.get(i));
        }
        return chunks;
    }
}
