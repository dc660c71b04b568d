package dev.fleetrun.aws;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** Resuming Step Functions tasks that wait for a token. */
public final class TaskTokens {
    private final SfnClient sfn;

    public TaskTokens(SfnClient sfn) {
        this.sfn = sfn;
    }

    /**
     * Completes the task; returns false when the token is no longer open (the wait timed out, the
     * execution ended, or it was completed already), which for a caller means: nothing to resume.
     */
    public boolean succeed(String token, JsonNode output) {
        try {
            sfn.sendTaskSuccess(b -> b.taskToken(token).output(Json.write(output)));
            return true;
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            return false;
        }
    }

    /** Fails the task with an error the workflow can catch; false when the token is closed. */
    public boolean fail(String token, String error, String cause) {
        try {
            sfn.sendTaskFailure(b -> b.taskToken(token).error(error).cause(cause));
            return true;
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            return false;
        }
    }

    /** Tells the waiting task there is news; false when the token is closed. */
    public boolean heartbeat(String token) {
        try {
            sfn.sendTaskHeartbeat(b -> b.taskToken(token));
            return true;
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            return false;
        }
    }
}
