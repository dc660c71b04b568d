package dev.fleetrun.infra;

import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * A Standard state machine deployed from a {@link WorkflowDefinition}: the definition inlined as it is in the file
 * (so linters see it in the template) but for the partition of its ARNs ({@link WorkflowDefinition#deployedText()}),
 * its {@code ${...}} placeholders filled by {@code DefinitionSubstitutions},
 * every execution event logged with its data, X-Ray tracing on.
 */
public final class Workflow extends Construct {

    private final WorkflowDefinition definition;
    private final StateMachine stateMachine;

    /**
     * @param substitutions values for the definition's placeholders (it takes the ones it uses, and fails naming any
     *                      it needs and is not given)
     */
    public Workflow(Construct scope, WorkflowDefinition definition, Map<String, String> substitutions,
                    RetentionDays logRetention) {
        super(scope, definition.pascalName());
        this.definition = definition;
        // The /aws/vendedlogs/ prefix keeps Step Functions from adding to the account's size-limited log resource policy.
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/vendedlogs/states/" + Stack.of(this).getStackName() + "-" + definition.name())
                .retention(logRetention)
                .build();
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(definition.deployedText()))
                .definitionSubstitutions(definition.substitutions(substitutions))
                .logs(LogOptions.builder().destination(logs).level(LogLevel.ALL).includeExecutionData(true).build())
                .tracingEnabled(true)
                .comment("fleetrun " + definition.name() + ", from statemachines/" + definition.file().getFileName())
                .build();
        CfnLintRules.dependsOnItsRoleOnPurpose(stateMachine);
        Validations.of(stateMachine).acknowledge(Acknowledgment.builder()
                .id("CloudFormation-Validate::E1029")
                .reason("The ${...} in the definition are DefinitionSubstitutions placeholders, filled by CloudFormation"
                        + " from the function aliases, not Fn::Sub variables.")
                .build());
        Nag.suppress(stateMachine, "AwsSolutions-IAM5",
                "Step Functions log delivery (logs:*LogDelivery, DescribeLogGroups, resource policies) and X-Ray"
                        + " tracing accept only '*' as resource.",
                java.util.List.of("Resource::*"));
    }

    public WorkflowDefinition definition() {
        return definition;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }
}
