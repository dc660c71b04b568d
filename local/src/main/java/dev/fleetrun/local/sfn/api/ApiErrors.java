package dev.fleetrun.local.sfn.api;

import dev.fleetrun.local.sfn.engine.SfnException;
import dev.fleetrun.local.sfn.task.TaskTokens;
import dev.fleetrun.local.wire.AwsError;

/**
 * Turns the control plane's refusals ({@link SfnException}, which already carry AWS's codes and messages)
 * into AWS JSON errors, and gives the task-token calls AWS's answers:
 * <ul>
 *   <li>a token of the wrong form: {@code InvalidToken};</li>
 *   <li>a well-formed token no task of this runtime was given: {@code TaskDoesNotExist};</li>
 *   <li>a token whose task has ended (answered, timed out, its execution stopped):
 *       {@code TaskTimedOut} with AWS's exact message {@code Task Timed Out: 'Provided task does not exist anymore'},
 *       which callers are known to match on.</li>
 * </ul>
 */
final class ApiErrors {

    static final String TASK_TIMED_OUT = "Task Timed Out: 'Provided task does not exist anymore'";

    private ApiErrors() {
    }

    /** The AWS error for a refusal of the control plane. */
    static AwsError of(SfnException refusal) {
        return AwsError.of(refusal.code(), refusal.getMessage());
    }

    /** The AWS error for a refused SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat. */
    static AwsError ofTaskCall(SfnException refusal, String token) {
        return switch (refusal.code()) {
            case "InvalidToken" -> TaskTokens.isWellFormed(token)
                    ? AwsError.of("TaskDoesNotExist", "Task Does Not Exist: 'No task of this runtime waits on this token;"
                            + " a token is only valid in the runtime that issued it, and not after a restart'")
                    : AwsError.of("InvalidToken", "Invalid Token: 'Invalid token: pass the task token exactly as the"
                            + " task received it ($$.Task.Token)'");
            case "TaskTimedOut" -> AwsError.of("TaskTimedOut", TASK_TIMED_OUT);
            case "InvalidOutput" -> AwsError.of("InvalidOutput", "Invalid Output: '" + refusal.getMessage() + "'");
            default -> of(refusal);
        };
    }
}
