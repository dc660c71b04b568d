package dev.fleetrun.testing;

import dev.fleetrun.local.wire.AwsService;
import dev.fleetrun.local.wire.AwsJsonProtocol;
import dev.fleetrun.local.wire.RequestFields;
import dev.fleetrun.local.wire.WireTree;
import static dev.fleetrun.local.wire.RequestFields.optionalText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * EventBridge {@code PutEvents} over AWS JSON 1.1 ({@code X-Amz-Target: AWSEvents.PutEvents}):
 * records the entries it accepts. As in AWS, 1 to 10 entries per call; an entry without Source,
 * DetailType or Detail, or whose Detail is not a JSON object, is refused on its own (an ErrorCode in
 * its answer entry, counted in FailedEntryCount) while the others are accepted.
 * No rules or targets: the embedded runtime routes events, this fake only records them.
 */
public final class FakeEventBridge extends AwsService {

    /** An accepted entry; {@code eventBusName} is "default" when the entry named none. */
    public record PutEvent(String eventId, String eventBusName, String source, String detailType, JsonNode detail,
                           List<String> resources) {
    }

    private final List<PutEvent> entries = new ArrayList<>();

    FakeEventBridge(Clock clock) {
        super("events", new AwsJsonProtocol("1.1"), List.of("PutEvents"), clock);
    }

    /** Every accepted entry, in order. */
    public synchronized List<PutEvent> entries() {
        return List.copyOf(entries);
    }

    /** The accepted entries of one detail-type, in order. */
    public synchronized List<PutEvent> entries(String detailType) {
        return entries.stream().filter(entry -> entry.detailType().equals(detailType)).toList();
    }

    @Override
    protected JsonNode handle(String operation, JsonNode input) {
        List<JsonNode> requested = RequestFields.list(input, "Entries");
        RequestFields.checkSize("Entries", requested, 1, 10);
        ObjectNode answer = WireTree.object();
        ArrayNode results = answer.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : requested) {
            String problem = problem(entry);
            if (problem == null) {
                PutEvent event = accept(entry);
                results.addObject().put("EventId", event.eventId());
            } else {
                failed++;
                results.addObject().put("ErrorCode", problem.startsWith("Detail") ? "MalformedDetail" : "InvalidArgument")
                        .put("ErrorMessage", problem);
            }
        }
        answer.put("FailedEntryCount", failed);
        return answer;
    }

    private PutEvent accept(JsonNode entry) {
        var event = new PutEvent(UUID.randomUUID().toString(), busName(optionalText(entry, "EventBusName", "default")),
                entry.get("Source").asText(), entry.get("DetailType").asText(), parse(entry.get("Detail").asText()),
                List.copyOf(RequestFields.textList(entry, "Resources")));
        entries.add(event);
        return event;
    }

    /** What is wrong with an entry, in EventBridge's words, or null. */
    private static String problem(JsonNode entry) {
        for (String field : List.of("Source", "DetailType", "Detail")) {
            if (optionalText(entry, field, "").isEmpty()) {
                return "Parameter " + field + " is not valid. Reason: " + field + " is a required argument.";
            }
        }
        JsonNode detail = parse(entry.get("Detail").asText());
        if (detail == null || !detail.isObject()) {
            return "Detail is malformed.";
        }
        return null;
    }

    private static JsonNode parse(String json) {
        try {
            return WireTree.JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** A bus may be named by name or ARN; both record as the name. */
    private static String busName(String nameOrArn) {
        int slash = nameOrArn.lastIndexOf('/');
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
    }
}
