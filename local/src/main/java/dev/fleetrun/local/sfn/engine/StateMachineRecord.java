package dev.fleetrun.local.sfn.engine;

import dev.fleetrun.local.sfn.definition.Definition;
import java.time.Instant;

/**
 * A state machine as DescribeStateMachine reports it.
 *
 * @param arn          {@code arn:aws:states:<region>:<account>:stateMachine:<name>}
 * @param name         its name
 * @param definitionText the definition as given (returned as is)
 * @param definition   the parsed definition
 * @param roleArn      the role it runs as
 * @param type         STANDARD or EXPRESS
 * @param creationDate when it was created
 * @param updateDate   when it was last updated
 */
public record StateMachineRecord(String arn, String name, String definitionText, Definition definition, String roleArn,
                                 String type, Instant creationDate, Instant updateDate) {
}
