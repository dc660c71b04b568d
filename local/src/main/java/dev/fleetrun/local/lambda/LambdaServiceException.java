package dev.fleetrun.local.lambda;

/**
 * The Lambda service refused an invocation (the function did not run): {@code ResourceNotFoundException},
 * {@code ServiceException}, {@code TooManyRequestsException}. Step Functions names it {@code Lambda.<code>}.
 */
public final class LambdaServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int httpStatus;

    public LambdaServiceException(String code, int httpStatus, String message) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The Lambda error code, such as {@code ResourceNotFoundException}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Whether Lambda's asynchronous queue retries this (throttles and its own failures, not a missing function). */
    public boolean retriable() {
        return httpStatus == 429 || httpStatus >= 500;
    }
}
