package dev.fleetrun.records;

import dev.fleetrun.domain.Phase;
import java.time.Instant;
import java.util.Objects;

/**
 * A wave item: its size, how many of its nodes reached a terminal status ({@code done}) and with
 * which status, and the task token the workflow waits on.
 *
 * @param wave           numbered from 1 within its phase
 * @param size           nodes in the wave
 * @param done           nodes of the wave with a terminal status
 * @param counts         those nodes per terminal status
 * @param taskToken      the token of the current wait, or null before the wave is sent
 * @param completedToken the token that was completed (claimed) last, or null
 * @param sentAt         when the first token was registered, or null
 * @param deadline       epoch seconds after which the wait is reconciled by polling; 0 when not sent
 * @param concurrency    the most nodes of the wave that run at once (SSM MaxConcurrency)
 * @param batchCount     SendCommand calls the wave takes (at most 50 nodes each)
 */
public record WaveRecord(
        Phase phase,
        int wave,
        int size,
        int done,
        StatusCounts counts,
        String taskToken,
        String completedToken,
        WaveStatus status,
        Instant sentAt,
        long deadline,
        int concurrency,
        int batchCount) {

    public WaveRecord {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(status, "status");
        counts = counts == null ? StatusCounts.empty() : counts;
    }

    /** A wave as planned: nothing sent, nothing done. */
    public static WaveRecord planned(Phase phase, int wave, int size, int concurrency, int batchCount) {
        return new WaveRecord(phase, wave, size, 0, StatusCounts.empty(), null, null, WaveStatus.PLANNED,
                null, 0, concurrency, batchCount);
    }

    /** Every node of the wave has a terminal status. */
    public boolean complete() {
        return done >= size;
    }
}
