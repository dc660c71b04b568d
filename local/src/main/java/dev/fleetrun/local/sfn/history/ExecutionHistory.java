package dev.fleetrun.local.sfn.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The events of one execution, in the order they happened, numbered from 1. Branches of a Parallel or Map
 * state add to it concurrently; each event names the event before it in its own branch.
 */
public final class ExecutionHistory {

    private final List<HistoryEvent> events = new ArrayList<>();

    /** Appends an event and returns its id. */
    public synchronized long add(HistoryEventType type, long previousEventId, Instant at, Map<String, Object> details) {
        long id = events.size() + 1L;
        events.add(new HistoryEvent(id, previousEventId, at, type, details));
        return id;
    }

    /** A copy of every event so far, oldest first. */
    public synchronized List<HistoryEvent> events() {
        return List.copyOf(events);
    }

    /** The events of these types, oldest first. */
    public List<HistoryEvent> ofType(HistoryEventType... types) {
        List<HistoryEventType> wanted = List.of(types);
        return matching(e -> wanted.contains(e.type()));
    }

    /** The events that match, oldest first. */
    public synchronized List<HistoryEvent> matching(Predicate<HistoryEvent> filter) {
        return events.stream().filter(filter).toList();
    }

    /** How many events there are. */
    public synchronized int size() {
        return events.size();
    }
}
