package dev.fleetrun.infra;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An AWS-compatible endpoint that answers every service on one URL (moto's server, LocalStack), with the Region and
 * account it answers for and credentials it accepts. Clients are the SDK's own, with the url-connection HTTP client.
 */
record AwsEndpoint(URI url, Region region, String account, AwsCredentialsProvider credentials) {

    static AwsEndpoint of(URI url, Region region, String account, String accessKey, String secretKey) {
        return new AwsEndpoint(url, region, account, StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    }

    /** A client of this endpoint, e.g. {@code endpoint.client(SfnClient.builder())}. */
    <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(url)
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
                .build();
    }

    /** S3 with path-style addressing: a bucket is not a host name on a loopback endpoint. */
    S3Client s3() {
        return client(S3Client.builder().forcePathStyle(true));
    }
}
