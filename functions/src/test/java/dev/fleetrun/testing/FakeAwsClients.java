package dev.fleetrun.testing;

import dev.fleetrun.local.wire.LocalCredentials;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.resourcegroups.ResourceGroupsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Real AWS SDK clients configured as fleetrun's Lambdas configure theirs (url-connection HTTP
 * client, region us-east-1, the fake's credentials), pointed at a {@link FakeAws}. Hand them to a
 * handler's test constructor. Closing closes every client and the shared HTTP client.
 */
public record FakeAwsClients(SsmClient ssm, SfnClient sfn, EventBridgeClient events, SnsClient sns,
                             CloudWatchClient cloudWatch, ResourceGroupsClient resourceGroups, SdkHttpClient httpClient)
        implements AutoCloseable {

    /** @param maxAttempts attempts per call; 0 keeps the SDK's default retry strategy */
    static FakeAwsClients create(URI endpoint, LocalCredentials credentials, int maxAttempts) {
        SdkHttpClient http = UrlConnectionHttpClient.create();
        return new FakeAwsClients(
                configure(SsmClient.builder(), endpoint, credentials, http, maxAttempts).build(),
                configure(SfnClient.builder(), endpoint, credentials, http, maxAttempts).build(),
                configure(EventBridgeClient.builder(), endpoint, credentials, http, maxAttempts).build(),
                configure(SnsClient.builder(), endpoint, credentials, http, maxAttempts).build(),
                configure(CloudWatchClient.builder(), endpoint, credentials, http, maxAttempts).build(),
                configure(ResourceGroupsClient.builder(), endpoint, credentials, http, maxAttempts).build(),
                http);
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>>
            B configure(B builder, URI endpoint, LocalCredentials credentials, SdkHttpClient http, int maxAttempts) {
        builder.region(Region.of(FakeAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .endpointOverride(endpoint)
                .httpClient(http);
        if (maxAttempts > 0) {
            builder.overrideConfiguration(config -> config.retryStrategy(retry -> retry.maxAttempts(maxAttempts)));
        }
        return builder;
    }

    @Override
    public void close() {
        ssm.close();
        sfn.close();
        events.close();
        sns.close();
        cloudWatch.close();
        resourceGroups.close();
        httpClient.close();
    }
}
