package dev.fleetrun.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyDocument;
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

    /** What the account may do with the key: administer it, and use it (which IAM policies then grant further). */
    static final List<String> ACCOUNT_KEY_ACTIONS = List.of(
            "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:DeleteAlias", "kms:DescribeKey",
            "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy",
            "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies",
            "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RetireGrant", "kms:RevokeGrant",
            "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias",
            "kms:UpdateKeyDescription", "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
            "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext");

    private final Key key;
    private final Topic topic;

    public AlertTopic(Construct scope, String id, Optional<String> email) {
        super(scope, id);
        Stack stack = Stack.of(this);
        key = Key.Builder.create(this, "Key")
                .description("Encrypts the fleetrun alert topic")
                .enableKeyRotation(true)
                // The key serves only the topic, which goes with the stack: KMS deletes it after its waiting period.
                .removalPolicy(RemovalPolicy.DESTROY)
                .policy(PolicyDocument.Builder.create().statements(List.of(
                        // The account administers the key and delegates its use to IAM policies (the functions'
                        // roles); the actions are listed so no policy of the stack holds a wildcard action.
                        PolicyStatement.Builder.create()
                                .sid("AccountAdministersAndDelegatesUse")
                                .principals(List.of(new AccountRootPrincipal()))
                                .actions(ACCOUNT_KEY_ACTIONS)
                                .resources(List.of("*"))
                                .build(),
                        // Alarm actions publish to the topic as the CloudWatch service, which must use the key.
                        PolicyStatement.Builder.create()
                                .sid("CloudWatchAlarmsPublish")
                                .principals(List.of(new ServicePrincipal(CLOUDWATCH)))
                                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                                .resources(List.of("*"))
                                .build()))
                        .build())
                .build();
        topic = Topic.Builder.create(this, "Topic")
                .displayName("fleetrun alerts")
                .masterKey(key)
                .enforceSsl(true)
                .build();
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
