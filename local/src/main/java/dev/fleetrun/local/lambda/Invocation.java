package dev.fleetrun.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One attempt to run a function, as recorded by {@link LambdaRegistry}: for tests, benchmarks and
 * {@code fleetrun}'s views of the runtime.
 *
 * @param function  the function name
 * @param requestId the invocation's request id (an asynchronous event keeps it across its retries)
 * @param type      how it was invoked
 * @param attempt   1 for the first attempt, 2 and 3 for asynchronous retries
 * @param at        when the attempt started (runtime clock)
 * @param payload   the event the function got
 * @param errorType null when it succeeded; the function's error type, or the service's error code
 *                  ({@code ServiceException}) when Lambda failed the call
 */
public record Invocation(String function, String requestId, Type type, int attempt, Instant at, JsonNode payload,
                         String errorType) {

    /** Lambda's invocation types. */
    public enum Type {
        /** {@code RequestResponse}: Step Functions tasks, direct calls. */
        SYNC,
        /** {@code Event}: EventBridge targets; retried by Lambda. */
        ASYNC
    }

    public boolean succeeded() {
        return errorType == null;
    }
}
