package dev.fleetrun.local.testing;

import dev.fleetrun.local.wire.AwsServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Real AWS SDK clients pointed at a runtime endpoint, configured as fleetrun's functions configure theirs
 * (url-connection, us-east-1, the server's credentials), making one attempt per call so every error surfaces.
 */
public final class LocalClients {
    private LocalClients() {
    }

    public static EventBridgeClient events(AwsServer server) {
        return configure(EventBridgeClient.builder(), server).build();
    }

    public static SnsClient sns(AwsServer server) {
        return configure(SnsClient.builder(), server).build();
    }

    public static SqsClient sqs(AwsServer server) {
        return configure(SqsClient.builder(), server).build();
    }

    public static CloudWatchClient cloudWatch(AwsServer server) {
        return configure(CloudWatchClient.builder(), server).build();
    }

    public static SfnClient sfn(AwsServer server) {
        return configure(SfnClient.builder(), server).build();
    }

    public static DynamoDbClient dynamoDb(AwsServer server) {
        return configure(DynamoDbClient.builder(), server).build();
    }

    /** S3, path-style (as the SDK addresses an endpoint given as an IP address). */
    public static S3Client s3(AwsServer server) {
        return configure(S3Client.builder(), server).forcePathStyle(true).build();
    }

    public static CloudWatchLogsClient logs(AwsServer server) {
        return configure(CloudWatchLogsClient.builder(), server).build();
    }

    /** The server's own credentials, for clients built elsewhere. */
    public static StaticCredentialsProvider credentials(AwsServer server) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(server.credentials().accessKeyId(),
                server.credentials().secretAccessKey()));
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, AwsServer server) {
        return builder.region(Region.US_EAST_1)
                .credentialsProvider(credentials(server))
                .endpointOverride(server.endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)));
    }
}
