package dev.fleetrun.local.lambda;

/**
 * A failure to inject into the next invocations of a function ({@link LambdaRegistry#failNext}), as the
 * Lambda service or the function would produce it.
 *
 * @param kind      what fails
 * @param errorType for {@link Kind#FUNCTION_ERROR}: the error type the function reports (a Java exception's
 *                  class name, or a name such as {@code Fleetrun.Conflict}); the service's error code otherwise
 * @param message   the error message
 */
public record LambdaFault(Kind kind, String errorType, String message) {

    /** What fails. */
    public enum Kind {
        /** The Lambda service fails the call (HTTP 500): Step Functions sees {@code Lambda.ServiceException}. */
        SERVICE_EXCEPTION,
        /** The Lambda service throttles the call (HTTP 429): {@code Lambda.TooManyRequestsException}. */
        TOO_MANY_REQUESTS,
        /** The function runs and reports an error with this type (what a thrown exception becomes). */
        FUNCTION_ERROR,
        /** The function dies without an error type (timeout, out of memory): {@code Lambda.Unknown}. */
        UNHANDLED
    }

    public LambdaFault {
        if (kind == null) {
            throw new IllegalArgumentException("a Lambda fault needs a kind");
        }
        if (errorType == null || errorType.isBlank()) {
            throw new IllegalArgumentException("a Lambda fault needs an error type");
        }
        message = message == null ? "" : message;
    }

    /** {@code Lambda.ServiceException}: "the Lambda service encountered an internal error". */
    public static LambdaFault serviceException() {
        return new LambdaFault(Kind.SERVICE_EXCEPTION, "ServiceException",
                "The Lambda service encountered an internal error (injected fault).");
    }

    /** {@code Lambda.TooManyRequestsException}: the function's concurrency is exhausted. */
    public static LambdaFault tooManyRequests() {
        return new LambdaFault(Kind.TOO_MANY_REQUESTS, "TooManyRequestsException", "Rate Exceeded. (injected fault)");
    }

    /** The function reports this error, as if it had thrown it. */
    public static LambdaFault functionError(String errorType, String message) {
        return new LambdaFault(Kind.FUNCTION_ERROR, errorType, message);
    }

    /** The function dies without reporting an error type, as on a timeout. */
    public static LambdaFault unhandled() {
        return new LambdaFault(Kind.UNHANDLED, "Unknown", "Task timed out (injected fault).");
    }

    /** Whether the Lambda service, not the function, fails the call. */
    public boolean isServiceError() {
        return kind == Kind.SERVICE_EXCEPTION || kind == Kind.TOO_MANY_REQUESTS;
    }

    /** The HTTP status the Lambda service answers with. */
    int httpStatus() {
        return switch (kind) {
            case SERVICE_EXCEPTION -> 500;
            case TOO_MANY_REQUESTS -> 429;
            default -> 200;
        };
    }
}
