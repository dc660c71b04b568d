package dev.fleetrun.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The SNS topic where fleetrun says something went wrong: breaches, failed runs (from the functions) and the
 * product's own CloudWatch alarms. Encrypted with a customer-managed key because CloudWatch alarms cannot publish to a
 * topic under the AWS-managed SNS key; TLS only; an optional e-mail subscription.
 */
public final class AlertTopic extends Construct {

    private static final String CLOUDWATCH = "cloudwatch.amazonaws.com";

    private final Key key;
    private final Topic topic;

    public AlertTopic(Construct scope, String id, Optional<String> email) {
        super(scope, id);
        key = Key.Builder.create(this, "Key")
                .description("Encrypts the fleetrun alert topic")
                .enableKeyRotation(true)
                .build();
        // Alarm actions publish to the topic as the CloudWatch service, which must be able to use the key.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal(CLOUDWATCH)))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of("*"))
                .build());
        topic = Topic.Builder.create(this, "Topic")
                .displayName("fleetrun alerts")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        Stack stack = Stack.of(this);
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsOfThisAccount")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal(CLOUDWATCH)))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", stack.getAccount())))
                .build());
        email.ifPresent(address -> topic.addSubscription(new EmailSubscription(address)));
    }

    public Key key() {
        return key;
    }

    public Topic topic() {
        return topic;
    }
}
