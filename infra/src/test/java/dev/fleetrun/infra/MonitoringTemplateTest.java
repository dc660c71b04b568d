package dev.fleetrun.infra;

import dev.fleetrun.catalog.FleetrunFunction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.assertions.Match;

/** fleetrun watches itself: failed executions, dead letters, function errors, reconcile activations. */
class MonitoringTemplateTest {

    private static final String ALARM = "AWS::CloudWatch::Alarm";

    @Test
    void alarmsOnExecutionsThatFailOrTimeOut() {
        Synthesized.configured().template.hasResourceProperties(ALARM, Map.of(
                "Metrics", Match.arrayWith(List.of(Match.objectLike(Map.of("Expression", "failed + timedOut")))),
                "Threshold", 1, "ComparisonOperator", "GreaterThanOrEqualToThreshold"));
    }

    @Test
    void alarmsWhenTheDeadLetterQueueHoldsAnything() {
        Synthesized s = Synthesized.configured();
        s.template.hasResourceProperties(ALARM, Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "Namespace", "AWS/SQS",
                "Dimensions", List.of(Map.of("Name", "QueueName",
                        "Value", Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack.deadLetters()), "QueueName")))),
                "Threshold", 1));
    }

    @ParameterizedTest
    @EnumSource(FleetrunFunction.class)
    void alarmsWhenAFunctionErrors(FleetrunFunction f) {
        Synthesized s = Synthesized.configured();
        s.template.hasResourceProperties(ALARM, Map.of(
                "MetricName", "Errors", "Namespace", "AWS/Lambda",
                "Dimensions", List.of(Map.of("Name", "FunctionName",
                        "Value", Map.of("Ref", s.logicalId(s.stack.functions().get(f).function())))),
                "Threshold", 1));
    }

    @Test
    void alarmsWhenReconcileRunsOftenInAnHour() {
        Synthesized s = Synthesized.defaults();
        s.template.hasResourceProperties(ALARM, Map.of(
                "MetricName", "Invocations", "Namespace", "AWS/Lambda", "Period", 3600, "Threshold", 5,
                "Dimensions", List.of(Map.of("Name", "FunctionName",
                        "Value", Map.of("Ref", s.logicalId(s.stack.functions().get(FleetrunFunction.RECONCILE).function()))))));
    }

    @Test
    void everyAlarmNotifiesTheAlertTopic() {
        Synthesized s = Synthesized.configured();
        s.template.allResourcesProperties(ALARM, Map.of("AlarmActions",
                List.of(Map.of("Ref", s.logicalId(s.stack.alerts().topic())))));
    }

    @Test
    void hasADashboard() {
        Synthesized.configured().template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    }
}
