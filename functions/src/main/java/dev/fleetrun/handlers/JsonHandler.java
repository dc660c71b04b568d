package dev.fleetrun.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.fleetrun.aws.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A Lambda handler that takes and returns JSON. Handlers stay thin: they read their input, call the
 * run code in {@code dev.fleetrun.run} and return its result. The embedded runtime and the tests call
 * {@link #handle(JsonNode)} directly.
 */
public abstract class JsonHandler implements RequestStreamHandler {

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Json.MAPPER.readTree(input);
        JsonNode out = handle(in == null ? NullNode.getInstance() : in);
        Json.MAPPER.writeValue(output, out == null ? NullNode.getInstance() : out);
    }

    /** Handles one invocation. */
    public abstract JsonNode handle(JsonNode input);

    /** The part of a task's input under {@code field}, with a clear error when the workflow did not pass it. */
    static JsonNode required(JsonNode input, String field, String function) {
        JsonNode v = input.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(function + " needs '" + field + "' in its input; got fields "
                    + iterableToString(input.fieldNames()));
        }
        return v;
    }

    private static String iterableToString(java.util.Iterator<String> names) {
        StringBuilder b = new StringBuilder("[");
        names.forEachRemaining(n -> b.append(b.length() > 1 ? ", " : "").append(n));
        return b.append(']').toString();
    }
}
