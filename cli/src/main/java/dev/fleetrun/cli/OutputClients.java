package dev.fleetrun.cli;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The clients {@code fleetrun logs} reads a run's whole output with: S3 and CloudWatch Logs, signed with the
 * operator's own credentials (the nodes wrote the output with theirs). Against a fleetrun runtime they address the
 * one local endpoint path-style; against AWS the bucket may be in another Region than the stack.
 */
public record OutputClients(S3Client s3, CloudWatchLogsClient logs) implements AutoCloseable {

    static OutputClients forEndpoint(URI endpoint, Region region, AwsCredentialsProvider credentials, SdkHttpClient http) {
        return new OutputClients(
                S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(region)
                        .credentialsProvider(credentials).httpClient(http).build(),
                CloudWatchLogsClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                        .httpClient(http).build());
    }

    static OutputClients forAws(Region region, AwsCredentialsProvider credentials, SdkHttpClient http) {
        return new OutputClients(
                S3Client.builder().region(region).crossRegionAccessEnabled(true).credentialsProvider(credentials)
                        .httpClient(http).build(),
                CloudWatchLogsClient.builder().region(region).credentialsProvider(credentials).httpClient(http).build());
    }

    @Override
    public void close() {
        s3.close();
        logs.close();
    }
}
