package dev.fleetrun.aws;

import com.fasterxml.jackson.databind.JsonNode;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * What fleetrun tells the world: events from source {@code fleetrun} on the configured bus (DESIGN,
 * "Events out"), and alerts on the SNS topic when one is configured.
 */
public final class Notifier {
    public static final String SOURCE = "fleetrun";
    public static final String RUN_STARTED = "Fleetrun Run Started";
    public static final String WAVE_COMPLETED = "Fleetrun Wave Completed";
    public static final String RUN_BREACHED = "Fleetrun Run Breached";
    public static final String RUN_FINISHED = "Fleetrun Run Finished";
    /** A run that failed on a workflow error goes on: its execution was redriven (fleetrun resume). */
    public static final String RUN_RESUMED = "Fleetrun Run Resumed";
    public static final String APPROVAL_REQUESTED = "Fleetrun Approval Requested";

    private final EventBridgeClient events;
    private final SnsClient sns;
    private final String bus;
    private final String topicArn;

    public Notifier(EventBridgeClient events, SnsClient sns, String bus, String topicArn) {
        this.events = events;
        this.sns = sns;
        this.bus = bus;
        this.topicArn = topicArn;
    }

    /** Puts one event; a rejected entry is an error, so that the step retries rather than losing it. */
    public void event(String detailType, String runId, JsonNode detail) {
        PutEventsResponse r = events.putEvents(b -> b.entries(PutEventsRequestEntry.builder()
                .source(SOURCE).detailType(detailType).eventBusName(bus)
                .resources(java.util.List.of()).detail(Json.write(detail)).build()));
        if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
            var e = r.entries().get(0);
            throw new IllegalStateException("EventBridge refused the '" + detailType + "' event of run " + runId
                    + ": " + e.errorCode() + " " + e.errorMessage());
        }
    }

    /** Publishes an alert when a topic is configured; returns whether one was sent. */
    public boolean alert(String subject, String message) {
        if (topicArn == null) {
            return false;
        }
        String shortSubject = subject.length() > 100 ? subject.substring(0, 97) + "..." : subject;
        sns.publish(b -> b.topicArn(topicArn).subject(shortSubject).message(message));
        return true;
    }
}
