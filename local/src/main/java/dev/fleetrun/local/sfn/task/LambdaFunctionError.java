package dev.fleetrun.local.sfn.task;

/**
 * An error a Lambda function reports, as the Lambda service does: an {@code errorType} (what retriers and
 * catchers match) and an {@code errorMessage}.
 */
public final class LambdaFunctionError extends Exception {

    private static final long serialVersionUID = 1L;

    private final String errorType;

    public LambdaFunctionError(String errorType, String errorMessage) {
        super(errorMessage, null, false, false);
        this.errorType = errorType;
    }

    /** The error type, such as {@code Fleetrun.Conflict} or {@code java.lang.IllegalStateException}. */
    public String errorType() {
        return errorType;
    }
}
