package dev.fleetrun.local.cloudwatch;

import static dev.fleetrun.local.wire.RequestFields.checkLength;
import static dev.fleetrun.local.wire.RequestFields.checkRange;
import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;
import static dev.fleetrun.local.wire.RequestFields.textList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.AwsServer;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.RpcV2CborProtocol;
import dev.fleetrun.local.wire.WireTree;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The embedded runtime's CloudWatch alarms, in the two protocols the clients here speak: Smithy RPC v2 CBOR, the
 * protocol of the SDK for Java 2.41 and 2.59 CloudWatch client
 * ({@code POST /service/GraniteServiceVersion20100801/operation/<Operation>}), and AWS JSON 1.0, which the AWS CLI v1
 * (botocore 1.43) picks from the model's {@code protocols} list ({@code X-Amz-Target:
 * GraniteServiceVersion20100801.<Operation>}); both are "AWS Query compatible", so errors carry the Query code in
 * {@code x-amzn-query-error} as well. Operations: PutMetricAlarm (a metric
 * alarm on one metric), SetAlarmState, DescribeAlarms (by names, prefix and state, paginated) and DeleteAlarms.
 * Alarms are never evaluated against metrics: a demo or a test puts an alarm into {@code ALARM} with
 * SetAlarmState, as one does on AWS to try an alarm's actions. Each state change is emitted as AWS's
 * {@code CloudWatch Alarm State Change} event to the bus, so alarm-triggered jobs start.
 * Host it with {@link #serveOn(AwsServer)}.
 */
public final class CloudWatchService extends AwsService {
    /** The Smithy service shape the RPC v2 path names. */
    public static final String SERVICE_SHAPE = "GraniteServiceVersion20100801";
    /** The {@code X-Amz-Target} prefix of AWS JSON 1.0 requests (the model's {@code targetPrefix}). */
    public static final String TARGET_PREFIX = "GraniteServiceVersion20100801";
    /** AWS JSON 1.0, Query compatible: what the AWS CLI v1 sends. */
    public static final AwsJsonProtocol JSON_PROTOCOL = AwsJsonProtocol.queryCompatible("1.0");
    /** An alarm's states. */
    public static final List<String> STATES = List.of("OK", "ALARM", "INSUFFICIENT_DATA");
    private static final List<String> OPERATORS = List.of("GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
            "LessThanThreshold", "LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold",
            "LessThanLowerThreshold", "GreaterThanUpperThreshold");
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A metric alarm, as DescribeAlarms shows it. */
    public record Alarm(String name, String arn, String description, String namespace, String metricName,
                        Map<String, String> dimensions, String statistic, int period, int evaluationPeriods,
                        double threshold, String comparisonOperator, boolean actionsEnabled, List<String> alarmActions,
                        List<String> okActions, String state, String stateReason, String stateReasonData,
                        Instant stateUpdatedAt, Instant configurationUpdatedAt) {

        Alarm withState(String newState, String reason, String reasonData, Instant at) {
            return new Alarm(name, arn, description, namespace, metricName, dimensions, statistic, period,
                    evaluationPeriods, threshold, comparisonOperator, actionsEnabled, alarmActions, okActions, newState,
                    reason, reasonData, at, configurationUpdatedAt);
        }
    }

    private final String region;
    private final String accountId;
    private final Consumer<JsonNode> events;
    private final Map<String, Alarm> alarms = new TreeMap<>();

    /**
     * @param events where alarm state changes go (the bus's {@code publish}); null to emit nothing
     */
    public CloudWatchService(Clock clock, Consumer<JsonNode> events) {
        this(clock, events, "us-east-1", "123456789012");
    }

    public CloudWatchService(Clock clock, Consumer<JsonNode> events, String region, String accountId) {
        super("cloudwatch", new RpcV2CborProtocol(), List.of("DescribeAlarms", "PutMetricAlarm", "SetAlarmState",
                "DeleteAlarms"), clock);
        this.events = events;
        this.region = region;
        this.accountId = accountId;
    }

    /** Hosts this service on {@code server} in both its protocols (RPC v2 CBOR and AWS JSON 1.0); returns it. */
    public CloudWatchService serveOn(AwsServer server) {
        server.rpcV2Service(SERVICE_SHAPE, this).jsonService(TARGET_PREFIX, this, JSON_PROTOCOL);
        return this;
    }

    // ---- the Java view ----

    /**
     * Creates (or updates) a metric alarm on {@code namespace}/{@code metricName} with these dimensions, with
     * CloudWatch's defaults elsewhere (Average over 60 s, 1 period, GreaterThanThreshold 0).
     */
    public synchronized Alarm putAlarm(String name, String namespace, String metricName, Map<String, String> dimensions) {
        ObjectNode input = WireTree.object().put("AlarmName", name).put("Namespace", namespace)
                .put("MetricName", metricName).put("Statistic", "Average").put("Period", 60).put("EvaluationPeriods", 1)
                .put("Threshold", 0.0).put("ComparisonOperator", "GreaterThanThreshold");
        ArrayNode list = input.putArray("Dimensions");
        dimensions.forEach((key, value) -> list.addObject().put("Name", key).put("Value", value));
        putMetricAlarm(input);
        return alarms.get(name);
    }

    /** SetAlarmState: puts an existing alarm into OK, ALARM or INSUFFICIENT_DATA, and emits the change. */
    public synchronized Alarm setAlarmState(String name, String state, String reason) {
        ObjectNode input = WireTree.object().put("AlarmName", name).put("StateValue", state).put("StateReason", reason);
        setAlarmState(input);
        return alarms.get(name);
    }

    /** The alarm of this name, if any. */
    public synchronized Optional<Alarm> alarm(String name) {
        return Optional.ofNullable(alarms.get(name));
    }

    /** Every alarm, by name. */
    public synchronized List<Alarm> alarms() {
        return List.copyOf(alarms.values());
    }

    // ---- the API ----

    @Override
    protected AwsError throttlingError() {
        return new AwsError("Throttling", "Rate exceeded", 400, "Throttling");
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        return switch (operation) {
            case "DescribeAlarms" -> describeAlarms(input);
            case "PutMetricAlarm" -> {
                putMetricAlarm(input);
                yield WireTree.object();
            }
            case "SetAlarmState" -> {
                setAlarmState(input);
                yield WireTree.object();
            }
            case "DeleteAlarms" -> deleteAlarms(input);
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        };
    }

    private void putMetricAlarm(JsonNode input) {
        String name = requiredText(input, "AlarmName");
        checkLength("AlarmName", name, 1, 255);
        if (RequestFields.has(input, "Metrics")) {
            throw AwsError.notImplemented("metric math alarms (Metrics)", "give MetricName and Namespace");
        }
        String metricName = requiredText(input, "MetricName");
        String namespace = requiredText(input, "Namespace");
        Integer evaluationPeriods = optionalInt(input, "EvaluationPeriods");
        if (evaluationPeriods == null) {
            throw missing("EvaluationPeriods");
        }
        checkRange("EvaluationPeriods", evaluationPeriods, 1, Integer.MAX_VALUE);
        String operator = requiredText(input, "ComparisonOperator");
        if (!OPERATORS.contains(operator)) {
            throw invalidValue("ComparisonOperator '" + operator + "' is not one of " + OPERATORS);
        }
        Integer period = optionalInt(input, "Period");
        if (period != null && period < 1) {
            throw invalidValue("Period must be at least 1 second");
        }
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (JsonNode dimension : RequestFields.objects(input, "Dimensions")) {
            dimensions.put(requiredText(dimension, "Name"), requiredText(dimension, "Value"));
        }
        Double given = RequestFields.optionalDouble(input, "Threshold");
        double threshold = given == null ? 0 : given;
        Instant now = now();
        Alarm existing = alarms.get(name);
        alarms.put(name, new Alarm(name, "arn:aws:cloudwatch:" + region + ":" + accountId + ":alarm:" + name,
                optionalText(input, "AlarmDescription", null), namespace, metricName, Map.copyOf(dimensions),
                optionalText(input, "Statistic", optionalText(input, "ExtendedStatistic", "Average")),
                period == null ? 60 : period, evaluationPeriods, threshold, operator,
                RequestFields.optionalBoolean(input, "ActionsEnabled", true),
                textList(input, "AlarmActions"), textList(input, "OKActions"),
                existing == null ? "INSUFFICIENT_DATA" : existing.state(),
                existing == null ? "Unchecked: Initial alarm creation" : existing.stateReason(),
                existing == null ? null : existing.stateReasonData(),
                existing == null ? now : existing.stateUpdatedAt(), now));
    }

    private void setAlarmState(JsonNode input) {
        String name = requiredText(input, "AlarmName");
        String state = requiredText(input, "StateValue");
        String reason = requiredText(input, "StateReason");
        if (!STATES.contains(state)) {
            throw invalidValue("StateValue '" + state + "' is not one of " + STATES);
        }
        String reasonData = optionalText(input, "StateReasonData", null);
        if (reasonData != null && parse(reasonData) == null) {
            throw new AwsError("InvalidFormatFault", "StateReasonData is not valid JSON", 400, "InvalidFormat");
        }
        Alarm alarm = alarms.get(name);
        if (alarm == null) {
            throw new AwsError("ResourceNotFoundException", "Alarm " + name + " not found", 404, "ResourceNotFound");
        }
        Alarm changed = alarm.withState(state, reason, reasonData, now());
        alarms.put(name, changed);
        if (!alarm.state().equals(state) && events != null) {
            events.accept(stateChangeEvent(alarm, changed));
        }
    }

    /** AWS's {@code CloudWatch Alarm State Change} event for a single-metric alarm. */
    private ObjectNode stateChangeEvent(Alarm before, Alarm after) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "CloudWatch Alarm State Change");
        event.put("source", "aws.cloudwatch");
        event.put("account", accountId);
        event.put("time", after.stateUpdatedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", region);
        event.putArray("resources").add(after.arn());
        ObjectNode detail = event.putObject("detail");
        detail.put("alarmName", after.name());
        ObjectNode configuration = detail.putObject("configuration");
        if (after.description() != null) {
            configuration.put("description", after.description());
        }
        ObjectNode metric = configuration.putArray("metrics").addObject();
        metric.put("id", UUID.nameUUIDFromBytes(after.arn().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        ObjectNode stat = metric.putObject("metricStat");
        ObjectNode metricId = stat.putObject("metric");
        ObjectNode dimensions = metricId.putObject("dimensions");
        after.dimensions().forEach(dimensions::put);
        metricId.put("name", after.metricName());
        metricId.put("namespace", after.namespace());
        stat.put("period", after.period());
        stat.put("stat", after.statistic());
        metric.put("returnData", true);
        detail.set("previousState", state(before));
        detail.set("state", state(after));
        return event;
    }

    private static ObjectNode state(Alarm alarm) {
        ObjectNode state = JSON.createObjectNode();
        state.put("reason", alarm.stateReason());
        if (alarm.stateReasonData() != null) {
            state.put("reasonData", alarm.stateReasonData());
        }
        state.put("timestamp", EVENT_TIME.format(alarm.stateUpdatedAt()));
        state.put("value", alarm.state());
        return state;
    }

    private JsonNode describeAlarms(JsonNode input) {
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
        boolean metricAlarms = !RequestFields.has(input, "AlarmTypes") || textList(input, "AlarmTypes").contains("MetricAlarm");
        List<Alarm> listed = new ArrayList<>();
        for (Alarm alarm : alarms.values()) {
            if (metricAlarms && (names.isEmpty() || names.contains(alarm.name()))
                    && (prefix == null || alarm.name().startsWith(prefix))
                    && (state == null || state.equals(alarm.state()))) {
                listed.add(alarm);
            }
        }
        Page<Alarm> page = Page.of(listed, maxRecords == null ? 50 : maxRecords, optionalText(input, "NextToken", null),
                "InvalidNextToken");
        ObjectNode answer = WireTree.object();
        ArrayNode shapes = answer.putArray("MetricAlarms");
        page.items().forEach(alarm -> shapes.add(shape(alarm)));
        answer.putArray("CompositeAlarms");
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }

    private static ObjectNode shape(Alarm alarm) {
        ObjectNode shape = WireTree.object().put("AlarmName", alarm.name()).put("AlarmArn", alarm.arn());
        if (alarm.description() != null) {
            shape.put("AlarmDescription", alarm.description());
        }
        shape.putPOJO("AlarmConfigurationUpdatedTimestamp", alarm.configurationUpdatedAt());
        shape.put("ActionsEnabled", alarm.actionsEnabled());
        alarm.okActions().forEach(shape.putArray("OKActions")::add);
        alarm.alarmActions().forEach(shape.putArray("AlarmActions")::add);
        shape.putArray("InsufficientDataActions");
        shape.put("StateValue", alarm.state()).put("StateReason", alarm.stateReason());
        if (alarm.stateReasonData() != null) {
            shape.put("StateReasonData", alarm.stateReasonData());
        }
        shape.putPOJO("StateUpdatedTimestamp", alarm.stateUpdatedAt());
        shape.putPOJO("StateTransitionedTimestamp", alarm.stateUpdatedAt());
        shape.put("MetricName", alarm.metricName()).put("Namespace", alarm.namespace()).put("Statistic", alarm.statistic());
        ArrayNode dimensions = shape.putArray("Dimensions");
        alarm.dimensions().forEach((name, value) -> dimensions.addObject().put("Name", name).put("Value", value));
        shape.put("Period", alarm.period()).put("EvaluationPeriods", alarm.evaluationPeriods())
                .put("Threshold", alarm.threshold()).put("ComparisonOperator", alarm.comparisonOperator());
        return shape;
    }

    private JsonNode deleteAlarms(JsonNode input) {
        List<String> names = textList(input, "AlarmNames");
        for (String name : names) {
            if (!alarms.containsKey(name)) {
                throw new AwsError("ResourceNotFoundException", "Alarm " + name + " not found", 404, "ResourceNotFound");
            }
        }
        names.forEach(alarms::remove);
        return WireTree.object();
    }

    private static JsonNode parse(String text) {
        return WireTree.parseJsonText(text);
    }

    private static AwsError invalidValue(String message) {
        return new AwsError("InvalidParameterValueException", message, 400, "InvalidParameterValue");
    }

    private static AwsError missing(String parameter) {
        return new AwsError("MissingRequiredParameterException", "The parameter " + parameter + " is required.", 400,
                "MissingParameter");
    }
}
