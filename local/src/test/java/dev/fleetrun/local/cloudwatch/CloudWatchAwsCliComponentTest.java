package dev.fleetrun.local.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.testing.AwsCli;
import dev.fleetrun.local.testing.AwsCli.Result;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.RecordedRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * CloudWatch alarms as the AWS CLI v1 installed here drives them: botocore 1.43's CloudWatch model lists
 * {@code protocols: ["smithy-rpc-v2-cbor", "json", "query"]} and botocore takes the first it supports in its own order
 * (json before smithy-rpc-v2-cbor), so the CLI sends AWS JSON 1.0 ({@code X-Amz-Target:
 * GraniteServiceVersion20100801.*}) while the SDK sends CBOR. The same service answers both: an alarm the CLI puts,
 * the SDK reads, and the reverse.
 */
class CloudWatchAwsCliComponentTest {
    private static final Instant NOW = Instant.parse("2024-05-14T10:15:40.985Z");

    private final List<JsonNode> emitted = new ArrayList<>();
    private final List<RecordedRequest> served = new CopyOnWriteArrayList<>();
    private AwsServer server;
    private AwsCli aws;

    @BeforeEach
    void start() {
        aws = AwsCli.require("CloudWatch over AWS JSON 1.0", () -> server.endpoint(), () -> server.credentials());
        server = AwsServer.start(0).onRequest(served::add);
        new CloudWatchService(Clock.fixed(NOW, ZoneOffset.UTC), emitted::add).serveOn(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAlarmPutWithTheCliIsDescribedAndSetInAlarmEmittingTheStateChangeEvent() {
        aws.run("cloudwatch", "put-metric-alarm", "--alarm-name", "web-disk-full", "--namespace", "CWAgent",
                "--metric-name", "disk_used_percent", "--dimensions", "Name=InstanceId,Value=i-0f9e8d7c6b5a40312",
                "--statistic", "Average", "--period", "300", "--evaluation-periods", "1", "--threshold", "80",
                "--comparison-operator", "GreaterThanThreshold").json();
        RecordedRequest put = served.get(0);
        assertEquals("GraniteServiceVersion20100801.PutMetricAlarm", put.header("X-Amz-Target"));
        assertEquals("application/x-amz-json-1.0", put.header("Content-Type"));

        JsonNode alarm = aws.run("cloudwatch", "describe-alarms", "--alarm-names", "web-disk-full").json()
                .path("MetricAlarms").get(0);
        assertEquals("INSUFFICIENT_DATA", alarm.path("StateValue").asText());
        assertEquals(80.0, alarm.path("Threshold").asDouble());
        assertEquals("i-0f9e8d7c6b5a40312", alarm.path("Dimensions").get(0).path("Value").asText());
        // AWS JSON timestamps are epoch seconds with their fraction, which the CLI v1 prints as they came.
        assertEquals(NOW, Instant.ofEpochMilli(Math.round(alarm.path("StateUpdatedTimestamp").asDouble() * 1000)));

        aws.run("cloudwatch", "set-alarm-state", "--alarm-name", "web-disk-full", "--state-value", "ALARM",
                "--state-reason", "Threshold Crossed: 97.3 > 80").json();
        assertEquals(1, emitted.size());
        JsonNode event = emitted.get(0);
        assertEquals("CloudWatch Alarm State Change", event.path("detail-type").asText());
        assertEquals("ALARM", event.path("detail").path("state").path("value").asText());

        try (CloudWatchClient sdk = LocalClients.cloudWatch(server)) {
            assertEquals(StateValue.ALARM, sdk.describeAlarms(b -> b.alarmNames("web-disk-full")).metricAlarms().get(0)
                    .stateValue(), "the SDK (RPC v2 CBOR) sees what the CLI (AWS JSON 1.0) set");
        }
        aws.run("cloudwatch", "delete-alarms", "--alarm-names", "web-disk-full").json();
        assertEquals(0, aws.run("cloudwatch", "describe-alarms").json().path("MetricAlarms").size());
    }

    @Test
    void errorsReachTheCliWithTheirQueryCodes() {
        Result missing = aws.run("cloudwatch", "set-alarm-state", "--alarm-name", "nope", "--state-value", "ALARM",
                "--state-reason", "test");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.stderr().contains("An error occurred (ResourceNotFound) when calling the SetAlarmState"
                + " operation: Alarm nope not found"), missing.stderr());
        Result badOperator = aws.run("cloudwatch", "put-metric-alarm", "--alarm-name", "x", "--namespace", "N",
                "--metric-name", "M", "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator", "Bigger");
        assertTrue(badOperator.stderr().contains("(InvalidParameterValue)"), badOperator.stderr());
        Result wrongSecret = aws.run(java.util.Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"), "cloudwatch",
                "describe-alarms");
        assertTrue(wrongSecret.stderr().contains("(SignatureDoesNotMatch)"), wrongSecret.stderr());
    }
}
