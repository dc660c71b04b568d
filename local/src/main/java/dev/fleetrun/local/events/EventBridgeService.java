package dev.fleetrun.local.events;

import static dev.fleetrun.local.wire.RequestFields.optionalInt;
import static dev.fleetrun.local.wire.RequestFields.optionalText;
import static dev.fleetrun.local.wire.RequestFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.wire.AwsError;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.Page;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * EventBridge's API over AWS JSON 1.1 ({@code X-Amz-Target: AWSEvents.<Operation>}) in front of an
 * {@link EventBus}: PutEvents, PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule, PutTargets,
 * RemoveTargets, ListTargetsByRule and TestEventPattern, with EventBridge's members, errors and limits.
 * Host it with {@code awsServer.jsonService(EventBridgeService.TARGET_PREFIX, service)}.
 */
public final class EventBridgeService extends AwsService {
    /** The X-Amz-Target prefix of EventBridge. */
    public static final String TARGET_PREFIX = "AWSEvents";

    private final EventBus bus;

    public EventBridgeService(EventBus bus, Clock clock) {
        super("events", new AwsJsonProtocol("1.1"), List.of("PutEvents", "PutRule", "DescribeRule", "ListRules",
                "DeleteRule", "EnableRule", "DisableRule", "PutTargets", "RemoveTargets", "ListTargetsByRule",
                "TestEventPattern"), clock);
        this.bus = bus;
    }

    public EventBus bus() {
        return bus;
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        return switch (operation) {
            case "PutEvents" -> putEvents(input);
            case "PutRule" -> putRule(input);
            case "DescribeRule" -> ruleShape(bus.describeRule(requiredText(input, "Name"), bus(input)), true);
            case "ListRules" -> listRules(input);
            case "DeleteRule" -> {
                bus.deleteRule(requiredText(input, "Name"), RequestFields.optionalBoolean(input, "Force"), bus(input));
                yield WireTree.object();
            }
            case "EnableRule", "DisableRule" -> {
                bus.setEnabled(requiredText(input, "Name"), operation.equals("EnableRule"), bus(input));
                yield WireTree.object();
            }
            case "PutTargets" -> putTargets(input);
            case "RemoveTargets" -> removeTargets(input);
            case "ListTargetsByRule" -> listTargets(input);
            case "TestEventPattern" -> testEventPattern(input);
            default -> throw AwsError.unknownOperation(name(), operation, operations());
        };
    }

    private static String bus(JsonNode input) {
        return optionalText(input, "EventBusName", null);
    }

    private JsonNode putEvents(JsonNode input) {
        List<EventEntry> entries = new ArrayList<>();
        for (JsonNode entry : RequestFields.objects(input, "Entries")) {
            entries.add(new EventEntry(optionalText(entry, "Source", null), optionalText(entry, "DetailType", null),
                    optionalText(entry, "Detail", null), RequestFields.textList(entry, "Resources"), time(entry.get("Time")),
                    optionalText(entry, "EventBusName", null)));
        }
        List<EntryResult> results = bus.putEvents(entries);
        ObjectNode answer = WireTree.object();
        answer.put("FailedEntryCount", results.stream().filter(r -> !r.accepted()).count());
        ArrayNode shapes = answer.putArray("Entries");
        for (EntryResult result : results) {
            ObjectNode shape = shapes.addObject();
            if (result.accepted()) {
                shape.put("EventId", result.eventId());
            } else {
                shape.put("ErrorCode", result.errorCode()).put("ErrorMessage", result.errorMessage());
            }
        }
        return answer;
    }

    /** A PutEvents Time: epoch seconds (as the SDK sends it), or ISO-8601 text. */
    private static Instant time(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            if (!Double.isFinite(node.doubleValue()) || Math.abs(node.doubleValue()) > Instant.MAX.getEpochSecond()) {
                throw AwsError.validation("entries.member.time", node.asText(), "Member must be a timestamp");
            }
            return Instant.ofEpochMilli(node.decimalValue().multiply(BigDecimal.valueOf(1000)).longValue());
        }
        if (!node.isTextual()) {
            throw RequestFields.wrongType("Entries.member.Time", node, "a timestamp");
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw AwsError.validation("entries.member.time", node.asText(), "Member must be a timestamp");
        }
    }

    private JsonNode putRule(JsonNode input) {
        String state = optionalText(input, "State", "ENABLED");
        if (!List.of("ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS").contains(state)) {
            throw AwsError.validation("state", state, "Member must satisfy enum value set: [ENABLED, DISABLED,"
                    + " ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]");
        }
        String arn = bus.putRule(optionalText(input, "Name", null), optionalText(input, "EventPattern", null),
                optionalText(input, "ScheduleExpression", null), !state.equals("DISABLED"),
                optionalText(input, "Description", null), optionalText(input, "RoleArn", null), bus(input));
        return WireTree.object().put("RuleArn", arn);
    }

    private ObjectNode ruleShape(Rule rule, boolean describe) {
        ObjectNode shape = WireTree.object().put("Name", rule.name()).put("Arn", rule.arn());
        if (rule.eventPattern() != null) {
            shape.put("EventPattern", rule.eventPattern());
        }
        if (rule.scheduleExpression() != null) {
            shape.put("ScheduleExpression", rule.scheduleExpression());
        }
        shape.put("State", rule.state());
        if (rule.description() != null) {
            shape.put("Description", rule.description());
        }
        if (rule.roleArn() != null) {
            shape.put("RoleArn", rule.roleArn());
        }
        shape.put("EventBusName", rule.eventBusName());
        if (describe) {
            shape.put("CreatedBy", rule.arn().split(":")[4]);
        }
        return shape;
    }

    private JsonNode listRules(JsonNode input) {
        Integer limit = optionalInt(input, "Limit");
        RequestFields.checkRange("Limit", limit, 1, 100);
        Page<Rule> page = Page.of(bus.listRules(optionalText(input, "NamePrefix", null), bus(input)),
                limit == null ? 100 : limit, optionalText(input, "NextToken", null), "ValidationException");
        ObjectNode answer = WireTree.object();
        ArrayNode shapes = answer.putArray("Rules");
        page.items().forEach(rule -> shapes.add(ruleShape(rule, false)));
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }

    private JsonNode putTargets(JsonNode input) {
        List<JsonNode> shapes = RequestFields.objects(input, "Targets");
        RequestFields.checkSize("Targets", shapes, 1, 10);
        List<Target> targets = new ArrayList<>();
        for (JsonNode shape : shapes) {
            targets.add(target(shape));
        }
        List<EventBus.TargetFailure> failures = bus.putTargets(requiredText(input, "Rule"), targets, bus(input));
        ObjectNode answer = WireTree.object().put("FailedEntryCount", failures.size());
        ArrayNode failed = answer.putArray("FailedEntries");
        failures.forEach(f -> failed.addObject().put("TargetId", f.targetId()).put("ErrorCode", f.errorCode())
                .put("ErrorMessage", f.errorMessage()));
        return answer;
    }

    private static Target target(JsonNode shape) {
        Target.InputTransformer transformer = null;
        JsonNode t = RequestFields.optionalObject(shape, "InputTransformer");
        if (t != null) {
            Map<String, String> paths = RequestFields.textMap(t, "InputPathsMap");
            transformer = new Target.InputTransformer(paths, optionalText(t, "InputTemplate", null));
        }
        Target.RetryPolicy retry = Target.RetryPolicy.DEFAULT;
        JsonNode r = RequestFields.optionalObject(shape, "RetryPolicy");
        if (r != null) {
            Integer attempts = optionalInt(r, "MaximumRetryAttempts");
            Integer age = optionalInt(r, "MaximumEventAgeInSeconds");
            RequestFields.checkRange("retryPolicy.maximumRetryAttempts", attempts, 0, 185);
            RequestFields.checkRange("retryPolicy.maximumEventAgeInSeconds", age, 60, 86_400);
            retry = new Target.RetryPolicy(attempts == null ? 185 : attempts, age == null ? 86_400 : age);
        }
        return new Target(optionalText(shape, "Id", null), requiredText(shape, "Arn"), optionalText(shape, "Input", null),
                optionalText(shape, "InputPath", null), transformer, retry,
                deadLetterArn(shape));
    }

    private static String deadLetterArn(JsonNode shape) {
        JsonNode config = RequestFields.optionalObject(shape, "DeadLetterConfig");
        return config == null ? null : optionalText(config, "Arn", null);
    }

    private JsonNode removeTargets(JsonNode input) {
        List<String> ids = RequestFields.textList(input, "Ids");
        RequestFields.checkSize("Ids", ids, 1, 100);
        bus.removeTargets(requiredText(input, "Rule"), ids, bus(input));
        ObjectNode answer = WireTree.object().put("FailedEntryCount", 0);
        answer.putArray("FailedEntries");
        return answer;
    }

    private JsonNode listTargets(JsonNode input) {
        Integer limit = optionalInt(input, "Limit");
        RequestFields.checkRange("Limit", limit, 1, 100);
        Page<Target> page = Page.of(bus.listTargetsByRule(requiredText(input, "Rule"), bus(input)),
                limit == null ? 100 : limit, optionalText(input, "NextToken", null), "ValidationException");
        ObjectNode answer = WireTree.object();
        ArrayNode shapes = answer.putArray("Targets");
        for (Target target : page.items()) {
            ObjectNode shape = shapes.addObject().put("Id", target.id()).put("Arn", target.arn());
            if (target.input() != null) {
                shape.put("Input", target.input());
            }
            if (target.inputPath() != null) {
                shape.put("InputPath", target.inputPath());
            }
            if (target.inputTransformer() != null) {
                ObjectNode t = shape.putObject("InputTransformer");
                ObjectNode paths = t.putObject("InputPathsMap");
                target.inputTransformer().inputPathsMap().forEach(paths::put);
                t.put("InputTemplate", target.inputTransformer().inputTemplate());
            }
            shape.putObject("RetryPolicy").put("MaximumRetryAttempts", target.retryPolicy().maximumRetryAttempts())
                    .put("MaximumEventAgeInSeconds", target.retryPolicy().maximumEventAgeInSeconds());
            if (target.deadLetterArn() != null) {
                shape.putObject("DeadLetterConfig").put("Arn", target.deadLetterArn());
            }
        }
        if (page.nextToken() != null) {
            answer.put("NextToken", page.nextToken());
        }
        return answer;
    }

    private JsonNode testEventPattern(JsonNode input) {
        String pattern = requiredText(input, "EventPattern");
        String eventText = requiredText(input, "Event");
        JsonNode event = WireTree.parseJsonText(eventText);
        if (event == null || !event.isObject()) {
            throw AwsError.of("InvalidEventPatternException", "Parameter Event is not valid: it is not a JSON object.");
        }
        for (String field : List.of("id", "account", "source", "time", "region", "detail-type")) {
            if (!event.has(field)) {
                throw AwsError.of("ValidationException", "Parameter Event is not valid: the event has no '" + field
                        + "' field (an event needs id, account, source, time, region, detail-type).");
            }
        }
        return WireTree.object().put("Result", EventBus.matches(pattern, event));
    }
}
