package dev.fleetrun.infra;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The output bucket: private, TLS only, expiring, access-logged; and the policy nodes need to write to it. */
class OutputBucketTemplateTest {

    private static String bucket() {
        Synthesized s = Synthesized.configured();
        return s.logicalId(s.stack.output().bucket());
    }

    @Test
    void bothBucketsBlockAllPublicAccess() {
        Synthesized.configured().template.allResourcesProperties("AWS::S3::Bucket", Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true)));
    }

    @Test
    void refusesPlainHttp() {
        Synthesized.configured().template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", bucket()),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void expiresOutputAfterTheRetentionDays() {
        Synthesized.defaults().template.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "LoggingConfiguration", Match.anyValue(),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                        "ExpirationInDays", 90, "Status", "Enabled"))))));
    }

    @Test
    void logsAccessToTheAccessLogBucket() {
        Synthesized.configured().template.hasResourceProperties("AWS::S3::Bucket", Map.of("LoggingConfiguration",
                Map.of("DestinationBucketName", Match.objectLike(Map.of()), "LogFilePrefix", "output/")));
    }

    @Test
    void nodeWritePolicyLetsTheAgentPutObjectsInTheBucket() {
        Synthesized.configured().template.hasResourceProperties("AWS::IAM::ManagedPolicy", Map.of("PolicyDocument",
                Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Action", "s3:PutObject",
                        "Resource", Map.of("Fn::Join", List.of("", List.of(Map.of("Fn::GetAtt", List.of(bucket(), "Arn")), "/*"))))))))));
    }
}
