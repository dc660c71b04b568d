package dev.fleetrun.local.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Real AWS SDK clients pointed at a runtime endpoint, configured as fleetrun's functions configure theirs
 * (url-connection, us-east-1, static credentials), making one attempt per call so every error surfaces.
 */
public final class LocalClients {
    private LocalClients() {
    }

    public static EventBridgeClient events(URI endpoint) {
        return configure(EventBridgeClient.builder(), endpoint).build();
    }

    public static SnsClient sns(URI endpoint) {
        return configure(SnsClient.builder(), endpoint).build();
    }

    public static CloudWatchClient cloudWatch(URI endpoint) {
        return configure(CloudWatchClient.builder(), endpoint).build();
    }

    public static DynamoDbClient dynamoDb(URI endpoint) {
        return configure(DynamoDbClient.builder(), endpoint).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        return builder.region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fleetrunlocal", "x")))
                .endpointOverride(endpoint)
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)));
    }
}
