package dev.fleetrun.aws;

import java.util.function.Supplier;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.resourcegroups.ResourceGroupsClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The AWS clients of one process, each built on first use and then kept: a function builds only the
 * clients it calls, once, at init (where SnapStart snapshots them). All share one url-connection HTTP
 * client; the endpoint comes from the standard {@code AWS_ENDPOINT_URL} settings, so the same code
 * talks to AWS and to the embedded runtime. Retries use the SDK's adaptive mode, which backs off on
 * SSM's "Rate exceeded" throttling.
 */
public final class AwsClients {
    private static final AwsClients SHARED = new AwsClients(null);

    private final Endpoint endpoint;
    private final Supplier<SdkHttpClient> http;
    private final Supplier<SsmClient> ssm;
    private final Supplier<SfnClient> sfn;
    private final Supplier<DynamoDbClient> dynamo;
    private final Supplier<EventBridgeClient> events;
    private final Supplier<SnsClient> sns;
    private final Supplier<CloudWatchClient> cloudWatch;
    private final Supplier<ResourceGroupsClient> resourceGroups;

    private AwsClients(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.http = Lazy.of(() -> UrlConnectionHttpClient.builder().build());
        this.ssm = Lazy.of(() -> build(SsmClient.builder()));
        this.sfn = Lazy.of(() -> build(SfnClient.builder()));
        this.dynamo = Lazy.of(() -> build(DynamoDbClient.builder()));
        this.events = Lazy.of(() -> build(EventBridgeClient.builder()));
        this.sns = Lazy.of(() -> build(SnsClient.builder()));
        this.cloudWatch = Lazy.of(() -> build(CloudWatchClient.builder()));
        this.resourceGroups = Lazy.of(() -> build(ResourceGroupsClient.builder()));
    }

    /** The process-wide clients, for the no-argument constructors that Lambda calls. */
    public static AwsClients shared() {
        return SHARED;
    }

    /**
     * Clients for one endpoint with fixed credentials and Region, whatever the environment says: how
     * the embedded runtime points the real handlers, in its own process, at itself.
     */
    public static AwsClients forEndpoint(URI uri, Region region, AwsCredentialsProvider credentials) {
        return new AwsClients(new Endpoint(uri, region, credentials));
    }

    private record Endpoint(URI uri, Region region, AwsCredentialsProvider credentials) {
    }

    private <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(B builder) {
        builder.httpClient(http.get())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.ADAPTIVE_V2).build());
        if (endpoint == null) {
            builder.region(new DefaultAwsRegionProviderChain().getRegion());
        } else {
            builder.endpointOverride(endpoint.uri()).region(endpoint.region()).credentialsProvider(endpoint.credentials());
        }
        return builder.build();
    }

    public SsmClient ssm() {
        return ssm.get();
    }

    public SfnClient sfn() {
        return sfn.get();
    }

    public DynamoDbClient dynamo() {
        return dynamo.get();
    }

    public EventBridgeClient events() {
        return events.get();
    }

    public SnsClient sns() {
        return sns.get();
    }

    public CloudWatchClient cloudWatch() {
        return cloudWatch.get();
    }

    public ResourceGroupsClient resourceGroups() {
        return resourceGroups.get();
    }
}
