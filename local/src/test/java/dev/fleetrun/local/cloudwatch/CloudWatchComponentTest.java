package dev.fleetrun.local.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.local.events.EventBus;
import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** CloudWatch alarms over RPC v2 CBOR with the real SDK client: put, set in ALARM, describe, and the event it emits. */
class CloudWatchComponentTest {
    private static final String ALARM_JOB = """
            {"source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
             "detail": {"alarmName": ["web-disk-full"], "state": {"value": ["ALARM"]}}}""";

    private final List<JsonNode> emitted = new ArrayList<>();
    private CloudWatchService cloudWatch;
    private AwsServer server;
    private CloudWatchClient client;

    @BeforeEach
    void start() {
        cloudWatch = new CloudWatchService(Clock.fixed(Instant.parse("2024-05-14T10:15:40.985Z"), ZoneOffset.UTC),
                emitted::add);
        server = AwsServer.start(0).rpcV2Service(CloudWatchService.SERVICE_SHAPE, cloudWatch);
        client = LocalClients.cloudWatch(server);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private void putDiskAlarm() {
        client.putMetricAlarm(b -> b.alarmName("web-disk-full").alarmDescription("Root volume over 80%")
                .namespace("CWAgent").metricName("disk_used_percent").statistic(Statistic.AVERAGE).period(300)
                .evaluationPeriods(1).threshold(80.0).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .dimensions(Dimension.builder().name("InstanceId").value("i-0f9e8d7c6b5a40312").build()));
    }

    @Test
    void aNewAlarmHasInsufficientDataAndItsDefinition() {
        putDiskAlarm();
        MetricAlarm alarm = client.describeAlarms(b -> b.alarmNames("web-disk-full")).metricAlarms().get(0);
        assertEquals(StateValue.INSUFFICIENT_DATA, alarm.stateValue());
        assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-disk-full", alarm.alarmArn());
        assertEquals(80.0, alarm.threshold());
        assertEquals("i-0f9e8d7c6b5a40312", alarm.dimensions().get(0).value());
        assertTrue(emitted.isEmpty());
    }

    @Test
    void setAlarmStatePutsTheAlarmInAlarmAndEmitsTheStateChangeEvent() {
        putDiskAlarm();
        client.setAlarmState(b -> b.alarmName("web-disk-full").stateValue(StateValue.OK).stateReason("all good"));
        client.setAlarmState(b -> b.alarmName("web-disk-full").stateValue(StateValue.ALARM)
                .stateReason("Threshold Crossed: 97.3 > 80").stateReasonData("{\"version\":\"1.0\"}"));

        assertEquals(List.of("web-disk-full"), client.describeAlarms(b -> b.stateValue(StateValue.ALARM)).metricAlarms()
                .stream().map(MetricAlarm::alarmName).toList());
        assertEquals(2, emitted.size());
        JsonNode event = emitted.get(1);
        assertEquals("CloudWatch Alarm State Change", event.path("detail-type").asText());
        assertEquals("aws.cloudwatch", event.path("source").asText());
        assertEquals("OK", event.path("detail").path("previousState").path("value").asText());
        assertEquals("ALARM", event.path("detail").path("state").path("value").asText());
        assertEquals("2024-05-14T10:15:40.985+0000", event.path("detail").path("state").path("timestamp").asText());
        assertEquals("i-0f9e8d7c6b5a40312", event.path("detail").path("configuration").path("metrics").get(0)
                .path("metricStat").path("metric").path("dimensions").path("InstanceId").asText());
        assertTrue(EventBus.matches(ALARM_JOB, event), "an alarm job's rule takes it");

        client.setAlarmState(b -> b.alarmName("web-disk-full").stateValue(StateValue.ALARM).stateReason("still"));
        assertEquals(2, emitted.size(), "no change, no event");
    }

    @Test
    void unknownAlarmsAndStatesAreRefused() {
        assertThrows(ResourceNotFoundException.class, () -> client.setAlarmState(b -> b.alarmName("nope")
                .stateValue(StateValue.ALARM).stateReason("x")));
        putDiskAlarm();
        var error = assertThrows(InvalidParameterValueException.class, () -> client.describeAlarms(b -> b
                .stateValue("BROKEN")));
        assertTrue(error.awsErrorDetails().errorMessage().contains("BROKEN"), error.getMessage());
        assertThrows(InvalidParameterValueException.class, () -> client.setAlarmState(b -> b.alarmName("web-disk-full")
                .stateValue("BROKEN").stateReason("x")));
    }

    @Test
    void theJavaViewSetsUpADemoAlarm() {
        cloudWatch.putAlarm("web-5xx-high", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", java.util.Map.of());
        cloudWatch.setAlarmState("web-5xx-high", "ALARM", "demo");
        assertEquals(StateValue.ALARM, client.describeAlarms(b -> b.alarmNames("web-5xx-high")).metricAlarms().get(0)
                .stateValue());
    }
}
