package dev.fleetrun.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The alert topic: encrypted under a rotating key that CloudWatch alarms may use, TLS only, optional e-mail. */
class AlertsTemplateTest {

    @Test
    void topicIsEncryptedWithItsOwnKey() {
        Synthesized s = Synthesized.configured();
        s.template.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId",
                Map.of("Fn::GetAtt", List.of(s.logicalId(s.stack.alerts().key()), "Arn"))));
    }

    @Test
    void keyRotates() {
        Synthesized.configured().template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void cloudWatchAlarmsMayUseTheKey() {
        Synthesized.configured().template.hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"),
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey"))))))));
    }

    @Test
    void cloudWatchAlarmsOfThisAccountMayPublish() {
        Synthesized.configured().template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "cloudwatch.amazonaws.com"), "Action", "sns:Publish",
                        "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"))))))))));
    }

    @Test
    void topicRefusesPlainHttp() {
        Synthesized.configured().template.hasResourceProperties("AWS::SNS::TopicPolicy", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void alertEmailFromContextIsSubscribed() {
        Synthesized.configured().template.hasResourceProperties("AWS::SNS::Subscription",
                Map.of("Protocol", "email", "Endpoint", "ops@example.com"));
    }

    @Test
    void noSubscriptionWithoutAnAlertEmail() {
        Synthesized.defaults().template.resourceCountIs("AWS::SNS::Subscription", 0);
    }
}
