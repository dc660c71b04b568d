package dev.fleetrun.catalog.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EventBridge rule of each job, as data: the CDK stack ({@code JobTriggers}) deploys it and the embedded runtime
 * ({@code fleetrun serve --jobs FILE}) installs it from this one description, as {@code FleetrunRules} does for
 * fleetrun's own rules.
 */
public final class JobRules {
    /** Where CloudWatch's alarm events come from. */
    public static final String ALARM_SOURCE = "aws.cloudwatch";
    /** The detail type of CloudWatch's alarm state changes. */
    public static final String ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "@@fleetrun-path:";

    private JobRules() {
    }

    /** The rule's name (the stack's construct id): {@code Schedule-patch-web}, {@code Alarm-restart-web}. */
    public static String ruleName(Job job) {
        return (job instanceof Job.ScheduleJob ? "Schedule-" : "Alarm-") + job.name();
    }

    /** The {@code detail} of an alarm job's pattern: one of its alarms changing to {@code ALARM}. */
    public static Map<String, Object> alarmDetail(Job.AlarmJob job) {
        return Map.of("alarmName", job.alarmNames(), "state", Map.of("value", List.of("ALARM")));
    }

    /** An alarm job's whole event pattern. */
    public static Map<String, Object> alarmPattern(Job.AlarmJob job) {
        Map<String, Object> pattern = new LinkedHashMap<>();
        pattern.put("source", List.of(ALARM_SOURCE));
        pattern.put("detail-type", List.of(ALARM_STATE_CHANGE));
        pattern.put("detail", alarmDetail(job));
        return pattern;
    }

    /** An {@code InputTransformer}: names bound to paths into the event, and the template that uses them as {@code <name>}. */
    public record Transformer(Map<String, String> inputPathsMap, String inputTemplate) {
    }

    /**
     * The input transformer of an alarm job's target: {@link TriggerInput#alarm} with each event value a placeholder
     * outside quotes, which EventBridge fills with the value as JSON, as CDK writes it from {@code EventField} paths.
     */
    public static Transformer alarmTransformer(Job.AlarmJob job) {
        Map<String, String> names = new LinkedHashMap<>();
        TriggerInput.ALARM_PATHS.forEach((name, path) -> names.put(path, name));
        names.put(TriggerInput.ALARM_INSTANCE_PATH, "instanceId");
        Map<String, String> paths = new LinkedHashMap<>();
        String template = TriggerInput.alarm(job, path -> {
            String name = names.get(path);
            paths.put(name, path);
            return MARK + name + "@@";
        }).toString();
        for (String name : paths.keySet()) {
            template = template.replace("\"" + MARK + name + "@@\"", "<" + name + ">");
        }
        return new Transformer(Map.copyOf(paths), template);
    }

    /** A scheduled job's constant input, as JSON text. */
    public static String scheduleInput(Job.ScheduleJob job) {
        try {
            return JSON.writeValueAsString(TriggerInput.schedule(job));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
