package dev.fleetrun.local.sfn.path;

/**
 * A path selected nothing. Callers turn it into the error the States Language names for their field
 * (States.Runtime for InputPath, States.ParameterPathFailure for a Parameters field, ...).
 */
public final class PathNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PathNotFoundException(String message) {
        super(message, null, false, false);
    }
}
