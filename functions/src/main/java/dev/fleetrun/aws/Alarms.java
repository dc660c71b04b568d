package dev.fleetrun.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** The CloudWatch alarms a run watches between waves. */
public final class Alarms {
    /** The state {@link #states} reports for an alarm CloudWatch does not know. */
    public static final String MISSING = "MISSING";
    private final CloudWatchClient cloudWatch;

    public Alarms(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** The state of each named alarm, metric or composite; an alarm that does not exist is reported as {@code MISSING}. */
    public List<AlarmState> states(List<String> names) {
        List<AlarmState> out = new ArrayList<>();
        if (names.isEmpty()) {
            return out;
        }
        // Without AlarmTypes, DescribeAlarms leaves composite alarms out: a composite would never fire here.
        DescribeAlarmsResponse found = cloudWatch.describeAlarms(b -> b.alarmNames(names)
                .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM));
        Map<String, String> states = new HashMap<>();
        found.metricAlarms().forEach(a -> states.put(a.alarmName(), a.stateValueAsString()));
        found.compositeAlarms().forEach(a -> states.put(a.alarmName(), a.stateValueAsString()));
        for (String name : names) {
            out.add(new AlarmState(name, states.getOrDefault(name, MISSING)));
        }
        return out;
    }

    public record AlarmState(String name, String state) {
        public boolean firing() {
            return StateValue.ALARM.toString().equals(state);
        }
    }
}
