package dev.fleetrun.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
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

    private final Supplier<SdkHttpClient> http;
    private final Supplier<SsmClient> ssm;
    private final Supplier<SfnClient> sfn;
    private final Supplier<DynamoDbClient> dynamo;
    private final Supplier<EventBridgeClient> events;
    private final Supplier<SnsClient> sns;
    private final Supplier<CloudWatchClient> cloudWatch;

    private AwsClients(SdkHttpClient httpClient) {
        this.http = Lazy.of(() -> httpClient != null ? httpClient : UrlConnectionHttpClient.builder().build());
        ClientOverrideConfiguration retries = ClientOverrideConfiguration.builder()
                .retryStrategy(RetryMode.ADAPTIVE_V2)
                .build();
        this.ssm = Lazy.of(() -> SsmClient.builder().httpClient(http.get()).region(region()).overrideConfiguration(retries).build());
        this.sfn = Lazy.of(() -> SfnClient.builder().httpClient(http.get()).region(region()).overrideConfiguration(retries).build());
        this.dynamo = Lazy.of(() -> DynamoDbClient.builder().httpClient(http.get()).region(region()).overrideConfiguration(retries).build());
        this.events = Lazy.of(() -> EventBridgeClient.builder().httpClient(http.get()).region(region()).overrideConfiguration(retries).build());
        this.sns = Lazy.of(() -> SnsClient.builder().httpClient(http.get()).region(region()).overrideConfiguration(retries).build());
        this.cloudWatch = Lazy.of(() -> CloudWatchClient.builder().httpClient(http.get()).region(region()).overrideConfiguration(retries).build());
    }

    /** The process-wide clients, for the no-argument constructors that Lambda calls. */
    public static AwsClients shared() {
        return SHARED;
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

    private static software.amazon.awssdk.regions.Region region() {
        return new DefaultAwsRegionProviderChain().getRegion();
    }
}
