package dev.fleetrun.local.sfn.engine;

/**
 * A Step Functions API call refused, with the AWS error code the API layer returns as {@code __type}
 * ({@code StateMachineDoesNotExist}, {@code ExecutionAlreadyExists}, {@code InvalidDefinition}, ...) and a
 * message that says what was wrong.
 */
public final class SfnException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public SfnException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The AWS error code. */
    public String code() {
        return code;
    }
}
