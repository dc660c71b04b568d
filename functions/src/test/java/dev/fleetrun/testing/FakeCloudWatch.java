package dev.fleetrun.testing;

import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.RpcV2CborProtocol;
import dev.fleetrun.local.wire.WireTree;
import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.checkRange;
import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.textList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudWatch {@code DescribeAlarms} over Smithy RPC v2 CBOR, the protocol of the SDK 2.41
 * CloudWatch client ({@code POST /service/GraniteServiceVersion20100801/operation/DescribeAlarms}):
 * answers with the metric alarms a test scripted with {@link #setAlarm}, in name order, filtered by
 * AlarmNames, AlarmNamePrefix (not both: {@code InvalidParameterCombination}) and StateValue,
 * paginated by MaxRecords (1 to 100, default 50) and NextToken. Composite alarms ({@link #setCompositeAlarm})
 * are listed only when AlarmTypes names {@code CompositeAlarm}, as CloudWatch does.
 */
public final class FakeCloudWatch extends AwsService {
    static final String SERVICE_SHAPE = "GraniteServiceVersion20100801";
    private static final List<String> STATES = List.of("OK", "ALARM", "INSUFFICIENT_DATA");

    private record Alarm(String name, String state, String reason, Instant updatedAt, boolean composite) {
    }

    private final Map<String, Alarm> alarms = new TreeMap<>();

    FakeCloudWatch(Clock clock) {
        super("cloudwatch", new RpcV2CborProtocol(), List.of("DescribeAlarms"), clock);
    }

    /** Creates or updates a metric alarm; {@code state} is OK, ALARM or INSUFFICIENT_DATA. */
    public synchronized FakeCloudWatch setAlarm(String name, String state) {
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("Alarm state '" + state + "' is not a CloudWatch StateValue; use one of "
                    + STATES);
        }
        alarms.put(name, new Alarm(name, state, "Set by the test to " + state, now(), false));
        return this;
    }

    /** Creates or updates a composite alarm; {@code state} is OK, ALARM or INSUFFICIENT_DATA. */
    public synchronized FakeCloudWatch setCompositeAlarm(String name, String state) {
        setAlarm(name, state);
        alarms.put(name, new Alarm(name, state, "Set by the test to " + state, now(), true));
        return this;
    }

    public synchronized FakeCloudWatch removeAlarm(String name) {
        alarms.remove(name);
        return this;
    }

    @Override
    protected AwsError throttlingError() {
        return new AwsError("Throttling", "Rate exceeded", 400, "Throttling");
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        if (!"DescribeAlarms".equals(operation)) {
            throw AwsError.unknownOperation(name(), operation, operations());
        }
        List<String> names = textList(input, "AlarmNames");
        String prefix = optionalText(input, "AlarmNamePrefix", null);
        String state = optionalText(input, "StateValue", null);
        Integer maxRecords = optionalInt(input, "MaxRecords");
        if (names.size() > 100) {
            throw invalidValue("AlarmNames may list at most 100 alarms, not " + names.size());
        }
        checkLength("AlarmNamePrefix", prefix, 1, 255);
        checkRange("MaxRecords", maxRecords, 1, 100);
        if (!names.isEmpty() && prefix != null) {
            throw new AwsError("InvalidParameterCombinationException",
                    "AlarmNames and AlarmNamePrefix cannot be used together", 400, "InvalidParameterCombination");
        }
        if (state != null && !STATES.contains(state)) {
            throw invalidValue("StateValue '" + state + "' is not one of " + STATES);
        }
        boolean metricAlarms = !RequestFields.has(input, "AlarmTypes")
                || textList(input, "AlarmTypes").contains("MetricAlarm");
        boolean compositeAlarms = RequestFields.has(input, "AlarmTypes")
                && textList(input, "AlarmTypes").contains("CompositeAlarm");

        List<Alarm> listed = new ArrayList<>();
        for (Alarm alarm : alarms.values()) {
            boolean matches = (alarm.composite() ? compositeAlarms : metricAlarms)
                    && (names.isEmpty() || names.contains(alarm.name()))
                    && (prefix == null || alarm.name().startsWith(prefix))
                    && (state == null || state.equals(alarm.state()));
            if (matches) {
                listed.add(alarm);
            }
        }
        Page<Alarm> page = Page.of(listed, maxRecords == null ? 50 : maxRecords, optionalText(input, "NextToken", null),
                "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode shapes = answer.putArray("MetricAlarms");
        page.items().stream().filter(alarm -> !alarm.composite()).forEach(alarm -> shapes.add(shape(alarm)));
        ArrayNode composites = answer.putArray("CompositeAlarms");
        page.items().stream().filter(Alarm::composite).forEach(alarm -> composites.add(shape(alarm)));
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }

    private static ObjectNode shape(Alarm alarm) {
        ObjectNode shape = WireTree.object()
                .put("AlarmName", alarm.name())
                .put("AlarmArn", "arn:aws:cloudwatch:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":alarm:"
                        + alarm.name())
                .put("ActionsEnabled", true);
        shape.putArray("OKActions");
        shape.putArray("AlarmActions");
        shape.putArray("InsufficientDataActions");
        shape.put("StateValue", alarm.state()).put("StateReason", alarm.reason());
        shape.putPOJO("StateUpdatedTimestamp", alarm.updatedAt());
        shape.putPOJO("StateTransitionedTimestamp", alarm.updatedAt());
        return shape;
    }

    private static AwsError invalidValue(String message) {
        return new AwsError("InvalidParameterValueException", message, 400, "InvalidParameterValue");
    }
}
