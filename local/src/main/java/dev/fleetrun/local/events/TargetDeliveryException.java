package dev.fleetrun.local.events;

/**
 * A target refused an event. A retriable refusal (a throttle, a service error) is retried under the
 * target's retry policy; any other (the function or state machine does not exist, the input is not valid)
 * goes straight to the bus's dead letters, as EventBridge does.
 */
public final class TargetDeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    public TargetDeliveryException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
