package dev.fleetrun.catalog.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A job of the jobs file: a run request that an EventBridge rule starts without a person, either on a schedule
 * ({@link ScheduleJob}) or when a CloudWatch alarm goes to {@code ALARM} ({@link AlarmJob}).
 */
public sealed interface Job permits Job.ScheduleJob, Job.AlarmJob {

    /** Unique in the file; names the rule and appears in the run's {@code trigger}. */
    String name();

    /** Free text for the rule's description; may be empty. */
    String description();

    /** A disabled job keeps its rule, switched off (for a maintenance freeze). */
    boolean enabled();

    /** The run request, without {@code trigger} (the rule adds it). */
    ObjectNode request();

    /**
     * Runs on an EventBridge schedule.
     *
     * @param schedule {@code rate(...)} or {@code cron(...)}, as EventBridge rules take it
     */
    record ScheduleJob(String name, String description, boolean enabled, String schedule, ObjectNode request)
            implements Job {
    }

    /**
     * Runs when one of the named alarms changes to {@code ALARM}.
     *
     * @param alarmNames          the CloudWatch alarms (of this account and Region) that start it
     * @param targetAlarmInstance when true the run targets the instance named by the alarm's {@code InstanceId}
     *                            dimension, and the request names no targets of its own
     */
    record AlarmJob(String name, String description, boolean enabled, List<String> alarmNames,
                    boolean targetAlarmInstance, ObjectNode request) implements Job {
        public AlarmJob {
            alarmNames = List.copyOf(alarmNames);
        }
    }
}
