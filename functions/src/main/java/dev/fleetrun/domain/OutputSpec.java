package dev.fleetrun.domain;

/**
 * Where SSM writes the full output of every node (the run records keep an excerpt only): an S3 bucket and key
 * prefix, a CloudWatch Logs group, or both. Each part is {@code null} when not asked for. The nodes write the
 * output with their own instance role, so that role needs access to the bucket or the log group.
 */
public record OutputSpec(String s3Bucket, String s3KeyPrefix, String cloudWatchLogGroup) {
}
