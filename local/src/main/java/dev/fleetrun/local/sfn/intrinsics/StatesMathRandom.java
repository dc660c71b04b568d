package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/** {@code States.MathRandom}: a random integer from {@code start} (inclusive) to {@code end} (exclusive); with a seed, the same one every time. */
public final class StatesMathRandom extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.withOptional(List.of(of("start", ArgType.INTEGER), of("end", ArgType.INTEGER)), List.of(of("seed", ArgType.INTEGER)));

    @Override
    public String name() {
        return "States.MathRandom";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        long start = args.get(0).asLong();
        long end = args.get(1).asLong();
        if (end <= start) {
            throw failure("argument 2 (end) must be greater than argument 1 (start), got " + start + " and " + end);
        }
        Random random = args.size() > 2 ? new Random(args.get(2).asLong()) : ThreadLocalRandom.current();
        return LongNode.valueOf(random.nextLong(start, end));
    }
}
