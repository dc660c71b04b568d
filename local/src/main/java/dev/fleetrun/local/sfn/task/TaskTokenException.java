package dev.fleetrun.local.sfn.task;

/**
 * SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat was refused. The code is the AWS error code the API
 * returns: {@code InvalidToken} (not a token this engine issued), {@code TaskDoesNotExist} (the task is no
 * longer waiting: it finished, timed out or its execution ended) or {@code InvalidOutput}.
 */
public final class TaskTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public TaskTokenException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The AWS error code. */
    public String code() {
        return code;
    }
}
