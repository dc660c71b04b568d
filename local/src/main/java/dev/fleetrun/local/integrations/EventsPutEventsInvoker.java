package dev.fleetrun.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.events.EventBridgeService;
import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.StatesRuntime;
import dev.fleetrun.local.sfn.task.TaskInvoker;
import dev.fleetrun.local.sfn.task.TaskRequest;
import dev.fleetrun.local.wire.AwsError;
import java.util.Set;

/**
 * {@code arn:aws:states:::events:putEvents} (and {@code .waitForTaskToken}): puts the entries on the runtime's bus
 * through its {@link EventBridgeService}. As the optimized integration does, a {@code Detail} object is sent as
 * its JSON text and the state machine's and the execution's ARNs are appended to each entry's
 * {@code Resources}. The result is {@code {"Entries": [{"EventId"}], "FailedEntryCount": 0}}; an entry refused
 * fails the task with {@code EventBridge.FailedEntry}, the answer as the cause.
 */
public final class EventsPutEventsInvoker implements TaskInvoker {
    private static final Set<String> SUPPORTED_ENTRY = Set.of("Detail", "DetailType", "EventBusName", "Resources",
            "Source", "Time", "TraceHeader");

    private final EventBridgeService events;

    public EventsPutEventsInvoker(EventBridgeService events) {
        this.events = events;
    }

    @Override
    public JsonNode invoke(TaskRequest request) {
        JsonNode input = request.input();
        Parameters.check("events:putEvents", input, Set.of("Entries"));
        if (!input.path("Entries").isArray()) {
            throw new StatesRuntime("events:putEvents needs an 'Entries' array, got " + input.get("Entries"));
        }
        ObjectNode call = SdkMetadata.object();
        ArrayNode entries = call.putArray("Entries");
        for (JsonNode entry : input.get("Entries")) {
            Parameters.check("events:putEvents Entries", entry, SUPPORTED_ENTRY);
            ObjectNode copy = entry.deepCopy();
            if (copy.has("Detail") && !copy.get("Detail").isTextual()) {
                copy.put("Detail", copy.get("Detail").toString());
            }
            ArrayNode resources = copy.has("Resources") ? (ArrayNode) copy.get("Resources") : copy.putArray("Resources");
            resources.add(request.execution().stateMachineArn());
            resources.add(request.execution().executionArn());
            entries.add(copy);
        }
        JsonNode answer;
        try {
            answer = events.invoke("PutEvents", call);
        } catch (AwsError e) {
            String name = e.code().endsWith("Exception") ? e.code() : e.code() + "Exception";
            throw AslError.of("EventBridge." + name, SdkMetadata.cause(e.getMessage(), "AmazonEventBridge",
                    e.httpStatus(), e.code(), "local"));
        }
        if (answer.path("FailedEntryCount").asInt() > 0) {
            throw AslError.of("EventBridge.FailedEntry", answer.toString());
        }
        ObjectNode result = SdkMetadata.object();
        result.set("Entries", answer.get("Entries"));
        result.set("FailedEntryCount", answer.get("FailedEntryCount"));
        return result;
    }
}
