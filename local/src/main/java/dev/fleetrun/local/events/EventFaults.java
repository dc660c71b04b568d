package dev.fleetrun.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Faults on demand for the bus, so that tests and demos can show that fleetrun copes with what EventBridge
 * allows itself: events that are lost, repeated, late or out of order. Each fault applies to the next
 * {@code times} events its {@link EventSelector} matches (or to every one, with {@link #EVERY}); the first
 * fault that matches an event decides what happens to it.
 *
 * <ul>
 *   <li>{@link #drop}: the event is accepted (PutEvents answers with its id) and never routed;</li>
 *   <li>{@link #repeat}: the event is routed {@code 1 + copies} times, with the same id, as a retried delivery
 *       would be;</li>
 *   <li>{@link #delay}: the event is routed after {@code delay} of runtime time;</li>
 *   <li>{@link #reorder}: the next {@code count} matching events are held back and routed in reverse order when
 *       the last of them arrives (or when {@link EventBus#releaseHeldEvents()} is called).</li>
 * </ul>
 */
public final class EventFaults {
    /** {@code times} for a fault that never wears out. */
    public static final int EVERY = Integer.MAX_VALUE;

    /** What a fault does. */
    public enum Kind { DROP, REPEAT, DELAY, REORDER }

    /** One fault and how many more events it applies to. */
    private static final class Fault {
        final Kind kind;
        final EventSelector selector;
        int remaining;
        final int copies;
        final Duration delay;
        final List<JsonNode> held = new ArrayList<>();

        Fault(Kind kind, EventSelector selector, int remaining, int copies, Duration delay) {
            this.kind = kind;
            this.selector = selector;
            this.remaining = remaining;
            this.copies = copies;
            this.delay = delay;
        }

        @Override
        public String toString() {
            String what = switch (kind) {
                case DROP -> "drop";
                case REPEAT -> "repeat (" + copies + " extra)";
                case DELAY -> "delay by " + delay;
                case REORDER -> "reorder (holding " + held.size() + ")";
            };
            return what + " " + (remaining == EVERY ? "every event" : "the next " + remaining + " event(s)") + " of "
                    + selector;
        }
    }

    /** An event to route, after a delay (zero: now). */
    record Routing(JsonNode event, Duration delay) {
    }

    private final List<Fault> faults = new ArrayList<>();
    private final List<String> applied = new ArrayList<>();

    EventFaults() {
    }

    /** Drops the next {@code times} matching events. */
    public synchronized EventFaults drop(EventSelector selector, int times) {
        return add(new Fault(Kind.DROP, selector, check(times), 0, Duration.ZERO));
    }

    /** Routes each of the next {@code times} matching events {@code copies} extra times. */
    public synchronized EventFaults repeat(EventSelector selector, int times, int copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be >= 1, was " + copies);
        }
        return add(new Fault(Kind.REPEAT, selector, check(times), copies, Duration.ZERO));
    }

    /** Routes each of the next {@code times} matching events {@code delay} later (runtime time). */
    public synchronized EventFaults delay(EventSelector selector, int times, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return add(new Fault(Kind.DELAY, selector, check(times), 0, delay));
    }

    /** Holds the next {@code count} (at least 2) matching events and routes them in reverse order. */
    public synchronized EventFaults reorder(EventSelector selector, int count) {
        if (count < 2) {
            throw new IllegalArgumentException("reordering needs at least 2 events, was " + count);
        }
        return add(new Fault(Kind.REORDER, selector, count, 0, Duration.ZERO));
    }

    /** Forgets every fault; events held for reordering are dropped (release them first to keep them). */
    public synchronized void clear() {
        faults.clear();
    }

    /** The faults still active, described for people. */
    public synchronized List<String> describe() {
        return faults.stream().map(Fault::toString).toList();
    }

    /** What the faults did so far, one line per event ("dropped 1234 (aws.ssm, ...)"). */
    public synchronized List<String> applied() {
        return List.copyOf(applied);
    }

    private EventFaults add(Fault fault) {
        faults.add(fault);
        return this;
    }

    private static int check(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1 (or EVERY), was " + times);
        }
        return times;
    }

    /** What to route for an accepted event: nothing (dropped or held), once, several times, or later. */
    synchronized List<Routing> apply(JsonNode event) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext();) {
            Fault fault = it.next();
            if (!fault.selector.matches(event)) {
                continue;
            }
            if (fault.remaining != EVERY) {
                fault.remaining--;
            }
            List<Routing> routings = switch (fault.kind) {
                case DROP -> {
                    log("dropped", event);
                    yield List.of();
                }
                case REPEAT -> {
                    log("repeated " + fault.copies + " extra time(s)", event);
                    yield Collections.nCopies(fault.copies + 1, new Routing(event, Duration.ZERO));
                }
                case DELAY -> {
                    log("delayed by " + fault.delay, event);
                    yield List.of(new Routing(event, fault.delay));
                }
                case REORDER -> {
                    fault.held.add(event);
                    log("held for reordering", event);
                    yield fault.remaining == 0 ? reversed(fault.held) : List.of();
                }
            };
            if (fault.remaining == 0) {
                it.remove();
            }
            return routings;
        }
        return List.of(new Routing(event, Duration.ZERO));
    }

    /** Every event held for reordering, in reverse order of arrival; the reorder faults are removed. */
    synchronized List<Routing> releaseHeld() {
        List<Routing> released = new ArrayList<>();
        for (Iterator<Fault> it = faults.iterator(); it.hasNext();) {
            Fault fault = it.next();
            if (fault.kind == Kind.REORDER) {
                released.addAll(reversed(fault.held));
                it.remove();
            }
        }
        return released;
    }

    private static List<Routing> reversed(List<JsonNode> held) {
        List<Routing> routings = new ArrayList<>();
        for (int i = held.size() - 1; i >= 0; i--) {
            routings.add(new Routing(held.get(i), Duration.ZERO));
        }
        held.clear();
        return routings;
    }

    private void log(String what, JsonNode event) {
        applied.add(what + ": event " + event.path("id").asText() + " (" + event.path("source").asText() + ", "
                + event.path("detail-type").asText() + ")");
    }
}
