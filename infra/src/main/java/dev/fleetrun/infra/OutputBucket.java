package dev.fleetrun.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The S3 bucket a run request can name in {@code output.s3Bucket} for full command output (SSM keeps only 24,000
 * characters of stdout). The SSM agent writes there with the node's own role, not with fleetrun's, so this construct
 * also offers {@link #nodeWritePolicy()}: a managed policy to attach to the instance profiles of the nodes. Public
 * access blocked, TLS only, objects expire; server access logs go to a second bucket.
 */
public final class OutputBucket extends Construct {

    private final Bucket bucket;
    private final ManagedPolicy nodeWritePolicy;

    public OutputBucket(Construct scope, String id, int retentionDays) {
        super(scope, id);
        Bucket accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(expireAfter(retentionDays)))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.suppress(accessLogs, "AwsSolutions-S1",
                "This is the access-log bucket of the output bucket; logging it into itself would loop.");
        bucket = Bucket.Builder.create(this, "Bucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("output/")
                .lifecycleRules(List.of(expireAfter(retentionDays)))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        String anyKey = bucket.arnForObjects("*");
        nodeWritePolicy = ManagedPolicy.Builder.create(this, "NodeWritePolicy")
                .description("Attach to the instance profile of nodes that fleetrun runs commands on, so the SSM agent"
                        + " can write command output to the fleetrun output bucket")
                .statements(List.of(
                        PolicyStatement.Builder.create()
                                .actions(List.of("s3:PutObject"))
                                .resources(List.of(anyKey))
                                .build(),
                        PolicyStatement.Builder.create()
                                .actions(List.of("s3:GetEncryptionConfiguration"))
                                .resources(List.of(bucket.getBucketArn()))
                                .build()))
                .build();
        Nag.suppressResources(nodeWritePolicy, "AwsSolutions-IAM5",
                "Command output keys are <prefix>/<command-id>/<instance-id>/..., chosen by SSM at run time: the agent"
                        + " needs PutObject on any key of this one bucket.",
                List.of(anyKey));
    }

    private static LifecycleRule expireAfter(int days) {
        return LifecycleRule.builder()
                .id("expire-after-" + days + "-days")
                .expiration(Duration.days(days))
                .abortIncompleteMultipartUploadAfter(Duration.days(1))
                .build();
    }

    public Bucket bucket() {
        return bucket;
    }

    public ManagedPolicy nodeWritePolicy() {
        return nodeWritePolicy;
    }
}
