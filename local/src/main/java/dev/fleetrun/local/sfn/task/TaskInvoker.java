package dev.fleetrun.local.sfn.task;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs tasks of one kind of resource: Lambda functions, SNS publish, EventBridge putEvents, DynamoDB item
 * calls, or anything a test plays. It runs on a thread of its own; the engine enforces TimeoutSeconds around
 * it.
 *
 * <p>A task failure is an {@link dev.fleetrun.local.sfn.errors.AslError} with the error name the workflow's
 * retriers and catchers will see ({@code Lambda.ServiceException}, {@code SNS.NotFoundException}, a Lambda
 * function's {@code errorType}); any other exception fails the task with {@code States.TaskFailed}.
 */
@FunctionalInterface
public interface TaskInvoker {

    /**
     * Runs one attempt and returns its result. For a {@code .waitForTaskToken} task the result is only
     * recorded (TaskSubmitted); the task's result comes with SendTaskSuccess.
     */
    JsonNode invoke(TaskRequest request) throws Exception;
}
