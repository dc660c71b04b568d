package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.Objects;

/**
 * A command item: what an SSM command id belongs to, so the status listener can go from an event
 * to the run, the wave and the task token.
 *
 * @param taskToken the wave's task token when the command was sent (the wave may hold a newer one)
 */
public record CommandRecord(
        String commandId,
        String runId,
        Phase phase,
        int wave,
        int batch,
        String taskToken,
        Instant sentAt) {

    public CommandRecord {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(sentAt, "sentAt");
    }
}
