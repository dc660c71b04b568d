package dev.fleetrun.local.sfn.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The facts of one execution that the context object ({@code $$.Execution}, {@code $$.StateMachine}) shows.
 *
 * @param executionArn     {@code $$.Execution.Id}
 * @param name             {@code $$.Execution.Name}
 * @param stateMachineArn  {@code $$.StateMachine.Id}
 * @param stateMachineName {@code $$.StateMachine.Name}
 * @param roleArn          {@code $$.Execution.RoleArn}
 * @param startTime        {@code $$.Execution.StartTime}
 * @param input            {@code $$.Execution.Input}
 */
public record ExecutionInfo(String executionArn, String name, String stateMachineArn, String stateMachineName,
                            String roleArn, Instant startTime, JsonNode input) {
}
