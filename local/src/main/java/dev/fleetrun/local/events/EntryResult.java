package dev.fleetrun.local.events;

/**
 * The answer for one PutEvents entry: its event id, or the error that refused it (the other entries of the
 * call are still accepted).
 */
public record EntryResult(String eventId, String errorCode, String errorMessage) {

    static EntryResult accepted(String eventId) {
        return new EntryResult(eventId, null, null);
    }

    static EntryResult refused(String errorCode, String errorMessage) {
        return new EntryResult(null, errorCode, errorMessage);
    }

    public boolean accepted() {
        return eventId != null;
    }
}
