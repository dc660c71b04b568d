package dev.fleetrun.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Lambda's Invoke answers when the function ran: its response, or, when it failed, the error object
 * {@code {"errorMessage", "errorType", "stackTrace"}} with {@code functionError} set (the
 * {@code X-Amz-Function-Error} header: {@code Unhandled}).
 *
 * @param requestId     the invocation's request id
 * @param payload       the response, or the error object; never null ({@code null} responses are NullNode)
 * @param functionError null when the function succeeded
 */
public record InvokeResult(String requestId, JsonNode payload, String functionError) {

    public boolean failed() {
        return functionError != null;
    }

    /** The error type of a failed invocation ({@code java.lang.IllegalStateException}, {@code Lambda.Unknown}...). */
    public String errorType() {
        return failed() ? payload.path("errorType").asText("Lambda.Unknown") : null;
    }

    /** The error message of a failed invocation. */
    public String errorMessage() {
        return failed() ? payload.path("errorMessage").asText("") : null;
    }
}
