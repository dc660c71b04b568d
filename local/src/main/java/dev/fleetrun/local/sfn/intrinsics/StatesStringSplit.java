package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.StringTokenizer;

/** {@code States.StringSplit}: splits a string at every character of the delimiter string, dropping empty pieces. */
public final class StatesStringSplit extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("text", ArgType.STRING), of("delimiters", ArgType.STRING));

    @Override
    public String name() {
        return "States.StringSplit";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        ArrayNode pieces = JsonNodeFactory.instance.arrayNode();
        StringTokenizer tokens = new StringTokenizer(args.get(0).textValue(), args.get(1).textValue());
        while (tokens.hasMoreTokens()) {
            pieces.add(tokens.nextToken());
        }
        return pieces;
    }
}
