package dev.fleetrun.local.sfn.intrinsics;

import static dev.fleetrun.local.sfn.intrinsics.Param.of;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fleetrun.local.sfn.json.Json;

/** {@code States.StringToJson}: parses a string of JSON text into the value it holds. */
public final class StatesStringToJson extends IntrinsicFunction {

    private static final Signature SIGNATURE = Signature.of(of("text", ArgType.STRING));

    @Override
    public String name() {
        return "States.StringToJson";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    protected JsonNode apply(IntrinsicArguments args) {
        String text = args.get(0).textValue();
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw failure("the argument is not JSON text: " + e.getOriginalMessage());
        }
    }
}
