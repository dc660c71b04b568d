package dev.fleetrun.local.sfn.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The Lambda functions the engine can call, by name: in the embedded runtime, the real handlers of
 * {@code functions/}; in tests, functions that play them.
 */
@FunctionalInterface
public interface LambdaFunctions {

    /** The function with this name (not an ARN: the invoker takes the name out of ARNs), if there is one. */
    Optional<Function> find(String functionName);

    /** One function. */
    @FunctionalInterface
    interface Function {
        /**
         * Handles one invocation. Throw {@link LambdaFunctionError} to report an error with a chosen
         * {@code errorType}; any other exception reports its class name as the type, as the Java runtime does.
         */
        JsonNode handle(JsonNode payload) throws Exception;
    }
}
