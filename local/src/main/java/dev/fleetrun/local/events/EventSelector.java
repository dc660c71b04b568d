package dev.fleetrun.local.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which events a fault applies to: by {@code source} and {@code detail-type}, each null for any.
 * {@code new EventSelector("aws.ssm", "EC2 Command Invocation Status-change Notification")}.
 */
public record EventSelector(String source, String detailType) {

    /** Every event. */
    public static final EventSelector ANY = new EventSelector(null, null);

    /** Events of one source, any detail-type. */
    public static EventSelector source(String source) {
        return new EventSelector(source, null);
    }

    public boolean matches(JsonNode event) {
        return (source == null || source.equals(event.path("source").asText()))
                && (detailType == null || detailType.equals(event.path("detail-type").asText()));
    }

    @Override
    public String toString() {
        return (source == null ? "any source" : "source " + source) + ", "
                + (detailType == null ? "any detail-type" : "detail-type '" + detailType + "'");
    }
}
