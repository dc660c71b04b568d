package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A batch item: the nodes one SendCommand call targets (at most 50), and the claim that keeps a
 * retried SendWave from sending it twice.
 *
 * @param batch       numbered from 1 within its wave
 * @param attemptId   the SendWave attempt that claimed it last, or null
 * @param claimedAt   when that claim was made, or null
 * @param commandId   the SSM command id once sent, or null
 */
public record BatchRecord(
        Phase phase,
        int wave,
        int batch,
        List<String> instanceIds,
        int concurrency,
        BatchState state,
        String attemptId,
        Instant claimedAt,
        String commandId) {

    public BatchRecord {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(state, "state");
        instanceIds = List.copyOf(instanceIds);
    }

    public static BatchRecord planned(Phase phase, int wave, int batch, List<String> instanceIds, int concurrency) {
        return new BatchRecord(phase, wave, batch, instanceIds, concurrency, BatchState.PLANNED, null, null, null);
    }
}
