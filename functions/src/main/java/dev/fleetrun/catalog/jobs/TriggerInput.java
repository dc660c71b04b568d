package dev.fleetrun.catalog.jobs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.function.Function;

/**
 * The execution input a job's rule starts the workflow with: the job's run request plus a {@code trigger} object that
 * says what started it. For an alarm job the values come from the alarm event through EventBridge paths (an input
 * transformer); {@link #alarm} takes a function that turns such a path into a value, so the same shape serves both
 * the rule (paths become {@code <placeholders>}) and the synth-time check (paths become sample values).
 *
 * <pre>
 * schedule: {..request.., "trigger": {"type": "schedule", "job": "patch-web", "schedule": "cron(0 3 ? * SUN *)"}}
 * alarm:    {..request.., "trigger": {"type": "alarm", "job": "restart-web", "alarmName": ..., "alarmArn": ...,
 *                                     "state": "ALARM", "reason": ..., "time": ..., "instanceId": ...},
 *            "instanceIds": [the alarm's InstanceId]}           (instanceIds only with targetAlarmInstance)
 * </pre>
 */
public final class TriggerInput {

    /** EventBridge paths into a {@code CloudWatch Alarm State Change} event. */
    public static final Map<String, String> ALARM_PATHS = Map.of(
            "alarmName", "$.detail.alarmName",
            "alarmArn", "$.resources[0]",
            "state", "$.detail.state.value",
            "reason", "$.detail.state.reason",
            "time", "$.time");

    /** The {@code InstanceId} dimension of the alarm's (first) metric. */
    public static final String ALARM_INSTANCE_PATH = "$.detail.configuration.metrics[0].metricStat.metric.dimensions.InstanceId";

    /** Values a check uses in place of the event's. */
    public static final Map<String, String> SAMPLE_EVENT_VALUES = Map.of(
            "$.detail.alarmName", "sample-alarm",
            "$.resources[0]", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:sample-alarm",
            "$.detail.state.value", "ALARM",
            "$.detail.state.reason", "Threshold Crossed: 1 out of the last 1 datapoints was greater than the threshold",
            "$.time", "2026-01-01T00:00:00Z",
            ALARM_INSTANCE_PATH, "i-0123456789abcdef0");

    private TriggerInput() {
    }

    /** The input of a scheduled job: a constant. */
    public static ObjectNode schedule(Job.ScheduleJob job) {
        ObjectNode input = job.request().deepCopy();
        ObjectNode trigger = input.putObject("trigger");
        trigger.put("type", "schedule");
        trigger.put("job", job.name());
        trigger.put("schedule", job.schedule());
        return input;
    }

    /**
     * The input of an alarm job.
     *
     * @param eventValue turns an EventBridge path (see {@link #ALARM_PATHS}) into the value to write
     */
    public static ObjectNode alarm(Job.AlarmJob job, Function<String, String> eventValue) {
        ObjectNode input = job.request().deepCopy();
        ObjectNode trigger = JsonNodeFactory.instance.objectNode();
        trigger.put("type", "alarm");
        trigger.put("job", job.name());
        for (String key : new String[] {"alarmName", "alarmArn", "state", "reason", "time"}) {
            trigger.put(key, eventValue.apply(ALARM_PATHS.get(key)));
        }
        if (job.targetAlarmInstance()) {
            String instance = eventValue.apply(ALARM_INSTANCE_PATH);
            trigger.put("instanceId", instance);
            input.putArray("instanceIds").add(instance);
        }
        input.set("trigger", trigger);
        return input;
    }

    /** The input with sample values, as the start function would see it. */
    public static ObjectNode sample(Job job) {
        return switch (job) {
            case Job.ScheduleJob s -> schedule(s);
            case Job.AlarmJob a -> alarm(a, SAMPLE_EVENT_VALUES::get);
        };
    }
}
