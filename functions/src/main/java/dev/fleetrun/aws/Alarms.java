package dev.fleetrun.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** The CloudWatch alarms a run watches between waves. */
public final class Alarms {
    private final CloudWatchClient cloudWatch;

    public Alarms(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** The state of each named alarm; an alarm that does not exist is reported as {@code MISSING}. */
    public List<AlarmState> states(List<String> names) {
        List<AlarmState> out = new ArrayList<>();
        if (names.isEmpty()) {
            return out;
        }
        List<MetricAlarm> found = cloudWatch.describeAlarms(b -> b.alarmNames(names)).metricAlarms();
        for (String name : names) {
            String state = found.stream().filter(a -> name.equals(a.alarmName()))
                    .map(MetricAlarm::stateValueAsString).findFirst().orElse("MISSING");
            out.add(new AlarmState(name, state));
        }
        return out;
    }

    public record AlarmState(String name, String state) {
        public boolean firing() {
            return StateValue.ALARM.toString().equals(state);
        }
    }
}
