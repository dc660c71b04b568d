package dev.fleetrun.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetrun.catalog.FleetrunFunction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;

/**
 * SSM's status events reach the listener (allowed documents, terminal statuses only), unfinished executions reach
 * cleanup, both with a retry policy and the dead-letter queue.
 */
class StatusRoutingTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Synthesized s() {
        return Synthesized.configured();
    }

    @Test
    void ssmRuleMatchesBothStatusEventsOfTheAllowedDocumentsInTerminalStatus() {
        assertEquals(JSON.valueToTree(Map.of(
                        "source", List.of("aws.ssm"),
                        "detail-type", List.of("EC2 Command Status-change Notification",
                                "EC2 Command Invocation Status-change Notification"),
                        "detail", Map.of("document-name", List.of("AWS-RunShellScript", "MyOrg-RestartService"),
                                "status", List.of("Success", "Failed", "TimedOut", "Cancelled")))),
                Rules.pattern(s(), s().stack.statusRouting().ssmStatusRule()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssm/invocation-success.json", "ssm/invocation-failed.json", "ssm/invocation-timed-out.json",
            "ssm/invocation-cancelled.json", "ssm/command-success.json", "ssm/command-failed.json"})
    void ssmRuleLetsTerminalEventsOfOurDocumentsThrough(String event) {
        assertTrue(Rules.matches(Rules.pattern(s(), s().stack.statusRouting().ssmStatusRule()), event));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssm/invocation-in-progress.json", "ssm/invocation-foreign-refresh-association.json"})
    void ssmRuleKeepsProgressAndOtherDocumentsOut(String event) {
        assertFalse(Rules.matches(Rules.pattern(s(), s().stack.statusRouting().ssmStatusRule()), event));
    }

    @Test
    void ssmRuleTargetsTheListenerAliasWithRetriesAndTheDeadLetterQueue() {
        Synthesized s = s();
        s.template.hasResourceProperties("AWS::Events::Rule", Map.of("Targets", List.of(Match.objectLike(Map.of(
                "Arn", Map.of("Ref", s.logicalId(s.stack.functions().get(FleetrunFunction.STATUS_LISTENER).alias())),
                "RetryPolicy", Map.of("MaximumRetryAttempts", 50, "MaximumEventAgeInSeconds", 7200),
                "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack.deadLetters()), "Arn"))))))));
    }

    @Test
    void executionRuleMatchesUnfinishedExecutionsOfThisStacksStateMachines() {
        Synthesized s = s();
        assertEquals(JSON.valueToTree(Map.of(
                        "source", List.of("aws.states"),
                        "detail-type", List.of("Step Functions Execution Status Change"),
                        "detail", Map.of("status", List.of("ABORTED", "FAILED", "TIMED_OUT"),
                                "stateMachineArn", List.of(Map.of("Ref", s.logicalId(s.stack.mainWorkflow().stateMachine())))))),
                Rules.pattern(s, s.stack.statusRouting().executionStatusRule()));
    }

    @Test
    void executionRuleTargetsTheCleanupAliasWithRetriesAndTheDeadLetterQueue() {
        Synthesized s = s();
        s.template.hasResourceProperties("AWS::Events::Rule", Map.of("Targets", List.of(Match.objectLike(Map.of(
                "Arn", Map.of("Ref", s.logicalId(s.stack.functions().get(FleetrunFunction.CLEANUP).alias())),
                "RetryPolicy", Map.of("MaximumRetryAttempts", 50, "MaximumEventAgeInSeconds", 7200),
                "DeadLetterConfig", Map.of("Arn", Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack.deadLetters()), "Arn"))))))));
    }

    @Test
    void listenerFailuresAfterLambdasRetriesGoToTheDeadLetterQueue() {
        Synthesized s = s();
        s.template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "FunctionName", Map.of("Ref", s.logicalId(s.stack.functions().get(FleetrunFunction.STATUS_LISTENER).function())),
                "Qualifier", Map.of("Fn::Select", List.of(7, Map.of("Fn::Split", List.of(":",
                        Map.of("Ref", s.logicalId(s.stack.functions().get(FleetrunFunction.STATUS_LISTENER).alias())))))),
                "MaximumRetryAttempts", 2,
                "DestinationConfig", Map.of("OnFailure", Map.of("Destination",
                        Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack.deadLetters()), "Arn"))))));
    }

    @Test
    void deadLetterQueueIsEncrypted() {
        s().template.hasResourceProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
    }

    @Test
    void deadLetterQueueRefusesPlainHttp() {
        s().template.hasResourceProperties("AWS::SQS::QueuePolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }
}
