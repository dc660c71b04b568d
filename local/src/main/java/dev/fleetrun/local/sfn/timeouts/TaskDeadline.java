package dev.fleetrun.local.sfn.timeouts;

import dev.fleetrun.local.sfn.errors.AslError;
import dev.fleetrun.local.sfn.errors.StatesHeartbeatTimeout;
import dev.fleetrun.local.sfn.errors.StatesTimeout;
import java.time.Instant;

/**
 * Watches one task attempt's time limits: the timeout counts from the start, the heartbeat from the last
 * heartbeat. It says when the next limit falls and, once one has passed, which error it is
 * ({@code States.Timeout} or {@code States.HeartbeatTimeout}).
 */
public final class TaskDeadline {

    private final Instant timeoutAt;
    private final TaskTimeouts.Resolved limits;

    public TaskDeadline(TaskTimeouts.Resolved limits, Instant startedAt) {
        this.limits = limits;
        this.timeoutAt = startedAt.plus(limits.timeout());
    }

    /** The next instant at which a limit passes, given the last heartbeat. */
    public Instant next(Instant lastHeartbeat) {
        if (limits.heartbeat() == null) {
            return timeoutAt;
        }
        Instant heartbeatAt = lastHeartbeat.plus(limits.heartbeat());
        return heartbeatAt.isBefore(timeoutAt) ? heartbeatAt : timeoutAt;
    }

    /** The error for a limit that has passed at {@code now}, or {@code null} if none has. */
    public AslError expired(Instant now, Instant lastHeartbeat) {
        if (!now.isBefore(timeoutAt)) {
            return new StatesTimeout("The task ran longer than its TimeoutSeconds (" + limits.timeout().toSeconds() + " s).");
        }
        if (limits.heartbeat() != null && !now.isBefore(lastHeartbeat.plus(limits.heartbeat()))) {
            return new StatesHeartbeatTimeout("The task sent no heartbeat for " + limits.heartbeat().toSeconds()
                    + " s (HeartbeatSeconds).");
        }
        return null;
    }
}
