package dev.fleetrun.local.events;

import java.time.Instant;
import java.util.List;

/**
 * One entry of a PutEvents call.
 *
 * @param source       required
 * @param detailType   required
 * @param detail       required: a JSON object, as text
 * @param resources    may be empty
 * @param time         the event's time, or null for now
 * @param eventBusName the bus (name or ARN), or null for {@code default}
 */
public record EventEntry(String source, String detailType, String detail, List<String> resources, Instant time,
                         String eventBusName) {

    public EventEntry {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /** An entry for the default bus, now, without resources. */
    public static EventEntry of(String source, String detailType, String detail) {
        return new EventEntry(source, detailType, detail, List.of(), null, null);
    }
}
