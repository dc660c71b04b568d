package dev.fleetrun.local.sfn.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.sfn.runtime.ExecutionInfo;

/**
 * What an invoker gets to run one task attempt.
 *
 * @param resource   the Task state's resource
 * @param input      the task's input: the effective parameters (after InputPath and Parameters)
 * @param taskToken  the token for {@code .waitForTaskToken} tasks, else {@code null}
 * @param execution  the execution the task belongs to
 * @param stateName  the Task state's name
 * @param region     the engine's region
 */
public record TaskRequest(Resource resource, JsonNode input, String taskToken, ExecutionInfo execution,
                          String stateName, String region) {
}
