package dev.fleetrun.local.sfn.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetrun.local.sfn.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;

/**
 * One event of an execution's history, in AWS's terms: an id (from 1), the id of the event that led to it
 * ({@code 0} for the first), a timestamp, a type and the type's details.
 *
 * <p>Details hold payloads as {@link JsonNode}s and render them as JSON text only when asked
 * ({@link #toAwsJson()}), so that recording an event is cheap.
 *
 * @param details field name to value: a String, Number, Boolean, {@link JsonNode} payload (rendered as JSON
 *                text with a {@code <name>Details: {"truncated": false}} companion, as AWS does for
 *                {@code input} and {@code output}) or a nested {@code Map}
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, HistoryEventType type,
                           Map<String, Object> details) {

    public HistoryEvent {
        details = details == null ? Map.of() : Collections.unmodifiableMap(details);
    }

    /** A detail as plain text: a string as is, a payload as JSON text; {@code null} when absent. */
    public String detail(String field) {
        Object value = details.get(field);
        if (value == null) {
            return null;
        }
        return value instanceof JsonNode node ? Json.text(node) : value.toString();
    }

    /** A payload detail ({@code input}, {@code output}) as JSON, or {@code null}. */
    public JsonNode payload(String field) {
        Object value = details.get(field);
        return value instanceof JsonNode node ? node : null;
    }

    /**
     * The event as GetExecutionHistory returns it:
     * {@code {"timestamp": <epoch seconds>, "type": ..., "id": ..., "previousEventId": ..., "<details field>": {...}}}.
     */
    public ObjectNode toAwsJson() {
        ObjectNode event = Json.object();
        event.put("timestamp", new BigDecimal(timestamp.toEpochMilli()).movePointLeft(3));
        event.put("type", type.name());
        event.put("id", id);
        event.put("previousEventId", previousEventId);
        if (type.detailsField() != null) {
            event.set(type.detailsField(), render(details));
        }
        return event;
    }

    private static ObjectNode render(Map<String, Object> details) {
        ObjectNode out = Json.object();
        details.forEach((name, value) -> {
            if (value instanceof JsonNode node) {
                out.put(name, Json.text(node));
                if (name.equals("input") || name.equals("output")) {
                    out.putObject(name + "Details").put("truncated", false);
                }
            } else if (value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) map;
                out.set(name, render(nested));
            } else if (value instanceof Long number) {
                out.put(name, number);
            } else if (value instanceof Integer number) {
                out.put(name, number);
            } else if (value instanceof Boolean flag) {
                out.put(name, flag);
            } else if (value != null) {
                out.put(name, value.toString());
            }
        });
        return out;
    }
}
